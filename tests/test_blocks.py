"""NCBI blocks and challenges: retried, never parsed or emitted; persistent ones stop cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from tests.mirror.faults import BLOCK_KINDS, FaultInjector, FaultSpec
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer


class FirstAttemptsBlocked(FaultInjector):
    """Every article page's first two answers are block answers (kinds in turn)."""

    def choose(self, key: str, attempt: int) -> str | None:
        if "?" in key or attempt > 2:
            return None
        digits = sum(int(c) for c in key if c.isdigit())
        return BLOCK_KINDS[(digits + attempt) % len(BLOCK_KINDS)]


class AllBlockedBut(FaultInjector):
    """Everything not about ``keep`` is a block answer."""

    keep = ""

    def choose(self, key: str, attempt: int) -> str | None:
        return None if self.keep in key else BLOCK_KINDS[attempt % len(BLOCK_KINDS)]


def crawl(tmp_path: Path, graph: MirrorGraph, injector: FaultInjector, seed: str,
          depth: int) -> tuple[Path, Path, str, int]:
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[injector]) as server:
        done = run_crawl("pubmed", {"pmids": seed, "depth": depth}, {
            **FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side,
            "AGGREGATOR_BLOCK_BACKOFF": 0.05, "AGGREGATOR_BLOCK_BACKOFF_MAX": 0.2,
            "CONCURRENT_REQUESTS": 2,
        }, out=out, timeout=180)
    return out, side, done.stderr, done.returncode


def errors_in(side: Path) -> list[dict]:
    return [json.loads(line) for p in side.glob("*-errors.jsonl")
            for line in p.read_text().splitlines()]


def test_block_and_challenge_answers_are_retried_and_never_emitted(tmp_path):
    graph = MirrorGraph(120, seed=4)
    seed = next(p for p in graph.pmids()[60:] if graph.exists(p))
    expected = reachable(graph, [seed], 1, ("similar", "references", "cited_by"))
    injector = FirstAttemptsBlocked(FaultSpec(rate=1.0))
    out, side, log, code = crawl(tmp_path, graph, injector, seed, depth=1)
    assert code == 0, log[-3000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    pmids = [r["pmid"] for r in records]
    assert sorted(pmids) == sorted(expected)  # each once, none lost
    for r in records:  # no block page was parsed as an article
        assert r["title"] == graph.article(r["pmid"]).title, r["pmid"]
    assert set(injector.injected) == set(BLOCK_KINDS)  # misuse: a redirect to a block page
    assert {e["kind"] for e in errors_in(side)} <= {"not_found"}
    assert "aggregator/reliability/blocked/blocked" in log
    assert "aggregator/reliability/blocked/challenge" in log
    assert "ncbi_blocked" not in log


def test_persistent_blocks_stop_the_crawl_with_advice_and_keep_the_output(tmp_path):
    graph = MirrorGraph(120, seed=4)
    seed = next(p for p in graph.pmids()[60:] if graph.exists(p) and graph.similar(p))
    injector = AllBlockedBut(FaultSpec(rate=1.0))
    injector.keep = seed  # the seed's page and lists pass, every other page is blocked
    out, side, log, code = crawl(tmp_path, graph, injector, seed, depth=1)
    assert code == 1, log[-3000:]  # a blocked stop loses records: scrapy crawl says so
    assert "incomplete: stopped (ncbi_blocked)" in log.rstrip().splitlines()[-1]
    assert "'finish_reason': 'ncbi_blocked'" in log
    assert "NCBI_EMAIL" in log and "pubmed_eutils" in log and "NCBI_API_KEY" in log
    lines = out.read_text().splitlines()
    assert [json.loads(line)["pmid"] for line in lines] == [seed]  # valid JSONL, kept
    manifest = json.loads(next(side.glob("*-manifest.json")).read_text())
    assert manifest["finish_reason"] == "ncbi_blocked"
    # the stop leaves a journal behind, so the same command resumes later
    assert list(side.glob("*-journal.jsonl"))
    # articles given up because of blocks are error entries of kind "blocked", not records
    blocked = [e for e in errors_in(side) if e["kind"] == "blocked"]
    assert blocked and all(e["pmid"] != seed for e in blocked)
