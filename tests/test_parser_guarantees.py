"""Both parsers return clean text and bare identifiers, so no pipeline cleans twice.

Each record parsed from the real fixtures (efetch answers, the saved article page) and from
mirror pages and efetch answers is compared with a copy put through the toolkit's rules
independently here: every string cleaned, every identifier bare. Real fixtures prove the
rule on PubMed's markup; the mirror records add volume (plumbing, not fidelity).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import fixture_path

from aggregator.exports.lines import RecordLine
from aggregator.records import NOT_EXPORTED, ArticleRecord
from aggregator.sources.eutils.parse import iter_efetch_records
from aggregator.sources.page import parse_article
from aggregator.text import bare_doi, bare_orcid, bare_pmcid, clean
from tests.mirror import eutils as mirror_eutils
from tests.mirror import html as mirror_html
from tests.mirror.graph import MirrorGraph

_IDS = {"doi": bare_doi, "pmcid": bare_pmcid, "orcid": bare_orcid}
_UNIQUE = {"affiliations", "keywords", "publication_types"}


def _recleaned(value: Any, name: str = "") -> Any:
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            setattr(value, f.name, _recleaned(getattr(value, f.name), f.name))
        return value
    if isinstance(value, list):
        items = [_recleaned(v, name) for v in value]
        if name in _UNIQUE:  # the old normalise pipeline also dropped repeats here
            items = list(dict.fromkeys(items))
        return items
    if isinstance(value, dict):
        return {k: _recleaned(v, k) for k, v in value.items()}
    if isinstance(value, str):
        return _IDS[name](value) if name in _IDS else (clean(value) or "")
    return value


def _records() -> Iterator[ArticleRecord]:
    for path in sorted(fixture_path("eutils").glob("efetch-*.xml")):
        yield from iter_efetch_records(path.read_bytes())
    page = fixture_path("pubmed", "article-37882686.html").read_bytes()
    yield parse_article(page, "https://pubmed.ncbi.nlm.nih.gov/37882686/")
    graph = MirrorGraph(120, seed=3)
    for pmid in graph.pmids():
        try:
            article = graph.article(pmid)
        except KeyError:  # the mirror's missing ids
            continue
        yield parse_article(mirror_html.article_page(graph, article).encode(),
                            f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
        xml = f"<PubmedArticleSet>{mirror_eutils.article_xml(article)}</PubmedArticleSet>"
        yield from iter_efetch_records(xml.encode())


RECORDS = list(_records())


def test_enough_records_checked() -> None:
    assert len(RECORDS) > 200


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r.source}-{r.pmid}")
def test_parser_output_is_already_clean(record: ArticleRecord) -> None:
    assert record == _recleaned(copy.deepcopy(record))


def test_the_check_can_fail() -> None:
    record = copy.deepcopy(RECORDS[0])
    record.title = "  two  spaces "
    record.doi = "doi: 10.1000/x."
    record.keywords = ["a", "a"]
    assert record != _recleaned(copy.deepcopy(record))


@pytest.mark.parametrize("record", RECORDS[:40], ids=lambda r: f"{r.source}-{r.pmid}")
def test_to_dict_equals_asdict(record: ArticleRecord) -> None:
    # the fast serialiser must give exactly what dataclasses.asdict gives
    expected = dataclasses.asdict(record)
    for name in NOT_EXPORTED:  # internal fields (edges' per-link sources) are no record keys
        del expected[name]
    del expected["_line"]  # the serialisation cache (exports/lines.py) is not data
    assert record.to_dict() == expected
    assert list(record.to_dict()) == [f.name for f in dataclasses.fields(record)
                                      if f.name not in NOT_EXPORTED and f.name != "_line"]


@pytest.mark.parametrize("record", RECORDS[:40], ids=lambda r: f"{r.source}-{r.pmid}")
def test_record_line_is_the_json_of_asdict(record: ArticleRecord) -> None:
    # exports/lines.py encodes the dataclasses directly (json's default hook); its text must
    # be what encoding dataclasses.asdict gives, as Scrapy's JSON Lines exporter would
    record = copy.deepcopy(record)
    record.link_only = {"references": {"icite": ["123", "456"]}}
    expected = dataclasses.asdict(record)
    del expected["_line"]
    internal = {name: expected.pop(name) for name in NOT_EXPORTED}
    line = RecordLine.of(record)
    assert line.feed == json.dumps(expected, ensure_ascii=False)
    assert line.internal == json.dumps(internal, ensure_ascii=False, separators=(",", ":"))
    assert line.whole() == {**expected, **internal}
