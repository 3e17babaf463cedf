"""End to end: ``scrapy crawl pubmed`` against the local mirror (no network)."""

from __future__ import annotations

from conftest import crawl, stat

from tests.mirror.graph import MirrorGraph, reachable

FOLLOW_ALL = ("similar", "references", "cited_by")
#: small list pages, so that paging is exercised
E2E = {"PUBMED_PAGE_SIZE": 10}


def first_existing(graph: MirrorGraph, index: int) -> str:
    return next(p for p in graph.pmids()[index:] if graph.exists(p))


def test_depth2_crawl_reaches_every_article_once_with_shortest_provenance(tmp_path, mirror):
    graph, server = mirror
    seed = first_existing(graph, 200)
    records, errors, log = crawl(tmp_path, server, pmids=seed, depth=2, settings=E2E).triple
    expected = reachable(graph, [seed], 2, FOLLOW_ALL)
    pmids = [r["pmid"] for r in records]
    assert len(pmids) == len(set(pmids)), "an article was written twice"
    assert set(pmids) == set(expected)
    for record in records:
        depth, relation, parent, seed_of = expected[record["pmid"]]
        assert record["provenance"] == {"seed": seed_of, "parent": parent,
                                        "relation": relation, "depth": depth}, record["pmid"]
    # every missing article that was linked is an error entry, not a record
    assert all(e["kind"] == "not_found" for e in errors), errors[:3]
    # a retracted article is a record like any other, flagged by its publication type
    retracted = [r for r in records if "Retracted Publication" in r["publication_types"]]
    assert retracted and all(r["title"] and not r["is_review"] for r in retracted)
    # an article without an abstract is a record with an empty abstract, not an error
    assert any(r["abstract"] == [] for r in records)
    assert "aggregator/pages/list" in log


def test_list_paging_gives_the_full_lists(tmp_path, mirror):
    graph, server = mirror
    # an article whose similar list needs several pages of 10
    seed = next(p for p in graph.pmids() if graph.exists(p) and len(graph.similar(p)) > 25)
    records, _, _ = crawl(tmp_path, server, pmids=seed, depth=0, settings=E2E).triple
    (record,) = records
    assert record["similar_pmids"] == list(graph.similar(seed))
    assert record["cited_by_pmids"] == list(graph.cited_by(seed))
    assert record["reference_pmids"] == list(graph.references(seed))


def test_depth0_and_follow_subset(tmp_path, mirror):
    graph, server = mirror
    seed = first_existing(graph, 300)
    records, _, _ = crawl(tmp_path, server, pmids=seed, depth=1, follow="references",
                          settings=E2E).triple
    expected = reachable(graph, [seed], 1, ("references",))
    assert sorted(r["pmid"] for r in records) == sorted(expected)
    assert {r["provenance"]["relation"] for r in records} <= {"seed", "references"}


def test_seed_urls_in_their_real_forms_are_rewritten_onto_the_mirror(tmp_path, mirror):
    graph, server = mirror
    a, b = first_existing(graph, 10), first_existing(graph, 50)
    urls = f"https://www.ncbi.nlm.nih.gov/pubmed/{a},http://pubmed.ncbi.nlm.nih.gov/{b}"
    records, _, _ = crawl(tmp_path, server, urls=urls, depth=0, settings=E2E).triple
    assert sorted(r["pmid"] for r in records) == sorted([a, b])
    assert all(r["source_url"].startswith(server.base_url) for r in records)


def test_max_articles_caps_the_records(tmp_path, mirror):
    graph, server = mirror
    seed = first_existing(graph, 100)
    records, _, _ = crawl(tmp_path, server, pmids=seed, depth=2, max_articles=7,
                          settings=E2E).triple
    assert len(records) == 7
    assert records[0]["pmid"] == seed


def test_lists_the_page_shows_whole_are_not_fetched_again_and_records_are_unchanged(
        tmp_path, mirror):
    graph, server = mirror
    seed = first_existing(graph, 120)
    runs = {}
    for skip in (True, False):
        records, _, log = crawl(tmp_path / str(skip), server, pmids=seed, depth=1,
                                settings={**E2E, "PUBMED_SKIP_LISTS_SHOWN_WHOLE": skip}).triple
        runs[skip] = ({r["pmid"]: r for r in records}, log)
    (saving, log_on), (full, log_off) = runs[True], runs[False]
    assert saving.keys() == full.keys()
    for pmid, record in saving.items():
        # every list equals the mirror's own, whether it came from the page or a list page
        assert record["similar_pmids"] == list(graph.similar(pmid)), pmid
        assert record["cited_by_pmids"] == list(graph.cited_by(pmid)), pmid
        assert record["reference_pmids"] == list(graph.references(pmid)), pmid
        assert record["incomplete_lists"] == []
    # short: fewer than 5 citing articles, or fewer than 5 references printed (with or
    # without a PMID), as the mirror's pages show them
    short = sum((len(graph.cited_by(p)) < 5) + (len(graph.article(p).references) < 5)
                for p in saving)
    assert short > 0, "the test graph should have short lists"
    assert stat(log_on, "aggregator/lists_shown_whole") == short
    assert stat(log_off, "aggregator/pages/list") - stat(log_on, "aggregator/pages/list") \
        == short
