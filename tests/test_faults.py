"""Fault injection: the mirror's fault mode, and a crawl that survives transient faults."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aggregator.sources.page.kind import PageKind, classify
from tests.mirror.faults import (
    ALL_KINDS,
    MISUSE_PATH,
    TRANSIENT_KINDS,
    FaultInjector,
    FaultSpec,
    parse_spec,
)
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer, Request, Response

FOLLOW_ALL = ("similar", "references", "cited_by")


def _ok(request: Request) -> Response:
    return Response.text(200, "<html><body>fine</body></html>")


def _get(path: str) -> Request:
    return Request("GET", path, path.split("?")[0], {})


# --- the spec and the draw ----------------------------------------------------------


def test_spec_parses_kinds_after_kinds_key():
    spec = parse_spec("rate=0.2,seed=7,kinds=500,502,429,reset,timeout,retry_after=2")
    assert spec == FaultSpec(rate=0.2, seed=7, kinds=("500", "502", "429", "reset", "timeout"),
                             retry_after=2)


@pytest.mark.parametrize("bad", ["rate=2", "kinds=418", "speed=3", "rate=0.1,oops"])
def test_bad_specs_are_refused(bad):
    with pytest.raises(ValueError):
        parse_spec(bad)


def test_the_draw_is_deterministic_per_seed_path_and_attempt():
    a, b = FaultInjector(FaultSpec(rate=0.5, seed=1)), FaultInjector(FaultSpec(rate=0.5, seed=1))
    keys = [f"GET /{n}/" for n in range(200)]
    assert [a.choose(k, 1) for k in keys] == [b.choose(k, 1) for k in keys]
    other_seed = FaultInjector(FaultSpec(rate=0.5, seed=2))
    assert [a.choose(k, 1) for k in keys] != [other_seed.choose(k, 1) for k in keys]
    # a retried request draws again: some first attempts fail and their second succeeds
    assert any(a.choose(k, 1) and a.choose(k, 2) is None for k in keys)


def test_the_share_of_faulted_requests_follows_the_rate():
    injector = FaultInjector(FaultSpec(rate=0.2, seed=7, timeout_secs=0.0))
    for n in range(5000):
        injector(_get(f"/{n}/"), _ok)
    assert injector.requests == 5000
    assert 900 < injector.total < 1100  # 20 % of 5000, with sampling slack
    assert set(injector.injected) == set(TRANSIENT_KINDS)


def test_robots_txt_and_the_block_page_are_never_faulted():
    injector = FaultInjector(FaultSpec(rate=1.0, kinds=("500",)))
    assert injector(_get("/robots.txt"), _ok).status == 200
    block = injector(_get(MISUSE_PATH), _ok)
    assert classify(block.body, "http://127.0.0.1" + MISUSE_PATH, 200) is PageKind.BLOCKED
    assert injector.total == 0


@pytest.mark.parametrize("kind, status, page_kind", [
    ("503", 503, None),
    ("429", 429, PageKind.BLOCKED),
    ("block", 200, PageKind.BLOCKED),
    ("challenge", 200, PageKind.CHALLENGE),
    ("foreign", 200, PageKind.OTHER),
])
def test_each_answer_kind(kind, status, page_kind):
    injector = FaultInjector(FaultSpec(rate=1.0, kinds=(kind,)))
    response = injector(_get("/123/"), _ok)
    assert response.status == status
    if page_kind is not None:
        assert classify(response.body, "http://127.0.0.1/123/", status) is page_kind
    if kind == "429":
        assert ("Retry-After", "1") in response.headers


def test_reset_misuse_and_truncated_answers():
    def spec(kind: str) -> FaultInjector:
        return FaultInjector(FaultSpec(rate=1.0, kinds=(kind,)))

    assert spec("reset")(_get("/1/"), _ok).abort
    misuse = spec("misuse")(_get("/1/"), _ok)
    assert misuse.status == 302 and ("Location", MISUSE_PATH) in misuse.headers
    cut = spec("truncated")(_get("/1/"), _ok)
    assert cut.status == 200 and cut.body == b"<html><body>fine</body></html>"[:12]
    assert set(ALL_KINDS) >= {"truncated", "foreign", "misuse", "block", "challenge"}


def test_served_faults_over_http():
    injector = FaultInjector(FaultSpec(rate=1.0, kinds=("502",)))
    with MirrorServer(MirrorGraph(20, seed=1), middlewares=[injector]) as server:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{server.base_url}/1/", timeout=5)  # noqa: S310 (local)
        assert caught.value.code == 502
        with urllib.request.urlopen(f"{server.base_url}/robots.txt", timeout=5) as answer:  # noqa: S310
            assert answer.status == 200
    assert injector.injected == {"502": 1}


# --- a crawl through transient faults ---------------------------------------------------


def test_depth2_crawl_through_20_percent_transient_faults_gets_every_record_once(tmp_path):
    graph = MirrorGraph(300, seed=5)
    seed = next(p for p in graph.pmids()[150:] if graph.exists(p))
    expected = reachable(graph, [seed], 2, FOLLOW_ALL)
    injector = FaultInjector(FaultSpec(rate=0.2, seed=7, kinds=TRANSIENT_KINDS,
                                       retry_after=1, timeout_secs=2.0))
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[injector]) as server:
        done = run_crawl("pubmed", {"pmids": seed, "depth": 2}, {
            **FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side,
            "DOWNLOAD_TIMEOUT": 1, "AGGREGATOR_BLOCK_BACKOFF": 0.05,
        }, out=out, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    pmids = [json.loads(line)["pmid"] for line in out.read_text().splitlines()]
    duplicates = len(pmids) - len(set(pmids))
    print(f"\nfaults injected: {injector.total} of {injector.requests} requests "
          f"({dict(sorted(injector.injected.items()))}); records expected: {len(expected)}, "
          f"written: {len(pmids)}, duplicates: {duplicates}")
    assert injector.total >= 0.15 * injector.requests
    assert set(injector.injected) == set(TRANSIENT_KINDS)
    assert duplicates == 0
    assert set(pmids) == set(expected)
    # only the graph's missing articles are errors, never a fault that retries recovered
    errors = [json.loads(line) for p in side.glob("*-errors.jsonl")
              for line in p.read_text().splitlines()]
    assert {e["kind"] for e in errors} <= {"not_found"}, errors[:3]
    assert "aggregator/reliability/rate_limited" in done.stderr


def _mirror_crawl(tmp_path: Path, graph: MirrorGraph, injector: FaultInjector, pmid: str
                  ) -> tuple[list[dict], list[dict]]:
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[injector]) as server:
        done = run_crawl("pubmed", {"pmids": pmid, "depth": 0}, {
            **FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side,
        }, out=out, timeout=120)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [json.loads(line) for p in side.glob("*-errors.jsonl")
              for line in p.read_text().splitlines()]
    # an article given up is a loss (exit 1); a PMID PubMed does not have is not
    lost = any(e["kind"] != "not_found" for e in errors)
    assert done.returncode == (1 if lost else 0), done.stderr[-3000:]
    return records, errors


def test_a_page_cut_once_is_fetched_again_and_gives_the_full_record(tmp_path):
    graph = MirrorGraph(50, seed=2)
    pmid = next(p for p in graph.pmids() if graph.exists(p) and graph.similar(p))

    class CutFirst(FaultInjector):
        def choose(self, key: str, attempt: int) -> str | None:
            return "truncated" if key.endswith(f"/{pmid}/") and attempt == 1 else None

    injector = CutFirst(FaultSpec(rate=1.0))
    records, errors = _mirror_crawl(tmp_path, graph, injector, pmid)
    assert injector.injected == {"truncated": 1}
    assert [r["pmid"] for r in records] == [pmid]
    assert records[0]["similar_pmids"] == list(graph.similar(pmid))
    assert errors == []


def test_a_page_that_stays_cut_is_an_error_entry_not_a_record(tmp_path):
    graph = MirrorGraph(50, seed=2)
    pmid = next(p for p in graph.pmids() if graph.exists(p))
    injector = FaultInjector(FaultSpec(rate=1.0, kinds=("truncated",), paths=f"/{pmid}/"))
    records, errors = _mirror_crawl(tmp_path, graph, injector, pmid)
    assert records == []
    assert [(e["pmid"], e["kind"]) for e in errors] == [(pmid, "download_error")]


def test_a_foreign_page_at_a_pubmed_url_is_an_error_entry(tmp_path):
    graph = MirrorGraph(50, seed=2)
    pmid = next(p for p in graph.pmids() if graph.exists(p))
    injector = FaultInjector(FaultSpec(rate=1.0, kinds=("foreign",), paths=f"/{pmid}/"))
    records, errors = _mirror_crawl(tmp_path, graph, injector, pmid)
    assert records == []
    assert [(e["pmid"], e["kind"]) for e in errors] == [(pmid, "other")]


def test_an_unknown_pmid_is_a_not_found_error_entry(tmp_path):
    graph = MirrorGraph(50, seed=2)
    missing = "999999999"  # far outside the graph
    assert not graph.exists(missing)
    records, errors = _mirror_crawl(tmp_path, graph, FaultInjector(FaultSpec(rate=0.0)), missing)
    assert records == []
    assert [(e["pmid"], e["kind"], e["status"]) for e in errors] == [(missing, "not_found", 404)]
