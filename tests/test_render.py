"""Browser rendering (``-a render=1``) against the mirror, and the ``js-similar`` variant."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import crawl, stat

from aggregator.sources.page.article import parse_article
from tests.mirror.graph import MirrorGraph
from tests.mirror.server import MirrorServer
from tests.mirror.variants import make_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)",
)


@pytest.fixture(scope="module")
def graph() -> MirrorGraph:
    return MirrorGraph(200, seed=3)


@pytest.fixture(scope="module")
def plain(graph):
    with MirrorServer(graph) as server:
        yield server


@pytest.fixture(scope="module")
def js_similar(graph):
    with MirrorServer(graph, variant="js-similar") as server:
        yield server


def with_similar(graph: MirrorGraph, n: int, start: int = 0) -> list[str]:
    """``n`` existing articles with more than 5 similar articles."""
    found = [p for p in graph.pmids()[start:] if graph.exists(p) and len(graph.similar(p)) > 5]
    return found[:n]


def render_crawl(tmp_path: Path, server: MirrorServer, name: str, settings=None,
                 **args) -> tuple[list[dict], str]:
    done = crawl(tmp_path, server, settings={"PUBMED_PAGE_SIZE": 10, **(settings or {})},
                 timeout=120, name=name, **args)
    return done.records, done.log


# --------------------------------------------------------------- the variant itself


def test_js_similar_page_serves_an_empty_list_and_a_script_holding_the_items(graph):
    (pmid,) = with_similar(graph, 1)
    page = make_app(graph, "js-similar").render_article(pmid)
    record = parse_article(page.encode(), f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    assert record.similar_pmids == []
    script = page[page.index("<script>"):page.index("</script>")]
    items = json.loads(re.search(r"var items = (\[.*?\]);", script, re.S).group(1))
    shown = [re.search(r'data-ga-action="(\d+)"', item).group(1) for item in items]
    assert shown == list(graph.similar(pmid))[:5]
    # the cited-by list is untouched
    assert record.cited_by_pmids == list(graph.cited_by(pmid))[:5]


def test_unknown_variant_is_refused(graph):
    with pytest.raises(ValueError, match="js-similar"):
        MirrorServer(graph, variant="no-such-variant")


# --------------------------------------------------------------------- crawling


@needs_chromium
def test_plain_crawl_misses_js_list_and_render_sees_it(tmp_path, graph, js_similar):
    seeds = with_similar(graph, 3)
    # follow=none: no list pages, so similar_pmids is what the article page shows
    args = {"pmids": ",".join(seeds), "depth": 0, "follow": "none"}
    plain_records, plain_log = render_crawl(tmp_path, js_similar, "plain", **args)
    assert {r["pmid"]: r["similar_pmids"] for r in plain_records} == {p: [] for p in seeds}
    # a plain crawl never starts Playwright: the handler is not even installed
    assert "scrapy-playwright" not in plain_log
    assert stat(plain_log, "playwright/page_count", None) is None

    rendered, log = render_crawl(tmp_path, js_similar, "render", render=1, **args)
    assert {r["pmid"]: r["similar_pmids"] for r in rendered} == {
        p: list(graph.similar(p))[:5] for p in seeds}
    # every page went through the browser and was closed; robots.txt did not
    assert stat(log, "playwright/request_count/navigation") == len(seeds)
    assert stat(log, "downloader/request_count") == len(seeds) + 1
    assert stat(log, "playwright/page_count/closed") == len(seeds)
    assert stat(log, "playwright/request_count/resource_type/document") == len(seeds)


@needs_chromium
def test_render_setting_turns_rendering_on_too(tmp_path, graph, js_similar):
    (seed,) = with_similar(graph, 1, start=50)
    records, _ = render_crawl(tmp_path, js_similar, "setting", settings={"AGGREGATOR_RENDER": 1},
                       pmids=seed, depth=0, follow="none")
    assert records[0]["similar_pmids"] == list(graph.similar(seed))[:5]


@needs_chromium
def test_render_mode_gives_the_same_records_as_plain_mode(tmp_path, graph, plain):
    seeds = with_similar(graph, 3, start=100)
    # depth 0 with every list followed: article pages and paged list pages rendered
    plain_records, _ = render_crawl(tmp_path, plain, "plain", pmids=",".join(seeds), depth=0)
    rendered, log = render_crawl(tmp_path, plain, "render", pmids=",".join(seeds), depth=0,
                                 render=1)
    assert stat(log, "playwright/request_count/navigation") > len(seeds)
    by_pmid = {r["pmid"]: r for r in rendered}
    assert sorted(by_pmid) == sorted(seeds)
    for expected in plain_records:
        got = by_pmid[expected["pmid"]]
        assert set(got) == set(expected)
        for field in expected:
            if field != "fetched_at":
                assert got[field] == expected[field], (expected["pmid"], field)
