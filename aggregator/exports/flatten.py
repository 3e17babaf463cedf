"""Flat views of a record for analysts: one CSV row, and graph edges."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from aggregator.records import ArticleRecord

SEP = "; "  # joins list values inside one CSV cell

#: CSV columns, documented in the README ("Datasets")
CSV_COLUMNS = [
    "pmid", "pmcid", "doi", "title", "year", "publication_date", "epub_date",
    "journal_title", "journal_abbreviation", "volume", "issue", "pages", "issn",
    "authors", "first_author", "n_authors", "publication_types", "is_review",
    "is_systematic_review", "review_type", "studies_included", "participants",
    "keywords", "mesh_descriptors", "abstract", "references_total",
    "reference_pmids", "similar_pmids", "cited_by_pmids", "depth", "relation",
    "parent", "seed", "source", "source_url", "fetched_at",
]


def flat_row(record: ArticleRecord) -> dict[str, Any]:
    """One CSV row: scalars as they are, lists joined with ``"; "``."""
    prov = record.provenance
    journal, date = record.journal, record.publication_date
    abstract = " ".join(
        f"{s.label}: {s.text}" if s.label else s.text for s in record.abstract
    )
    return {
        "pmid": record.pmid, "pmcid": record.pmcid, "doi": record.doi,
        "title": record.title, "year": record.year, "publication_date": date.printed,
        "epub_date": date.epub, "journal_title": journal.title,
        "journal_abbreviation": journal.abbreviation, "volume": journal.volume,
        "issue": journal.issue, "pages": journal.pages, "issn": journal.issn,
        "authors": SEP.join(a.name for a in record.authors),
        "first_author": record.authors[0].name if record.authors else None,
        "n_authors": len(record.authors),
        "publication_types": SEP.join(record.publication_types),
        "is_review": record.is_review, "is_systematic_review": record.is_systematic_review,
        "review_type": record.review.type,
        "studies_included": record.review.studies_included,
        "participants": record.review.participants,
        "keywords": SEP.join(record.keywords),
        "mesh_descriptors": SEP.join(m.descriptor for m in record.mesh_terms),
        "abstract": abstract, "references_total": record.references_total,
        "reference_pmids": SEP.join(record.reference_pmids),
        "similar_pmids": SEP.join(record.similar_pmids),
        "cited_by_pmids": SEP.join(record.cited_by_pmids),
        "depth": prov.depth if prov else None, "relation": prov.relation if prov else None,
        "parent": prov.parent if prov else None, "seed": prov.seed if prov else None,
        "source": record.source, "source_url": record.source_url,
        "fetched_at": record.fetched_at,
    }


#: The sources a link can come from; without per-link sources a record's links are PubMed's.
DEFAULT_LINK_SOURCES = ("pubmed",)


def _link_sources(record: Mapping[str, Any], relation: str, pmid: str) -> list[str]:
    """Where the record's link to ``pmid`` in ``relation`` came from.

    A record may carry ``link_sources: {relation: {pmid: [source, ...]}}`` (a link
    source adapter fills it); otherwise its links are PubMed's (pages and E-utilities
    both serve PubMed's own lists).
    """
    per_link = (record.get("link_sources") or {}).get(relation) or {}
    return list(per_link.get(pmid) or DEFAULT_LINK_SOURCES)


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
