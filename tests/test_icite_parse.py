"""The iCite ``/api/pubs`` parser, on answers in the documented shape.

No real saved iCite answer is public that we could cite with its provenance, so these
answers are written from the documentation (README, "iCite: what the API answers"): the
values of 23456789 are those of the example on support.icite.nih.gov ("Bulk Data and
API") and of the older example on icite.od.nih.gov/api (``"Yes"``/``"No"`` flags); the
``{"data": [...]}`` envelope and the unordered, gap-leaving answer are as pmidcite's
client (dvklopfenstein/pmidcite, pmidcite/icite/api.py) reads them.
"""

from __future__ import annotations

import json

import pytest

from aggregator.sources.icite.parse import FIELDS, IciteError, parse_pubs

# Support page example (2024-): booleans, numeric PMIDs in the lists.
SUPPORT_PAGE = {
    "data": [{
        "_id": "23456789", "doi": "10.1002/cncr.27976", "pmid": 23456789,
        "title": "Hospital volume is associated with survival but not multimodality therapy "
                 "in Medicare patients with advanced head and neck cancer.",
        "animal": 0, "apt": 0.75, "human": 1, "citedByClinicalArticle": True,
        "year": 2013, "journal": "Cancer", "is_research_article": True,
        "relative_citation_ratio": 1.60818336106796, "nih_percentile": 67.5,
        "molecular_cellular": 0, "is_clinical": False, "citation_count": 41,
        "provisional": False, "cited_by_clin": [25488965, 29180076],
        "cited_by": [25488965, 29180076, 31034100], "references": [19349544, 21081823],
    }],
}
# Older API page example: "Yes"/"No" strings, null lists.
LEGACY_PAGE = {
    "data": [
        {"pmid": 27599104, "relative_citation_ratio": 9.64, "nih_percentile": 97.8,
         "apt": 0.95, "citation_count": 213, "provisional": "No", "cited_by_clin": None,
         "cited_by": [30000002, 30000001], "references": None},
        {"pmid": 23456789, "relative_citation_ratio": None, "nih_percentile": None,
         "apt": 0.05, "citation_count": 0, "provisional": "Yes", "cited_by_clin": [],
         "cited_by": [], "references": [1, 1, 2]},
    ],
}


def test_the_support_page_example_reads_as_printed():
    pubs = parse_pubs(json.dumps(SUPPORT_PAGE).encode())
    pub = pubs["23456789"]
    assert pub.citation_count == 41
    assert pub.relative_citation_ratio == pytest.approx(1.60818336106796)
    assert pub.nih_percentile == 67.5
    assert pub.apt == 0.75
    assert pub.cited_by_clinical_count == 2
    assert pub.provisional is False
    assert pub.cited_by == ["25488965", "29180076", "31034100"]  # strings, order kept
    assert pub.references == ["19349544", "21081823"]


def test_legacy_flags_null_lists_repeats_and_answer_order():
    pubs = parse_pubs(json.dumps(LEGACY_PAGE))
    assert list(pubs) == ["27599104", "23456789"]  # keyed by PMID: iCite keeps no order
    old, new = pubs["27599104"], pubs["23456789"]
    assert old.provisional is False and new.provisional is True
    assert old.references == [] and old.cited_by_clinical_count is None  # null: not known
    assert new.cited_by_clinical_count == 0
    assert new.references == ["1", "2"]  # a repeated PMID once
    assert new.relative_citation_ratio is None  # no RCR without citations


def test_an_unknown_pmid_simply_has_no_entry():
    assert "99999999" not in parse_pubs(json.dumps(SUPPORT_PAGE))
    assert parse_pubs(b'{"data": []}') == {}


@pytest.mark.parametrize("body", [
    b"<html><body>Service unavailable</body></html>",  # an HTML error page with 200
    b'{"data": [{"pmid": 1, "cited_by": [',  # cut short
    b'{"error": "too many pmids"}',  # another document
    b'{"data": [{"title": "no pmid"}]}',
    b'{"data": [{"pmid": 5, "cited_by": 7}]}',
])
def test_anything_else_is_an_icite_error(body):
    with pytest.raises(IciteError):
        parse_pubs(body)


def test_requests_ask_only_for_the_fields_the_crawl_uses():
    assert set(FIELDS) == {"pmid", "citation_count", "relative_citation_ratio",
                           "nih_percentile", "apt", "cited_by_clin", "provisional",
                           "cited_by", "references"}
