"""parse_results on saved search pages (values read from the HTML files) and results_url."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import fixture_path

from aggregator.sources.page import MAX_RESULTS, ResultsPage, parse_results, results_url

BASE = "https://pubmed.ncbi.nlm.nih.gov"


def load(name: str) -> bytes:
    return fixture_path("pubmed", name).read_bytes()


def test_machine_learning_search():
    page = parse_results(load("search-machine-learning.html"), f"{BASE}/?term=machine+learning")
    assert page.pmids == [
        "34518686",
        "32704420",
        "26572668",
        "30102808",
        "32800297",
        "34338485",
        "33290932",
        "32011262",
        "38057999",
        "31539636",
    ]
    assert page.total == 183667
    assert page.page == 1
    assert page.page_size == 10
    assert page.last_page == 1000  # data-max-page: PubMed stops at 10,000 results
    assert page.invalid is False
    assert page.truncated is True
    assert page.displayed_pmids == page.pmids
    assert page.query == "machine learning"
    assert page.has_next is True


def test_hypertension_food_search_browser_snapshot():
    page = parse_results(load("search-hypertension-food.html"), f"{BASE}/?term=x")
    assert page.total == 1835
    assert page.pmids[:3] == ["34601963", "38325949", "33201873"]
    assert page.pmids[-1] == "39179503"
    assert len(page.pmids) == 10
    assert page.last_page == 184
    assert page.truncated is False
    assert page.invalid is False


def test_invalid_form():
    page = parse_results(load("search-invalid-form.html"), f"{BASE}/?term=x&format=bad")
    assert page.invalid is True
    assert page.pmids == []
    assert page.total == 0
    assert page.has_next is False


def test_truncated_boundary():
    assert not ResultsPage(total=MAX_RESULTS).truncated
    assert ResultsPage(total=MAX_RESULTS + 1).truncated
    assert not ResultsPage(total=None).truncated


def test_results_url_search_is_encoded_in_stable_order():
    url = results_url(f"{BASE}/", term="(hypertension[Title]) AND food", page=3)
    assert url == f"{BASE}/?term=%28hypertension%5BTitle%5D%29+AND+food&size=200&page=3"
    assert parse_qsl(urlsplit(url).query) == [
        ("term", "(hypertension[Title]) AND food"),
        ("size", "200"),
        ("page", "3"),
    ]


def test_results_url_linkname():
    url = results_url(BASE, linkname="pubmed_pubmed_citedin", from_uid="37882686", size=10)
    assert url == f"{BASE}/?linkname=pubmed_pubmed_citedin&from_uid=37882686&size=10&page=1"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"term": "x", "linkname": "pubmed_pubmed", "from_uid": "1"},
        {"linkname": "pubmed_pubmed"},
        {"linkname": "pubmed_pubmed", "from_uid": "abc"},
        {"term": "x", "size": 30},
        {"term": "x", "page": 0},
    ],
)
def test_results_url_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        results_url(BASE, **kwargs)
