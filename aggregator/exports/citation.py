"""One record -> citation fields mapping, shared by the RIS, NBIB and reviewer-CSV writers.

Screening tools (Rayyan, Covidence, EndNote, Zotero) want the same facts in different
spellings; the facts are worked out once here: authors as last/fore/initials, start and
end pages, the labelled abstract, MeSH as PubMed prints it, and the note that says how
the crawl reached the article, what the review says about itself and whether it is
retracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.records import ArticleRecord, Author, MeshTerm

MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_PAGES = re.compile(r"^\s*([^-\u2013\s]+)\s*[-\u2013]\s*([^-\u2013\s]+)\s*$")


@dataclass(slots=True, frozen=True)
class Name:
    """An author as citation formats spell it."""

    last: str | None
    fore: str | None
    initials: str | None
    collective: bool
    display: str  # the name as the source printed it

    @property
    def inverted(self) -> str:
        """``"Zhang, Chen"`` (RIS ``AU``, NBIB ``FAU``, the reviewer CSV); a group as is."""
        if self.collective or not self.last:
            return self.display
        return f"{self.last}, {self.fore}" if self.fore else self.last

    @property
    def short(self) -> str:
        """``"Zhang C"`` (NBIB ``AU``)."""
        if self.collective or not self.last:
            return self.display
        return f"{self.last} {self.initials}" if self.initials else self.last


def initials(fore: str | None) -> str | None:
    """``"Yi-Jia"`` -> ``"YJ"``, ``"Caitlin S M"`` -> ``"CSM"`` (MEDLINE's initials)."""
    if not fore:
        return None
    letters = [p[0] for p in re.split(r"[\s\-.]+", fore) if p and p[0].isalpha()]
    return "".join(letters).upper() or None


def name_of(author: Author) -> Name:
    """The citation spelling of one author (a name without last name is kept whole)."""
    return Name(last=author.last_name, fore=author.fore_name,
                initials=initials(author.fore_name), collective=author.collective,
                display=author.name)


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


def abstract_text(record: ArticleRecord) -> str | None:
    """All sections in one text, each labelled as printed: ``"BACKGROUND: … METHODS: …"``."""
    parts = [f"{s.label}: {s.text}" if s.label else s.text for s in record.abstract]
    return " ".join(parts) or None


def mesh_heading(term: MeshTerm) -> str:
    """PubMed's MEDLINE spelling: ``*Aorta/surgery``, ``Aorta/*surgery/pathology``."""
    out = ("*" if term.major else "") + term.descriptor
    for q in term.qualifiers:
        out += "/" + ("*" if q in term.major_qualifiers else "") + q
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


def pubmed_url(record: ArticleRecord) -> str:
    """The article's PubMed address (the public one, whichever host was crawled)."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{record.pmid}/"


def retraction_line(record: ArticleRecord) -> str | None:
    """``"RETRACTED (retraction in PMID 123)"`` for a retracted record, else None."""
    if not record.is_retracted:
        return None
    pmids = [n.pmid for n in record.notices if n.type == "retraction_in" and n.pmid]
    return "RETRACTED" + (f" (retraction in PMID {', '.join(pmids)})" if pmids else "")


def reached_line(record: ArticleRecord) -> str | None:
    """How the crawl reached the article: ``"Reached by: seed"`` or the ways with parents."""
    prov = record.provenance
    if prov is None:
        return None
    if prov.relation == "seed":
        return f"Reached by: seed (PMID {record.pmid})"
    ways = record.reached_by or []
    shown = "; ".join(f"{w.relation} of PMID {w.parent}" for w in ways) or (
        f"{prov.relation} of PMID {prov.parent}")
    return f"Reached by: {shown} (depth {prov.depth}, seed PMID {prov.seed})"


def review_line(record: ArticleRecord) -> str | None:
    """What a review says about itself, in one line (None when nothing is known)."""
    r = record.review
    parts = []
    if r.type:
        parts.append(r.type)
    if r.studies_included is not None:
        parts.append(f"{r.studies_included} studies")
    if r.participants is not None:
        parts.append(f"{r.participants} participants")
    if r.databases:
        parts.append("databases: " + ", ".join(r.databases))
    if r.search_period:
        parts.append(f"searched {r.search_period}")
    if r.registration:
        parts.append(f"registration {r.registration}")
    if r.guideline:
        parts.append(f"guideline {r.guideline}")
    return ("Review: " + "; ".join(parts)) if parts else None


def notice_lines(record: ArticleRecord) -> list[str]:
    """One line per notice: ``"erratum in: <citation> (PMID 123)"``."""
    out = []
    for n in record.notices:
        text = n.type.replace("_", " ") + ": " + (n.citation or "")
        if n.pmid:
            text += f" (PMID {n.pmid})"
        out.append(text.strip())
    return out


def note_lines(record: ArticleRecord) -> list[str]:
    """The note a screener sees: retraction first, then how reached, review facts, notices."""
    lines = [retraction_line(record), reached_line(record), review_line(record)]
    return [line for line in lines if line] + notice_lines(record)
