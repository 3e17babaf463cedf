"""Retraction, erratum, concern and update notices printed on an article page.

INFERRED MARKUP (no real PubMed page with a notice is among the fixtures): PubMed lists
linked citations under a heading that names the link ("Retraction in", "Erratum in",
"Expression of concern in", "Update of" …), each item printing the other citation and
"PMID: n". The parser keys on those heading texts, not on class names, and reads each
item's text and its ``/<pmid>/`` link, so a changed class name does not lose notices.
"""

from __future__ import annotations

import re

from lxml import etree

from aggregator.notices import NOTICE_TYPES
from aggregator.records import Notice
from aggregator.text import clean

#: heading text (lower case, no colon) -> record type: "retraction in" -> retraction_in
_BY_LABEL = {kind.replace("_", " "): kind for kind in NOTICE_TYPES}
_HEADINGS = etree.XPath(
    ".//*[self::h2 or self::h3 or self::h4 or self::dt or self::strong]"
    "[string-length(normalize-space()) < 40]"
)
_PMID_HREF = re.compile(r"/(\d+)/?(?:[?#].*)?$")
_PMID_TAIL = re.compile(r"\s*PMID:\s*(\d+)\.?\s*$")


def page_notices(scope: etree._Element) -> list[Notice]:
    """Notices under the known headings in ``scope`` (the page's ``<main>``), page order."""
    out: list[Notice] = []
    for heading in _HEADINGS(scope):
        label = (clean(" ".join(heading.itertext())) or "").rstrip(":").strip().lower()
        kind = _BY_LABEL.get(label)
        if kind is None:
            continue
        for item in _items_after(heading):
            notice = _notice(kind, item)
            if notice is not None and notice not in out:
                out.append(notice)
    return out


def _items_after(heading: etree._Element) -> list[etree._Element]:
    """The list items that belong to ``heading``: the next sibling list, else the parent's."""
    for sib in heading.itersiblings():
        if sib.tag in ("ul", "ol"):
            return list(sib.iter("li"))
        if sib.tag in ("h2", "h3", "h4", "dt"):
            break
        if sib.tag == "dd":
            return [sib]
    parent = heading.getparent()
    return list(parent.iter("li")) if parent is not None else []


def _notice(kind: str, item: etree._Element) -> Notice | None:
    text = clean(" ".join(t for t in item.itertext())) or ""
    pmid = None
    tail = _PMID_TAIL.search(text)
    if tail:
        pmid, text = tail.group(1), text[: tail.start()].strip()
    if pmid is None:
        for link in item.iter("a"):
            found = _PMID_HREF.search(link.get("href") or "")
            if found:
                pmid = found.group(1)
                break
    if not text and pmid is None:
        return None
    return Notice(type=kind, pmid=pmid, citation=text or None)
