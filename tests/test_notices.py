"""Retractions, errata and other notices: efetch's CommentsCorrections and the page's list.

Real data: the two efetch answers with ``ErratumIn`` (values read by hand from
tests/fixtures/eutils/efetch-erratum-*.xml) and the real article page (no notice). No real
retraction answer or page with a notice is among the fixtures: the RetractionIn cases
below are hand-written XML in NCBI's element names, and the page markup is inferred
(aggregator/sources/page/notices.py) — they prove the mapping, not fidelity to PubMed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aggregator.notices import BY_TAG, NOTICE_TYPES, is_retracted
from aggregator.records import Notice
from aggregator.sources.eutils.parse import iter_efetch_records
from aggregator.sources.page.article import parse_article

FIXTURES = Path(__file__).parent / "fixtures"


def efetch_record(name: str):
    with (FIXTURES / "eutils" / name).open("rb") as handle:
        (record,) = list(iter_efetch_records(handle))
    return record


def test_erratum_in_from_real_efetch_cell_reports():
    record = efetch_record("efetch-erratum-35649368.xml")
    assert record.notices == [Notice(
        type="erratum_in", pmid="35767954",
        citation="Cell Rep. 2022 Jun 28;39(13):111044. doi: 10.1016/j.celrep.2022.111044.")]
    assert record.is_retracted is False
    assert record.language == ["eng"]


def test_erratum_in_from_real_efetch_pnas():
    record = efetch_record("efetch-erratum-38147649.xml")
    assert record.notices == [Notice(
        type="erratum_in", pmid="39705317",
        citation="Proc Natl Acad Sci U S A. 2025 Jan 7;122(1):e2424381121. "
                 "doi: 10.1073/pnas.2424381121.")]
    assert record.is_retracted is False
    assert record.language == ["eng"]


def test_cites_entries_are_not_notices():
    # efetch-pubmed fixtures carry CommentsCorrections only as references, if at all
    for name in ("efetch-pubmed1.xml", "efetch-pubmed2.xml"):
        with (FIXTURES / "eutils" / name).open("rb") as handle:
            for record in iter_efetch_records(handle):
                assert record.notices == []


def _xml(ref_types: list[tuple[str, str]], types: tuple[str, ...] = ("Journal Article",)) -> bytes:
    cc = "".join(f'<CommentsCorrections RefType="{t}"><RefSource>Src {p}.</RefSource>'
                 f'<PMID Version="1">{p}</PMID></CommentsCorrections>' for t, p in ref_types)
    pts = "".join(f"<PublicationType>{t}</PublicationType>" for t in types)
    return (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>111</PMID><Article>"
        "<Journal><Title>J</Title></Journal><ArticleTitle>T</ArticleTitle>"
        "<Language>eng</Language><Language>fre</Language>"
        f"<PublicationTypeList>{pts}</PublicationTypeList></Article>"
        f"<CommentsCorrectionsList>{cc}"
        '<CommentsCorrections RefType="CommentIn"><RefSource>c</RefSource></CommentsCorrections>'
        "</CommentsCorrectionsList></MedlineCitation><PubmedData/></PubmedArticle>"
        "</PubmedArticleSet>"
    ).encode()


def test_every_contract_reftype_maps_to_its_notice_type():
    refs = [(ref, str(200 + i)) for i, (ref, _tag) in enumerate(NOTICE_TYPES.values())]
    (record,) = list(iter_efetch_records(io.BytesIO(_xml(refs))))
    assert [n.type for n in record.notices] == list(NOTICE_TYPES)
    assert [n.pmid for n in record.notices] == [p for _r, p in refs]
    assert record.notices[0].citation == "Src 200."
    assert record.language == ["eng", "fre"]
    assert record.is_retracted is True  # RetractionIn is among them


@pytest.mark.parametrize(("refs", "types", "retracted"), [
    ([("RetractionIn", "9")], ("Journal Article",), True),
    ([], ("Journal Article", "Retracted Publication"), True),
    ([("RetractionOf", "9")], ("Retraction of Publication",), False),  # the notice itself
    ([("ErratumIn", "9"), ("ExpressionOfConcernIn", "8")], ("Journal Article",), False),
    ([("RetractedandRepublishedIn", "9")], ("Journal Article",), True),
])
def test_is_retracted(refs, types, retracted):
    (record,) = list(iter_efetch_records(io.BytesIO(_xml(refs, types))))
    assert record.is_retracted is retracted


def test_medline_tags_of_the_notices():
    assert {tag: BY_TAG[tag] for tag in ("RIN", "ROF", "EIN", "EFR", "ECI", "ECF", "UIN",
                                        "UOF", "RRI", "RRF")} == {
        "RIN": "retraction_in", "ROF": "retraction_of", "EIN": "erratum_in",
        "EFR": "erratum_for", "ECI": "expression_of_concern_in",
        "ECF": "expression_of_concern_for", "UIN": "update_in", "UOF": "update_of",
        "RRI": "retracted_and_republished_in", "RRF": "retracted_and_republished_from"}
    assert not is_retracted([Notice("erratum_in")], ["Journal Article"])


def test_real_article_page_has_no_notice():
    html = (FIXTURES / "pubmed" / "article-37882686.html").read_bytes()
    record = parse_article(html, "https://pubmed.ncbi.nlm.nih.gov/37882686/")
    assert record.notices == [] and record.is_retracted is False


PAGE = """<html><body><main id="article-details">
<header class="heading" id="full-view-heading"><h1 class="heading-title">A title</h1>
<ul class="identifiers"><li><span class="identifier pubmed"><strong class="current-id">123</strong>
</span></li></ul></header>
<div class="comments-corrections"><h3>Retraction in</h3>
<ul><li><a href="/999/">J Foo. 2024;1:2. Retraction notice.</a> PMID: 999</li></ul>
<h3>Erratum in:</h3><ul><li><a href="/998/?from=x">J Foo. 2023. Erratum.</a></li></ul>
<h3>Comment in</h3><ul><li><a href="/997/">A comment.</a> PMID: 997</li></ul></div>
</main></body></html>"""


def test_page_notices_from_inferred_markup():
    record = parse_article(PAGE, "https://pubmed.ncbi.nlm.nih.gov/123/")
    assert record.notices == [
        Notice(type="retraction_in", pmid="999", citation="J Foo. 2024;1:2. Retraction notice."),
        Notice(type="erratum_in", pmid="998", citation="J Foo. 2023. Erratum."),
    ]
    assert record.is_retracted is True
