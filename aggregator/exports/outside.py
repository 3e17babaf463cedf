"""References that leave the snowball: a DOI but no PMID (grey literature, books, journals
PubMed does not index). Listed in ``…references-not-in-pubmed.jsonl`` instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aggregator.exports.citation import data_of
from aggregator.records import ArticleRecord

#: crawler stats key: lines written (one per citing PMID and DOI)
STAT = "aggregator/outside_references"


def outside_references(record: ArticleRecord | dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``{citing_pmid, doi, citation}`` per reference with a DOI and no PMID, once per DOI
    (compared case-insensitively, as DOIs are); ``record`` or its plain form."""
    data = data_of(record)
    seen: set[str] = set()
    for ref in data.get("references") or ():
        doi = ref.get("doi")
        if ref.get("pmid") or not doi or doi.lower() in seen:
            continue
        seen.add(doi.lower())
        yield {"citing_pmid": data.get("pmid", ""), "doi": doi, "citation": ref["citation"]}
