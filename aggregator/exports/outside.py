"""References that leave the snowball: a DOI but no PMID (grey literature, books, journals
PubMed does not index). Listed in ``…references-not-in-pubmed.jsonl`` instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aggregator.records import ArticleRecord

#: crawler stats key: lines written (one per citing PMID and DOI)
STAT = "aggregator/outside_references"


def outside_references(record: ArticleRecord) -> Iterator[dict[str, Any]]:
    """``{citing_pmid, doi, citation}`` per reference with a DOI and no PMID, once per DOI
    (compared case-insensitively, as DOIs are)."""
    seen: set[str] = set()
    for ref in record.references:
        if ref.pmid or not ref.doi or ref.doi.lower() in seen:
            continue
        seen.add(ref.doi.lower())
        yield {"citing_pmid": record.pmid, "doi": ref.doi, "citation": ref.citation}
