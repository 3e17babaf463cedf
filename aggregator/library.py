"""The reviewer's existing library (``library=PATH``): what is already screened.

Read once, before any request: RIS (with ``rispy``), PubMed/MEDLINE format (``.nbib``,
a small reader below), CSV with a PMID or DOI column, or a plain list of PMIDs. A record
of the crawl is in the library when it matches an entry by PMID, else by DOI
(case-insensitive), else by normalised title + year. A file that cannot be read as any
of these raises :class:`LibraryError` with one line saying why.

The NBIB reader is ours rather than Biopython's ``Bio.Medline``: it needs three tags
(PMID, TI, DP, plus the DOI in AID/LID), and every runtime dependency must also be
installed on each Scrapyd host; the tests use Bio.Medline as the oracle.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aggregator.crawl.seeds import pmid_from_url
from aggregator.text import bare_doi, clean, find_doi, is_pmid, year_of

__all__ = ["Entry", "Library", "LibraryError", "load_library", "title_key"]


class LibraryError(ValueError):
    """The library file cannot be read; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What one library record says about itself (any part may be missing)."""

    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    year: str | None = None


def title_key(title: str | None, year: str | None) -> tuple[str, str] | None:
    """Normalised title + year: lower case, accents and punctuation removed."""
    if not title or not year:
        return None
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    return (" ".join(words), year) if words else None


@dataclass(slots=True)
class Library:
    """Entries indexed by PMID, DOI (lower case) and title key."""

    path: str
    format: str
    size: int = 0
    pmids: set[str] = field(default_factory=set)
    dois: set[str] = field(default_factory=set)
    titles: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, path: str, fmt: str, entries: Iterable[Entry]) -> Library:
        lib = cls(path, fmt)
        for e in entries:
            lib.size += 1
            if e.pmid:
                lib.pmids.add(e.pmid)
            if e.doi:
                lib.dois.add(e.doi.lower())
            key = title_key(e.title, e.year)
            if key:
                lib.titles.add(key)
        return lib

    def match(self, pmid: str | None, doi: str | None, title: str | None,
              year: str | None) -> str | None:
        """How a record matches the library ("pmid", "doi", "title"), or None."""
        if pmid and pmid in self.pmids:
            return "pmid"
        if doi and doi.lower() in self.dois:
            return "doi"
        key = title_key(title, year)
        if key and key in self.titles:
            return "title"
        return None


def load_library(path: str) -> Library:
    """Read a library file, its format from the extension or, failing that, its content."""
    file = Path(path)
    if not file.is_file():
        raise LibraryError(f"library {path!r} does not exist (RIS, NBIB, CSV or PMIDs a line)")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LibraryError(f"library {path}: not UTF-8 text ({exc.reason} at byte "
                           f"{exc.start})") from None
    fmt = _format(file.suffix.lower(), text)
    reader = {"ris": _ris, "nbib": _nbib, "csv": _csv, "pmids": _pmids}[fmt]
    entries = list(reader(text, path))
    if not entries:
        raise LibraryError(f"library {path}: no record in it (read as {fmt.upper()})")
    return Library.of(path, fmt, entries)


def _format(suffix: str, text: str) -> str:
    by_suffix = {".ris": "ris", ".nbib": "nbib", ".medline": "nbib", ".csv": "csv"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = text.lstrip()[:200]
    if re.match(r"TY  -", head):
        return "ris"
    if re.match(r"PMID-", head):
        return "nbib"
    first = head.splitlines()[0] if head else ""
    return "csv" if "," in first or "\t" in first else "pmids"


def _ris(text: str, path: str) -> Iterator[Entry]:
    import rispy  # only needed with a library

    try:
        records = rispy.loads(text)
    except Exception as exc:  # rispy raises IOError and others on broken files
        raise LibraryError(f"library {path}: not a readable RIS file: {exc}") from None
    if not records and text.strip():
        raise LibraryError(f"library {path}: no RIS record (each starts 'TY  - ' and ends "
                           "'ER  - ')")
    for rec in records:
        urls = rec.get("urls") or []
        pmid = str(rec.get("accession_number") or "").strip()
        if not is_pmid(pmid):
            pmid = _pmid_in(urls)
        doi = bare_doi(rec.get("doi")) or next(filter(None, map(find_doi, urls)), None)
        title = rec.get("title") or rec.get("primary_title")
        year = year_of(rec.get("year") or rec.get("publication_year") or rec.get("date"))
        yield Entry(pmid or None, doi, clean(title), year)


def _pmid_in(urls: list[str]) -> str | None:
    for url in urls:
        try:
            return pmid_from_url(url)
        except ValueError:
            continue
    return None


def _nbib(text: str, path: str) -> Iterator[Entry]:
    """PubMed format: ``TAG - value`` lines (tag padded to 4), continued with 6 spaces."""
    found = False
    for record in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        tags: dict[str, list[str]] = {}
        last: list[str] | None = None
        for line in record.split("\n"):
            m = re.match(r"([A-Z0-9]{2,4}) *- (.*)$", line)
            if m:
                last = tags.setdefault(m.group(1), [])
                last.append(m.group(2))
            elif line.startswith("      ") and last:
                last[-1] += " " + line.strip()
            elif line.strip():
                raise LibraryError(f"library {path}: not PubMed (NBIB) format at "
                                   f"{line.strip()[:40]!r} (expected 'TAG - value')")
        if not tags:
            continue
        if "PMID" not in tags:
            raise LibraryError(f"library {path}: an NBIB record without 'PMID- ' line")
        found = True
        doi = next((bare_doi(v[:-5]) for v in tags.get("AID", []) + tags.get("LID", [])
                    if v.endswith("[doi]")), None)
        yield Entry(tags["PMID"][0].strip(), doi, clean(" ".join(tags.get("TI", [])[:1])),
                    year_of((tags.get("DP") or [""])[0]))
    if not found:
        raise LibraryError(f"library {path}: no NBIB record (each starts 'PMID- ')")


_COLUMNS = {"pmid": ("pmid", "pubmed id", "pubmed_id", "pubmedid"),
            "doi": ("doi",), "title": ("title", "article title"),
            "year": ("year", "publication year", "publication_year", "py")}


def _csv(text: str, path: str) -> Iterator[Entry]:
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    rows = csv.DictReader(io.StringIO(text), dialect=dialect)
    names = {(n or "").strip().lower(): n for n in rows.fieldnames or []}
    col = {k: next((names[a] for a in aliases if a in names), None)
           for k, aliases in _COLUMNS.items()}
    if col["pmid"] is None and col["doi"] is None:
        raise LibraryError(f"library {path}: a CSV library needs a PMID or DOI column; "
                           f"columns are {', '.join(names) or 'none'}")
    for row in rows:
        def get(key: str, row: dict = row) -> str | None:
            name = col[key]
            return clean(row.get(name)) if name else None
        pmid = get("pmid")
        yield Entry(pmid if pmid and is_pmid(pmid) else None, bare_doi(get("doi")),
                    get("title"), year_of(get("year")))


def _pmids(text: str, path: str) -> Iterator[Entry]:
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not is_pmid(line):
            raise LibraryError(f"library {path}:{lineno}: {line[:40]!r} is not a PMID "
                               "(a plain library holds one PMID a line; or use RIS, NBIB, CSV)")
        yield Entry(pmid=line)
