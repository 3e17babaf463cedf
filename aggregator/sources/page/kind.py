"""Tell what a PubMed answer is before parsing it (cheap: URL, status, head markers).

PubMed marks its own pages in the head (``<meta name="ncbi_pdid" content="abstract">``
for an article, ``"searchresult"`` for search and list pages), so real pages are
recognised from the first kilobytes. Only pages without those markers (block pages,
JavaScript/cookie checks, error pages: all small) are searched for text markers.
"""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import urlsplit

from aggregator.text import clean

__all__ = ["PageKind", "classify", "is_article_page"]


class PageKind(StrEnum):
    """What an answer from PubMed (or NCBI's guard in front of it) is."""

    ARTICLE = "article"
    RESULTS = "results"
    NOT_FOUND = "not_found"
    BLOCKED = "blocked"
    CHALLENGE = "challenge"
    INVALID_SEARCH = "invalid_search"
    OTHER = "other"


#: How much of the start of a page is searched for markers. PubMed's head metas sit in
#: the first ~5 KB; browser snapshots can push them further with injected styles.
_HEAD_WINDOW = 64 * 1024

_CONTENT = re.compile(r"""content\s*=\s*["']([^"']*)""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_INVALID_FORM = "[Invalid form]"

_BLOCK_MARKERS = (
    "misuse.ncbi.nlm.nih.gov",
    "blocked diagnostic",
    "blocked for possible abuse",
    "has been temporarily blocked",
    "too many requests",
    "rate limit exceeded",
)
_NOT_FOUND_MARKERS = (
    "page not available",
    "page not found",
    "could not be found",
    "was not found on this server",
    "the requested page is not available",
    "no such article",
)
_CHALLENGE_MARKERS = (
    "document.cookie",
    "location.replace(",
    "location.reload(",
    "window.location",
    "location.href=",
    "location.href =",
    'http-equiv="refresh"',
    "http-equiv='refresh'",
    "enable javascript",
    "javascript is required",
    "javascript to continue",
    "checking your browser",
    "verify you are human",
    "captcha",
)


def _needle(html: str | bytes, text: str) -> str | bytes:
    return text.encode() if isinstance(html, bytes) else text


def _as_text(part: str | bytes) -> str:
    return part.decode("utf-8", "replace") if isinstance(part, bytes) else part


def _lower_window(html: str | bytes) -> str:
    """The start of the page as lower-cased text, for pages that are not PubMed's own."""
    return _as_text(html[:_HEAD_WINDOW]).lower()


def _pdid(html: str | bytes) -> str | None:
    """The ``ncbi_pdid`` meta's content (attribute order does not matter)."""
    at = html.find(_needle(html, "ncbi_pdid"), 0, _HEAD_WINDOW)
    if at < 0:
        return None
    tag_start = html.rfind(_needle(html, "<"), 0, at)
    tag_end = html.find(_needle(html, ">"), at)
    if tag_start < 0 or tag_end < 0:
        return None
    m = _CONTENT.search(_as_text(html[tag_start:tag_end]))
    return m.group(1).strip().lower() if m else None


def _title(html: str | bytes) -> str:
    at = html.find(_needle(html, "<title"), 0, _HEAD_WINDOW)
    if at < 0:
        at = html.find(_needle(html, "<TITLE"), 0, _HEAD_WINDOW)
    if at < 0:
        return ""
    end = html.find(_needle(html, "</"), at, at + 4096)
    m = _TITLE.search(_as_text(html[at : end + 8] if end > 0 else html[at : at + 4096]))
    return (clean(m.group(1)) or "") if m else ""


def _has_article_markup(html: str | bytes) -> bool:
    return _needle(html, 'id="full-view-heading"') in html


def _has_results_markup(html: str | bytes) -> bool:
    if html.find(_needle(html, 'name="log_resultcount"'), 0, _HEAD_WINDOW) >= 0:
        return True
    return _needle(html, 'id="search-results"') in html


def is_article_page(html: str | bytes) -> bool:
    """True for a PubMed article page (also what a one-hit search answers with)."""
    pdid = _pdid(html)
    if pdid is not None:
        return pdid == "abstract"
    return _has_article_markup(html)


def classify(html: str | bytes, url: str, status: int) -> PageKind:
    """Classify a PubMed answer from its URL, HTTP status and a few markers."""
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("misuse.") or status == 429:
        return PageKind.BLOCKED
    if status in (404, 410):
        return PageKind.NOT_FOUND
    html = html or b""

    pdid = _pdid(html)
    if pdid == "abstract" or (pdid is None and status == 200 and _has_article_markup(html)):
        return PageKind.ARTICLE
    if pdid == "searchresult" or (pdid is None and _has_results_markup(html)):
        invalid = html.find(_needle(html, f'content="{_INVALID_FORM}"'), 0, _HEAD_WINDOW) >= 0
        if invalid or _title(html).startswith(_INVALID_FORM):
            return PageKind.INVALID_SEARCH
        return PageKind.RESULTS

    # Not PubMed's own article or results markup: small pages, searched as text.
    start = _lower_window(html)
    if status == 403 or any(marker in start for marker in _BLOCK_MARKERS):
        return PageKind.BLOCKED
    title = _title(html).lower()
    if any(marker in title for marker in _NOT_FOUND_MARKERS):
        return PageKind.NOT_FOUND
    if pdid is None and any(marker in start for marker in _CHALLENGE_MARKERS):
        return PageKind.CHALLENGE
    if any(marker in start for marker in _NOT_FOUND_MARKERS):
        return PageKind.NOT_FOUND
    return PageKind.OTHER
