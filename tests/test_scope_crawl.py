"""Seeds and scope on the mirror, both spiders: DOI / PMCID seeds (resolved or listed),
references outside PubMed, the library, per-relation caps, estimate=1, progress lines.

Plumbing, not fidelity to PubMed: the mirror answers ``[doi]`` searches, esearch and the
PMC ID Converter in the real shapes.
"""

from __future__ import annotations

import json

import pytest
from conftest import crawl, stat

from tests.mirror.graph import MirrorGraph, reachable

MIRROR = (400, 3)
SPIDERS = ["pubmed", "pubmed_eutils"]
FOLLOW = ("similar", "references", "cited_by")


def existing(graph: MirrorGraph, start: int, *, doi: bool = False, pmcid: bool = False,
             n: int = 1) -> list:
    """Docsums of the first ``n`` existing articles from ``start`` (with a DOI / PMCID)."""
    out = []
    for i in range(start, graph.n):
        d = graph.docsum(i)
        if graph.exists(d.pmid) and (not doi or d.doi) and (not pmcid or d.pmcid):
            out.append(d)
            if len(out) == n:
                return out
    raise AssertionError("graph too small")


def manifest_of(side) -> dict:
    (path,) = side.glob("*-manifest.json")
    return json.loads(path.read_text())


@pytest.mark.parametrize("spider", SPIDERS)
def test_doi_and_pmcid_seeds_resolve_and_unresolved_ones_are_listed(tmp_path, mirror, spider):
    graph, server = mirror
    a, b, c = existing(graph, 100, doi=True, n=3)
    p, q = existing(graph, 200, pmcid=True, n=2)
    listing = tmp_path / "seeds.txt"
    listing.write_text(f"https://doi.org/{b.doi}\nhttps://pmc.ncbi.nlm.nih.gov/articles/"
                       f"{q.pmcid}/\n10.9999/not.in.pubmed\n")
    run = crawl(tmp_path, server, spider, depth=0, dois=f"{a.doi.upper()},10.9999/nowhere.1",
                pmcids=f"{p.pmcid},PMC1", pmids_file=listing, urls=f"https://doi.org/{c.doi}")
    assert sorted(r["pmid"] for r in run.records) == sorted({a.pmid, b.pmid, c.pmid, p.pmid,
                                                            q.pmid})
    assert all(r["provenance"]["relation"] == "seed" for r in run.records)
    unresolved = [e for e in run.errors if e["kind"] == "unresolved_seed"]
    assert sorted(e["reason"].split(" not resolved")[0] for e in unresolved) == [
        "seed doi:10.9999/not.in.pubmed", "seed doi:10.9999/nowhere.1", "seed pmcid:PMC1"]
    assert stat(run.log, "aggregator/unresolved_seeds") == 3
    assert stat(run.log, "aggregator/resolved_seeds") == 5
    assert run.log.count("not resolved") >= 3  # each one in the log too
    assert "3 seeds not resolved to a PMID: " in run.log  # and together at the end
    scope = manifest_of(run.side)["scope"]
    assert sorted(u["seed"] for u in scope["unresolved_seeds"]) == [
        "doi:10.9999/not.in.pubmed", "doi:10.9999/nowhere.1", "pmcid:PMC1"]
    assert manifest_of(run.side)["prisma"]["total"]["unresolved_seeds"] == 3
    assert "seeds not resolved to a PMID: 3" in run.log  # the closing PRISMA lines


def test_only_unresolvable_seeds_is_an_empty_listed_crawl(tmp_path, mirror):
    """A DOI PubMed does not have loses nothing (complete, exit 0), like a dangling link."""
    _, server = mirror
    run = crawl(tmp_path, server, "pubmed_eutils", dois="10.9999/nowhere.2")
    assert run.records == []
    assert [e["kind"] for e in run.errors] == ["unresolved_seed"]
    assert run.log.strip().splitlines()[-1].endswith("complete")


@pytest.mark.parametrize("spider", SPIDERS)
def test_a_failed_look_up_is_a_loss(tmp_path, mirror, spider):
    """The ID converter unreachable (404 here): the seed is listed and the crawl incomplete."""
    _, server = mirror
    run = crawl(tmp_path, server, spider, check=False, pmcids="PMC7000052",
                settings={"IDCONV_BASE_URL": f"{server.base_url}/no/such/api/",
                          "RETRY_ENABLED": 0})
    assert run.returncode == 1
    (entry,) = run.errors
    assert entry["kind"] == "resolve_failed" and "HTTP 404" in entry["reason"]
    assert manifest_of(run.side)["scope"]["unresolved_seeds"][0]["kind"] == "resolve_failed"


@pytest.mark.parametrize("spider", SPIDERS)
def test_references_with_a_doi_and_no_pmid_are_listed_once(tmp_path, mirror, spider):
    graph, server = mirror
    seeds = [d.pmid for d in existing(graph, 300, n=4)]
    run = crawl(tmp_path, server, spider, depth=0, pmids=",".join(seeds))
    (path,) = run.side.glob("*-references-not-in-pubmed.jsonl")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    expected = []
    for record in run.records:  # the record's own references: the page shows 5 of them
        expected += [(record["pmid"], r["doi"]) for r in record["references"]
                     if r["doi"] and not r["pmid"]]
    assert sorted((r["citing_pmid"], r["doi"]) for r in rows) == sorted(set(expected))
    assert expected, "the mirror's graph has references outside PubMed"
    assert all(r["citation"] and r["doi"] in r["citation"] for r in rows)
    assert stat(run.log, "aggregator/outside_references") == len(rows)
    assert manifest_of(run.side)["prisma"]["total"]["references_not_in_pubmed"] == len(rows)
    if spider == "pubmed_eutils":  # efetch gives the whole list: every outside reference
        truth = {(s, ref.doi) for s in seeds for ref in graph.article(s).references
                 if ref.doi and not ref.pmid}
        assert {(r["citing_pmid"], r["doi"]) for r in rows} == truth


@pytest.mark.parametrize("spider", SPIDERS)
def test_library_marks_then_excludes(tmp_path, mirror, spider):
    graph, server = mirror
    seed = existing(graph, 250)[0].pmid
    full = crawl(tmp_path, server, spider, name="full", depth=1, pmids=seed)
    children = sorted(r["pmid"] for r in full.records if r["pmid"] != seed)
    assert all(r["in_library"] is None for r in full.records)  # no library: null
    by_doi, by_title = (next(r for r in full.records if r["pmid"] == p) for p in children[:2])
    library = tmp_path / "library.ris"
    library.write_text(
        f"TY  - JOUR\nAN  - {seed}\nER  - \n\n"
        f"TY  - JOUR\nDO  - {by_doi['doi'].upper()}\nER  - \n\n"
        f"TY  - JOUR\nTI  - {by_title['title'].upper()}\nPY  - {by_title['year']}\nER  - \n")
    assert by_doi["doi"]
    mark = crawl(tmp_path, server, spider, name="mark", depth=1, pmids=seed, library=library)
    marked = sorted(r["pmid"] for r in mark.records if r["in_library"])
    assert marked == sorted([seed, by_doi["pmid"], by_title["pmid"]])
    assert all(r["in_library"] is False for r in mark.records if r["pmid"] not in marked)
    assert stat(mark.log, "aggregator/library/matched") == 3
    for how in ("pmid", "doi", "title"):
        assert stat(mark.log, f"aggregator/library/matched_by/{how}") == 1
    excl = crawl(tmp_path, server, spider, name="excl", depth=1, pmids=seed, library=library,
                 library_mode="exclude")
    # left out, but the excluded seed's links were still followed
    assert sorted(r["pmid"] for r in excl.records) == sorted(set(children) - set(marked))
    assert stat(excl.log, "aggregator/library/excluded") == 3
    assert stat(excl.log, "aggregator/library/size") == 3
    assert manifest_of(excl.side)["scope"]["library"]["mode"] == "exclude"
    # the PRISMA block counts the library (the outputs and scope issues joined)
    marked_block = manifest_of(mark.side)["prisma"]["total"]["library"]
    assert marked_block == {"marked": 3, "excluded": 0, "size": 3}
    excluded = manifest_of(excl.side)["prisma"]["total"]
    assert excluded["library"] == {"marked": 0, "excluded": 3, "size": 3}
    assert not any(k.startswith("dropped_in_the_library")
                   for k in excluded["not_retrieved_reasons"])
    assert "library of 3: 0 records marked in_library, 3 excluded" in excl.log
    assert manifest_of(full.side)["prisma"]["total"]["library"]["size"] is None


@pytest.mark.parametrize("spider", SPIDERS)
def test_malformed_library_is_one_line_and_exit_2_before_any_request(tmp_path, mirror, spider):
    _, server = mirror
    library = tmp_path / "broken.nbib"
    library.write_text("PMID- 30000001\nthis line is not MEDLINE\n")
    run = crawl(tmp_path, server, spider, check=False, pmids="30000001", library=library)
    assert run.returncode == 2
    last = run.log.strip().splitlines()[-1]
    assert last == (f"error: library {library}: not PubMed (NBIB) format at "
                    "'this line is not MEDLINE' (expected 'TAG - value')")
    assert "Spider opened" not in run.log and run.records == []


@pytest.mark.parametrize("spider", SPIDERS)
def test_per_relation_caps_follow_the_first_n_and_records_keep_their_lists(tmp_path, mirror,
                                                                           spider):
    graph, server = mirror
    seeds = [d.pmid for d in existing(graph, 320, n=2)]
    run = crawl(tmp_path, server, spider, depth=1, pmids=",".join(seeds), max_similar=2,
                max_references=1, max_cited_by=0)
    by_pmid = {r["pmid"]: r for r in run.records}
    expected: set[str] = set()
    for s in seeds:
        rec = by_pmid[s]
        assert len(rec["similar_pmids"]) > 2  # the record keeps its full lists
        expected |= set(rec["similar_pmids"][:2]) | set(rec["reference_pmids"][:1])
    expected = {p for p in expected - set(seeds) if graph.exists(p)}
    assert {p for p, r in by_pmid.items() if r["provenance"]["depth"] == 1} == expected
    assert stat(run.log, "aggregator/links_capped/similar") == sum(
        len(by_pmid[s]["similar_pmids"]) - 2 for s in seeds)
    assert manifest_of(run.side)["scope"]["max_links"] == {
        "similar": 2, "references": 1, "cited_by": 0}


def level_sizes(graph: MirrorGraph, seeds: list[str], depth: int) -> list[int]:
    """Articles per level as the frontier counts them (missing ones too: they are
    linked, and only fetching them would show they are missing)."""
    seen, level, sizes = set(seeds), list(seeds), [len(seeds)]
    for _ in range(depth):
        nxt = {c for p in level if graph.exists(p) for r in FOLLOW
               for c in graph.linked(p, r)} - seen
        seen |= nxt
        level = sorted(nxt)
        sizes.append(len(level))
    return sizes


def test_estimate_eutils_counts_every_level_with_elink_only(tmp_path, mirror):
    graph, server = mirror
    seeds = [d.pmid for d in existing(graph, 350, n=2)]
    run = crawl(tmp_path, server, "pubmed_eutils", depth=2, pmids=",".join(seeds), estimate=1)
    assert run.records == []
    sizes = level_sizes(graph, seeds, 2)
    for d, n in enumerate(sizes):
        assert stat(run.log, f"aggregator/estimate/level_{d}") == n
    assert stat(run.log, "aggregator/pages/efetch") == 0
    assert stat(run.log, "aggregator/pages/elink") == 2  # one per level above the last
    est = manifest_of(run.side)["scope"]["estimate"]
    assert est["exact"] and [lv["articles"] for lv in est["levels"]] == sizes
    assert est["cost"]["requests"] == 2
    assert est["live"]["pubmed_eutils"]["requests"] > 0
    line = next(x for x in run.log.splitlines() if "estimate: level 0" in x)
    assert f"level 2: {sizes[2]}" in line and "this estimate cost 2 requests" in line


def test_estimate_pages_level_1_exact_deeper_labelled(tmp_path, mirror):
    graph, server = mirror
    seeds = [d.pmid for d in existing(graph, 350, n=2)]
    run = crawl(tmp_path, server, "pubmed", depth=2, pmids=",".join(seeds), estimate=1,
                settings={"AGGREGATOR_ESTIMATE_SAMPLE": 5, "PUBMED_PAGE_SIZE": 10})
    sizes = level_sizes(graph, seeds, 2)
    est = manifest_of(run.side)["scope"]["estimate"]
    assert [lv["exact"] for lv in est["levels"]] == [True, True, False]
    assert [lv["articles"] for lv in est["levels"][:2]] == sizes[:2]
    low, high = est["levels"][2]["low"], est["levels"][2]["articles"]
    assert 0 < low <= high
    assert "sample of 5 level-1 articles" in est["method"]
    assert stat(run.log, "aggregator/pages/article") == 0  # no article page fetched
    assert run.records == []
    line = next(x for x in run.log.splitlines() if "estimate: level 0" in x)
    assert f"level 2: ~{low}-{high}" in line
    assert est["live_low"]["pubmed"]["requests"] <= est["live"]["pubmed"]["requests"]


def test_progress_lines_per_level(tmp_path, mirror):
    graph, server = mirror
    seed = existing(graph, 260)[0].pmid
    run = crawl(tmp_path, server, "pubmed", depth=1, pmids=seed,
                settings={"AGGREGATOR_PROGRESS_SECS": 0.02, "CONCURRENT_REQUESTS": 1,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
    lines = [x for x in run.log.splitlines() if "progress: level" in x]
    assert lines, run.log[-2000:]
    assert any("progress: level 1:" in x for x in lines)
    assert all(" done, " in x and " queued, " in x and "ETA" in x for x in lines)


def test_progress_line_text():
    from aggregator.extensions.progress import progress_line

    assert progress_line(2, 340, 660, 3, 2.0) == (
        "progress: level 2: 340 done, 660 queued, 3 errors; 2.0 articles/s, ETA 5m 30s")
    assert progress_line(1, 0, 10, 0, 0.0).endswith("ETA unknown")
    assert progress_line(1, 10, 0, 0, 0.0).endswith("ETA 0s")


def test_reachable_helper_agrees_with_a_real_crawl_level_count(tmp_path, mirror):
    """The estimate's level 1 is what the real crawl then fetches (records + missing)."""
    graph, server = mirror
    seeds = [d.pmid for d in existing(graph, 350, n=2)]
    run = crawl(tmp_path, server, "pubmed_eutils", depth=1, pmids=",".join(seeds))
    depth1 = [r for r in run.records if r["provenance"]["depth"] == 1]
    assert len(depth1) == len(reachable(graph, seeds, 1, FOLLOW)) - len(seeds)
    missing = [e for e in run.errors if e["kind"] == "not_found"]
    assert len(depth1) + len(missing) == level_sizes(graph, seeds, 1)[1]


def test_the_id_converter_gets_its_own_slot_at_ncbis_rate():
    from scrapy.settings import Settings

    from aggregator import settings as project_settings
    from aggregator.spiders.pubmed import PubmedSpider
    from aggregator.spiders.pubmed_eutils import PubmedEutilsSpider

    for spider in (PubmedSpider, PubmedEutilsSpider):
        settings = Settings()
        settings.setmodule(project_settings, priority="project")
        settings.set("IDCONV_BASE_URL", "https://idconv.example.org/api/", priority="cmdline")
        spider.update_settings(settings)
        slot = settings.getdict("DOWNLOAD_SLOTS")["idconv.example.org"]
        assert slot == {"concurrency": 1, "delay": 0.35, "jitter": 0}


def test_page_estimate_range_arithmetic():
    """Hand-computed: 4 sampled articles of a level of 10, new sets {1,2,3} {3,4} {1,5} {6}:
    linear 10 × 6/4 = 15; halves {1,2,3,5} and {3,4,6} share 1: pool 4 × 3 / 1 = 12."""
    from types import SimpleNamespace

    from aggregator.sources.page.adapter import PageSource

    core = SimpleNamespace(config=SimpleNamespace(), args=SimpleNamespace(depth=3))
    source = PageSource(core, "http://mirror")
    source.sampled = 4
    source.sample_new = {"a": {1, 2, 3}, "b": {3, 4}, "c": {1, 5}, "d": {6}}
    levels, method = source.estimate_levels({0: 2, 1: 10})
    assert levels == [
        {"depth": 0, "articles": 2, "exact": True},
        {"depth": 1, "articles": 10, "exact": True},
        {"depth": 2, "articles": 15, "low": 12, "exact": False},
        {"depth": 3, "articles": 22, "low": 14, "exact": False},  # × 1.5 and × 1.2
    ]
    assert "sample of 4 level-1 articles" in method


def test_the_id_converter_is_an_api_not_subject_to_robots_txt(tmp_path, mirror):
    """Served under /api/ (which the mirror's robots.txt, PubMed's, disallows), the
    converter is still asked by the robots-obeying pages spider."""
    graph, server = mirror
    (p,) = existing(graph, 200, pmcid=True)
    run = crawl(tmp_path, server, "pubmed", depth=0, pmcids=p.pmcid,
                settings={"IDCONV_BASE_URL":
                          f"{server.base_url}/api/pmc/tools/idconv/api/v1/articles/"})
    assert [r["pmid"] for r in run.records] == [p.pmid]
    assert stat(run.log, "robotstxt/forbidden") == 0


def test_progress_counts_errors_of_the_level_and_takes_lost_articles_off_the_queue(caplog):
    import logging
    from types import SimpleNamespace

    from aggregator.extensions.progress import Progress
    from aggregator.records import ErrorEntry

    crawler = SimpleNamespace(signals=SimpleNamespace(connect=lambda *a, **k: None))
    ext = Progress(crawler, 10.0)
    spider = SimpleNamespace(frontier=SimpleNamespace(level=1, waiting=lambda: 5),
                             level_done={1: 3}, level_sizes={1: 10})
    ext.spider = spider
    ext.error(ErrorEntry("u", "11", "HTTP 404", 404, "not_found"))  # an article lost
    ext.error(ErrorEntry("u", "12", "HTTP 500", 500, "list_failed"))  # record kept
    with caplog.at_level(logging.INFO, logger="aggregator.extensions.progress"):
        ext.log(spider)
    # 10 scheduled - 3 done - 1 lost + 5 waiting
    assert caplog.messages == [
        "progress: level 1: 3 done, 11 queued, 2 errors; 0.3 articles/s, ETA 36s"]


def test_live_cost_per_spider_and_icite_share():
    """Hand-computed: levels of 3, 82, 114 articles, 3 relations, depth 2, list pages at the
    last depth: pages 199 × 4 = 796 requests; E-utilities ceil(n/200) × 2 per level = 6;
    iCite one request per 1000 articles of each level = 3."""
    from scrapy.settings import Settings

    from aggregator import settings as project_settings
    from aggregator.config import Config
    from aggregator.crawl.estimate import live_cost

    settings = Settings()
    settings.setmodule(project_settings)
    config = Config.from_settings(settings)
    levels = [{"depth": d, "articles": n, "exact": True} for d, n in enumerate((3, 82, 114))]
    cost = live_cost(levels, config, 3, 2, icite=True)
    assert cost["pubmed"] == {"requests": 796, "seconds": round(796 * config.pubmed_delay, 1)}
    assert cost["pubmed_eutils"]["requests"] == 6
    assert cost["icite"]["requests"] == 3
    assert "icite" not in live_cost(levels, config, 3, 2)


def test_estimate_with_icite_links_counts_its_share(tmp_path, mirror):
    graph, server = mirror
    seeds = [d.pmid for d in existing(graph, 350, n=2)]
    run = crawl(tmp_path, server, "pubmed_eutils", depth=2, pmids=",".join(seeds), estimate=1,
                links="pubmed,icite")
    est = manifest_of(run.side)["scope"]["estimate"]
    assert run.records == []
    assert est["live"]["icite"]["requests"] == 3  # live: one per level (records complete)
    assert est["cost"]["requests"] == 4  # 2 elink + 2 iCite
    line = next(x for x in run.log.splitlines() if "estimate: level 0" in x)
    assert "iCite" in line and "in parallel (3 requests)" in line
