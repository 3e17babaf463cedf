"""Remove repeated edges from an edge list file, in bounded memory.

An edge "A cites B" is seen from both ends (A's references, B's cited-by), so the
side-output writer appends every edge as it comes and this pass, run once when the
crawl closes, keeps the first line of each (source, target, relation), with the smallest
depth and every source of its repeats (``similar`` pairs come lower PMID first from
``flatten.edges_of``, so a pair seen from both ends is one key).

A set of tuples of every edge costs ~190 bytes an edge (654 MB for the 3.5 million
edges of 100,000 articles, ``python -m benchmarks.edges``). Here each line costs 8 bytes
of packed key, 4 of line number, 2 of depth, 1 of sources and 2 of flags, and the dict of
seen keys never holds more than one partition (72 MB in all for the same file).
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from pathlib import Path

__all__ = ["dedupe_edges"]

#: Lines per partition of the duplicate search (the only Python set built).
PARTITION = 250_000
#: PMIDs are packed 31 bits each (PubMed's are 8 digits); a larger one goes to OVERFLOW.
_PMID_LIMIT = 1 << 31
_CUT = (1 << 64) - 1  # key of an unreadable line (a hard kill cut it): dropped
_OVERFLOW = (1 << 64) - 2  # key looked up in the overflow dict instead
_NO_DEPTH = -1


class _Keys:
    """Packed (source, target, relation) of every line, in line order."""

    def __init__(self) -> None:
        self.keys = array("Q")
        self.depths = array("h")
        self.sources = array("B")  # bit i set: source self.source_names[i] gave the edge
        self.relations: list[str] = []  # index -> name (two in practice)
        self.source_names: list[str] = []  # index -> name (pubmed, icite), at most 8
        self.overflow: dict[int, tuple[str, str, int]] = {}

    def add(self, line: bytes) -> None:
        try:
            edge = json.loads(line)
            source, target = str(edge["source_pmid"]), str(edge["target_pmid"])
            relation, depth = edge["relation"], edge.get("depth")
            bits = self._source_bits(edge.get("sources") or [])
        except (ValueError, KeyError, TypeError):
            self.keys.append(_CUT)
            self.depths.append(_NO_DEPTH)
            self.sources.append(0)
            return
        self.sources.append(bits)
        if relation not in self.relations:
            self.relations.append(relation)
        rel = self.relations.index(relation)
        self.depths.append(depth if isinstance(depth, int) and 0 <= depth < 32767 else _NO_DEPTH)
        if source.isdigit() and target.isdigit() and rel < 4 and \
                int(source) < _PMID_LIMIT and int(target) < _PMID_LIMIT:
            self.keys.append(int(source) << 33 | int(target) << 2 | rel)
        else:
            self.overflow[len(self.keys)] = (source, target, rel)
            self.keys.append(_OVERFLOW)

    def _source_bits(self, sources: list[str]) -> int:
        bits = 0
        for name in sources:
            if name not in self.source_names:
                if len(self.source_names) == 8:
                    raise ValueError("more than 8 link sources")
                self.source_names.append(name)
            bits |= 1 << self.source_names.index(name)
        return bits

    def duplicates(self, partition: int) -> tuple[bytearray, bytearray]:
        """Flags per line: ``drop`` (a cut line or a repeat of an earlier line's key) and
        ``merged`` (a kept line whose depth or sources took a repeat's in)."""
        keys, n = self.keys, len(self.keys)
        depths, sources = self.depths, self.sources
        drop, merged = bytearray(n), bytearray(n)
        parts = max(1, -(-n // partition))
        # Line numbers grouped by key; each group is scanned in line order, so the
        # first line of a key is the one kept.
        groups = [array("I") for _ in range(parts)]
        for i, key in enumerate(keys):
            groups[0 if parts == 1 else key % parts].append(i)
        for group in groups:
            first: dict[object, int] = {}
            for i in group:
                key: object = keys[i]
                if key == _CUT:
                    drop[i] = 1
                    continue
                if key == _OVERFLOW:
                    key = self.overflow[i]
                f = first.setdefault(key, i)
                if f == i:
                    continue
                drop[i] = 1
                depth = _smaller(depths[f], depths[i])
                bits = sources[f] | sources[i]
                if depth != depths[f] or bits != sources[f]:
                    depths[f], sources[f], merged[f] = depth, bits, 1
        return drop, merged

    def merge_into(self, line: bytes, i: int) -> bytes:
        """Line ``i`` with the merged depth and sources of its repeats."""
        edge = json.loads(line)
        edge["depth"] = None if self.depths[i] == _NO_DEPTH else self.depths[i]
        edge["sources"] = [name for b, name in enumerate(self.source_names)
                           if self.sources[i] >> b & 1]
        return (json.dumps(edge, ensure_ascii=False) + "\n").encode()

    def relation(self, i: int) -> int:
        """The relation index of line ``i``."""
        key = self.keys[i]
        return self.overflow[i][2] if key == _OVERFLOW else key & 3


def _smaller(a: int, b: int) -> int:
    """The smaller depth; an unknown depth (-1) only when both are unknown."""
    if a == _NO_DEPTH:
        return b
    return a if b == _NO_DEPTH else min(a, b)


def dedupe_edges(path: Path, partition: int = PARTITION) -> tuple[dict[str, int], int]:
    """Keep the first line of each (source, target, relation) edge of ``path``, with the
    smallest depth and the union of ``sources`` of its repeats.

    Returns the kept edges counted per relation and per depth (``edges/cites``,
    ``edges/depth_1``, ...) and how many lines were removed. An unreadable line (the
    cut last line after a hard kill) is removed.
    """
    keys = _Keys()
    with path.open("rb") as src:
        for line in src:
            keys.add(line)
    drop, merged = keys.duplicates(partition)
    per_kind: Counter[tuple[int, int]] = Counter()  # (relation, depth) of kept lines
    removed = 0
    tmp = path.with_suffix(path.suffix + ".tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        for i, line in enumerate(src):
            if drop[i]:
                removed += 1
            else:
                per_kind[keys.relation(i), keys.depths[i]] += 1
                dst.write(keys.merge_into(line, i) if merged[i] else line)
    tmp.replace(path)
    kept: Counter[str] = Counter()
    for (rel, depth), n in per_kind.items():
        kept[f"edges/{keys.relations[rel]}"] += n
        kept[f"edges/depth_{depth if depth != _NO_DEPTH else None}"] += n
    return dict(kept), removed
