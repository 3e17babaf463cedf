"""Nothing forged: a record's PMID is the page's own, and only PubMed's redirect may change it.

On the mirror (plumbing): ``/<A>/`` serving the page of another article B is an error
entry, never a record; a redirect ``/<C>/`` -> ``/<D>/`` on PubMed's host (how PubMed
answers a merged PMID) gives D's record with ``requested_pmid`` C.
"""

from __future__ import annotations

from conftest import errors_in, mirror_settings, records_in

from tests.mirror.graph import MirrorGraph
from tests.mirror.localrun import run_crawl
from tests.mirror.server import MirrorServer, Request, Response


def test_a_page_of_another_pmid_is_an_error_and_a_merge_redirect_is_recorded(tmp_path):
    graph = MirrorGraph(120, seed=2)
    forged, other, merged, target = [p for p in graph.pmids()[40:] if graph.exists(p)][:4]

    def swap(request: Request, next_) -> Response:
        if request.path == f"/{forged}/":  # serves another article's page as this one
            return next_(Request(request.method, f"/{other}/", f"/{other}/", request.params,
                                 request.headers))
        if request.path == f"/{merged}/":
            return Response(301, headers=[("Location", f"/{target}/")])
        return next_(request)

    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[swap]) as server:
        done = run_crawl("pubmed", {"pmids": f"{forged},{merged}", "depth": 0},
                         mirror_settings(server, side), out=out, timeout=120)
    records = {r["pmid"]: r for r in records_in(out)}
    assert other not in records and forged not in records
    assert records[target]["requested_pmid"] == merged
    assert records[target]["provenance"]["seed"] == merged
    (error,) = [e for e in errors_in(side) if e["kind"] == "pmid_mismatch"]
    assert error["pmid"] == forged and other in error["reason"]
    assert done.returncode in (0, 1)  # the exit status of a lossy crawl is tested elsewhere
