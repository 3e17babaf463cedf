"""A requests + BeautifulSoup(html.parser) extractor of PubMed article pages.

Benchmark only: the kind of scraper one writes in an afternoon, used as the speed
peer of :func:`aggregator.sources.page.article.parse_article` and as an independent check
of the fields both read (title, authors, journal, DOI, PMID, abstract, keywords, MeSH
descriptors, similar PMIDs, reference count).
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

__all__ = ["COMPARED_FIELDS", "extract", "fetch_and_extract", "ours"]

COMPARED_FIELDS = ("title", "authors", "journal", "doi", "pmid", "abstract", "keywords",
                   "mesh", "similar", "references_count")
_SHOW_ALL = re.compile(r"Show all\s+([\d,]+)")


def _text(el: Tag | None) -> str | None:
    if el is None:
        return None
    return " ".join(el.get_text().split()) or None


def extract(html: bytes | str) -> dict[str, Any]:
    """The compared fields of an article page, read with BeautifulSoup's html.parser."""
    soup = BeautifulSoup(html, "html.parser")
    head = soup.find(id="full-view-heading")
    title = _text(head.find("h1", class_="heading-title")) if head else None
    authors: list[str] = []
    if head:
        for item in head.select(".authors-list .authors-list-item"):
            name = _text(item.find("a", class_="full-name"))
            if name and name not in authors:
                authors.append(name)
    journal = _text(soup.find(id="full-view-journal-trigger"))
    doi_el = head.select_one(".identifier.doi a.id-link") if head else None
    pmid = _text(head.find("strong", class_="current-id")) if head else None

    abstract: list[str] = []
    keywords: list[str] = []
    box = soup.find(id="abstract")
    if box:
        content = box.find(id="eng-abstract") or box.find(class_="abstract-content")
        for p in box.find_all("p"):
            sub = p.find("strong", class_="sub-title")
            label = _text(sub)
            if sub:
                sub.extract()
            if label and label.lower().startswith("keyword"):
                keywords = [k.strip().rstrip(".").strip() for k in (_text(p) or "").split(";")]
                keywords = [k for k in keywords if k]
            elif content and content in p.parents and p.get("id") not in ("copyright",):
                text = _text(p)
                if text:
                    abstract.append(text)

    mesh: list[str] = []
    mesh_box = soup.find(id="mesh-terms")
    if mesh_box:
        for button in mesh_box.find_all("button", class_="keyword-actions-trigger"):
            descriptor = (_text(button) or "").split("/")[0].strip().rstrip("*").strip()
            if descriptor and descriptor not in mesh:
                mesh.append(descriptor)

    similar: list[str] = []
    sim_box = soup.find(id="similar")
    if sim_box:
        for a in sim_box.find_all("a", class_="docsum-title"):
            found = a.get("data-article-id") or a.get("href", "").strip("/").split("/")[-1]
            if found and found.isdigit() and found != pmid and found not in similar:
                similar.append(found)

    references_count = None
    ref_box = soup.find(id="references")
    if ref_box:
        match = _SHOW_ALL.search(ref_box.get_text())
        if match:
            references_count = int(match.group(1).replace(",", ""))
        else:
            references_count = len(ref_box.select("ol.references-list > li"))
    return {
        "title": title, "authors": authors, "journal": journal,
        "doi": _text(doi_el), "pmid": pmid, "abstract": abstract, "keywords": keywords,
        "mesh": mesh, "similar": similar, "references_count": references_count,
    }


def fetch_and_extract(url: str, session: Any = None) -> dict[str, Any]:
    """GET ``url`` with requests and extract it (the peer's whole pipeline; not timed)."""
    import requests

    response = (session or requests).get(url, timeout=30)
    response.raise_for_status()
    return extract(response.content)


def ours(html: bytes, url: str = "https://pubmed.ncbi.nlm.nih.gov/") -> dict[str, Any]:
    """The same fields from :func:`parse_article`, shaped like :func:`extract`'s."""
    from aggregator.sources.page.article import parse_article

    r = parse_article(html, url)
    return {
        "title": r.title, "authors": [a.name for a in r.authors],
        "journal": r.journal.abbreviation, "doi": r.doi, "pmid": r.pmid,
        "abstract": [s.text for s in r.abstract], "keywords": r.keywords,
        "mesh": [m.descriptor for m in r.mesh_terms], "similar": r.similar_pmids,
        "references_count": r.references_total,
    }
