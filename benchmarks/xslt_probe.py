"""Would C-level extraction reach figure 1? A probe, not a figure of ``make bench``.

``python -m benchmarks.xslt_probe`` times an XSLT stylesheet (libxslt, in C) that pulls only
part of an article's fields out of the parsed tree (similar and cited-by ids, MeSH and
publication types, references with their links, authors, affiliations, abstract
paragraphs) as text, against ``lxml.html.fromstring`` of the same mirror pages.
"""

from __future__ import annotations

import sys
import time

import lxml.html
from lxml import etree

from aggregator.sources.page.article import parse_html
from benchmarks.extraction import mirror_pages

_EACH = '<xsl:for-each select="{select}">{tag}{body}<xsl:text>&#10;</xsl:text></xsl:for-each>'
_PARTS = [
    ("id('similar')//a[contains(@class,'docsum-title')]", "S", '<xsl:value-of select="@href"/>'),
    ("id('citedby')//a[contains(@class,'docsum-title')]", "C", '<xsl:value-of select="@href"/>'),
    ("id('mesh-terms')//button[contains(@class,'keyword-actions-trigger')]", "M",
     '<xsl:value-of select="."/>'),
    ("id('publication-types')//button[contains(@class,'keyword-actions-trigger')]", "P",
     '<xsl:value-of select="."/>'),
    ("id('references')//ol[contains(@class,'references-and-notes-list')]/li", "R",
     '<xsl:value-of select="text()"/><xsl:for-each select="a">&#9;'
     '<xsl:value-of select="@href"/></xsl:for-each>'),
    ("id('full-view-heading')//span[contains(@class,'authors-list-item')]", "A",
     '<xsl:value-of select="a[contains(@class,\'full-name\')]"/>&#9;'
     '<xsl:value-of select="a[contains(@class,\'full-name\')]/@href"/>'
     '<xsl:for-each select=".//a[contains(@class,\'affiliation-link\')]">&#9;'
     '<xsl:value-of select="@href"/></xsl:for-each>'),
    ("id('full-view-heading')//li[@data-affiliation-id]", "F", '<xsl:value-of select="."/>'),
    ("id('abstract')//p", "B", '<xsl:value-of select="."/>'),
]
STYLESHEET = (
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:output method="text" encoding="UTF-8"/><xsl:template match="/">'
    + "".join(_EACH.format(select=s, tag=t, body=b) for s, t, b in _PARTS)
    + "</xsl:template></xsl:stylesheet>"
)


def main() -> int:
    """Print the probe's cost per page and as a share of the bare parse."""
    pages = mirror_pages(300)
    roots = [parse_html(p) for p in pages]
    transform = etree.XSLT(etree.XML(STYLESHEET.encode()))
    best = {"xslt": float("inf"), "fromstring": float("inf")}
    for _ in range(5):
        t0 = time.process_time()
        for root in roots:
            str(transform(root))
        best["xslt"] = min(best["xslt"], time.process_time() - t0)
        t0 = time.process_time()
        for page in pages:
            lxml.html.fromstring(page)
        best["fromstring"] = min(best["fromstring"], time.process_time() - t0)
    xslt, bare = (best[k] / len(pages) * 1e6 for k in ("xslt", "fromstring"))
    print(f"XSLT over a parsed mirror page, part of the fields: {xslt:.0f} µs/page = "
          f"{xslt / bare:.2f} × lxml.html.fromstring ({bare:.0f} µs/page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
