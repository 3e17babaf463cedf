"""Flat views of a record for analysts: graph edges (and, re-exported, the CSV row)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# The CSV row lives with the reviewer's CSV (Rayyan's columns first); re-exported here
# for code that imported it from this module.
from aggregator.exports.rayyan_csv import CSV_COLUMNS, SEP
from aggregator.exports.rayyan_csv import csv_row as flat_row
from aggregator.records import ArticleRecord, link_sources

__all__ = ["CSV_COLUMNS", "SEP", "edges_of", "flat_row"]


def edges_of(record: ArticleRecord) -> Iterator[dict[str, Any]]:
    """The record's links as edges: ``cites`` (source cites target) and ``similar``.

    References and cited-by both become ``cites`` with the direction fixed;
    ``depth`` is the depth of the record whose list holds the link; ``sources`` where the
    link came from (``pubmed``, ``icite``; see ``records.link_sources``).
    """
    depth = record.provenance.depth if record.provenance else None
    pmid = record.pmid
    refs, ref_only = link_sources(record, "references")
    for target in record.reference_pmids:
        yield {"source_pmid": pmid, "target_pmid": target, "relation": "cites", "depth": depth,
               "sources": ref_only.get(target, refs)}
    cites, cite_only = link_sources(record, "cited_by")
    for citer in record.cited_by_pmids:
        yield {"source_pmid": citer, "target_pmid": pmid, "relation": "cites", "depth": depth,
               "sources": cite_only.get(citer, cites)}
    for target in record.similar_pmids:
        yield {"source_pmid": pmid, "target_pmid": target, "relation": "similar", "depth": depth,
               "sources": ["pubmed"]}
