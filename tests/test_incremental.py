"""Incremental re-crawls: known articles are not downloaded again, new ones are found."""

from __future__ import annotations

from conftest import crawl, stat
from test_crawl_e2e import FOLLOW_ALL

from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.server import MirrorServer


def _run(tmp_path, graph, spider, seed, state, tag, **settings):
    with MirrorServer(graph) as server:
        return crawl(tmp_path / tag, server, spider=spider,
                     settings={"AGGREGATOR_STATE": state, "PUBMED_PAGE_SIZE": 10, **settings},
                     pmids=seed, depth=1).triple


def _check(tmp_path, spider):
    old, grown = MirrorGraph(400, seed=5), MirrorGraph(460, seed=5)
    seed = next(p for p in old.pmids()[380:] if old.exists(p)
                and set(grown.cited_by(p)) - set(old.cited_by(p)))
    state = tmp_path / "state.sqlite"
    first_expected = reachable(old, [seed], 1, FOLLOW_ALL)

    first, _, _ = _run(tmp_path, old, spider, seed, state, "first")
    assert sorted(r["pmid"] for r in first) == sorted(first_expected)

    # same graph again: nothing new, no article downloaded again
    again, _, log = _run(tmp_path, old, spider, seed, state, "again")
    assert again == []
    assert stat(log, "aggregator/pages/article") + stat(log, "aggregator/pages/efetch") == 0
    assert stat(log, "aggregator/incremental/known") == len(first_expected)

    # newer articles now cite the seed: only they are written
    grown_expected = reachable(grown, [seed], 1, FOLLOW_ALL)
    new, _, _ = _run(tmp_path, grown, spider, seed, state, "new")
    assert sorted(r["pmid"] for r in new) == sorted(set(grown_expected) - set(first_expected))
    assert new, "the grown graph must bring new articles"

    # refresh: everything older than 0 days is fetched and written again
    refreshed, _, _ = _run(tmp_path, grown, spider, seed, state, "refresh",
                           AGGREGATOR_REFRESH_DAYS=0)
    assert sorted(r["pmid"] for r in refreshed) == sorted(grown_expected)


def test_incremental_pubmed(tmp_path):
    _check(tmp_path, "pubmed")


def test_incremental_eutils(tmp_path):
    _check(tmp_path, "pubmed_eutils")
