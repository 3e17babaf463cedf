"""Flat views of a record for analysts: graph edges (and, re-exported, the CSV row)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

# The CSV row lives with the reviewer's CSV (Rayyan's columns first); re-exported here
# for code that imported it from this module.
from aggregator.exports.rayyan_csv import CSV_COLUMNS, SEP
from aggregator.exports.rayyan_csv import csv_row as flat_row

__all__ = ["CSV_COLUMNS", "SEP", "edges_of", "flat_row"]


#: The sources a link can come from; without per-link sources a record's links are PubMed's.
DEFAULT_LINK_SOURCES = ("pubmed",)


def _link_sources(record: Mapping[str, Any], relation: str, pmid: str) -> list[str]:
    """Where the record's link to ``pmid`` in ``relation`` came from.

    ``links_by_source`` gives the sources of a relation's links; ``link_only`` (kept in
    the spool, not in the JSONL) names the links only one source gave. A record that says
    nothing has PubMed's links (pages and E-utilities both serve PubMed's own lists).
    """
    for source, pmids in ((record.get("link_only") or {}).get(relation) or {}).items():
        if pmid in pmids:
            return [source]
    counts = (record.get("links_by_source") or {}).get(relation) or {}
    return [source for source, n in counts.items() if n] or list(DEFAULT_LINK_SOURCES)


def edges_of(record: Mapping[str, Any],
             relations: Collection[str] | None = None) -> Iterator[dict[str, Any]]:
    """The record's links as edges (its JSON form, ``to_dict()``): ``cites`` and ``similar``.

    References and cited-by both become ``cites`` with the direction fixed (source cites
    target); ``similar`` is undirected, written once per pair with the lower PMID first.
    ``depth`` is the depth of the record whose list holds the link. ``relations`` keeps
    only the links of those lists (the relations followed); None keeps all.
    """
    prov = record.get("provenance") or {}
    depth = prov.get("depth")
    pmid = record["pmid"]

    def wanted(relation: str) -> bool:
        return relations is None or relation in relations

    if wanted("references"):
        for target in record.get("reference_pmids") or []:
            yield {"source_pmid": pmid, "target_pmid": target, "relation": "cites",
                   "depth": depth, "sources": _link_sources(record, "references", target)}
    if wanted("cited_by"):
        for citer in record.get("cited_by_pmids") or []:
            yield {"source_pmid": citer, "target_pmid": pmid, "relation": "cites",
                   "depth": depth, "sources": _link_sources(record, "cited_by", citer)}
    if wanted("similar"):
        for other in record.get("similar_pmids") or []:
            low, high = sorted((pmid, other), key=_pmid_order)
            yield {"source_pmid": low, "target_pmid": high, "relation": "similar",
                   "depth": depth, "sources": _link_sources(record, "similar", other)}


def _pmid_order(pmid: str) -> tuple[int, int | str]:
    """Numeric order for PMIDs (digits), text order for anything else."""
    return (0, int(pmid)) if pmid.isdigit() else (1, pmid)
