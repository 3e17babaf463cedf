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

from rispy.writer import RisWriter

from aggregator.exports.citation import Citation, Data, cite, date_parts, split_pages
from aggregator.records import ArticleRecord

_NO_DATA: dict[str, Any] = {}
#: references formatted per call of rispy (one call per record cost more than the rest)
BATCH = 256


class _StreamWriter(RisWriter):
    """rispy's writer without the ``1.``/``2.`` counter line: references are written one
    at a time (a feed, a file rebuilt record by record), so a counter would repeat."""

    def set_header(self, count: int) -> str:
        return ""

    def _format_line(self, tag: str, value: object = "") -> str:
        # RisWriter's PATTERN, "{tag}  - {value}", applied with an f-string: the same text,
        # without str.format's keyword parsing on each of the ~35 lines of a reference
        return f"{tag}  - {value}"


# One writer for every call: building one inverts rispy's tag mapping each time, and
# the writer keeps no state between calls (what ``rispy.dumps`` would build per call).
_WRITER = _StreamWriter()


def ris_entry(record: ArticleRecord | Data | Citation) -> dict[str, Any]:
    """The record as a ``rispy`` reference dict (empty fields left out)."""
    c = cite(record)
    d = c.data
    j = d.get("journal") or _NO_DATA
    printed = (d.get("publication_date") or _NO_DATA).get("printed")
    start, end = split_pages(j.get("pages"))
    year, month, day = date_parts(printed)
    year = year or d.get("year")
    entry: dict[str, Any] = {
        "type_of_reference": "JOUR",
        "title": d.get("title"),
        "authors": [name.inverted for name in c.names],
        "year": year,
        "date": (f"{year or ''}/{month or ''}/{day or ''}/"
                 f"{printed or ''}") if year else None,
        "journal_name": j.get("title"),
        "secondary_title": j.get("title"),
        "alternate_title1": j.get("abbreviation"),
        "volume": j.get("volume"),
        "number": j.get("issue"),
        "start_page": start,
        "end_page": end,
        "issn": j.get("issn"),
        "doi": d.get("doi"),
        "accession_number": d.get("pmid", ""),
        "custom2": d.get("pmcid"),
        "abstract": c.abstract,
        "keywords": [*(d.get("keywords") or ()), *c.mesh],
        "type_of_work": "; ".join(d.get("publication_types") or ()) or None,
        "language": "; ".join(d.get("language") or ()) or None,
        "urls": [c.url],
        "name_of_database": "PubMed",
        "database_provider": "National Library of Medicine",
        "notes": c.notes,
    }
    return {k: v for k, v in entry.items() if v not in (None, "", [])}


def ris_many(records: Iterable[ArticleRecord | Data | Citation]) -> str:
    """References, each ending with ``ER  - `` and a blank line, in one rispy call
    (the same text as ``ris_text`` of each, joined)."""
    return format_entries([ris_entry(r) for r in records])


def format_entries(entries: list[dict[str, Any]]) -> str:
    """``ris_entry`` dicts as RIS text, in one rispy call ("" for none)."""
    return _WRITER.formats(entries) + "\n" if entries else ""


def ris_text(record: ArticleRecord | Data | Citation) -> str:
    """One reference, ending with ``ER  - `` and a blank line."""
    return ris_many((record,))


def write_ris(records: Iterable[ArticleRecord | Data | Citation], handle: IO[str]) -> int:
    """Write references to a text handle, ``BATCH`` at a time; returns how many."""
    n, batch = 0, []
    for record in records:
        batch.append(cite(record))
        n += 1
        if len(batch) >= BATCH:
            handle.write(ris_many(batch))
            batch = []
    handle.write(ris_many(batch))
    return n
