"""E-utilities answers that fail: nothing lost silently (plumbing, on the mirror).

Each test puts a small middleware in front of the mirror's E-utilities that spoils some
answers (cut short, an HTML error page with status 200, an entity-expansion document,
NCBI's rate-limit JSON) and checks that the crawl still writes every reachable record once,
or names each PMID it gave up in an error entry with its reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from conftest import crawl

from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.server import MirrorServer, Request, Response

FOLLOW_ALL = ("similar", "references", "cited_by")
HTML_ERROR = (b"<!DOCTYPE html><html><head><title>502 Proxy Error</title></head>"
              b"<body><h1>Proxy Error</h1></body></html>")
RATE_LIMIT = b'{"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}'
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b"<PubmedArticleSet><PubmedArticle>&lol3;</PubmedArticle></PubmedArticleSet>")
FAST_RETRY = {"EUTILS_API_PAUSE": 0.01}

Spoil = Callable[[Request, Response, int], Response | None]


class Spoiler:
    """Mirror middleware: ``spoil(request, answer, attempt)`` may replace an answer."""

    def __init__(self, tool: str, spoil: Spoil) -> None:
        self.tool, self.spoil = tool, spoil
        self.attempts: Counter[str] = Counter()

    def __call__(self, request: Request, next_) -> Response:
        answer = next_(request)
        if not request.path.endswith(f"/{self.tool}.fcgi"):
            return answer
        key = ",".join(request.params.get("id", []))
        self.attempts[key] += 1
        return self.spoil(request, answer, self.attempts[key]) or answer


def ids_of(request: Request) -> list[str]:
    return [i for v in request.params.get("id", []) for i in v.split(",")]


def run(tmp_path, graph: MirrorGraph, spoiler: Spoiler, seed: str, depth: int = 1):
    with MirrorServer(graph, middlewares=[spoiler]) as server:
        return crawl(tmp_path, server, spider="pubmed_eutils", settings=FAST_RETRY,
                     check=False, pmids=seed, depth=depth)


def _graph_and_seed() -> tuple[MirrorGraph, str, dict]:
    graph = MirrorGraph(300, seed=11)
    seed = next(p for p in graph.pmids()[150:] if graph.exists(p)
                and len(reachable(graph, [p], 1, FOLLOW_ALL)) > 10)
    return graph, seed, reachable(graph, [seed], 1, FOLLOW_ALL)


def _lost(errors: list[dict]) -> list[dict]:
    return [e for e in errors if e["kind"] != "not_found"]


def test_an_efetch_answer_cut_short_keeps_its_records_and_asks_again_for_the_rest(tmp_path):
    graph, seed, expected = _graph_and_seed()

    def cut(request: Request, answer: Response, attempt: int) -> Response | None:
        if attempt == 1 and len(ids_of(request)) > 1:
            return Response(200, answer.body[: len(answer.body) // 2], answer.content_type)
        return None

    done = run(tmp_path, graph, Spoiler("efetch", cut), seed)
    pmids = [r["pmid"] for r in done.records]
    assert sorted(pmids) == sorted(expected)
    assert not _lost(done.errors)


def test_a_pmid_whose_answer_never_parses_is_split_out_and_named(tmp_path):
    graph, seed, expected = _graph_and_seed()
    poison = sorted(p for p in expected if p != seed)[0]

    def html_for_poison(request: Request, answer: Response, attempt: int) -> Response | None:
        if poison in ids_of(request):  # an HTML error page served with 200, every time
            return Response(200, HTML_ERROR)
        return None

    done = run(tmp_path, graph, Spoiler("efetch", html_for_poison), seed)
    pmids = [r["pmid"] for r in done.records]
    assert sorted(pmids) == sorted(set(expected) - {poison})
    (error,) = _lost(done.errors)
    assert error["pmid"] == poison and error["kind"] == "parse_error"
    assert "unparseable efetch answer" in error["reason"]


def test_an_entity_expansion_answer_is_not_expanded_and_is_asked_again(tmp_path):
    graph, seed, expected = _graph_and_seed()

    def laughs(request: Request, answer: Response, attempt: int) -> Response | None:
        return Response(200, BILLION_LAUGHS, "text/xml") if attempt == 1 else None

    done = run(tmp_path, graph, Spoiler("efetch", laughs), seed)
    assert sorted(r["pmid"] for r in done.records) == sorted(expected)
    assert not _lost(done.errors)


def test_a_broken_elink_answer_is_asked_again_and_the_lists_are_complete(tmp_path):
    graph, seed, expected = _graph_and_seed()

    def cut_then_html(request: Request, answer: Response, attempt: int) -> Response | None:
        if attempt == 1:
            return Response(200, answer.body[: len(answer.body) // 3], answer.content_type)
        return Response(200, HTML_ERROR) if attempt == 2 else None

    done = run(tmp_path, graph, Spoiler("elink", cut_then_html), seed)
    assert sorted(r["pmid"] for r in done.records) == sorted(expected)
    seed_record = next(r for r in done.records if r["pmid"] == seed)
    assert seed_record["cited_by_pmids"] == list(graph.cited_by(seed))
    assert seed_record["incomplete_lists"] == []


def test_rate_limit_answers_are_retried_with_a_growing_pause(tmp_path):
    graph, seed, expected = _graph_and_seed()

    def limited(request: Request, answer: Response, attempt: int) -> Response | None:
        return Response(200, RATE_LIMIT, "application/json") if attempt <= 3 else None

    spoiler = Spoiler("efetch", limited)
    done = run(tmp_path, graph, spoiler, seed)
    assert sorted(r["pmid"] for r in done.records) == sorted(expected)
    assert not _lost(done.errors)
    assert "'aggregator/eutils_api_errors': 6" in done.log  # 3 per efetch batch, 2 batches


def test_a_batch_given_up_after_rate_limits_names_every_pmid(tmp_path):
    graph, seed, expected = _graph_and_seed()

    def always_limited(request: Request, answer: Response, attempt: int) -> Response | None:
        return Response(200, RATE_LIMIT, "application/json") if seed not in ids_of(request) \
            else None

    done = run(tmp_path, graph, Spoiler("efetch", always_limited), seed)
    assert [r["pmid"] for r in done.records] == [seed]
    lost = _lost(done.errors)
    # every PMID the seed links to, also those the mirror lacks (never known: not fetched)
    linked = set(graph.similar(seed)) | set(graph.references(seed)) | set(graph.cited_by(seed))
    assert sorted(e["pmid"] for e in lost) == sorted(linked - {seed})
    assert set(expected) - {seed} <= linked
    assert all(e["kind"] == "eutils_error" and "rate limit" in e["reason"] for e in lost)
    assert all("after 6 tries" in e["reason"] for e in lost)


def test_max_results_is_exact_when_the_parts_of_a_split_query_overlap(tmp_path):
    # Past 10,000 hits the query is split by publication date; live, an article can be
    # listed by two parts (its date changed between the calls, or the ranges meet on a
    # day). Here every part of the split also lists the same 400 articles.
    graph = MirrorGraph(12_000, seed=4)
    shared = [p for p in graph.pmids() if graph.exists(p)][:400]
    extra = "".join(f"<Id>{p}</Id>\n" for p in shared).encode()

    def overlap(request: Request, next_) -> Response:
        answer = next_(request)
        if request.path.endswith("/esearch.fcgi") and request.params.get("mindate") \
                and request.params.get("retstart") == ["0"]:
            body = answer.body.replace(b"<IdList>\n", b"<IdList>\n" + extra, 1)
            return Response(answer.status, body, answer.content_type)
        return answer

    with MirrorServer(graph, middlewares=[overlap]) as server:
        done = crawl(tmp_path, server, spider="pubmed_eutils", query="1900:2100[dp]",
                     max_results=11_000, depth=0, follow="none", timeout=600)
    pmids = [r["pmid"] for r in done.records]
    assert len(pmids) == len(set(pmids)) == 11_000


def test_split_again_asks_whole_then_halves_then_each_single_once_more():
    from aggregator.sources.eutils.adapter import split_again

    def ask(part, tries):
        return (part, tries)

    batch = ["1", "2", "3", "4", "5"]
    assert split_again(batch, 0, ask) == [(batch, 1)]  # first failure: the whole batch again
    assert split_again(batch, 1, ask) == [(["1", "2"], 1), (["3", "4", "5"], 1)]
    assert split_again(["3"], 1, ask) == [(["3"], 2)]  # a single one: one more try
    assert split_again(["3"], 2, ask) == []  # then given up (the caller writes the entry)
