"""classify(): real saved pages, and small SYNTHETIC pages for the kinds no fixture has."""

from __future__ import annotations

import re

import pytest
from conftest import fixture_path

from aggregator.sources.page import PageKind, classify, is_article_page

BASE = "https://pubmed.ncbi.nlm.nih.gov"


def load(name: str) -> bytes:
    return fixture_path("pubmed", name).read_bytes()


@pytest.mark.parametrize(
    ("name", "url", "kind"),
    [
        ("article-37882686.html", f"{BASE}/37882686/", PageKind.ARTICLE),
        ("search-machine-learning.html", f"{BASE}/?term=machine+learning", PageKind.RESULTS),
        ("search-hypertension-food.html", f"{BASE}/?term=x", PageKind.RESULTS),
        ("search-invalid-form.html", f"{BASE}/?term=x&format=bad", PageKind.INVALID_SEARCH),
    ],
)
def test_real_pages(name, url, kind):
    html = load(name)
    assert classify(html, url, 200) is kind
    assert classify(html.decode("utf-8"), url, 200) is kind


def test_is_article_page():
    assert is_article_page(load("article-37882686.html"))
    assert not is_article_page(load("search-machine-learning.html"))
    assert not is_article_page(load("search-invalid-form.html"))


def test_one_hit_search_answered_with_an_article_is_an_article():
    # PubMed answers a search matching one article with that article's page.
    assert classify(load("article-37882686.html"), f"{BASE}/?term=37882686", 200) is (
        PageKind.ARTICLE
    )


# --- SYNTHETIC inputs (hand-written, modelled on NCBI's published block/error pages) ---

SYNTHETIC_BLOCK = """<!DOCTYPE html><html><head><title>NCBI - WWW Error Blocked Diagnostic</title>
</head><body><h1 class="error">Access Denied</h1><p>Your access to the NCBI website has been
temporarily blocked due to a possible misuse/abuse situation.</p>
<dl id="diags"><dt>Server</dt><dd>misuse.ncbi.nlm.nih.gov</dd></dl></body></html>"""

SYNTHETIC_TOO_MANY = (
    "<html><head><title>429 Too Many Requests</title></head>"
    "<body><h1>Too Many Requests</h1></body></html>"
)

SYNTHETIC_COOKIE_CHALLENGE = """<html><head><title>PubMed</title>
<script>document.cookie = "ncbi_check=1; path=/"; location.reload();</script></head>
<body></body></html>"""

SYNTHETIC_NOSCRIPT_CHALLENGE = """<html><head><title>One moment…</title></head><body>
<noscript>Please enable JavaScript and cookies to continue.</noscript></body></html>"""

SYNTHETIC_NOT_FOUND = """<html><head><title>Page not available - PubMed</title>
<meta name="ncbi_pdid" content="error"></head><body><h1>Page not available</h1>
<p>Sorry, the page you requested is not available.</p></body></html>"""


def test_block_page_by_url():
    url = "https://misuse.ncbi.nlm.nih.gov/error/abuse.shtml"
    assert classify(SYNTHETIC_BLOCK, url, 200) is PageKind.BLOCKED


def test_block_page_by_content_with_status_200():
    assert classify(SYNTHETIC_BLOCK, f"{BASE}/1/", 200) is PageKind.BLOCKED
    assert classify(SYNTHETIC_BLOCK.encode(), f"{BASE}/1/", 200) is PageKind.BLOCKED


def test_too_many_requests():
    assert classify(SYNTHETIC_TOO_MANY, f"{BASE}/1/", 429) is PageKind.BLOCKED
    assert classify(SYNTHETIC_TOO_MANY, f"{BASE}/1/", 200) is PageKind.BLOCKED


def test_challenge_pages_served_with_200():
    assert classify(SYNTHETIC_COOKIE_CHALLENGE, f"{BASE}/1/", 200) is PageKind.CHALLENGE
    assert classify(SYNTHETIC_NOSCRIPT_CHALLENGE, f"{BASE}/1/", 200) is PageKind.CHALLENGE
    assert not is_article_page(SYNTHETIC_COOKIE_CHALLENGE)


def test_not_found_by_status_and_by_text():
    assert classify(SYNTHETIC_NOT_FOUND, f"{BASE}/99999999/", 404) is PageKind.NOT_FOUND
    assert classify(SYNTHETIC_NOT_FOUND, f"{BASE}/99999999/", 200) is PageKind.NOT_FOUND
    assert classify(b"", f"{BASE}/99999999/", 404) is PageKind.NOT_FOUND


def test_anything_else_is_other():
    assert classify("<html><body>hello</body></html>", f"{BASE}/about/", 200) is PageKind.OTHER
    assert classify(b"", f"{BASE}/1/", 500) is PageKind.OTHER


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("article-37882686.html", PageKind.ARTICLE),
        ("search-machine-learning.html", PageKind.RESULTS),
        ("search-invalid-form.html", PageKind.INVALID_SEARCH),
    ],
)
def test_real_pages_without_the_pdid_meta_are_recognised_by_markup(name, kind):
    html = load(name)
    stripped = re.sub(rb'<meta name="ncbi_pdid"[^>]*>', b"", html)
    assert stripped != html
    assert classify(stripped, BASE + "/", 200) is kind
