"""``links=pubmed|icite|pubmed,icite`` on the mirror: both spiders, batching, fallback,
failures, union and per-edge sources. Plumbing, not fidelity: the mirror's open citation
graph is ours (tests/mirror/icite.py)."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest
from conftest import crawl, stat

from aggregator.crawl.seeds import SeedError, parse_crawl_args
from tests.mirror.faults import FaultInjector
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.icite import IciteView
from tests.mirror.server import MirrorServer

FOLLOW_ALL = ("similar", "references", "cited_by")
SEED_INDEX = 200
FAST_FAIL = {"RETRY_TIMES": 1}


class LinkedGraph:
    """The graph a crawl with ``links`` sees (what ``reachable`` walks)."""

    def __init__(self, graph: MirrorGraph, links: str) -> None:
        self.graph, self.view, self.links = graph, IciteView(graph), links.split(",")

    def exists(self, pmid: str) -> bool:
        return self.graph.exists(pmid)

    def linked(self, pmid: str, relation: str) -> list[str]:
        pubmed = self.graph.linked(pmid, relation)
        if relation == "similar" or "icite" not in self.links or not self.view.knows(pmid):
            return pubmed
        icite = (self.view.references(pmid) if relation == "references"
                 else self.view.cited_by(pmid))
        if "pubmed" not in self.links:
            return icite
        return pubmed + [p for p in icite if p not in set(pubmed)]


def seed_of(graph: MirrorGraph) -> str:
    view = IciteView(graph)
    return next(p for p in graph.pmids()[SEED_INDEX:] if view.knows(p))


def edges_in(side) -> list[dict]:
    return [json.loads(line) for p in side.glob("*-edges.jsonl")
            for line in p.read_text().splitlines()]


def test_links_argument_default_and_refusal():
    assert parse_crawl_args(pmids="1").links == ("pubmed", "icite")
    assert parse_crawl_args(pmids="1", links="icite").links == ("icite",)
    assert parse_crawl_args(pmids="1", links="icite, pubmed").links == ("pubmed", "icite")
    with pytest.raises(SeedError, match="links='crossref'"):
        parse_crawl_args(pmids="1", links="crossref")


@pytest.mark.parametrize("spider", ["pubmed", "pubmed_eutils"])
def test_both_sources_give_the_union_and_every_record_says_where_links_came_from(
        tmp_path, mirror, spider):
    graph, server = mirror
    view, seed = IciteView(graph), seed_of(graph)
    done = crawl(tmp_path, server, spider, pmids=seed, depth=2, links="pubmed,icite")
    expected = reachable(LinkedGraph(graph, "pubmed,icite"), [seed], 2, FOLLOW_ALL)
    assert {r["pmid"] for r in done.records} == set(expected)
    assert len(expected) > len(reachable(graph, [seed], 2, FOLLOW_ALL))  # iCite reached more
    added = 0
    for record in done.records:
        pmid = record["pmid"]
        pubmed_refs, pubmed_citers = graph.references(pmid), graph.cited_by(pmid)
        if not view.knows(pmid):  # fallback: PubMed's lists, and the record says so
            assert record["citation_metrics"] is None
            assert record["reference_pmids"] == pubmed_refs
            assert "icite" not in record["links_by_source"]["cited_by"]
            continue
        icite_refs, icite_citers = view.references(pmid), view.cited_by(pmid)
        # PubMed's first, then iCite's additions
        assert record["reference_pmids"] == pubmed_refs + [
            p for p in icite_refs if p not in pubmed_refs]
        assert record["cited_by_pmids"] == pubmed_citers + [
            p for p in icite_citers if p not in pubmed_citers]
        assert record["similar_pmids"] == graph.similar(pmid)  # similar stays PubMed's
        assert record["links_by_source"]["cited_by"] == {
            "pubmed": len(pubmed_citers), "icite": len(icite_citers)}
        metrics = record["citation_metrics"]
        entry = view.entry(pmid)
        assert metrics["citation_count"] == entry["citation_count"]
        assert metrics["relative_citation_ratio"] == entry["relative_citation_ratio"]
        assert metrics["cited_by_clinical_count"] == len(entry["cited_by_clin"])
        assert metrics["provisional"] is entry["provisional"]
        assert metrics["source"] == "icite" and metrics["fetched_at"].endswith("Z")
        added += len(view.open_only(pmid, "cited_by"))
        assert "link_only" not in record  # internal: the edges output's, not a record key
    assert added > 0
    assert stat(done.log, "aggregator/icite/unknown") > 0


def test_each_edge_lists_its_sources(tmp_path, mirror):
    graph, server = mirror
    view, seed = IciteView(graph), seed_of(graph)
    done = crawl(tmp_path, server, "pubmed_eutils", pmids=seed, depth=1, links="pubmed,icite")
    by_seed = {(e["source_pmid"], e["target_pmid"], e["relation"]): e["sources"]
               for e in edges_in(done.side) if seed in (e["source_pmid"], e["target_pmid"])}
    for citer in graph.cited_by(seed):
        want = ["pubmed", "icite"] if view.knows(citer) else ["pubmed"]
        assert by_seed[(citer, seed, "cites")] == want, citer
    only = view.open_only(seed, "cited_by")
    assert only
    for citer in only:
        assert by_seed[(citer, seed, "cites")] == ["icite"]
    assert all(s == ["pubmed"] for (_, _, rel), s in by_seed.items() if rel == "similar")


@pytest.mark.parametrize("spider", ["pubmed", "pubmed_eutils"])
def test_pubmed_alone_asks_icite_nothing(tmp_path, mirror, spider):
    graph, server = mirror
    seed = seed_of(graph)
    done = crawl(tmp_path, server, spider, pmids=seed, depth=2, links="pubmed")
    assert {r["pmid"] for r in done.records} == set(reachable(graph, [seed], 2, FOLLOW_ALL))
    assert stat(done.log, "aggregator/icite/requests") == 0
    assert all(r["citation_metrics"] is None for r in done.records)
    record = next(r for r in done.records if r["pmid"] == seed)
    assert record["links_by_source"] == {
        "similar": {"pubmed": len(graph.similar(seed))},
        "references": {"pubmed": len(graph.references(seed))},
        "cited_by": {"pubmed": len(graph.cited_by(seed))}}
    assert {tuple(e["sources"]) for e in edges_in(done.side)} == {("pubmed",)}


def test_icite_alone_with_eutils_follows_icite_lists(tmp_path, mirror):
    graph, server = mirror
    view, seed = IciteView(graph), seed_of(graph)
    done = crawl(tmp_path, server, "pubmed_eutils", pmids=seed, depth=2, links="icite")
    assert {r["pmid"] for r in done.records} == set(
        reachable(LinkedGraph(graph, "icite"), [seed], 2, FOLLOW_ALL))
    for record in done.records:
        if view.knows(record["pmid"]):
            assert record["cited_by_pmids"] == view.cited_by(record["pmid"])
            assert record["links_by_source"]["cited_by"] == {
                "icite": len(view.cited_by(record["pmid"]))}
    assert {tuple(e["sources"]) for e in edges_in(done.side)
            if e["relation"] == "cites"} <= {("icite",), ("pubmed",)}


def test_icite_alone_with_pages_reads_no_reference_or_cited_by_list_page(tmp_path, mirror):
    graph, server = mirror
    view, seed = IciteView(graph), seed_of(graph)
    both = crawl(tmp_path, server, "pubmed", pmids=seed, depth=1, links="pubmed,icite",
                 follow="references,cited_by", name="both")
    alone = crawl(tmp_path, server, "pubmed", pmids=seed, depth=1, links="icite",
                  follow="references,cited_by", name="alone")
    assert stat(alone.log, "aggregator/pages/list") == 0
    assert stat(both.log, "aggregator/pages/list") > 0
    known = [r for r in alone.records if view.knows(r["pmid"])]
    assert known and all(r["reference_pmids"] == view.references(r["pmid"]) for r in known)


@pytest.mark.parametrize("spider", ["pubmed", "pubmed_eutils"])
def test_one_icite_request_per_batch_of_a_level(tmp_path, mirror, spider):
    graph, server = mirror
    seed = seed_of(graph)
    small = crawl(tmp_path, server, spider, {"ICITE_BATCH": 7}, pmids=seed, depth=2,
                  links="pubmed,icite", name="small")
    per_level = Counter(r["provenance"]["depth"] for r in small.records)
    # every record of a level goes through the link step (a not-found PMID has no record)
    assert stat(small.log, "aggregator/icite/requests") == sum(
        math.ceil(n / 7) for n in per_level.values())
    whole = crawl(tmp_path, server, spider, pmids=seed, depth=2, links="pubmed,icite",
                  name="whole")
    assert stat(whole.log, "aggregator/icite/requests") == 3  # one per level (< 1,000 each)
    assert {r["pmid"] for r in small.records} == {r["pmid"] for r in whole.records}


@pytest.fixture(scope="module")
def failing_icite(mirror):
    """A second mirror whose iCite answers 500, and one whose iCite answers HTML (200)."""
    graph, _ = mirror
    servers = {kind: MirrorServer(graph, middlewares=[FaultInjector.from_spec(
        f"rate=1,seed=1,kinds={kind},paths=/icite/")]).start() for kind in ("500", "foreign")}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.mark.parametrize("kind", ["500", "foreign"])
@pytest.mark.parametrize("spider", ["pubmed", "pubmed_eutils"])
def test_icite_failing_is_an_error_per_pmid_and_records_are_kept(
        tmp_path, mirror, failing_icite, kind, spider):
    graph, _ = mirror
    server, seed = failing_icite[kind], seed_of(graph)
    done = crawl(tmp_path, server, spider, FAST_FAIL, pmids=seed, depth=1,
                 links="pubmed,icite", check=False)
    assert {r["pmid"] for r in done.records} == set(reachable(graph, [seed], 1, FOLLOW_ALL))
    failed = [e for e in done.errors if e["kind"] == "icite_failed"]
    assert sorted(e["pmid"] for e in failed) == sorted(r["pmid"] for r in done.records)
    assert all(e["status"] == (500 if kind == "500" else 200) for e in failed)
    for record in done.records:  # PubMed's lists, and the record says iCite's are missing
        assert record["cited_by_pmids"] == graph.cited_by(record["pmid"])
        assert record["citation_metrics"] is None
        assert {"references", "cited_by"} <= set(record["incomplete_lists"])
    # iCite's links are lost, as for a failed list page: the crawl says it is incomplete
    assert done.returncode == 1
    assert "icite_failed" in done.log.strip().splitlines()[-1]
    if kind == "500":  # retried by Scrapy before giving up
        assert stat(done.log, "retry/count") > 0


def test_icite_requests_are_identified_and_batched_in_one_get(tmp_path, mirror):
    graph, _ = mirror
    seen: list[tuple[str, str]] = []

    def spy(request, next_):
        if request.path.startswith("/icite/"):
            seen.append((request.target, request.headers.get("User-Agent", "")))
        return next_(request)

    with MirrorServer(graph, middlewares=[spy]) as server:
        done = crawl(tmp_path, server, "pubmed_eutils", {"NCBI_EMAIL": "reviewer@example.org"},
                     pmids=seed_of(graph), depth=1, links="pubmed,icite")
    assert len(seen) == 2  # one per level
    level_0, level_1 = (target for target, _ in seen)
    assert level_0.startswith("/icite/api/pubs?pmids=") and "&fl=pmid," in level_0
    depth_1 = {r["pmid"] for r in done.records if r["provenance"]["depth"] == 1}
    assert set(level_1.split("pmids=")[1].split("&")[0].split(",")) == depth_1
    assert all("mailto:reviewer@example.org" in agent for _, agent in seen)


def test_the_store_keeps_what_edge_sources_need(tmp_path):
    from aggregator.exports.flatten import edges_of
    from aggregator.exports.store import RecordStore
    from aggregator.records import ArticleRecord

    record = ArticleRecord(pmid="10", cited_by_pmids=["11", "12", "13"],
                           links_by_source={"cited_by": {"pubmed": 2, "icite": 2}},
                           link_only={"cited_by": {"pubmed": ["11"], "icite": ["13"]}})
    # the edges are built at close from the record store, read back from its file
    store = RecordStore(tmp_path / "store.jsonl")
    store.add_record(record)
    store.close()
    (stored,) = store.dicts(store.index())
    sources = [e["sources"] for e in edges_of(stored)]
    assert sources == [["pubmed"], ["pubmed", "icite"], ["icite"]]
    assert "link_only" not in record.to_dict()
    assert ArticleRecord.from_dict(stored).link_only == record.link_only
