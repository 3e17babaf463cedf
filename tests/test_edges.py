"""The end-of-crawl edge dedupe (aggregator/exports/edges.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from aggregator.exports.edges import dedupe_edges


def _line(source: str, target: str, relation: str, depth: int | None) -> bytes:
    edge = {"source_pmid": source, "target_pmid": target, "relation": relation, "depth": depth}
    return (json.dumps(edge) + "\n").encode()


def _write(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def test_keeps_the_first_line_of_each_edge_and_counts_what_is_kept(tmp_path):
    path = tmp_path / "edges.jsonl"
    lines = [
        _line("1", "2", "cites", 0),
        _line("1", "3", "similar", 0),
        _line("1", "2", "cites", 1),  # A cites B seen again from B's cited-by: removed
        _line("1", "2", "similar", 1),  # same pair, other relation: kept
        _line("2", "1", "cites", 1),  # other direction: kept
        _line("1", "3", "similar", 1),  # removed
    ]
    _write(path, lines)
    kept, removed = dedupe_edges(path)
    assert path.read_bytes().splitlines(keepends=True) == [lines[0], lines[1], lines[3], lines[4]]
    assert removed == 2
    assert kept == {"edges/cites": 2, "edges/similar": 2, "edges/depth_0": 2,
                    "edges/depth_1": 2}


def test_a_cut_last_line_is_dropped_and_the_rest_kept(tmp_path):
    path = tmp_path / "edges.jsonl"
    lines = [_line("5", "6", "cites", 2), _line("7", "8", "similar", None)]
    path.write_bytes(b"".join(lines) + b'{"source_pmid": "9", "targ')
    kept, removed = dedupe_edges(path)
    assert path.read_bytes() == b"".join(lines)
    assert removed == 1
    assert kept == {"edges/cites": 1, "edges/similar": 1, "edges/depth_2": 1,
                    "edges/depth_None": 1}


def test_pmids_too_large_to_pack_are_still_deduplicated(tmp_path):
    path = tmp_path / "edges.jsonl"
    big = str(2**31 + 5)
    lines = [_line(big, "1", "cites", 0), _line("1", big, "cites", 0),
             _line(big, "1", "cites", 1), _line("x1", "2", "similar", 0),
             _line("x1", "2", "similar", 0)]
    _write(path, lines)
    kept, removed = dedupe_edges(path)
    assert path.read_bytes().splitlines(keepends=True) == [lines[0], lines[1], lines[3]]
    assert removed == 2


@pytest.mark.parametrize("partition", [1, 7, 1000, 10**6])
def test_partitioned_search_gives_the_same_file_as_one_set(tmp_path, partition):
    rng = random.Random(4)
    lines = [_line(str(rng.randint(1, 40)), str(rng.randint(1, 40)),
                   rng.choice(["cites", "similar"]), rng.randint(0, 2)) for _ in range(3000)]
    # expected: first occurrence of each (source, target, relation), in file order, with
    # the smallest depth of its repeats; computed directly with one dict
    first: dict[tuple[str, str, str], dict] = {}
    for line in lines:
        edge = json.loads(line)
        kept = first.setdefault((edge["source_pmid"], edge["target_pmid"], edge["relation"]),
                                edge)
        kept["depth"] = min(kept["depth"], edge["depth"])
    expected = list(first.values())
    path = tmp_path / "edges.jsonl"
    _write(path, lines)
    kept, removed = dedupe_edges(path, partition=partition)
    got = [json.loads(line) for line in path.read_bytes().splitlines()]
    assert [{k: e[k] for k in ("source_pmid", "target_pmid", "relation", "depth")}
            for e in got] == expected
    assert removed == len(lines) - len(expected)
    assert kept["edges/cites"] + kept["edges/similar"] == len(expected)


def test_repeats_merge_into_the_first_line_smallest_depth_and_every_source(tmp_path):
    path = tmp_path / "edges.jsonl"
    edges = [
        {"source_pmid": "1", "target_pmid": "2", "relation": "cites", "depth": 2,
         "sources": ["pubmed"]},
        {"source_pmid": "3", "target_pmid": "4", "relation": "similar", "depth": 0,
         "sources": ["pubmed"]},
        {"source_pmid": "1", "target_pmid": "2", "relation": "cites", "depth": 1,
         "sources": ["icite"]},
        {"source_pmid": "3", "target_pmid": "4", "relation": "similar", "depth": 1,
         "sources": ["pubmed"]},
    ]
    path.write_text("".join(json.dumps(e) + "\n" for e in edges))
    kept, removed = dedupe_edges(path)
    got = [json.loads(line) for line in path.read_text().splitlines()]
    assert got == [
        {"source_pmid": "1", "target_pmid": "2", "relation": "cites", "depth": 1,
         "sources": ["pubmed", "icite"]},
        edges[1],  # nothing to merge: the line is kept as it was
    ]
    assert removed == 2
    assert kept == {"edges/cites": 1, "edges/similar": 1, "edges/depth_1": 1,
                    "edges/depth_0": 1}
