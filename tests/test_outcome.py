"""How a crawl ended: the last log line, the manifest and the exit status agree.

A dangling link (a PMID PubMed does not have) is reported, not a loss; an article given up
is a loss: ``incomplete``, exit 1. Outputs that cannot be written stop the crawl before
the first request with one line and exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.mirror.faults import FaultInjector, FaultSpec
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer

FOLLOW_ALL = ("similar", "references", "cited_by")


class AlwaysFails(FaultInjector):
    """One article's page always answers 500."""

    pmid = ""

    def choose(self, key: str, attempt: int) -> str | None:
        return "500" if f"/{self.pmid}/" in key and "?" not in key else None


def _graph_and_seed() -> tuple[MirrorGraph, str, list[str]]:
    graph = MirrorGraph(120, seed=4)  # one of its ids is missing: linked, no page
    for pmid in graph.pmids():
        if not graph.exists(pmid):
            continue
        links = [c for r in FOLLOW_ALL for c in graph.linked(pmid, r)]
        if any(not graph.exists(c) for c in links) and any(graph.exists(c) for c in links):
            return graph, pmid, links
    raise AssertionError("no seed with a dangling link")


def _manifest(side: Path) -> dict:
    return json.loads(next(side.glob("*-manifest.json")).read_text())


def _crawl(tmp_path: Path, graph: MirrorGraph, seed: str, injector: FaultInjector | None):
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[injector] if injector else []) as server:
        done = run_crawl("pubmed", {"pmids": seed, "depth": 1}, {
            **FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side,
            "RETRY_TIMES": 1,
        }, out=out, timeout=120)
    return done, out, side


def test_a_dangling_link_is_reported_but_the_crawl_is_complete(tmp_path):
    graph, seed, _links = _graph_and_seed()
    done, out, side = _crawl(tmp_path, graph, seed, None)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.rstrip().splitlines()[-1].endswith("] INFO: complete")
    manifest = _manifest(side)
    assert manifest["status"] == "complete"
    assert manifest["outcome"]["dangling_links"] >= 1 and manifest["outcome"]["lost"] == {}


def test_an_article_given_up_makes_the_crawl_incomplete_and_exit_1(tmp_path):
    graph, seed, links = _graph_and_seed()
    lost = next(c for c in links if graph.exists(c))
    injector = AlwaysFails(FaultSpec(rate=1.0))
    injector.pmid = lost
    done, out, side = _crawl(tmp_path, graph, seed, injector)
    assert done.returncode == 1, done.stderr[-3000:]
    last = done.stderr.rstrip().splitlines()[-1]
    assert last.endswith("] ERROR: incomplete: 1 download_error, 1 PMIDs not retrieved"), last
    manifest = _manifest(side)
    assert manifest["status"] == "incomplete"
    assert manifest["outcome"]["lost"] == {"download_error": 1}
    assert manifest["outcome"]["pmids_not_retrieved"] == [lost]
    written = {json.loads(line)["pmid"] for line in out.read_text().splitlines()}
    assert written == set(reachable(graph, [seed], 1, FOLLOW_ALL)) - {lost}


def test_a_query_with_no_results_says_so(tmp_path):
    graph = MirrorGraph(40, seed=5)
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph) as server:
        done = run_crawl("pubmed", {"query": "zzqxnothingmatches", "depth": 0}, {
            **FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side,
        }, out=out, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "found no results" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].endswith(
        "complete (the query found no results)")
    assert _manifest(side)["outcome"]["query_no_results"] is True


@pytest.mark.parametrize("case", ["feed", "output_dir"])
def test_unwritable_outputs_fail_before_any_request(tmp_path, case):
    graph = MirrorGraph(40, seed=5)
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    log = tmp_path / "requests.log"
    with MirrorServer(graph, request_log=str(log)) as server:
        settings = {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url,
                    "OUTPUT_DIR": not_a_dir if case == "output_dir" else tmp_path / "side"}
        out = Path("/proc/sys/x.jsonl") if case == "feed" else tmp_path / "out.jsonl"
        done = run_crawl("pubmed", {"pmids": graph.pmids()[0], "depth": 0}, settings,
                         out=out, timeout=120)
    assert done.returncode == 2, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    expected = ("error: feed '/proc/sys/x.jsonl' cannot be written" if case == "feed"
                else f"error: OUTPUT_DIR '{not_a_dir}' is not a directory")
    assert len(errors) == 1 and errors[0].startswith(expected), errors
    assert "Traceback" not in done.stderr
    assert not log.exists() or log.read_text() == ""  # not one request
