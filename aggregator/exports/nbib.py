"""PubMed/MEDLINE format (``.nbib``), what PubMed's "Send to -> Citation manager" writes.

No maintained library writes this format, so this is a small writer. Layout: each line
is a tag left-justified in four columns, ``"- "``, the value (``"PMID- 1"``, ``"TI  - …"``);
a long value continues on lines indented six spaces, broken at spaces so that no line
is longer than ``WIDTH`` columns (a single longer word gets its own line); a blank line
ends a record. Tags: PMID OWN STAT DP TI PG LID AB FAU AU AUID AD CN LA PT DEP TA JT IS
VI IP MH OT PMC AID SO, the notice tags (RIN ROF EIN EFR ECI ECF UIN UOF RRI RRF, see
aggregator/notices.py) and GN (general note: retraction, how reached, review facts, URL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from aggregator.exports.citation import (
    abstract_text,
    date_parts,
    mesh_heading,
    name_of,
    note_lines,
    pubmed_url,
)
from aggregator.notices import nbib_tag
from aggregator.records import ArticleRecord

#: longest line PubMed's MEDLINE display writes (tag, "- " and text)
WIDTH = 88
_INDENT = " " * 6


def wrap(tag: str, value: str) -> list[str]:
    """``tag`` padded to four columns + ``"- "``, continuation lines indented six spaces."""
    lines: list[str] = []
    line, empty = f"{tag:<4}- ", True
    for word in value.split(" "):
        if not empty and len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = _INDENT + word
        else:
            line = line + word if empty else f"{line} {word}"
        empty = False
    lines.append(line)
    return lines


def _epub(value: str | None) -> str | None:
    year, month, day = date_parts(value)
    return f"{year}{month or ''}{day or ''}" if year else None


def _source(record: ArticleRecord) -> str:
    """``SO``: ``"Cell Rep. 2022 May 31;39(9):110870. doi: 10.1016/…."``."""
    j = record.journal
    date = record.publication_date.printed or record.year or ""
    out = f"{j.abbreviation or j.title or ''}. {date}"
    if j.volume or j.issue:
        out += f";{j.volume or ''}" + (f"({j.issue})" if j.issue else "")
    if j.pages:
        out += f":{j.pages}"
    out += "."
    if record.doi:
        out += f" doi: {record.doi}."
    return out.strip()


def nbib_fields(record: ArticleRecord) -> Iterator[tuple[str, str]]:
    """``(tag, value)`` pairs of one record, in PubMed's order."""
    j = record.journal
    yield "PMID", record.pmid
    yield "OWN", "NLM"
    yield "STAT", "MEDLINE" if record.mesh_terms else "PubMed-not-MEDLINE"
    if record.publication_date.printed or record.year:
        yield "DP", record.publication_date.printed or record.year or ""
    if record.title:
        yield "TI", record.title
    if j.pages:
        yield "PG", j.pages
    if record.doi:
        yield "LID", f"{record.doi} [doi]"
    abstract = abstract_text(record)
    if abstract:
        yield "AB", abstract
    for author in record.authors:
        name = name_of(author)
        if name.collective or not name.last:
            yield "CN", name.display
            continue
        yield "FAU", name.inverted
        yield "AU", name.short
        if author.orcid:
            yield "AUID", f"ORCID: {author.orcid}"
        for aff in author.affiliations:
            yield "AD", aff
    for lang in record.language:
        yield "LA", lang
    for ptype in record.publication_types:
        yield "PT", ptype
    epub = _epub(record.publication_date.epub)
    if epub:
        yield "DEP", epub
    if j.abbreviation:
        yield "TA", j.abbreviation
    if j.title:
        yield "JT", j.title
    if j.issn:
        yield "IS", j.issn
    if j.volume:
        yield "VI", j.volume
    if j.issue:
        yield "IP", j.issue
    for notice in record.notices:
        text = notice.citation or ""
        if notice.pmid:
            text = f"{text} PMID: {notice.pmid}".strip()
        yield nbib_tag(notice.type), text
    for term in record.mesh_terms:
        yield "MH", mesh_heading(term)
    if record.keywords:
        yield "OTO", "NOTNLM"
    for kw in record.keywords:
        yield "OT", kw
    if record.pmcid:
        yield "PMC", record.pmcid
    if record.doi:
        yield "AID", f"{record.doi} [doi]"
    yield "SO", _source(record)
    for line in note_lines(record):
        yield "GN", line
    yield "GN", f"PubMed: {pubmed_url(record)}"


def nbib_text(record: ArticleRecord) -> str:
    """One record in MEDLINE format, ending with a blank line."""
    lines: list[str] = []
    for tag, value in nbib_fields(record):
        lines.extend(wrap(tag, value))
    return "\n".join(lines) + "\n\n"


def write_nbib(records: Iterable[ArticleRecord], handle: IO[str]) -> int:
    """Write records to a text handle; returns how many."""
    n = 0
    for record in records:
        handle.write(nbib_text(record))
        n += 1
    return n
