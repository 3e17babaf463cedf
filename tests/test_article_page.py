"""parse_article on the saved article page 37882686 (values read from the HTML file),
plus small synthetic pages (labelled) for what the real page lacks."""

from __future__ import annotations

import json
import re

import pytest
from conftest import fixture_path

from aggregator.records import ArticleRecord, MeshTerm, Reference, Relation
from aggregator.sources.page import ArticleParseError, parse_article
from aggregator.sources.page.article import lists_shown_whole

URL = "https://pubmed.ncbi.nlm.nih.gov/37882686/"
PAGE = fixture_path("pubmed", "article-37882686.html")


@pytest.fixture(scope="module")
def html() -> bytes:
    return PAGE.read_bytes()


@pytest.fixture(scope="module")
def rec(html):
    return parse_article(html, URL)


def test_ids(rec):
    assert rec.pmid == "37882686"
    assert rec.source == "page"
    assert rec.doi == "10.1097/CRD.0000000000000623"
    assert rec.pmcid is None
    assert rec.source_url == URL
    assert rec.provenance is None and rec.fetched_at is None


def test_str_and_bytes_give_the_same_record(html, rec):
    assert parse_article(html.decode("utf-8"), URL) == rec


def test_title(rec):
    assert rec.title == (
        "Aortic Valve Replacement and Repair With or Without Concomitant Ascending Aorta "
        "Replacement: Impact on Outcomes: A Systematic Review"
    )


def test_authors(rec):
    assert len(rec.authors) == 6
    assert rec.authors[0].name == "Chen Zhang"
    assert rec.authors[-1].name == "Mohamed Zeinah"
    assert (rec.authors[0].last_name, rec.authors[0].fore_name) == ("Zhang", "Chen")
    assert not any(a.collective for a in rec.authors)
    assert all(a.orcid is None for a in rec.authors)


def test_affiliations_resolved_per_author(rec):
    assert rec.authors[1].affiliations == [
        "Department of Plastic Surgery, Nottingham City Hospital, Nottingham, United Kingdom."
    ]
    # Mohamed Zeinah links affiliations 5 and 7.
    assert rec.authors[5].affiliations == [
        "Department of Cardiothoracic Surgery, Liverpool Heart and Chest Hospital, "
        "Liverpool, United Kingdom.",
        "Faculty of Medicine, Ain Shams University, Cairo Egypt.",
    ]


def test_journal(rec):
    j = rec.journal
    assert j.title == "Cardiology in review"
    assert j.abbreviation == "Cardiol Rev"
    assert (j.volume, j.issue, j.pages) == ("33", "5", "407-418")
    assert j.issn == "1538-4683"  # meta citation_issn


def test_dates(rec):
    assert rec.publication_date.printed == "2025 Sep-Oct"
    assert rec.publication_date.year == "2025"
    assert rec.publication_date.epub == "2023 Oct 26"
    assert rec.year == "2025"


def test_publication_types_and_review_flags(rec):
    assert rec.publication_types == ["Systematic Review"]
    assert rec.is_review is True
    assert rec.is_systematic_review is True


def test_abstract_is_one_unstructured_section(rec):
    assert len(rec.abstract) == 1
    section = rec.abstract[0]
    assert section.label is None
    assert section.text.startswith("Aortic valve surgery is a common procedure used to treat")
    assert section.text.endswith("long-term changes to aorta dimensions.")
    assert "Keywords" not in section.text


def test_keywords(rec):
    assert rec.keywords == ["aorta", "mortality", "outcomes", "valve surgery"]


def test_mesh_terms(rec):
    by_name = {m.descriptor: m for m in rec.mesh_terms}
    assert len(rec.mesh_terms) == 9  # 12 list items, qualifiers of one descriptor merged
    assert by_name["Aortic Diseases"] == MeshTerm(
        descriptor="Aortic Diseases", qualifiers=["complications", "surgery"], major=True
    )
    assert by_name["Humans"] == MeshTerm(descriptor="Humans", qualifiers=[], major=False)
    assert [m.descriptor for m in rec.mesh_terms][:2] == ["Aorta", "Aortic Diseases"]


def test_conflict_of_interest(rec):
    assert rec.conflict_of_interest == "Disclosure: The authors declare no conflict of interest."


def test_references(rec):
    assert len(rec.references) == 5
    assert rec.references_total == 26
    assert rec.references[1] == Reference(
        citation="Bhudia SK, McCarthy PM, Kumpati GS, et al. Improved outcomes after aortic "
        "valve surgery for chronic aortic regurgitation with severe left ventricular "
        "dysfunction. J Am Coll Cardiol. 2007;49:1465–1471."
    )
    assert rec.references[4].citation.startswith("Roberts WC, Vowels TJ, Ko JM, et al.")
    # The saved page's reference items carry no id links.
    assert all(r.pmid is None and r.pmcid is None and r.doi is None for r in rec.references)
    assert rec.reference_pmids == []


def test_similar_and_cited_by(rec):
    assert rec.similar_pmids == ["39324444", "24006478", "10814927", "16097620", "29553663"]
    assert rec.cited_by_pmids == []


def test_no_extension_noise_or_ui_labels(rec):
    dumped = json.dumps(rec.to_dict(), ensure_ascii=False)
    for noise in (
        "IF 2.3",
        "SCI",
        "医学",
        "SWJTU",
        "sci-hub",
        "Cardiology in Review",  # easyScholar's capitalisation of the journal name
        "Search in PubMed",
        "Search in MeSH",
        "Search in NLM Catalog",
        "Add to Search",
        "Actions",
        "Expand",
        "Show all",
        "doi:",
        "PMID:",
        "<",
    ):
        assert noise not in dumped, noise
    assert not re.search(r"[\u4e00-\u9fff]", dumped)
    assert not re.search(r"\s{2,}", dumped)


def test_page_without_title_raises(html):
    text = html.decode("utf-8")
    untitled = re.sub(r'<h1 class="heading-title">.*?</h1>', "", text, count=1, flags=re.S)
    assert untitled != text
    with pytest.raises(ArticleParseError, match="title"):
        parse_article(untitled, URL)


def test_not_an_article_raises():
    results = fixture_path("pubmed", "search-machine-learning.html").read_bytes()
    with pytest.raises(ArticleParseError):
        parse_article(results, "https://pubmed.ncbi.nlm.nih.gov/?term=machine+learning")
    with pytest.raises(ArticleParseError):
        parse_article(b"", URL)


# SYNTHETIC: a hand-written page in PubMed's article markup with what the saved page
# lacks (easyScholar noise inside the selected elements, structured abstract,
# sub/superscripts, PMC id, ORCID, collective author, starred qualifier, reference id
# links, a Cited-by list). Expected values are the ones written into this HTML.
SYNTHETIC = """<!DOCTYPE html><html><head><title>t</title>
<meta name="ncbi_pdid" content="abstract"></head><body><main id="article-details">
<header id="heading"><div class="full-view" id="full-view-heading">
 <div class="article-citation"><div class="article-source">
  <button class="journal-actions-trigger trigger" title="Test journal">Test J</button>
  <span class="period">. </span><span class="cit">2021 Mar 5;10:e12.</span></div>
  <span class="citation-doi">doi: 10.1/abc.<a class="easyScholarDOI"
   href="https://www.sci-hub.vg/10.1/abc">SH</a></span></div>
 <h1 class="heading-title">CO<sub>2</sub> and Ca<sup>2+</sup> in <i>E. coli</i></h1>
 <div class="authors-list">
  <span class="authors-list-item"><a class="full-name" href="/?term=Smith+JA&amp;cauthor_id=1"
   >Jane A Smith</a><a href="https://orcid.org/0000-0002-1825-0097" class="orcid">ORCID</a
   ><sup class="affiliation-links"><a class="affiliation-link" href="#full-view-affiliation-1"
   title="Lab A.">1</a></sup><span class="comma">, </span></span>
  <span class="authors-list-item"><a class="full-name"
   href="/?term=EXAMPLE+Trial+Group%5BCorporate+Author%5D">EXAMPLE Trial Group</a></span>
 </div>
 <ul class="item-list"><li data-affiliation-id="full-view-affiliation-1"
  ><sup class="key">1</sup> Lab A, Town.</li></ul>
 <ul class="identifiers" id="full-view-identifiers">
  <li><span class="identifier pubmed"><span class="id-label">PMID:</span>
   <strong class="current-id">111</strong></span></li>
  <li><span class="identifier pmc"><span class="id-label">PMCID:</span>
   <a class="id-link" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC777/">PMC777</a></span></li>
 </ul></div></header>
<div class="abstract" id="abstract"><div class="abstract-content selected" id="eng-abstract">
 <p><strong class="sub-title"> Background: </strong> Why H<sub>2</sub>O.</p>
 <p><strong class="sub-title">Methods:</strong> How.</p></div>
 <p><strong class="sub-title">Keywords:</strong> one; two.</p></div>
<div id="mesh-terms" class="mesh-terms keywords-section"><ul class="keywords-list">
 <li><button class="keyword-actions-trigger">Aorta / surgery*</button></li></ul></div>
<div class="references" id="references"><ol class="references-list"><li>
 <ol class="references-and-notes-list"><li>Doe J. A paper. <span
  class="easyscholar-5 easyscholar-ranking">Nature Badge</span>Nature. 2020.
  <a class="reference-link" href="https://doi.org/10.2/xyz">DOI</a> -
  <a class="reference-link" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC5/">PMC</a> -
  <a class="reference-link" href="/222/">PubMed</a></li></ol></li></ol></div>
<div class="similar-articles" id="similar"><ul class="articles-list">
 <li class="full-docsum"><a class="docsum-title" href="/111/">self</a></li>
 <li class="full-docsum"><a class="docsum-title" href="/333/" data-article-id="333">x</a></li>
</ul></div>
<div class="cited-by" id="citedby"><ul class="articles-list">
 <li class="full-docsum"><a class="docsum-title" href="/444/">y</a></li></ul></div>
</main></body></html>"""


@pytest.fixture(scope="module")
def synthetic():
    return parse_article(SYNTHETIC, "https://pubmed.ncbi.nlm.nih.gov/111/")


def test_synthetic_markup_in_text_adds_no_spaces(synthetic):
    assert synthetic.title == "CO2 and Ca2+ in E. coli"


def test_synthetic_structured_abstract(synthetic):
    assert [(s.label, s.text) for s in synthetic.abstract] == [
        ("Background", "Why H2O."),
        ("Methods", "How."),
    ]
    assert synthetic.keywords == ["one", "two"]


def test_synthetic_ids_authors_and_mesh(synthetic):
    assert (synthetic.pmid, synthetic.pmcid, synthetic.doi) == ("111", "PMC777", "10.1/abc")
    assert synthetic.journal.volume == "10" and synthetic.journal.pages == "e12"
    smith, group = synthetic.authors
    assert (smith.orcid, smith.last_name, smith.fore_name) == (
        "0000-0002-1825-0097",
        "Smith",
        "Jane A",
    )
    assert smith.affiliations == ["Lab A, Town."]
    assert group.collective and group.name == "EXAMPLE Trial Group"
    assert synthetic.mesh_terms == [
        MeshTerm("Aorta", ["surgery"], major=False, major_qualifiers=["surgery"])
    ]


def test_synthetic_reference_ids_and_lists(synthetic):
    assert synthetic.references == [
        Reference("Doe J. A paper. Nature. 2020.", pmid="222", pmcid="PMC5", doi="10.2/xyz")
    ]
    assert synthetic.references_total == 1
    assert synthetic.similar_pmids == ["333"]
    assert synthetic.cited_by_pmids == ["444"]


def test_lists_shown_whole_on_the_real_page(rec):
    # the saved page prints 5 references under "Show all 26 references" and has no
    # "Cited by" section: its cited-by list page would be empty, its references one is not
    assert len(rec.references) == 5 and rec.references_total == 26
    assert rec.cited_by_pmids == []
    assert lists_shown_whole(rec) == {Relation.CITED_BY}


def test_lists_shown_whole_counts_what_the_page_prints():
    refs = [Reference(citation=f"Ref {i}.") for i in range(4)]
    short = ArticleRecord(pmid="1", cited_by_pmids=["2", "3", "4", "5", "6"],
                          references=refs, references_total=4)
    assert lists_shown_whole(short) == {Relation.REFERENCES}  # 5 cited-by: maybe more
    more = ArticleRecord(pmid="1", references=refs, references_total=12)
    assert lists_shown_whole(more) == {Relation.CITED_BY}
