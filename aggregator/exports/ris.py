"""RIS (``.ris``): one ``TY  - JOUR`` reference per article, written with ``rispy``.

Tags: TY, TI, AU ("Last, First", every author), PY, DA (``YYYY/MM/DD/printed``), JO and
T2 (full journal), J2 (abbreviation), VL, IS, SP, EP, SN, DO, AN (PMID), C2 (PMCID),
AB (every section, labelled), KW (keywords, then MeSH as PubMed prints them), M3
(publication types), LA, UR (PubMed URL), DB/DP (PubMed, NLM), N1 (notes: "RETRACTED …",
how the crawl reached the article, review facts, notices).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import rispy
from rispy.writer import RisWriter

from aggregator.exports.citation import (
    abstract_text,
    date_parts,
    mesh_heading,
    name_of,
    note_lines,
    pubmed_url,
    split_pages,
)
from aggregator.records import ArticleRecord


class _StreamWriter(RisWriter):
    """rispy's writer without the ``1.``/``2.`` counter line: references are written one
    at a time (a feed, a file rebuilt record by record), so a counter would repeat."""

    def set_header(self, count: int) -> str:
        return ""


def ris_entry(record: ArticleRecord) -> dict[str, Any]:
    """The record as a ``rispy`` reference dict (empty fields left out)."""
    j = record.journal
    start, end = split_pages(j.pages)
    year, month, day = date_parts(record.publication_date.printed)
    year = year or record.year
    entry: dict[str, Any] = {
        "type_of_reference": "JOUR",
        "title": record.title,
        "authors": [name_of(a).inverted for a in record.authors],
        "year": year,
        "date": (f"{year or ''}/{month or ''}/{day or ''}/"
                 f"{record.publication_date.printed or ''}") if year else None,
        "journal_name": j.title,
        "secondary_title": j.title,
        "alternate_title1": j.abbreviation,
        "volume": j.volume,
        "number": j.issue,
        "start_page": start,
        "end_page": end,
        "issn": j.issn,
        "doi": record.doi,
        "accession_number": record.pmid,
        "custom2": record.pmcid,
        "abstract": abstract_text(record),
        "keywords": [*record.keywords, *(mesh_heading(m) for m in record.mesh_terms)],
        "type_of_work": "; ".join(record.publication_types) or None,
        "language": "; ".join(record.language) or None,
        "urls": [pubmed_url(record)],
        "name_of_database": "PubMed",
        "database_provider": "National Library of Medicine",
        "notes": note_lines(record),
    }
    return {k: v for k, v in entry.items() if v not in (None, "", [])}


def ris_text(record: ArticleRecord) -> str:
    """One reference, ending with ``ER  - `` and a blank line."""
    return rispy.dumps([ris_entry(record)], implementation=_StreamWriter) + "\n"


def write_ris(records: Iterable[ArticleRecord], handle: IO[str]) -> int:
    """Write references to a text handle; returns how many."""
    n = 0
    for record in records:
        handle.write(ris_text(record))
        n += 1
    return n
