"""E-utilities parsers on the real saved answers in tests/fixtures/eutils.

Expected values were read by hand from the XML files. Small synthetic documents (marked
"synthetic") cover what the real files lack.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from conftest import fixture_path
from lxml import etree

from aggregator.records import AbstractSection, ArticleRecord, MeshTerm, Reference
from aggregator.sources.eutils import parse as eutils
from aggregator.sources.eutils.parse import (
    ESearchResult,
    EutilsError,
    check_api_error,
    iter_efetch_records,
    parse_elink,
    parse_esearch,
    split_date_range,
)


def _read(name: str) -> bytes:
    return fixture_path("eutils", name).read_bytes()


def _records(name: str, **kw) -> dict[str, ArticleRecord]:
    return {r.pmid: r for r in iter_efetch_records(_read(name), **kw)}


# ------------------------------------------------------------------ pubmed7: 29963580


@pytest.fixture(scope="module")
def p7():
    (rec,) = iter_efetch_records(_read("efetch-pubmed7.xml"))
    return rec


def test_p7_source_and_ids(p7):
    assert p7.source == "eutils"
    assert p7.pmid == "29963580"
    assert p7.pmcid == "PMC6022861"
    assert p7.doi == "10.1117/1.JMI.5.2.026002"
    assert p7.source_url == "https://pubmed.ncbi.nlm.nih.gov/29963580/"


def test_p7_left_for_the_caller(p7):
    assert p7.provenance is None
    assert p7.fetched_at is None


def test_p7_title(p7):
    assert p7.title == (
        "Development of a pulmonary imaging biomarker pipeline for phenotyping of "
        "chronic lung disease."
    )


def test_p7_authors_count_and_order(p7):
    assert [a.name for a in p7.authors] == [
        "Fumin Guo",
        "Dante Capaldi",
        "Miranda Kirby",
        "Khadija Sheikh",
        "Sarah Svenningsen",
        "David G McCormack",
        "Aaron Fenster",
        "Grace Parraga",
        "Canadian Respiratory Research Network",
    ]


def test_p7_first_author_fields(p7):
    first = p7.authors[0]
    assert (first.last_name, first.fore_name, first.collective) == ("Guo", "Fumin", False)
    assert first.affiliations == [
        "University of Western Ontario, Robarts Research Institute, London, Ontario, Canada.",
        "University of Western Ontario, Graduate Program in Biomedical Engineering, London, "
        "Ontario, Canada.",
        "University of Toronto, Sunnybrook Research Institute, Toronto, Canada.",
    ]
    assert first.orcid is None


def test_p7_orcids_bare_from_url_form(p7):
    orcids = {a.name: a.orcid for a in p7.authors if a.orcid}
    assert orcids == {
        "Dante Capaldi": "0000-0002-4590-7461",
        "Aaron Fenster": "0000-0003-3525-2788",
    }


def test_p7_collective_author(p7):
    group = p7.authors[-1]
    assert group.collective is True
    assert group.name == "Canadian Respiratory Research Network"
    assert (group.last_name, group.fore_name) == (None, None)


def test_p7_journal(p7):
    j = p7.journal
    assert j.title == "Journal of medical imaging (Bellingham, Wash.)"
    assert j.abbreviation == "J Med Imaging (Bellingham)"
    assert (j.volume, j.issue, j.pages) == ("5", "2", "026002")
    assert j.issn == "2329-4302"


def test_p7_dates(p7):
    assert p7.publication_date.printed == "2018 Apr"
    assert p7.publication_date.year == "2018"
    assert p7.publication_date.epub == "2018 Jun 28"
    assert p7.year == "2018"


def test_p7_types(p7):
    assert p7.publication_types == ["Journal Article"]
    assert (p7.is_review, p7.is_systematic_review) == (False, False)


def test_p7_abstract_unstructured(p7):
    assert len(p7.abstract) == 1
    assert p7.abstract[0].label is None
    assert p7.abstract[0].text.startswith("We designed and generated pulmonary imaging")
    assert p7.abstract[0].text.endswith("for point-of-care and high-throughput research.")


def test_p7_mathml_in_reading_order_without_inserted_spaces(p7):
    text = p7.abstract[0].text
    # <mmultiscripts>He<mprescripts/><none/>3 ... is a prescript: 3He, 129Xe
    assert "(1) inhaled 3He/129Xe MRI ventilation and apparent diffusion" in text
    assert "(3) ultrashort echo-time 1H MRI proton density measurements" in text
    assert "Fourier-decomposition 1H MRI ventilation/perfusion and free-breathing 1H MRI " in text
    assert "  " not in text and "\n" not in text


def test_p7_keywords(p7):
    assert p7.keywords == [
        "asthma",
        "chronic obstructive lung disease",
        "image processing, biomarkers",
        "magnetic resonance imaging",
        "thoracic computed tomography",
    ]


def test_p7_no_mesh_no_coi(p7):
    assert p7.mesh_terms == []
    assert p7.conflict_of_interest is None


def test_p7_references_from_reference_list(p7):
    assert len(p7.references) == 49
    assert p7.references_total == 49
    assert p7.references[0] == Reference(
        citation="Radiology. 2015 Jan;274(1):250-9", pmid="25144646", pmcid=None, doi=None
    )
    assert p7.references[-1] == Reference(
        citation="Eur Respir J. 2008 Apr;31(4):869-73", pmid="18216052", pmcid=None, doi=None
    )


def test_p7_reference_pmids(p7):
    assert len(p7.reference_pmids) == 49
    assert p7.reference_pmids[:3] == ["25144646", "8028666", "19585597"]
    assert p7.reference_pmids[-1] == "18216052"
    assert "29963580" not in p7.reference_pmids


def test_p7_lists_not_from_efetch(p7):
    assert p7.similar_pmids == []
    assert p7.cited_by_pmids == []


def test_base_url_is_used_for_source_url():
    (rec,) = iter_efetch_records(_read("efetch-pubmed7.xml"), base_url="http://127.0.0.1:8080/")
    assert rec.source_url == "http://127.0.0.1:8080/29963580/"


def test_source_may_be_a_binary_file():
    with fixture_path("eutils", "efetch-pubmed7.xml").open("rb") as fh:
        assert [r.pmid for r in iter_efetch_records(fh)] == ["29963580"]


# ------------------------------------------------------------------ pubmed4: 27797938


@pytest.fixture(scope="module")
def p4():
    (rec,) = iter_efetch_records(_read("efetch-pubmed4.xml"))
    return rec


def test_p4_ids(p4):
    assert p4.pmid == "27797938"
    assert p4.doi == "10.1136/gutjnl-2016-312510"
    assert p4.pmcid == "PMC5442267"


def test_p4_title_inline_italic_flattened(p4):
    assert p4.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region and risk of "
        "pancreatic cancer."
    )


def test_p4_structured_abstract_labels(p4):
    assert [s.label for s in p4.abstract] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]


def test_p4_abstract_sub_sup_without_spaces(p4):
    results = p4.abstract[2].text
    assert "95% CI 1.07 to 2.78; ptrend=0.048)" in results
    assert "(linkage disequilibrium r2<0.25)" in results


def test_p4_abstract_last_section(p4):
    assert p4.abstract[3] == AbstractSection(
        label="CONCLUSIONS",
        text="Prediagnostic leucocyte telomere length and genetic variants at the TERT gene "
        "region were associated with risk of pancreatic cancer.",
    )


def test_p4_copyright_not_in_abstract(p4):
    assert not any("BMJ Publishing Group" in s.text for s in p4.abstract)


def test_p4_authors(p4):
    assert len(p4.authors) == 22
    assert p4.authors[0].name == "Ying Bao"
    assert p4.authors[-1].name == "Brian M Wolpin"
    assert p4.authors[19].last_name == "De Vivo"


def test_p4_journal(p4):
    j = p4.journal
    assert (j.title, j.abbreviation) == ("Gut", "Gut")
    assert (j.volume, j.issue, j.pages) == ("66", "6", "1116-1122")
    assert j.issn == "1468-3288"


def test_p4_numeric_month_printed_as_name(p4):
    assert p4.publication_date.printed == "2017 Jun"
    assert p4.publication_date.epub == "2016 Oct 21"
    assert p4.year == "2017"


def test_p4_publication_types(p4):
    assert p4.publication_types == [
        "Journal Article",
        "Observational Study",
        "Research Support, N.I.H., Extramural",
        "Research Support, U.S. Gov't, Non-P.H.S.",
        "Research Support, Non-U.S. Gov't",
    ]
    assert p4.is_review is False


def test_p4_comments_corrections_references(p4):
    assert len(p4.references) == 48
    assert p4.references_total == 48
    assert p4.references[0] == Reference(
        citation="Stat Med. 1989 May;8(5):551-61", pmid="2657958", pmcid=None, doi=None
    )
    assert p4.references[-1] == Reference(
        citation="Nucleic Acids Res. 2002 May 15;30(10):e47", pmid="12000852", pmcid=None, doi=None
    )


def test_p4_comment_in_is_not_a_reference(p4):
    assert "27920200" not in p4.reference_pmids
    assert len(p4.reference_pmids) == 48


def test_p4_mesh_count_and_major_flags(p4):
    assert len(p4.mesh_terms) == 21
    assert p4.mesh_terms[0] == MeshTerm(
        descriptor="Adenocarcinoma",
        qualifiers=["epidemiology", "genetics"],
        major=False,
        major_qualifiers=["epidemiology", "genetics"],
    )


def test_p4_mesh_major_descriptor(p4):
    terms = {t.descriptor: t for t in p4.mesh_terms}
    assert terms["Telomere Shortening"].major is True
    assert terms["Humans"].major is False


def test_p4_mesh_non_major_qualifier(p4):
    terms = {t.descriptor: t for t in p4.mesh_terms}
    assert terms["United States"].qualifiers == ["epidemiology"]
    assert terms["United States"].major_qualifiers == []


def test_p4_keywords_and_coi(p4):
    assert p4.keywords == ["PANCREATIC CANCER"]
    assert p4.conflict_of_interest == "Competing interests: None declared."


# ------------------------------------------------------------- pubmed1: two articles


@pytest.fixture(scope="module")
def p1():
    return _records("efetch-pubmed1.xml")


def test_p1_both_articles_in_order():
    assert [r.pmid for r in iter_efetch_records(_read("efetch-pubmed1.xml"))] == [
        "12091962",
        "9997",
    ]


def test_p1_12091962_has_no_abstract(p1):
    assert p1["12091962"].abstract == []


def test_p1_12091962_has_no_doi_or_pmc(p1):
    assert p1["12091962"].doi is None
    assert p1["12091962"].pmcid is None


def test_p1_12091962_season_date(p1):
    assert p1["12091962"].publication_date.printed == "1990 Spring"
    assert p1["12091962"].year == "1990"
    assert p1["12091962"].publication_date.epub is None


def test_p1_12091962_review_flag(p1):
    assert p1["12091962"].publication_types == ["Journal Article", "Review"]
    assert p1["12091962"].is_review is True
    assert p1["12091962"].is_systematic_review is False


def test_p1_12091962_author_and_journal(p1):
    rec = p1["12091962"]
    assert [a.name for a in rec.authors] == ["J Michael Olivero"]
    assert rec.journal.abbreviation == "Soc Justice"
    assert rec.journal.pages == "113-25"


def test_p1_12091962_mesh_and_keywords(p1):
    rec = p1["12091962"]
    assert len(rec.mesh_terms) == 19
    assert rec.mesh_terms[1] == MeshTerm(
        descriptor="Acquired Immunodeficiency Syndrome", major=True
    )
    assert rec.keywords == ["Health Care and Public Health", "Legal Approach"]


def test_p1_12091962_no_references(p1):
    assert p1["12091962"].references == []
    assert p1["12091962"].references_total == 0
    assert p1["12091962"].reference_pmids == []


def test_p1_9997_full_date_and_doi(p1):
    rec = p1["9997"]
    assert rec.publication_date.printed == "1976 Sep 28"
    assert rec.doi == "10.1016/0005-2795(76)90109-4"


def test_p1_9997_major_qualifier(p1):
    terms = {t.descriptor: t for t in p1["9997"].mesh_terms}
    assert terms["Chromatium"] == MeshTerm(
        descriptor="Chromatium", qualifiers=["enzymology"], major_qualifiers=["enzymology"]
    )


# ------------------------------------------------------------------------- pubmed2


@pytest.fixture(scope="module")
def p2():
    return _records("efetch-pubmed2.xml")


def test_p2_character_reference_in_affiliation(p2):
    assert p2["11748933"].authors[0].affiliations == [
        "Dipartimento di Scienze Ambientali, Università degli Studi della Tuscia, "
        "01100 Viterbo, Italy."
    ]


def test_p2_author_without_affiliation(p2):
    assert p2["11748933"].authors[1].name == "F Barbato"
    assert p2["11748933"].authors[1].affiliations == []


def test_p2_escaped_text_unescaped(p2):
    assert "compared with 24% in the fresh sample (P < 0.001)." in p2["11748933"].abstract[0].text


def test_p2_qualifier_with_ampersand(p2):
    terms = {t.descriptor: t for t in p2["11748933"].mesh_terms}
    assert terms["Sea Bream"].qualifiers == ["anatomy & histology", "physiology"]
    assert terms["Sea Bream"].major_qualifiers == ["anatomy & histology"]


def test_p2_11700088(p2):
    rec = p2["11700088"]
    assert rec.title == "Proton MRI of (13)C distribution by J and chemical shift editing."
    assert rec.doi == "10.1006/jmre.2001.2429"
    assert rec.mesh_terms == []
    assert rec.publication_date.printed == "2001 Nov"


# ------------------------------------------------------------------ pubmed5: 28775130


@pytest.fixture(scope="module")
def p5():
    (rec,) = iter_efetch_records(_read("efetch-pubmed5.xml"))
    return rec


def test_p5_labels(p5):
    assert [s.label for s in p5.abstract] == ["OBJECTIVES", "METHODS", "RESULTS", "CONCLUSIONS"]


def test_p5_underline_markup_flattened(p5):
    assert "compared with normal TSH (0.4-<4.5 mIU/L) and" in p5.abstract[1].text


def test_p5_epub_day_without_leading_zero(p5):
    assert p5.publication_date.epub == "2017 Aug 3"
    assert p5.publication_date.printed == "2018 Feb"


def test_p5_cites(p5):
    assert len(p5.references) == 40
    assert p5.references[0].citation == "J Toxicol Environ Health A. 2003 Jun 13;66(11):965-86"
    assert p5.references[0].pmid == "12775511"
    assert p5.references[-1].citation == "Immunogenetics. 2002 Jun;54(3):141-57"
    assert p5.references[-1].pmid == "12073143"


def test_p5_issn_and_authors(p5):
    assert p5.journal.issn == "1470-7926"
    assert len(p5.authors) == 12
    assert p5.authors[1].name == "Laura E Beane Freeman"


# ------------------------------------------------------------------ pubmed6: 30108519


@pytest.fixture(scope="module")
def p6():
    (rec,) = iter_efetch_records(_read("efetch-pubmed6.xml"))
    return rec


def test_p6_title_markup_and_quotes(p6):
    assert p6.title == (
        'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and Maximal '
        "Lactate Steady State in Trained Runners. Back to the Old Days?"
    )


def test_p6_mathml_formula_has_no_inserted_spaces(p6):
    text = p6.abstract[0].text
    assert "maximal oxygen uptake ( V.O2max ) 67.6 ± 4.1 ml·kg-1·min-1]" in text
    assert "incremental running test for V.O2max determination" in text


def test_p6_sub_markup(p6):
    assert "(LEmin+1mM)" in p6.abstract[0].text
    assert "velocity at MLSS (VMLSS)" in p6.abstract[0].text


def test_p6_year_only_date_and_missing_issue(p6):
    assert p6.publication_date.printed == "2018"
    assert p6.publication_date.epub == "2018 Jul 31"
    assert p6.journal.issue is None
    assert p6.journal.volume == "9"


def test_p6_cites(p6):
    assert p6.references_total == 53
    assert p6.references[0].pmid == "17907247"
    assert p6.references[-1].citation == "Med Sci Sports Exerc. 1993 May;25(5):620-7"
    assert p6.references[-1].pmid == "8492691"


def test_p6_ids(p6):
    assert p6.doi == "10.3389/fphys.2018.01034"
    assert p6.pmcid == "PMC6079548"


# --------------------------------------------------- synthetic efetch (edge cases)

_SYNTH = b"""<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation>
    <PMID Version="1">111</PMID>
    <Article>
      <Journal>
        <JournalIssue><PubDate><MedlineDate>2025 Sep-Oct</MedlineDate></PubDate></JournalIssue>
        <Title>Synthetic J</Title>
      </Journal>
      <ArticleTitle>Own</ArticleTitle>
      <Pagination><StartPage>5</StartPage><EndPage>9</EndPage></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.1000/own.eloc</ELocationID>
      <AuthorList>
        <Author ValidYN="Y"><LastName>Smith</LastName><ForeName>Ann</ForeName>
          <Suffix>Jr</Suffix>
          <Identifier Source="ORCID">000000021825009X</Identifier></Author>
        <Author ValidYN="N"><LastName>Wrong</LastName><ForeName>Entry</ForeName></Author>
        <Author ValidYN="Y"><LastName>Lee</LastName><Initials>K</Initials></Author>
      </AuthorList>
      <PublicationTypeList>
        <PublicationType>Systematic Review</PublicationType>
      </PublicationTypeList>
    </Article>
    <MedlineJournalInfo><MedlineTA>Synth J</MedlineTA><ISSNLinking>1234-5678</ISSNLinking>
    </MedlineJournalInfo>
    <CommentsCorrectionsList>
      <CommentsCorrections RefType="Cites"><RefSource>Old form</RefSource>
        <PMID Version="1">999</PMID></CommentsCorrections>
    </CommentsCorrectionsList>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList><ArticleId IdType="pubmed">111</ArticleId></ArticleIdList>
    <ReferenceList>
      <Reference><Citation>Ref A. doi: 10.1000/in.text</Citation></Reference>
      <Reference><Citation>Ref B</Citation>
        <ArticleIdList>
          <ArticleId IdType="doi">10.1000/ref.b</ArticleId>
          <ArticleId IdType="pubmed">222</ArticleId>
          <ArticleId IdType="pmc">PMC333</ArticleId>
        </ArticleIdList>
      </Reference>
      <ReferenceList>
        <Reference><Citation>Ref C (nested list)</Citation>
          <ArticleIdList><ArticleId IdType="pubmed">222</ArticleId></ArticleIdList>
        </Reference>
      </ReferenceList>
    </ReferenceList>
  </PubmedData>
</PubmedArticle>
<PubmedBookArticle><BookDocument><PMID>444</PMID></BookDocument></PubmedBookArticle>
</PubmedArticleSet>
"""


@pytest.fixture(scope="module")
def synth():
    recs = list(iter_efetch_records(_SYNTH))
    assert len(recs) == 1  # the book article is skipped
    return recs[0]


def test_synthetic_doi_falls_back_to_elocation_not_to_a_reference(synth):
    assert synth.doi == "10.1000/own.eloc"


def test_synthetic_reference_ids(synth):
    assert synth.references[1] == Reference(
        citation="Ref B", pmid="222", pmcid="PMC333", doi="10.1000/ref.b"
    )


def test_synthetic_reference_doi_from_citation_text(synth):
    assert synth.references[0].doi == "10.1000/in.text"


def test_synthetic_nested_reference_list_and_dedup(synth):
    assert [r.citation for r in synth.references] == [
        "Ref A. doi: 10.1000/in.text",
        "Ref B",
        "Ref C (nested list)",
    ]
    assert synth.reference_pmids == ["222"]
    assert synth.references_total == 3


def test_synthetic_reference_list_wins_over_comments_corrections(synth):
    assert "999" not in synth.reference_pmids


def test_synthetic_medline_date_printed_as_given(synth):
    assert synth.publication_date.printed == "2025 Sep-Oct"
    assert synth.year == "2025"


def test_synthetic_journal_fallbacks(synth):
    assert synth.journal.abbreviation == "Synth J"
    assert synth.journal.issn == "1234-5678"
    assert synth.journal.pages == "5-9"


def test_synthetic_authors(synth):
    assert [a.name for a in synth.authors] == ["Ann Smith Jr", "K Lee"]
    assert synth.authors[0].orcid == "0000-0002-1825-009X"
    assert synth.authors[1].fore_name is None


def test_synthetic_systematic_review_is_a_review(synth):
    assert (synth.is_review, synth.is_systematic_review) == (True, True)


def test_efetch_error_answer_raises():
    body = (
        b'<?xml version="1.0"?><eFetchResult><ERROR>Empty id list - nothing todo</ERROR>'
        b"</eFetchResult>"
    )
    with pytest.raises(EutilsError, match="Empty id list"):
        list(iter_efetch_records(body))


def test_efetch_truncated_xml_raises_after_complete_articles():
    body = _read("efetch-pubmed1.xml")
    cut = body[: body.index(b'<PMID Version="1">9997')]
    got = []
    with pytest.raises(EutilsError, match="malformed"):
        for rec in iter_efetch_records(cut):
            got.append(rec.pmid)
    assert got == ["12091962"]


def test_efetch_empty_set_yields_nothing():
    assert list(iter_efetch_records(b"<PubmedArticleSet></PubmedArticleSet>")) == []


# ------------------------------------------------------------------------ streaming


def _big_set(n: int) -> bytes:
    body = _read("efetch-pubmed7.xml")
    article = re.search(rb"<PubmedArticle>.*?</PubmedArticle>", body, re.S).group(0)
    own = b'<PMID Version="1">29963580</PMID>'
    assert article.count(own) == 1
    parts = [article.replace(own, b'<PMID Version="1">%d</PMID>' % (i + 1)) for i in range(n)]
    return (
        b'<?xml version="1.0"?>\n<PubmedArticleSet>\n'
        + b"\n".join(parts)
        + b"\n</PubmedArticleSet>"
    )


class _Spy:
    """Wraps lxml's iterparse and notes how many articles the root holds at each event."""

    def __init__(self, context) -> None:
        self.context = context
        self.sizes: list[int] = []

    def __iter__(self):
        for event, el in self.context:
            self.sizes.append(len(el.getparent()))
            yield event, el

    def __getattr__(self, name):
        return getattr(self.context, name)


def test_streaming_yields_all_and_clears_as_it_goes(monkeypatch):
    spies: list[_Spy] = []
    real = etree.iterparse

    def spy_iterparse(*args, **kwargs):
        spies.append(_Spy(real(*args, **kwargs)))
        return spies[-1]

    monkeypatch.setattr(eutils.etree, "iterparse", spy_iterparse)
    n = 2000
    pmids = [r.pmid for r in iter_efetch_records(io.BytesIO(_big_set(n)))]
    assert pmids == [str(i + 1) for i in range(n)]
    (spy,) = spies
    assert len(spy.sizes) == n
    # The root holds the current article plus the few libxml2 has already begun reading
    # ahead; without clearing it would hold every article read so far (up to 2000).
    assert max(spy.sizes) <= 8
    assert max(spy.sizes[-100:]) <= max(spy.sizes[:100]) + 2


def test_streaming_records_are_complete():
    recs = list(iter_efetch_records(_big_set(50)))
    assert all(r.references_total == 49 for r in recs)
    assert recs[-1].authors[-1].name == "Canadian Respiratory Research Network"


# --------------------------------------------------------------------------- elink


def test_elink1_one_set_per_id():
    links = parse_elink(_read("elink1.xml"))
    assert list(links) == ["9298984"]
    assert sorted(links["9298984"]) == [
        "pubmed_pubmed",
        "pubmed_pubmed_citedin",
        "pubmed_pubmed_combined",
        "pubmed_pubmed_five",
        "pubmed_pubmed_refs",
        "pubmed_pubmed_reviews",
        "pubmed_pubmed_reviews_five",
    ]


def test_elink1_similar_drops_the_source_itself():
    similar = parse_elink(_read("elink1.xml"))["9298984"]["pubmed_pubmed"]
    assert "9298984" not in similar
    assert len(similar) == 100  # 101 links in the file, the first is the article itself
    assert similar[:2] == ["8794856", "9700164"]
    assert similar[-1] == "17333235"


def test_elink1_cited_by_and_refs_in_order():
    links = parse_elink(_read("elink1.xml"))["9298984"]
    assert len(links["pubmed_pubmed_citedin"]) == 39
    assert links["pubmed_pubmed_citedin"][:3] == ["38830800", "38188366", "37424454"]
    assert links["pubmed_pubmed_citedin"][-1] == "9700164"
    assert len(links["pubmed_pubmed_refs"]) == 56
    assert links["pubmed_pubmed_refs"][0] == "14732139"
    assert links["pubmed_pubmed_refs"][-1] == "1339459"


def test_elink4_self_not_first_is_dropped_too():
    links = parse_elink(_read("elink4.xml"))["12242737"]
    assert len(links["pubmed_pubmed"]) == 155
    assert "12242737" not in links["pubmed_pubmed"]
    assert links["pubmed_pubmed"][0] == "38997184"
    assert links["pubmed_pubmed"][-1] == "13808134"


def test_elink4_cited_by():
    links = parse_elink(_read("elink4.xml"))["12242737"]
    assert links["pubmed_pubmed_citedin"] == [
        "40900773",
        "28779191",
        "21102533",
        "19517148",
        "19132488",
        "15278705",
    ]


def test_elink3_merged_link_set_is_refused():
    with pytest.raises(EutilsError, match="11812492.*11774222.*one id= parameter per id"):
        parse_elink(_read("elink3.xml"))


def test_elink_error_element_raises():
    body = b"<eLinkResult><ERROR>Invalid db name specified: pub</ERROR></eLinkResult>"
    with pytest.raises(EutilsError, match="Invalid db name specified: pub"):
        parse_elink(body)


def test_elink_several_link_sets_synthetic():
    body = b"""<eLinkResult>
      <LinkSet><DbFrom>pubmed</DbFrom><IdList><Id>1</Id></IdList>
        <LinkSetDb><DbTo>pubmed</DbTo><LinkName>pubmed_pubmed_citedin</LinkName>
          <Link><Id>5</Id></Link><Link><Id>4</Id></Link></LinkSetDb></LinkSet>
      <LinkSet><DbFrom>pubmed</DbFrom><IdList><Id>2</Id></IdList></LinkSet>
    </eLinkResult>"""
    assert parse_elink(body) == {"1": {"pubmed_pubmed_citedin": ["5", "4"]}, "2": {}}


def test_elink_rejects_other_documents():
    with pytest.raises(EutilsError):
        parse_elink(_read("esearch1.xml"))


# ------------------------------------------------------------------------- esearch


def test_esearch1():
    res = parse_esearch(_read("esearch1.xml"))
    assert isinstance(res, ESearchResult)
    assert (res.count, res.retmax, res.retstart) == (63, 20, 0)
    assert len(res.ids) == 20
    assert (res.ids[0], res.ids[-1]) == ("41282813", "37810457")
    assert res.query_translation == '"biopython"[All Fields]'
    assert (res.webenv, res.query_key) == (None, None)
    assert (res.errors, res.warnings) == ([], [])


def test_esearch2_history():
    res = parse_esearch(_read("esearch2.xml"))
    assert (res.count, res.retmax, res.retstart) == (42249, 100, 0)
    assert res.webenv == "MCID_6927d6e7fee3e90f880ec190"
    assert res.query_key == "1"
    assert len(res.ids) == 100
    assert (res.ids[0], res.ids[-1]) == ("41297076", "41296368")
    assert res.query_translation.startswith('("cancer s"[All Fields] OR "cancerated"')
    assert res.query_translation.endswith("AND 2025/09/27:2025/11/26[Date - Entry]")


def test_esearch3_paged():
    res = parse_esearch(_read("esearch3.xml"))
    assert (res.count, res.retmax, res.retstart) == (2651, 6, 6)
    assert res.ids == ["11121077", "11121076", "11121075", "11121074", "11121073", "11121072"]
    assert res.query_translation == '"proc natl acad sci u s a"[Journal] AND "97"[Volume]'


def test_esearch_error_and_warning_lists_synthetic():
    body = b"""<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart>
      <IdList/><TranslationSet/>
      <ErrorList><PhraseNotFound>zzqxq</PhraseNotFound></ErrorList>
      <WarningList><OutputMessage>No items found.</OutputMessage></WarningList>
      </eSearchResult>"""
    res = parse_esearch(body)
    assert res.count == 0 and res.ids == []
    assert res.errors == ["PhraseNotFound: zzqxq"]
    assert res.warnings == ["OutputMessage: No items found."]


def test_esearch_error_element_raises():
    body = b"<eSearchResult><ERROR>Search Backend failed: timeout</ERROR></eSearchResult>"
    with pytest.raises(EutilsError, match="Search Backend failed"):
        parse_esearch(body)


def test_esearch_rate_limit_json_raises_with_message():
    body = json.dumps({"error": "API rate limit exceeded", "count": "11", "limit": "10"})
    with pytest.raises(EutilsError, match="API rate limit exceeded"):
        parse_esearch(body.encode())


# ---------------------------------------------------------------- check_api_error

_KEY = "0123456789abcdef0123456789abcdef0123"


def test_rate_limit_json_message_without_key():
    body = json.dumps(
        {"error": "API rate limit exceeded", "api-key": _KEY, "count": "11", "limit": "10"}
    ).encode()
    message = check_api_error(body)
    assert message == "API rate limit exceeded (count 11, limit 10)"


def test_rate_limit_json_with_ip_in_place_of_key():
    body = b'{"error":"API rate limit exceeded","api-key":"203.0.113.7","count":"4","limit":"3"}'
    message = check_api_error(body)
    assert "203.0.113.7" not in message
    assert message.startswith("API rate limit exceeded")


def test_key_echoed_inside_a_message_is_redacted():
    body = b'{"error":"Invalid API key ' + _KEY.encode() + b'"}'
    message = check_api_error(body)
    assert _KEY not in message
    assert message.startswith("Invalid API key")


def test_xml_error_answer():
    body = (
        b'<?xml version="1.0"?>\n<eFetchResult><ERROR>Empty id list - nothing todo</ERROR>'
        b"</eFetchResult>"
    )
    assert check_api_error(body) == "Empty id list - nothing todo"


def test_json_esearch_error():
    body = b'{"header":{"type":"esearch"},"esearchresult":{"ERROR":"Invalid query"}}'
    assert check_api_error(body) == "Invalid query"


@pytest.mark.parametrize(
    "name", ["efetch-pubmed7.xml", "elink1.xml", "esearch2.xml", "efetch-pubmed1.xml"]
)
def test_normal_answers_are_not_errors(name):
    assert check_api_error(_read(name)) is None


def test_normal_json_answer_is_not_an_error():
    assert check_api_error(b'{"header":{},"esearchresult":{"count":"3","idlist":[]}}') is None


# ----------------------------------------------------------------- split_date_range


def test_split_leap_year():
    assert split_date_range("2020/01/01", "2020/12/31") == (
        ("2020/01/01", "2020/07/01"),
        ("2020/07/02", "2020/12/31"),
    )


def test_split_two_days():
    assert split_date_range("2021/03/01", "2021/03/02") == (
        ("2021/03/01", "2021/03/01"),
        ("2021/03/02", "2021/03/02"),
    )


def test_split_partial_dates_cover_whole_periods():
    assert split_date_range("2020", "2020") == split_date_range("2020/01/01", "2020/12/31")
    assert split_date_range("2021/02", "2021/02")[1][1] == "2021/02/28"


def test_split_single_day_cannot_be_split():
    with pytest.raises(ValueError):
        split_date_range("2021/03/01", "2021/03/01")


@pytest.mark.parametrize(
    ("lo", "hi"), [("1990/01/01", "2025/11/26"), ("2024/02/28", "2024/03/01"), ("2000", "2001")]
)
def test_split_halves_touch_without_gap_or_overlap(lo, hi):
    (a, b), (c, d) = split_date_range(lo, hi)

    def as_date(s: str) -> date:
        y, m, dd = (int(p) for p in s.split("/"))
        return date(y, m, dd)

    assert as_date(a) <= as_date(b)
    assert as_date(c) == as_date(b) + timedelta(days=1)
    assert as_date(c) <= as_date(d)
