"""Both spiders on the mirror: RIS, NBIB, reviewer CSV, PRISMA block and SVG, notices,
``reached_by``, the ``-O found.ris|nbib|csv`` feeds and the closing summary.

The expected numbers come from the mirror's own graph (tests/mirror/graph.py), not from
the code that writes the outputs. This proves the plumbing; fidelity to PubMed's fields
is tested on the real fixtures (tests/test_screening_exports.py, tests/test_notices.py).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import rispy
from Bio import Medline

from aggregator.crawl.frontier import REACHED_BY_LIMIT
from aggregator.exports.prisma_svg import svg_counts
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer

FOLLOW = ("similar", "references", "cited_by")
RANK = {"seed": 0, "references": 1, "cited_by": 2, "similar": 3}


@pytest.fixture(scope="module")
def mirror():
    graph = MirrorGraph(300, seed=7)
    with MirrorServer(graph) as server:
        yield graph, server


def three_seeds(graph: MirrorGraph) -> list[str]:
    """Three seeds, one of them retracted (the mirror retracts some articles)."""
    ok = [p for p in graph.pmids()[60:] if graph.exists(p)]
    retracted = next(p for p in ok if graph.article(p).notices
                     and graph.article(p).notices[0].type == "retraction_in")
    return sorted({retracted, *[p for p in ok if p != retracted][:2]}, key=int)


def run(spider: str, server: MirrorServer, tmp: Path, seeds: list[str], feed: Path | None = None,
        depth: int = 1):
    side = tmp / "side"
    settings = {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url,
                "EUTILS_BASE_URL": f"{server.base_url}/entrez/eutils", "OUTPUT_DIR": side,
                "PUBMED_PAGE_SIZE": 10}
    if feed is not None:
        settings["FEEDS"] = json.dumps({str(feed): {"format": feed.suffix[1:],
                                                    "overwrite": True}})
    done = run_crawl(spider, {"pmids": ",".join(seeds), "depth": depth}, settings,
                     out=tmp / "out.jsonl", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (manifest_path,) = side.glob(f"{spider}-*-manifest.json")
    manifest = json.loads(manifest_path.read_text())
    records = [json.loads(line) for line in (tmp / "out.jsonl").read_text().splitlines()]
    return manifest, records, done.stderr


def expected_prisma(graph: MirrorGraph, seeds: list[str], depth: int) -> dict:
    """PRISMA counts worked out from the graph for records above the last depth."""
    found = reachable(graph, seeds, depth, FOLLOW)
    links = {rel: 0 for rel in ("references", "cited_by", "similar")}
    masks: dict[str, set[str]] = {}
    for pmid, (d, *_rest) in found.items():
        if d >= depth:
            continue
        for rel in links:
            targets = graph.linked(pmid, rel)
            links[rel] += len(targets)
            for t in targets:
                masks.setdefault(t, set()).add(rel)
    new = [t for t in masks if t not in seeds]
    missing = [t for t in new if t not in found]
    return {
        "citation_searching": {"backward": links["references"], "forward": links["cited_by"]},
        "similar_articles": links["similar"],
        "links_total": sum(links.values()),
        "unique_linked_articles": len(masks),
        "duplicates_removed": sum(links.values()) - len(masks),
        "already_among_seeds": len(masks) - len(new),
        "new_unique_records": len(new),
        "retrieved": len(new) - len(missing),
        "not_retrieved": len(missing),
        "not_retrieved_reasons": {"not_found": len(missing)} if missing else {},
        "retracted": sum("Retracted Publication" in graph.article(p).publication_types
                         for p in found),
        "overlap_more_than_one": sum(len(v) > 1 for v in masks.values()),
    }


@pytest.fixture(scope="module", params=["pubmed", "pubmed_eutils"])
def crawled(request, mirror, tmp_path_factory):
    graph, server = mirror
    seeds = three_seeds(graph)
    tmp = tmp_path_factory.mktemp(request.param)
    manifest, records, log = run(request.param, server, tmp, seeds)
    return {"spider": request.param, "graph": graph, "seeds": seeds, "manifest": manifest,
            "records": records, "log": log, "tmp": tmp}


def output(crawled: dict, key: str) -> Path:
    return Path(crawled["manifest"]["outputs"][key]["path"])


def test_prisma_block_matches_the_graph(crawled):
    total = crawled["manifest"]["prisma"]["total"]
    want = expected_prisma(crawled["graph"], crawled["seeds"], 1)
    assert total["overlap"]["more_than_one"] == want.pop("overlap_more_than_one")
    for key, value in want.items():
        assert total[key] == value, key
    assert total["reports_sought"] == total["new_unique_records"]
    per_seed = crawled["manifest"]["prisma"]["per_seed"]
    assert sorted(per_seed, key=int) == crawled["seeds"]
    for seed, block in per_seed.items():  # depth 1: each seed's own lists
        g = crawled["graph"]
        assert block["citation_searching"] == {"backward": len(g.references(seed)),
                                               "forward": len(g.cited_by(seed))}
        assert block["similar_articles"] == len(g.similar(seed))
    assert total["retracted"] >= 1


def test_svg_numbers_are_the_manifests(crawled):
    total = crawled["manifest"]["prisma"]["total"]
    counts = svg_counts(output(crawled, "prisma_svg").read_text())

    def value(key: str) -> int:
        if key == "citation_searching_total":
            return total["citation_searching"]["backward"] + total["citation_searching"]["forward"]
        node = total
        for part in key.split("."):
            node = node[part]
        return node

    assert {"citation_searching.backward", "citation_searching.forward", "similar_articles",
            "duplicates_removed", "already_among_seeds", "reports_sought", "not_retrieved",
            "retrieved", "retracted"} <= set(counts)
    for key, number in counts.items():
        assert number == value(key), key


def test_ris_nbib_csv_hold_every_record(crawled):
    records = {r["pmid"]: r for r in crawled["records"]}
    ris = rispy.loads(output(crawled, "ris").read_text(encoding="utf-8"))
    nbib = list(Medline.parse(output(crawled, "nbib").open(encoding="utf-8")))
    with output(crawled, "csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(e["accession_number"] for e in ris) == sorted(records)
    assert sorted(e["PMID"] for e in nbib) == sorted(records)
    assert sorted(r["key"] for r in rows) == sorted(records)
    for entry in ris:
        record = records[entry["accession_number"]]
        assert entry["title"] == record["title"]
        assert len(entry["authors"]) == len(record["authors"])
        flagged = entry["notes"][0].startswith("RETRACTED")
        assert flagged == record["is_retracted"]
    for entry in nbib:
        record = records[entry["PMID"]]
        assert entry["TI"] == record["title"]
        # Bio.Medline keeps a continuation line of RIN as its own entry: compare the text
        assert " ".join(entry.get("RIN", [])) == " ".join(
            f"{n['citation']} PMID: {n['pmid']}" for n in record["notices"]
            if n["type"] == "retraction_in")
    for row in rows:
        assert row["is_retracted"] == str(records[row["key"]]["is_retracted"])


def test_records_carry_notices_language_and_reached_by(crawled):
    graph = crawled["graph"]
    records = crawled["records"]
    by_depth = {r["pmid"]: r["provenance"]["depth"] for r in records}
    for record in records:
        article = graph.article(record["pmid"])
        assert record["notices"] == [
            {"type": n.type, "pmid": n.pmid, "citation": n.citation} for n in article.notices]
        assert record["is_retracted"] == (
            "Retracted Publication" in article.publication_types)
        if crawled["spider"] == "pubmed_eutils":
            assert record["language"] == ["eng"]
        prov = record["provenance"]
        if prov["relation"] == "seed":
            assert record["reached_by"] == [{"parent": None, "relation": "seed", "depth": 0}]
            continue
        ways = sorted((RANK[rel], int(parent)) for parent, d in by_depth.items()
                      if d == prov["depth"] - 1 for rel in FOLLOW
                      if record["pmid"] in graph.linked(parent, rel))
        assert [(RANK[w["relation"]], int(w["parent"])) for w in record["reached_by"]] == \
            ways[:REACHED_BY_LIMIT]
        assert record["reached_by"][0] == {k: prov[k] for k in ("parent", "relation", "depth")}


def test_closing_summary_names_every_output(crawled):
    log = crawled["log"]
    assert "PRISMA 2020, other methods: citation searching backward" in log
    for key, entry in crawled["manifest"]["outputs"].items():
        assert entry["path"] in log, key
    total = crawled["manifest"]["prisma"]["total"]
    assert f"new unique records {total['new_unique_records']} (reports sought)" in log


@pytest.mark.parametrize("suffix", ["ris", "nbib", "csv"])
def test_feed_formats(suffix, mirror, tmp_path):
    graph, server = mirror
    seeds = three_seeds(graph)[:1]
    feed = tmp_path / f"found.{suffix}"
    manifest, records, _log = run("pubmed", server, tmp_path, seeds, feed=feed, depth=0)
    text = feed.read_text(encoding="utf-8")
    side = Path(manifest["outputs"][suffix]["path"]).read_text(encoding="utf-8")
    assert text == side  # the feed and the side output say the same
    assert "Author(name=" not in text  # not Scrapy's reprs
    if suffix == "ris":
        assert [e["accession_number"] for e in rispy.loads(text)] == seeds
    elif suffix == "nbib":
        assert [e["PMID"] for e in Medline.parse(text.splitlines(keepends=True))] == seeds
    else:
        assert [r["key"] for r in csv.DictReader(text.splitlines())] == seeds


def test_an_unwritable_output_is_one_error_line_and_the_store_is_kept(mirror, tmp_path):
    graph, server = mirror
    side = tmp_path / "side"
    (side / "pubmed-fixed-records.ris").mkdir(parents=True)  # a directory: cannot be written
    settings = {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side}
    done = run_crawl("pubmed", {"pmids": three_seeds(graph)[0], "depth": 0, "_job": "fixed"},
                     settings, out=tmp_path / "out.jsonl", timeout=120)
    errors = [line for line in done.stderr.splitlines() if "could not write" in line]
    assert len(errors) == 1 and "records.ris" in errors[0], done.stderr[-2000:]
    manifest = json.loads((side / "pubmed-fixed-manifest.json").read_text())
    assert manifest["counts"]["errors/output_unwritable"] == 1
    assert list(side.glob("pubmed-*-store.jsonl"))  # not closed as done: a re-run rebuilds
