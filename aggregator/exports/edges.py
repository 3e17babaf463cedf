"""Remove repeated edges from an edge list file, in bounded memory.

An edge "A cites B" is seen from both ends (A's references, B's cited-by), so the
side-output writer appends every edge as it comes and this pass, run once when the
crawl closes, keeps the first line of each (source, target, relation).

A set of tuples of every edge costs ~190 bytes an edge (654 MB for the 3.5 million
edges of 100,000 articles, ``python -m benchmarks.edges``). Here each line costs 8 bytes
of packed key, 4 of line number, 2 of depth and 1 of flag, and the set of seen keys never
holds more than one partition (72 MB in all for the same file).
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
        self.relations: list[str] = []  # index -> name (two in practice)
        self.overflow: dict[int, tuple[str, str, int]] = {}

    def add(self, line: bytes) -> None:
        try:
            edge = json.loads(line)
            source, target = str(edge["source_pmid"]), str(edge["target_pmid"])
            relation, depth = edge["relation"], edge.get("depth")
        except (ValueError, KeyError, TypeError):
            self.keys.append(_CUT)
            self.depths.append(_NO_DEPTH)
            return
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

    def duplicates(self, partition: int) -> bytearray:
        """A flag per line: 1 for a cut line or a repeat of an earlier line's key."""
        keys, n = self.keys, len(self.keys)
        drop = bytearray(n)
        parts = max(1, -(-n // partition))
        # Line numbers grouped by key; each group is scanned in line order, so the
        # first line of a key is the one kept.
        groups = [array("I") for _ in range(parts)]
        for i, key in enumerate(keys):
            groups[0 if parts == 1 else key % parts].append(i)
        for group in groups:
            seen: set[object] = set()
            for i in group:
                key: object = keys[i]
                if key == _CUT:
                    drop[i] = 1
                    continue
                if key == _OVERFLOW:
                    key = self.overflow[i]
                if key in seen:
                    drop[i] = 1
                else:
                    seen.add(key)
        return drop

    def relation(self, i: int) -> int:
        """The relation index of line ``i``."""
        key = self.keys[i]
        return self.overflow[i][2] if key == _OVERFLOW else key & 3


def dedupe_edges(path: Path, partition: int = PARTITION) -> tuple[dict[str, int], int]:
    """Keep the first line of each (source, target, relation) edge of ``path``.

    Returns the kept edges counted per relation and per depth (``edges/cites``,
    ``edges/depth_1``, ...) and how many lines were removed. An unreadable line (the
    cut last line after a hard kill) is removed.
    """
    keys = _Keys()
    with path.open("rb") as src:
        for line in src:
            keys.add(line)
    drop = keys.duplicates(partition)
    per_kind: Counter[tuple[int, int]] = Counter()  # (relation, depth) of kept lines
    removed = 0
    tmp = path.with_suffix(path.suffix + ".tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        for i, line in enumerate(src):
            if drop[i]:
                removed += 1
            else:
                per_kind[keys.relation(i), keys.depths[i]] += 1
                dst.write(line)
    tmp.replace(path)
    kept: Counter[str] = Counter()
    for (rel, depth), n in per_kind.items():
        kept[f"edges/{keys.relations[rel]}"] += n
        kept[f"edges/depth_{depth if depth != _NO_DEPTH else None}"] += n
    return dict(kept), removed
