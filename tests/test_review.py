"""Tests for aggregator.review_facts: real abstracts (pages, efetch XML) and labelled snippets.

Expected values were read by hand from the fixture files, not copied from the code's output.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree, html

from aggregator.records import AbstractSection
from aggregator.review_facts import extract_review, parse_count, split_sentences

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


accuracy = _load("review_accuracy", ROOT / "benchmarks" / "review_accuracy.py")
cases = accuracy.load_cases()


# --------------------------------------------------------------------------- real texts


@pytest.fixture(scope="module")
def ketamine():
    """PMID 34984054 (plain-text copy of its page): a systematic review of IV ketamine."""
    text = (FIXTURES / "000_805ab5f4c0c8c59b.txt").read_text(encoding="utf-8")
    title = re.search(r"^(.+?) - PubMed Skip to main page content$", text, re.M).group(1)
    paragraph = text.split("\nAbstract\n\n", 1)[1].split("\n", 1)[0]
    parts = re.split(r"(?:^|\s)(Background|Methods|Results|Conclusion): ", paragraph)[1:]
    pairs = zip(parts[::2], parts[1::2], strict=True)
    sections = [AbstractSection(label, body.strip()) for label, body in pairs]
    # The page shows the publication type "Review" above the title (line 22 of the file).
    return title, sections, extract_review(title, sections, ["Review"])


def test_ketamine_sections_built(ketamine):
    title, sections, _ = ketamine
    assert title == "Systematic Review of the Use of Intravenous Ketamine for Fibromyalgia"
    assert [s.label for s in sections] == ["Background", "Methods", "Results", "Conclusion"]


def test_ketamine_type_from_title(ketamine):
    title, _, review = ketamine
    assert review.type == "systematic_review"  # "Review" refined by the title
    assert review.evidence["type"] == title


def test_ketamine_studies_included(ketamine):
    assert ketamine[2].studies_included == 7  # "found 7 publications that included 118…"


def test_ketamine_participants(ketamine):
    assert ketamine[2].participants == 118


def test_ketamine_count_evidence(ketamine):
    sentence = ketamine[2].evidence["participants"]
    assert sentence.startswith("We used the keywords")
    assert sentence.endswith("who met inclusion criteria.")
    assert ketamine[2].evidence["studies_included"] == sentence


def test_ketamine_study_designs(ketamine):
    # "Clinical studies revealed…", "Case studies suggest…" are results, not included designs
    assert ketamine[2].study_designs == []


def test_ketamine_databases(ketamine):
    assert ketamine[2].databases == []  # "We conducted a literature search": none named


def test_ketamine_search_period(ketamine):
    assert ketamine[2].search_period is None


def test_ketamine_registration(ketamine):
    assert ketamine[2].registration is None


def test_ketamine_guideline(ketamine):
    # PRISMA is named only in a figure caption, outside the abstract
    assert ketamine[2].guideline is None


@pytest.fixture(scope="module")
def aortic():
    """PMID 37882686 (saved article page): a systematic review of aortic valve surgery."""
    root = html.parse(str(FIXTURES / "pubmed" / "article-37882686.html")).getroot()
    title = " ".join(root.cssselect("h1.heading-title")[0].text_content().split())
    text = " ".join(root.cssselect("#abstract .abstract-content")[0].text_content().split())
    types = [" ".join(b.text_content().split())
             for b in root.cssselect("#publication-types button.keyword-actions-trigger")]
    return types, text, extract_review(title, [AbstractSection(None, text)], types)


def test_aortic_inputs(aortic):
    types, text, _ = aortic
    assert types == ["Systematic Review"]
    assert text.startswith("Aortic valve surgery is a common procedure")


def test_aortic_type(aortic):
    review = aortic[2]
    assert review.type == "systematic_review"
    assert review.evidence["type"] == "publication type: Systematic Review"


def test_aortic_studies_included(aortic):
    assert aortic[2].studies_included == 6  # "1189 patients from 6 retrospective cohort studies"


def test_aortic_participants(aortic):
    assert aortic[2].participants == 1189


def test_aortic_study_designs(aortic):
    # "case series" (an exclusion criterion) and "lack of randomized controlled trials"
    # are not designs of the included studies
    assert aortic[2].study_designs == ["retrospective cohort"]


def test_aortic_databases(aortic):
    # "…using electronic databases PubMed, Cochrane Library, Embase Ovid, and SCOPUS."
    assert aortic[2].databases == ["PubMed/MEDLINE", "Cochrane Library", "Embase", "Scopus"]


def test_aortic_search_period(aortic):
    assert aortic[2].search_period == "since 2010"


def test_aortic_registration(aortic):
    assert aortic[2].registration is None


def test_aortic_guideline(aortic):
    assert aortic[2].guideline is None


def test_aortic_evidence_is_from_the_abstract(aortic):
    _, text, review = aortic
    assert set(review.evidence) == {"type", "studies_included", "participants",
                                    "study_designs", "databases", "search_period"}
    for field, sentence in review.evidence.items():
        if field != "type":
            assert sentence in text


def _efetch_articles() -> list[tuple[str, str, str | None, list[AbstractSection], list[str]]]:
    """(file, pmid, title, abstract sections, publication types) of every efetch article."""
    out = []
    for path in sorted((FIXTURES / "eutils").glob("efetch-pubmed*.xml")):
        for art in etree.parse(str(path)).iter("PubmedArticle"):
            pmid = art.findtext(".//MedlineCitation/PMID")
            title_el = art.find(".//ArticleTitle")
            title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else None
            sections = [AbstractSection(a.get("Label"), " ".join("".join(a.itertext()).split()))
                        for a in art.iter("AbstractText")]
            types = [t.text for t in art.iter("PublicationType")]
            out.append((path.name, pmid, title, sections, types))
    return out


EFETCH = _efetch_articles()
#: Read from the XML: only 12091962 has the publication type "Review" (and no abstract);
#: the others are primary studies (Journal Article, Observational Study, …).
EFETCH_TYPES = {"12091962": "narrative_review", "9997": None, "11748933": None,
                "11700088": None, "27797938": None, "28775130": None, "30108519": None,
                "29963580": None}


def test_efetch_fixtures_all_seen():
    assert sorted(pmid for _, pmid, *_ in EFETCH) == sorted(EFETCH_TYPES)


@pytest.mark.parametrize(("name", "pmid", "title", "sections", "types"), EFETCH,
                         ids=[f"{e[0]}:{e[1]}" for e in EFETCH])
def test_efetch_records(name, pmid, title, sections, types):
    review = extract_review(title, sections, types)
    assert review.type == EFETCH_TYPES[pmid]
    assert review.studies_included is None
    assert review.participants is None
    assert review.study_designs == []  # 27797938's "five prospective US cohorts" is its own
    assert review.databases == []
    assert review.search_period is None  # 28775130's "2010-2013" is a sampling period
    assert review.registration is None
    assert review.guideline is None


def test_efetch_review_without_abstract_has_type_evidence():
    _, _, title, sections, types = next(e for e in EFETCH if e[1] == "12091962")
    review = extract_review(title, sections, types)
    assert review.evidence == {"type": "publication type: Review"}


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize(("token", "value"), [
    ("Twelve", 12), ("seventeen", 17), ("ninety-nine", 99), ("twenty one", 21),
    ("one hundred", 100), ("one hundred and five", 105),
    ("two thousand three hundred and forty-five", 2345),
    ("2,345", 2345), ("2 345", 2345), ("2\u202f345", 2345), ("118", 118), ("banana", None),
])
def test_parse_count(token, value):
    assert parse_count(token) == value


_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
               "ninety"]


def _words(n: int) -> str:
    if n == 100:
        return "one hundred"
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS_WORDS[tens] + (f"-{_ONES[ones]}" if ones else "")


@pytest.mark.parametrize("n", range(1, 101))
def test_number_words_1_to_100(n):
    text = f"{_words(n).capitalize()} studies were included."
    review = extract_review(None, [AbstractSection(None, text)], ["Systematic Review"])
    assert review.studies_included == n


def test_counts_need_a_review():
    text = "A total of 1,024 patients from 12 studies were included."
    review = extract_review(None, [AbstractSection(None, text)], ["Journal Article"])
    assert review.type is None
    assert review.studies_included is None
    assert review.participants is None


def test_type_from_both_publication_types():
    review = extract_review(None, [], ["Journal Article", "Meta-Analysis", "Systematic Review"])
    assert review.type == "systematic_review_and_meta_analysis"
    assert review.evidence["type"] == "publication type: Meta-Analysis, Systematic Review"


def test_type_refined_by_title():
    title = "Statins and dementia: a systematic review and meta-analysis"
    review = extract_review(title, [], ["Systematic Review"])
    assert review.type == "systematic_review_and_meta_analysis"
    assert review.evidence["type"] == title


def test_type_from_abstract_keeps_its_sentence():
    sentence = "We conducted a systematic review of randomized trials of exercise."
    review = extract_review(None, [AbstractSection("Methods", sentence)], [])
    assert review.type == "systematic_review"
    assert review.evidence["type"] == sentence


def test_databases_deduplicated_in_order_of_mention():
    text = "We searched Scopus, PubMed, MEDLINE (Ovid), Embase and the Cochrane Library."
    review = extract_review(None, [AbstractSection(None, text)], ["Systematic Review"])
    assert review.databases == ["Scopus", "PubMed/MEDLINE", "Embase", "Cochrane Library"]


def test_split_sentences_keeps_abbreviations():
    text = "Smith et al. included 12 trials, e.g. RCTs. We included 14 studies."
    assert split_sentences(text) == ["Smith et al. included 12 trials, e.g. RCTs.",
                                     "We included 14 studies."]


def test_no_abstract_no_type():
    review = extract_review("Leucocyte telomere length and risk", [], ["Journal Article"])
    assert review.type is None
    assert review.evidence == {}


# --------------------------------------------------------------------------- labelled set


def test_labelled_set_meets_the_brief():
    assert len(cases.CASES) >= 40
    assert sum(1 for c in cases.CASES if c.traps) * 2 >= len(cases.CASES)
    assert len({c.name for c in cases.CASES + cases.HOLDOUT}) == len(cases.CASES + cases.HOLDOUT)
    for case in cases.CASES + cases.HOLDOUT:
        for field in case.traps:
            assert getattr(case, field) in (None, ()), f"{case.name}: trap {field} not null"


@pytest.mark.parametrize("name", ["CASES", "HOLDOUT"])
def test_labelled_precision(name):
    result = accuracy.score(getattr(cases, name), cases.SCALAR_FIELDS, cases.LIST_FIELDS)
    assert result["overall"].precision >= 0.9, accuracy.markdown(result)
