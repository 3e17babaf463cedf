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

from aggregator.exports.citation import Citation, Data, cite
from aggregator.records import ArticleRecord

SEP = "; "  # joins list values inside one cell
_NO_DATA: dict[str, Any] = {}

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


def csv_values(record: ArticleRecord | Data | Citation) -> list[Any]:
    """One row's values in ``CSV_COLUMNS`` order: Rayyan's columns, then the crawl's;
    lists joined with ``"; "``."""
    c = cite(record)
    d = c.data
    j = d.get("journal") or _NO_DATA
    date = d.get("publication_date") or _NO_DATA
    prov = d.get("provenance")
    review = d.get("review") or _NO_DATA
    authors = d.get("authors") or ()
    return [
        d.get("pmid", ""),  # key
        d.get("title"),
        SEP.join([name.inverted for name in c.names]),
        j.get("title"),
        j.get("issn"),
        j.get("volume"),
        j.get("issue"),
        j.get("pages"),
        d.get("year"),
        None,  # publisher: neither source names the publisher
        c.url,
        c.abstract,
        SEP.join(c.notes),
        d.get("doi"),
        SEP.join(d.get("keywords") or ()),
        d.get("pmid", ""),
        d.get("pmcid"),
        authors[0]["name"] if authors else None,
        len(authors),
        j.get("abbreviation"),
        date.get("printed"),
        date.get("epub"),
        SEP.join(d.get("language") or ()),
        SEP.join(d.get("publication_types") or ()),
        d.get("is_retracted", False),
        SEP.join([f"{n['type']}:{n.get('pmid') or ''}" for n in d.get("notices") or ()]),
        SEP.join(c.mesh),
        d.get("is_review", False),
        d.get("is_systematic_review", False),
        review.get("type"),
        review.get("studies_included"),
        review.get("participants"),
        d.get("references_total"),
        SEP.join(d.get("reference_pmids") or ()),
        SEP.join(d.get("similar_pmids") or ()),
        SEP.join(d.get("cited_by_pmids") or ()),
        prov["depth"] if prov else None,
        prov["relation"] if prov else None,
        prov.get("parent") if prov else None,
        prov["seed"] if prov else None,
        SEP.join([f"{w['relation']}:{w.get('parent') or ''}" for w in d.get("reached_by") or ()]),
        d.get("source", ""),
        d.get("source_url"),
        d.get("fetched_at"),
    ]


def csv_row(record: ArticleRecord | Data | Citation) -> dict[str, Any]:
    """One row as a dict, column name -> value (``csv_values`` named)."""
    return dict(zip(CSV_COLUMNS, csv_values(record), strict=True))


def write_csv(records: Iterable[ArticleRecord | Data | Citation], handle: IO[str]) -> int:
    """Header and one row per record; returns how many rows."""
    # csv.writer on value lists writes what DictWriter writes for the same rows (a None
    # is an empty cell in both), without DictWriter's per-row check of the keys
    writer = csv.writer(handle)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for record in records:
        writer.writerow(csv_values(record))
        n += 1
    return n
