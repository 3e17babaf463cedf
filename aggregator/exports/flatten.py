"""Flat views of a record for analysts: one CSV row, and graph edges."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aggregator.records import ArticleRecord, link_sources

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
