"""The reviewer's CSV: Rayyan's CSV import template first, then what analysts need.

Rayyan's documented CSV template has the columns ``key, title, authors, journal, issn,
volume, issue, pages, year, publisher, url, abstract, notes, doi, keywords`` (authors
"Last, First" separated by "; "); they come first, spelled as Rayyan spells them, so
the file imports as it is. The columns after them are the crawl's own (documented in the
README, "The reviewer's CSV"); an importer ignores columns it does not know.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from aggregator.exports.citation import abstract_text, mesh_heading, name_of, note_lines, pubmed_url
from aggregator.records import ArticleRecord

SEP = "; "  # joins list values inside one cell

#: Rayyan's template columns, in its order
RAYYAN_COLUMNS = [
    "key", "title", "authors", "journal", "issn", "volume", "issue", "pages", "year",
    "publisher", "url", "abstract", "notes", "doi", "keywords",
]
#: the crawl's own columns after Rayyan's
EXTRA_COLUMNS = [
    "pmid", "pmcid", "first_author", "n_authors", "journal_abbreviation", "publication_date",
    "epub_date", "language",
    "publication_types", "is_retracted", "notices", "mesh_terms", "is_review",
    "is_systematic_review", "review_type", "studies_included", "participants",
    "references_total", "reference_pmids", "similar_pmids", "cited_by_pmids", "depth",
    "relation", "parent", "seed", "reached_by", "source", "source_url", "fetched_at",
]
CSV_COLUMNS = RAYYAN_COLUMNS + EXTRA_COLUMNS


def csv_row(record: ArticleRecord) -> dict[str, Any]:
    """One row: Rayyan's columns, then the crawl's; lists joined with ``"; "``."""
    j, date, prov = record.journal, record.publication_date, record.provenance
    return {
        "key": record.pmid,
        "title": record.title,
        "authors": SEP.join(name_of(a).inverted for a in record.authors),
        "journal": j.title,
        "issn": j.issn,
        "volume": j.volume,
        "issue": j.issue,
        "pages": j.pages,
        "year": record.year,
        "publisher": None,  # neither source names the publisher
        "url": pubmed_url(record),
        "abstract": abstract_text(record),
        "notes": SEP.join(note_lines(record)),
        "doi": record.doi,
        "keywords": SEP.join(record.keywords),
        "pmid": record.pmid,
        "pmcid": record.pmcid,
        "first_author": record.authors[0].name if record.authors else None,
        "n_authors": len(record.authors),
        "journal_abbreviation": j.abbreviation,
        "publication_date": date.printed,
        "epub_date": date.epub,
        "language": SEP.join(record.language),
        "publication_types": SEP.join(record.publication_types),
        "is_retracted": record.is_retracted,
        "notices": SEP.join(f"{n.type}:{n.pmid or ''}" for n in record.notices),
        "mesh_terms": SEP.join(mesh_heading(m) for m in record.mesh_terms),
        "is_review": record.is_review,
        "is_systematic_review": record.is_systematic_review,
        "review_type": record.review.type,
        "studies_included": record.review.studies_included,
        "participants": record.review.participants,
        "references_total": record.references_total,
        "reference_pmids": SEP.join(record.reference_pmids),
        "similar_pmids": SEP.join(record.similar_pmids),
        "cited_by_pmids": SEP.join(record.cited_by_pmids),
        "depth": prov.depth if prov else None,
        "relation": prov.relation if prov else None,
        "parent": prov.parent if prov else None,
        "seed": prov.seed if prov else None,
        "reached_by": SEP.join(f"{w.relation}:{w.parent or ''}" for w in record.reached_by),
        "source": record.source,
        "source_url": record.source_url,
        "fetched_at": record.fetched_at,
    }


def csv_writer(handle: IO[str]) -> csv.DictWriter:
    """A writer of reviewer rows on a text handle opened with ``newline=""``."""
    return csv.DictWriter(handle, fieldnames=CSV_COLUMNS)


def write_csv(records: Iterable[ArticleRecord], handle: IO[str]) -> int:
    """Header and one row per record; returns how many rows."""
    writer = csv_writer(handle)
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow(csv_row(record))
        n += 1
    return n
