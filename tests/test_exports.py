"""Analyst datasets: the CSV, the edge list, the run manifest and feed file naming.

Crawls the local mirror (like tests/test_crawl_e2e.py) and checks the side outputs
against the mirror's own graph, not against the code that writes them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from aggregator.exports.flatten import CSV_COLUMNS
from tests.mirror.graph import reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer

FOLLOW_ALL = ("similar", "references", "cited_by")
EDGE_KEYS = {"source_pmid", "target_pmid", "relation", "depth", "sources",
             "source_in_records", "target_in_records"}


MIRROR = (300, 7)  # articles, seed of the module's mirror (conftest.py)


def settings_for(server: MirrorServer, outdir: Path, **extra: object) -> dict[str, object]:
    return {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": outdir,
            "PUBMED_PAGE_SIZE": 10, **extra}


@pytest.fixture(scope="module")
def crawl(mirror, tmp_path_factory):
    """One depth-1 crawl from a seed that has references, citers and similar articles."""
    graph, server = mirror
    seed = next(p for p in graph.pmids()[100:] if graph.exists(p) and graph.references(p)
                and graph.cited_by(p) and graph.similar(p))
    tmp = tmp_path_factory.mktemp("exports")
    out, side = tmp / "out.jsonl", tmp / "side"
    done = run_crawl("pubmed", {"pmids": seed, "depth": 1}, settings_for(server, side),
                     out=out, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    (manifest_path,) = side.glob("pubmed-*-manifest.json")
    prefix = manifest_path.name.removesuffix("-manifest.json")
    return {"graph": graph, "seed": seed, "records": records, "side": side, "prefix": prefix,
            "manifest": json.loads(manifest_path.read_text())}


def side_file(crawl: dict, kind: str) -> Path:
    return crawl["side"] / f"{crawl['prefix']}-{kind}"


def read_csv(crawl: dict) -> list[dict[str, str]]:
    with side_file(crawl, "records.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CSV_COLUMNS
        return list(reader)


def read_edges(crawl: dict) -> list[dict]:
    lines = side_file(crawl, "edges.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_the_crawl_reached_what_the_mirror_says(crawl):
    expected = reachable(crawl["graph"], [crawl["seed"]], 1, FOLLOW_ALL)
    assert sorted(r["pmid"] for r in crawl["records"]) == sorted(expected)


def test_csv_has_one_row_per_record_with_lists_joined(crawl):
    rows = read_csv(crawl)
    assert sorted(r["pmid"] for r in rows) == sorted(r["pmid"] for r in crawl["records"])
    graph, seed = crawl["graph"], crawl["seed"]
    (row,) = [r for r in rows if r["pmid"] == seed]
    assert row["reference_pmids"].split("; ") == list(graph.references(seed))
    assert row["cited_by_pmids"].split("; ") == list(graph.cited_by(seed))
    assert row["similar_pmids"].split("; ") == list(graph.similar(seed))
    assert row["depth"] == "0"
    assert row["relation"] == "seed"
    assert row["parent"] == ""
    by_pmid = {r["pmid"]: r for r in crawl["records"]}
    for row in rows:
        record = by_pmid[row["pmid"]]
        assert row["title"] == record["title"]
        # Rayyan's "Last, First; …" (a group author as printed)
        assert row["authors"].split("; ") == [
            f"{a['last_name']}, {a['fore_name']}" if a["last_name"] and a["fore_name"]
            else a["last_name"] or a["name"] for a in record["authors"]]
        assert row["n_authors"] == str(len(record["authors"]))


def test_edges_are_deduplicated_typed_and_cover_the_seed_lists(crawl):
    edges = read_edges(crawl)
    assert edges
    assert all(set(e) == EDGE_KEYS for e in edges)
    assert {e["relation"] for e in edges} <= {"cites", "similar"}
    keys = [(e["source_pmid"], e["target_pmid"], e["relation"]) for e in edges]
    assert len(keys) == len(set(keys))
    graph, seed = crawl["graph"], crawl["seed"]
    present = set(keys)
    for ref in graph.references(seed):
        assert (seed, ref, "cites") in present, ref
    for citer in graph.cited_by(seed):
        assert (citer, seed, "cites") in present, citer
    for similar in graph.similar(seed):  # one undirected edge, lower PMID first
        pair = tuple(sorted((seed, similar), key=int))
        assert (*pair, "similar") in present, similar
    # every edge comes from a crawled record's list, at the smallest such record's depth
    depth_of = {r["pmid"]: r["provenance"]["depth"] for r in crawl["records"]}
    for edge in edges:
        ends = [p for p in (edge["source_pmid"], edge["target_pmid"]) if p in depth_of]
        assert ends and edge["depth"] == min(depth_of[p] for p in ends), edge
        assert edge["source_in_records"] == (edge["source_pmid"] in depth_of), edge
        assert edge["target_in_records"] == (edge["target_pmid"] in depth_of), edge
        assert edge["sources"] == ["pubmed"]


def test_edges_in_both_directions_agree_with_the_mirror(crawl):
    graph = crawl["graph"]
    for edge in read_edges(crawl):
        source, target = edge["source_pmid"], edge["target_pmid"]
        if edge["relation"] == "cites":
            assert target in graph.references(source), edge
        else:
            assert int(source) < int(target), edge
            assert target in graph.similar(source) or source in graph.similar(target), edge


def test_manifest_has_counts_and_output_hashes(crawl):
    manifest = crawl["manifest"]
    assert manifest["spider"] == "pubmed"
    assert crawl["prefix"] == f"pubmed-{manifest['job']}"
    assert manifest["arguments"]["depth"] == 1
    counts = manifest["counts"]
    assert counts["records"] == len(crawl["records"])
    edges = read_edges(crawl)
    # counts describe the deduplicated file: per relation and per depth
    assert counts["edges/cites"] == sum(e["relation"] == "cites" for e in edges)
    assert counts["edges/similar"] == sum(e["relation"] == "similar" for e in edges)
    assert counts["edges/depth_0"] == sum(e["depth"] == 0 for e in edges)
    assert counts["edges/depth_1"] == sum(e["depth"] == 1 for e in edges)
    assert counts["edges/duplicates_removed"] > 0  # A cites B is seen from both ends
    for key in ("errors", "edges", "csv"):
        path = Path(manifest["outputs"][key]["path"])
        assert manifest["outputs"][key]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_feed_uri_with_name_time_and_job_gives_one_file_per_run(mirror, tmp_path):
    graph, server = mirror
    seed = next(p for p in graph.pmids() if graph.exists(p))
    feeds = {str(tmp_path / "feeds" / "%(name)s-%(time)s-%(job_id)s.jsonl"):
             {"format": "jsonlines"}}
    settings = settings_for(server, tmp_path / "side", FEEDS=json.dumps(feeds))
    for _ in range(2):
        done = run_crawl("pubmed", {"pmids": seed, "depth": 0}, settings, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
    files = sorted((tmp_path / "feeds").iterdir())
    assert len(files) == 2
    for path in files:
        assert re.fullmatch(r"pubmed-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(\+00-00)?"
                            r"-\d{8}T\d{6}Z-\d+\.jsonl", path.name), path.name
        (record,) = [json.loads(line) for line in path.read_text().splitlines()]
        assert record["pmid"] == seed


def test_pandas_reads_records_csv_and_edges(crawl):
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(side_file(crawl, "records.csv"), dtype={"pmid": str})
    assert list(frame.columns) == CSV_COLUMNS
    assert sorted(frame["pmid"]) == sorted(r["pmid"] for r in crawl["records"])
    edges = pd.read_json(side_file(crawl, "edges.jsonl"), lines=True, dtype=False)
    assert len(edges) == len(read_edges(crawl))


def test_duckdb_queries_the_edges(crawl):
    duckdb = pytest.importorskip("duckdb")
    edges = read_edges(crawl)
    path = side_file(crawl, "edges.jsonl")
    rows = duckdb.sql(f"select relation, count(*) from read_json_auto('{path}') "
                      "group by relation order by relation").fetchall()
    expected = sorted({r: sum(e["relation"] == r for e in edges)
                       for r in {e["relation"] for e in edges}}.items())
    assert rows == expected
