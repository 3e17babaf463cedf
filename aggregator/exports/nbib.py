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

from aggregator.exports.citation import Citation, Data, cite, date_parts
from aggregator.notices import nbib_tag
from aggregator.records import ArticleRecord

#: longest line PubMed's MEDLINE display writes (tag, "- " and text)
WIDTH = 88
_INDENT = " " * 6
_NO_DATA: dict[str, str] = {}


def wrap(tag: str, value: str) -> list[str]:
    """``tag`` padded to four columns + ``"- "``, continuation lines indented six spaces."""
    head = _head(tag)
    if len(head) + len(value) <= WIDTH:
        return [head + value]
    return _wrapped(head, value)


def _head(tag: str) -> str:
    """``"TI  - "``: the tag padded to four columns and ``"- "`` (built once per tag)."""
    head = _HEADS.get(tag)
    if head is None:
        head = _HEADS[tag] = f"{tag:<4}- "
    return head


_HEADS: dict[str, str] = {}


def _wrapped(head: str, value: str) -> list[str]:
    """A value longer than one line, as lines.

    Each line is cut at the last space that keeps it within ``WIDTH`` (a word longer
    than a line runs on to the next space): what filling lines word by word gives.
    """
    lines: list[str] = []
    at, end = 0, len(value)
    while len(head) + end - at > WIDTH:
        cut = value.rfind(" ", at, at + WIDTH - len(head) + 1)
        if cut < 0:  # the line's first word is longer than the line: it stands alone
            cut = value.find(" ", at + WIDTH - len(head) + 1)
            if cut < 0:
                break
        lines.append(head + value[at:cut])
        at, head = cut + 1, _INDENT
    lines.append(head + value[at:])
    return lines


def _epub(value: str | None) -> str | None:
    year, month, day = date_parts(value)
    return f"{year}{month or ''}{day or ''}" if year else None


def _source(data: Data) -> str:
    """``SO``: ``"Cell Rep. 2022 May 31;39(9):110870. doi: 10.1016/…."``."""
    j = data.get("journal") or _NO_DATA
    date = (data.get("publication_date") or _NO_DATA).get("printed") or data.get("year") or ""
    out = f"{j.get('abbreviation') or j.get('title') or ''}. {date}"
    if j.get("volume") or j.get("issue"):
        out += f";{j.get('volume') or ''}" + (f"({j['issue']})" if j.get("issue") else "")
    if j.get("pages"):
        out += f":{j['pages']}"
    out += "."
    if data.get("doi"):
        out += f" doi: {data['doi']}."
    return out.strip()


def nbib_fields(record: ArticleRecord | Data | Citation) -> Iterator[tuple[str, str]]:
    """``(tag, value)`` pairs of one record, in PubMed's order."""
    c = cite(record)
    d = c.data
    j = d.get("journal") or _NO_DATA
    date = d.get("publication_date") or _NO_DATA
    doi = d.get("doi")
    yield "PMID", d.get("pmid", "")
    yield "OWN", "NLM"
    yield "STAT", "MEDLINE" if d.get("mesh_terms") else "PubMed-not-MEDLINE"
    printed = date.get("printed") or d.get("year")
    if printed:
        yield "DP", printed
    if d.get("title"):
        yield "TI", d["title"]
    if j.get("pages"):
        yield "PG", j["pages"]
    if doi:
        yield "LID", f"{doi} [doi]"
    if c.abstract:
        yield "AB", c.abstract
    for author, name in zip(d.get("authors") or (), c.names, strict=True):
        if name.whole:
            yield "CN", name.inverted
            continue
        yield "FAU", name.inverted
        yield "AU", name.short
        if author.get("orcid"):
            yield "AUID", f"ORCID: {author['orcid']}"
        for aff in author.get("affiliations") or ():
            yield "AD", aff
    for lang in d.get("language") or ():
        yield "LA", lang
    for ptype in d.get("publication_types") or ():
        yield "PT", ptype
    epub = _epub(date.get("epub"))
    if epub:
        yield "DEP", epub
    if j.get("abbreviation"):
        yield "TA", j["abbreviation"]
    if j.get("title"):
        yield "JT", j["title"]
    if j.get("issn"):
        yield "IS", j["issn"]
    if j.get("volume"):
        yield "VI", j["volume"]
    if j.get("issue"):
        yield "IP", j["issue"]
    for notice in d.get("notices") or ():
        text = notice.get("citation") or ""
        if notice.get("pmid"):
            text = f"{text} PMID: {notice['pmid']}".strip()
        yield nbib_tag(notice["type"]), text
    for heading in c.mesh:
        yield "MH", heading
    keywords = d.get("keywords") or ()
    if keywords:
        yield "OTO", "NOTNLM"
    for kw in keywords:
        yield "OT", kw
    if d.get("pmcid"):
        yield "PMC", d["pmcid"]
    if doi:
        yield "AID", f"{doi} [doi]"
    yield "SO", _source(d)
    for line in c.notes:
        yield "GN", line
    yield "GN", f"PubMed: {c.url}"


def nbib_text(record: ArticleRecord | Data | Citation) -> str:
    """One record in MEDLINE format, ending with a blank line."""
    lines: list[str] = []
    append = lines.append
    for tag, value in nbib_fields(record):
        head = _HEADS.get(tag) or _head(tag)
        if len(head) + len(value) <= WIDTH:  # most values: one line, nothing to search
            append(head + value)
        else:
            lines.extend(_wrapped(head, value))
    return "\n".join(lines) + "\n\n"


def write_nbib(records: Iterable[ArticleRecord | Data | Citation], handle: IO[str]) -> int:
    """Write records to a text handle; returns how many."""
    n = 0
    for record in records:
        handle.write(nbib_text(record))
        n += 1
    return n
