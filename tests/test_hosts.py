"""Only the configured hosts are requested: an off-site redirect is an error entry."""

from __future__ import annotations

import json

from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer, Request, Response

FOLLOW_ALL = ("similar", "references", "cited_by")


def test_a_redirect_to_another_host_is_an_error_entry_and_never_followed(tmp_path):
    graph = MirrorGraph(60, seed=3)
    seed = next(p for p in graph.pmids()[20:] if graph.exists(p) and graph.similar(p))
    moved = graph.similar(seed)[0]
    other_log = tmp_path / "other.log"
    # the outside host: another 127.0.0.x address and port, serving the same pages
    with MirrorServer(graph, host="127.0.0.2", request_log=str(other_log)) as outside:

        def offsite(request: Request, next_):  # the mirror middleware: one article moved
            if request.path == f"/{moved}/":
                return Response.redirect(301, f"{outside.base_url}/{moved}/")
            return next_(request)

        out, side = tmp_path / "out.jsonl", tmp_path / "side"
        with MirrorServer(graph, middlewares=[offsite]) as server:
            done = run_crawl("pubmed", {"pmids": seed, "depth": 1}, {
                **FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": side,
            }, out=out, timeout=120)
    assert not other_log.exists() or other_log.read_text() == ""  # not even robots.txt
    errors = [json.loads(line) for p in side.glob("*-errors.jsonl")
              for line in p.read_text().splitlines()]
    offsite_errors = [e for e in errors if e["kind"] == "offsite_redirect"]
    assert [(e["pmid"], e["url"]) for e in offsite_errors] == [
        (moved, f"{server.base_url}/{moved}/")]
    assert "redirect to another host, not followed: http://127.0.0.2:" in \
        offsite_errors[0]["reason"]
    pmids = [json.loads(line)["pmid"] for line in out.read_text().splitlines()]
    assert sorted(pmids) == sorted(set(reachable(graph, [seed], 1, FOLLOW_ALL)) - {moved})
    assert done.returncode == 1  # a record was lost: the crawl says so
