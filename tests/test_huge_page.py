"""A page past the HTML parser's limits is parsed whole or is an error, never half a record.

The pages are the mirror's article HTML with nested elements put inside the abstract (the
mirror only proves the plumbing; the limit is libxml2's: 256 nested elements, 2048 with
``huge_tree``).
"""

from __future__ import annotations

import pytest

from aggregator.sources.page import ArticleParseError, parse_article
from tests.mirror import html as mirror_html
from tests.mirror.graph import MirrorGraph


def _page(nesting: int) -> tuple[str, bytes, bytes]:
    graph = MirrorGraph(60, seed=3)
    pmid = next(p for p in graph.pmids() if graph.exists(p) and graph.similar(p))
    page = mirror_html.article_page(graph, graph.article(pmid), "http://127.0.0.1:1")
    at = page.index(">", page.index("<p", page.index('id="abstract"'))) + 1  # in its text
    deep = page[:at] + "<span>" * nesting + "deep" + "</span>" * nesting + page[at:]
    return f"http://127.0.0.1:1/{pmid}/", page.encode(), deep.encode()


def test_a_page_nested_past_the_default_limit_is_parsed_whole():
    url, plain, deep = _page(600)  # > 256: the default parser stops inside the abstract
    whole, record = parse_article(plain, url), parse_article(deep, url)
    assert record.abstract and record.mesh_terms == whole.mesh_terms
    assert record.similar_pmids == whole.similar_pmids and record.similar_pmids
    assert record.references == whole.references
    assert "deep" in " ".join(s.text for s in record.abstract)


@pytest.mark.parametrize(("nesting", "message"), [
    (100_000, "exceeds the HTML parser's limits"),  # past huge_tree's 2048 too
    (1_500, "nested too deeply"),  # parsed, but deeper than Python's recursion limit
])
def test_a_page_past_every_limit_is_an_error_not_an_emptied_record(nesting, message):
    url, _plain, deep = _page(nesting)
    with pytest.raises(ArticleParseError, match=message):
        parse_article(deep, url)
