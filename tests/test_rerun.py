"""A re-run of a finished crawl with the same ``-o`` (append) command duplicates nothing."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, crawl_command
from tests.mirror.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]


def _append_crawl(base_url: str, seed: str, out: Path, side: Path) -> str:
    cmd = crawl_command("pubmed", {"pmids": seed, "depth": 1},
                        {**FAST_LOCAL, "PUBMED_BASE_URL": base_url, "OUTPUT_DIR": side})
    done = subprocess.run([*cmd, "-o", f"{out}:jsonlines"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def test_rerunning_a_finished_crawl_with_append_writes_nothing_twice(tmp_path):
    graph = MirrorGraph(60, seed=3)
    seed = next(p for p in graph.pmids()[20:] if graph.exists(p) and graph.similar(p))
    expected = sorted(reachable(graph, [seed], 1, ("similar", "references", "cited_by")))
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph) as server:
        _append_crawl(server.base_url, seed, out, side)
        first = out.read_text()
        # 1) the same command again: the journal is closed (*.done), the file is the truth
        log = _append_crawl(server.base_url, seed, out, side)
        assert out.read_text() == first
        assert "already holds" in log
        # 2) killed while exiting, before the journal was closed: it is resumed
        for done in side.glob("*-journal.jsonl.done"):
            done.rename(done.with_name(done.name[: -len(".done")]))
        _append_crawl(server.base_url, seed, out, side)
        assert out.read_text() == first
        # 3) no journal at all (deleted, or another OUTPUT_DIR): still nothing twice
        for journal in side.glob("*-journal.jsonl*"):
            journal.unlink()
        _append_crawl(server.base_url, seed, out, side)
    pmids = [json.loads(line)["pmid"] for line in out.read_text().splitlines()]
    assert Counter(pmids).most_common(1)[0][1] == 1
    assert sorted(pmids) == expected


def test_the_journal_is_not_closed_as_done_when_a_feed_was_not_stored(tmp_path):
    from scrapy.utils.test import get_crawler

    from aggregator.crawl.journal import Journal

    def finished(failed: bool) -> list[str]:
        path = tmp_path / f"j-{failed}.jsonl"
        crawler = get_crawler(settings_dict={"AGGREGATOR_JOURNAL": str(path)})
        crawler.stats.open_spider() if hasattr(crawler.stats, "open_spider") else None
        journal = Journal(crawler, path, {"journal": 1})
        if failed:  # what Scrapy's FeedExporter counts when storing a feed fails
            crawler.stats.set_value("feedexport/failed_count/FileFeedStorage", 1)
        journal.spider_closed(None, "finished")
        journal.engine_stopped()
        return sorted(p.name for p in tmp_path.glob(f"j-{failed}.jsonl*"))

    assert finished(False) == ["j-False.jsonl.done"]
    assert finished(True) == ["j-True.jsonl"]  # stays open: a re-run writes the records
