"""Parse PubMed search-result and linkname list pages; build their URLs.

Both kinds share one markup: ``article.full-docsum`` items with ``a.docsum-title``
(``data-article-id``), a ``div.search-results-chunk`` carrying the page number, the
number of pages and the page's ids, and ``meta[name=log_resultcount]`` /
``meta[name=log_displayeduids]`` in the head.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from lxml import etree

from aggregator.sources.page.article import docsum_pmids, parse_html
from aggregator.text import clean

__all__ = ["MAX_RESULTS", "PAGE_SIZES", "ResultsPage", "parse_results", "results_url"]

#: PubMed's web search shows at most this many results of a query or list.
MAX_RESULTS = 10_000
#: The page sizes PubMed accepts (anything else answers "[Invalid form]").
PAGE_SIZES = (10, 20, 50, 100, 200)
INVALID_FORM = "[Invalid form]"


@dataclass(slots=True)
class ResultsPage:
    """One page of a search or a linkname list."""

    pmids: list[str] = field(default_factory=list)  # page order
    total: int | None = None  # results of the whole query / list
    page: int = 1
    page_size: int = 10
    last_page: int | None = None  # last page PubMed lets one reach (capped by MAX_RESULTS)
    invalid: bool = False  # PubMed answered "[Invalid form]"
    displayed_pmids: list[str] = field(default_factory=list)  # meta log_displayeduids
    query: str | None = None  # the query as PubMed logged it (meta log_query)

    @property
    def truncated(self) -> bool:
        """True when PubMed will not show all results (more than :data:`MAX_RESULTS`)."""
        return self.total is not None and self.total > MAX_RESULTS

    @property
    def has_next(self) -> bool:
        """True when a following page exists and can be reached."""
        return self.last_page is not None and self.page < self.last_page


_RESULTS = etree.XPath("//*[@id='search-results']")
_CHUNKS = etree.XPath(".//div[contains(concat(' ',@class,' '),' search-results-chunk ')]")
_AMOUNT = etree.XPath(".//*[contains(concat(' ',@class,' '),' results-amount ')]")
_PAGE_INPUT = etree.XPath(".//input[@id='page-number-input']")
_LAST_BTN = etree.XPath(".//*[contains(concat(' ',@class,' '),' last-page-btn ')]")


def _int(value: str | None) -> int | None:
    if not value:
        return None
    digits = re.sub(r"[,\s\u00a0]", "", value)
    return int(digits) if digits.isdigit() else None


def _ids(value: str | None) -> list[str]:
    return [p for p in (value or "").replace(" ", "").split(",") if p.isdigit()]


def _head_meta(root: etree._Element) -> dict[str, str]:
    head = root.find("head")
    out: dict[str, str] = {}
    if head is not None:
        for m in head.iter("meta"):
            name = m.get("name")
            if name and name not in out:
                out[name] = m.get("content") or ""
    return out


def _url_int(url: str, name: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return _int(values[0]) if values else None


def parse_results(html: str | bytes, url: str) -> ResultsPage:
    """Parse a search-result or linkname list page (``/?term=…``, ``/?linkname=…``)."""
    root = parse_html(html)
    meta = _head_meta(root)
    title = clean(root.findtext("head/title")) or ""
    query = clean(meta.get("log_query"))
    invalid = query == INVALID_FORM or title.startswith(INVALID_FORM)

    found = _RESULTS(root)
    scope = found[0] if found else root
    pmids = docsum_pmids(scope)
    chunks = _CHUNKS(scope)
    chunk = chunks[0] if chunks else None
    if not pmids and chunk is not None:
        pmids = _ids(chunk.get("data-chunk-ids"))
    displayed = _ids(meta.get("log_displayeduids"))
    if not pmids and not invalid:
        pmids = list(displayed)

    total = _int(meta.get("log_resultcount"))
    if total is None and chunk is not None:
        total = _int(chunk.get("data-results-amount"))
    if total is None:
        for el in _AMOUNT(scope):
            total = _int(el.findtext(".//span[@class='value']"))
            if total is not None:
                break
    if total is None and invalid:
        total = 0

    page = None
    if chunk is not None:
        page = _int(chunk.get("data-page-number"))
    if page is None:
        inputs = _PAGE_INPUT(scope)
        page = _int(inputs[0].get("value")) if inputs else None
    page = page or _url_int(url, "page") or 1

    page_size = _int(meta.get("log_pagesize")) or _url_int(url, "size") or 10

    last_page = _int(chunk.get("data-max-page")) if chunk is not None else None
    if last_page is None:
        for btn in _LAST_BTN(scope):
            last_page = _int(btn.get("data-max-page"))
            if last_page is not None:
                break
    if last_page is None and total is not None and not invalid:
        last_page = math.ceil(min(total, MAX_RESULTS) / page_size) if total else 0

    return ResultsPage(
        pmids=[] if invalid else pmids,
        total=total,
        page=page,
        page_size=page_size,
        last_page=None if invalid else last_page,
        invalid=invalid,
        displayed_pmids=displayed,
        query=query,
    )


def results_url(
    base_url: str,
    *,
    term: str | None = None,
    linkname: str | None = None,
    from_uid: str | None = None,
    page: int = 1,
    size: int = 200,
) -> str:
    """URL of a search page (``term``) or a linkname list page (``linkname`` +
    ``from_uid``). Parameters always come in the order term | linkname, from_uid,
    size, page."""
    if (term is None) == (linkname is None):
        raise ValueError("give either term or linkname (with from_uid)")
    if linkname is not None and not (from_uid and str(from_uid).isdigit()):
        raise ValueError("linkname needs a numeric from_uid")
    if size not in PAGE_SIZES:
        raise ValueError(f"size must be one of {PAGE_SIZES}")
    if page < 1:
        raise ValueError("page starts at 1")
    params: list[tuple[str, str]] = []
    if term is not None:
        params.append(("term", term))
    else:
        params += [("linkname", str(linkname)), ("from_uid", str(from_uid))]
    params += [("size", str(size)), ("page", str(page))]
    return f"{base_url.rstrip('/')}/?{urlencode(params)}"
