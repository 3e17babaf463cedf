"""One record -> citation fields mapping, shared by the RIS, NBIB and reviewer-CSV writers.

Screening tools (Rayyan, Covidence, EndNote, Zotero) want the same facts in different
spellings; the facts are worked out once here: authors as last/fore/initials, start and
end pages, the labelled abstract, MeSH as PubMed prints it, and the note that says how
the crawl reached the article, what the review says about itself and whether it is
retracted.

The writers read a record in its plain form (``ArticleRecord.to_dict()``, what the record
store gives back at close), so no dataclass is rebuilt per record; ``cite(record)`` works
out the shared facts once per record (a ``Citation``), and each writer takes it whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

from aggregator.records import ArticleRecord, field_names

#: a record in its plain form (``ArticleRecord.to_dict()``)
Data = Mapping[str, Any]

MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_PAGES = re.compile(r"^\s*([^-\u2013\s]+)\s*[-\u2013]\s*([^-\u2013\s]+)\s*$")
_NAME_PARTS = re.compile(r"[\s\-.]+")
_NO_DATA: dict[str, Any] = {}
_MISSING = object()


class _Fields(Mapping[str, Any]):
    """A part of a record (an author, the journal, a MeSH term …) read as its plain dict
    without building one; the parts inside it are wrapped when asked for. The writers
    read a few fields of each part, so copying the whole record (``records.plain``, ~40
    small objects with the references) cost more than the writing, for the feeds
    (``-O found.ris``) that hand them records. (Parts have no private fields.)"""

    __slots__ = ("_of",)

    def __init__(self, of: Any) -> None:
        self._of = of

    def __getitem__(self, key: str) -> Any:
        value = getattr(self._of, key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value if type(value) in _ATOMS else _read(value)

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self._of, key, _MISSING)
        if value is _MISSING:
            return default
        return value if type(value) in _ATOMS else _read(value)

    def __iter__(self) -> Iterator[str]:
        return iter(field_names(type(self._of)) or ())

    def __len__(self) -> int:
        return len(field_names(type(self._of)) or ())

    def __bool__(self) -> bool:
        return True


_ATOMS = frozenset({str, int, float, bool, type(None)})


def _read(value: Any) -> Any:
    """A field's value as the plain form has it: a dataclass (or a list of them) as a
    mapping, anything else as it is (read, never written to)."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        if value and hasattr(value[0], "__dataclass_fields__"):
            return [_Fields(v) for v in value]
        return value
    return _Fields(value) if hasattr(value, "__dataclass_fields__") else value


def data_of(record: ArticleRecord | Data) -> Data:
    """A record in its plain form: a dict as it is, an ``ArticleRecord`` read as one
    (its own fields in a dict, the parts inside it wrapped, see ``_Fields``)."""
    if not isinstance(record, ArticleRecord):
        return record
    return {name: value if type(value) in _ATOMS else _read(value)
            for name, value in zip(_RECORD_FIELDS, _fields_of(record), strict=True)}


#: a record's data fields' values in one call
_RECORD_FIELDS = field_names(ArticleRecord) or ()
_fields_of = attrgetter(*_RECORD_FIELDS)


@dataclass(slots=True)
class Name:
    """An author as citation formats spell it."""

    #: ``"Zhang, Chen"`` (RIS ``AU``, NBIB ``FAU``, the reviewer CSV); a group as is
    inverted: str
    #: ``"Zhang C"`` (NBIB ``AU``)
    short: str
    #: a collective name or a name without last name: kept whole (NBIB ``CN``)
    whole: bool


@dataclass(slots=True)
class Citation:
    """One record's facts as every citation format needs them, worked out once."""

    data: Data  #: the record's plain form
    names: list[Name]  #: one per author, in order
    abstract: str | None
    mesh: list[str]  #: MeSH headings as PubMed prints them
    notes: list[str]
    url: str


def cite(record: ArticleRecord | Data | Citation) -> Citation:
    """The shared facts of one record (a record, its plain form, or already a Citation)."""
    if isinstance(record, Citation):
        return record
    data = data_of(record)
    return Citation(
        data=data,
        names=[name_of(a) for a in data.get("authors") or ()],
        abstract=abstract_text(data),
        mesh=[mesh_heading(m) for m in data.get("mesh_terms") or ()],
        notes=note_lines(data),
        url=pubmed_url(data),
    )


@lru_cache(maxsize=1 << 14)
def initials(fore: str | None) -> str | None:
    """``"Yi-Jia"`` -> ``"YJ"``, ``"Caitlin S M"`` -> ``"CSM"`` (MEDLINE's initials).
    (Kept per fore name: a crawl meets the same names again and again.)"""
    if not fore:
        return None
    letters = [p[0] for p in _NAME_PARTS.split(fore) if p and p[0].isalpha()]
    return "".join(letters).upper() or None


def name_of(author: Data) -> Name:
    """The citation spelling of one author (a name without last name is kept whole)."""
    last = author.get("last_name")
    if author.get("collective") or not last:
        display = author.get("name")
        return Name(display, display, True)
    fore = author.get("fore_name")
    letters = initials(fore)
    return Name(f"{last}, {fore}" if fore else last,
                f"{last} {letters}" if letters else last, False)


def split_pages(pages: str | None) -> tuple[str | None, str | None]:
    """``"407-18"`` -> ``("407", "418")`` (MEDLINE abbreviates the end page); one page: end None."""
    if not pages:
        return None, None
    first = pages.split(",")[0].strip()
    match = _PAGES.match(first)
    if not match:
        return first or None, None
    start, end = match.groups()
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return start, end


def abstract_text(data: Data) -> str | None:
    """All sections in one text, each labelled as printed: ``"BACKGROUND: … METHODS: …"``."""
    parts = [f"{s['label']}: {s['text']}" if s.get("label") else s["text"]
             for s in data.get("abstract") or ()]
    return " ".join(parts) or None


def mesh_heading(term: Data) -> str:
    """PubMed's MEDLINE spelling: ``*Aorta/surgery``, ``Aorta/*surgery/pathology``."""
    out = ("*" if term.get("major") else "") + term["descriptor"]
    major = term.get("major_qualifiers") or ()
    for q in term.get("qualifiers") or ():
        out += "/" + ("*" if q in major else "") + q
    return out


def date_parts(printed: str | None) -> tuple[str | None, str | None, str | None]:
    """``(year, month, day)`` as digits from a printed date (``"2025 Sep 26"``)."""
    if not printed:
        return None, None, None
    tokens = printed.replace("-", " ").split()
    year = tokens[0] if tokens and tokens[0][:4].isdigit() else None
    month = day = None
    if len(tokens) > 1 and tokens[1][:3] in MONTHS:
        month = f"{MONTHS[tokens[1][:3]]:02d}"
        if len(tokens) > 2 and tokens[2].isdigit() and len(tokens[2]) <= 2:
            day = f"{int(tokens[2]):02d}"
    return (year[:4] if year else None), month, day


def pubmed_url(data: Data) -> str:
    """The article's PubMed address (the public one, whichever host was crawled)."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{data.get('pmid', '')}/"


def retraction_line(data: Data) -> str | None:
    """``"RETRACTED (retraction in PMID 123)"`` for a retracted record, else None."""
    if not data.get("is_retracted"):
        return None
    pmids = [n["pmid"] for n in data.get("notices") or ()
             if n["type"] == "retraction_in" and n.get("pmid")]
    return "RETRACTED" + (f" (retraction in PMID {', '.join(pmids)})" if pmids else "")


def reached_line(data: Data) -> str | None:
    """How the crawl reached the article: ``"Reached by: seed"`` or the ways with parents."""
    prov = data.get("provenance")
    if not prov:
        return None
    if prov["relation"] == "seed":
        return f"Reached by: seed (PMID {data.get('pmid', '')})"
    ways = data.get("reached_by") or ()
    shown = "; ".join(f"{w['relation']} of PMID {w.get('parent')}" for w in ways) or (
        f"{prov['relation']} of PMID {prov.get('parent')}")
    return f"Reached by: {shown} (depth {prov['depth']}, seed PMID {prov['seed']})"


def review_line(data: Data) -> str | None:
    """What a review says about itself, in one line (None when nothing is known)."""
    r = data.get("review") or _NO_DATA
    parts = []
    if r.get("type"):
        parts.append(r["type"])
    if r.get("studies_included") is not None:
        parts.append(f"{r['studies_included']} studies")
    if r.get("participants") is not None:
        parts.append(f"{r['participants']} participants")
    if r.get("databases"):
        parts.append("databases: " + ", ".join(r["databases"]))
    if r.get("search_period"):
        parts.append(f"searched {r['search_period']}")
    if r.get("registration"):
        parts.append(f"registration {r['registration']}")
    if r.get("guideline"):
        parts.append(f"guideline {r['guideline']}")
    return ("Review: " + "; ".join(parts)) if parts else None


def notice_lines(data: Data) -> list[str]:
    """One line per notice: ``"erratum in: <citation> (PMID 123)"``."""
    out = []
    for n in data.get("notices") or ():
        text = n["type"].replace("_", " ") + ": " + (n.get("citation") or "")
        if n.get("pmid"):
            text += f" (PMID {n['pmid']})"
        out.append(text.strip())
    return out


def note_lines(data: Data) -> list[str]:
    """The note a screener sees: retraction first, then how reached, review facts, notices."""
    lines = [retraction_line(data), reached_line(data), review_line(data)]
    return [line for line in lines if line] + notice_lines(data)
