"""A synthetic, deterministic PubMed: any article computed on demand from (seed, index).

Article ``i`` (PMID ``30000000 + i``) cites ``j`` iff ``0 < i - j <= CITE_WINDOW`` and a
pair hash falls under ``CITE_P``; ``i`` and ``j`` are similar iff ``0 < |i - j| <=
SIM_WINDOW`` and the (symmetric) pair hash falls under ``SIM_P``. So every list, and its
inverse (cited by), is a scan of a small window: nothing is ever materialised, and a
100,000-article graph costs no more memory than a 10-article one.

About 2% of the ids are *missing*: they are still cited and listed as similar by others,
but have no page (404) and are not records.

``MirrorGraph(n, seed, realistic=True)`` gives records of real size (reference lists of ~45,
abstracts of ~1,500 characters; :mod:`tests.mirror.realistic` has the distributions): article
``i`` then cites ``j`` iff ``0 < i - j <= realistic.CITE_WINDOW`` and the pair hash falls
under a per-article probability (its in-PubMed reference count ÷ the window), so the lists
stay lazy window scans and consistent inverses. The default graph is unchanged by the option.
"""

from __future__ import annotations

import bisect
import random
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import overload

from aggregator.records import (
    AbstractSection,
    Author,
    Journal,
    MeshTerm,
    Notice,
    PublicationDate,
    Reference,
)
from tests.mirror import realistic as R
from tests.mirror import vocab as V

__all__ = [
    "MirrorArticle",
    "MirrorGraph",
    "PMID_BASE",
    "RELATIONS",
    "Docsum",
    "reachable",
]

PMID_BASE = 30_000_000
#: notices (retractions, errata) get PMIDs outside any graph: 90M + i, 95M + i
NOTICE_PMID_BASE = 90_000_000
NOTICE_PMID_SPAN = 5_000_000
CITE_WINDOW = 40
CITE_P = 0.25  # ~10 in-graph references per article
SIM_WINDOW = 30
SIM_P = 0.25  # ~15 similar articles per article
MISSING_PERCENT = 2
FIRST_YEAR, LAST_YEAR = 1990, 2025
#: Relation order = provenance tie-break order (contract).
RELATIONS = ("seed", "references", "cited_by", "similar")

_M64 = (1 << 64) - 1
_T_CITE, _T_SIM, _T_MISS, _T_CORE, _T_BODY, _T_TITLE, _T_EXT = range(1, 8)
#: realistic mode's draws (reference count, in-PubMed share, abstract length and text)
_T_NREFS, _T_SHARE, _T_ABSLEN, _T_ABSTEXT = range(60, 64)


def _mix(x: int) -> int:
    """splitmix64 finaliser: a fast, well-spread 64-bit hash step."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _h(seed: int, tag: int, a: int, b: int = 0) -> int:
    return _mix(_mix(_mix((seed << 8) ^ tag) ^ a) ^ b)


def _key(seed: int, tag: int) -> int:
    return _mix((seed << 8) ^ tag)


_CITE_T = int(CITE_P * 2**64)
_SIM_T = int(SIM_P * 2**64)


@dataclass(slots=True)
class MirrorArticle:
    """Everything an article page, a docsum and efetch's XML show about one article."""

    pmid: str
    title: str
    authors: list[Author]
    journal: Journal
    publication_date: PublicationDate
    #: (year, month abbreviation or None, day or None, MedlineDate or None) for the XML
    pub_date_parts: tuple[str, str | None, str | None, str | None]
    epub_parts: tuple[str, str, str] | None  # (year, "MM", "DD")
    publication_types: list[str]
    abstract: list[AbstractSection]
    keywords: list[str]
    mesh_terms: list[MeshTerm]
    conflict_of_interest: str | None
    doi: str | None
    pmcid: str | None
    references: list[Reference]  # the full list, in-PubMed ones and DOI-only ones
    similar_pmids: list[str]
    cited_by_pmids: list[str]
    copyright: str | None = None
    reference_pmids: list[str] = field(default_factory=list)
    #: retraction / erratum notices, shown on the page and in efetch's CommentsCorrections
    notices: list[Notice] = field(default_factory=list)

    @property
    def year(self) -> str:
        return self.publication_date.year or ""

    @property
    def is_review(self) -> bool:
        return any(t in ("Review", "Systematic Review", "Meta-Analysis")
                   for t in self.publication_types)


@dataclass(slots=True, frozen=True)
class Docsum:
    """The short form of an article used in lists and reference citations."""

    pmid: str
    title: str
    authors_full: str  # "Zhang C, Butt S, Kashif H."
    authors_short: str  # "Zhang C, et al."
    journal_abbrev: str
    printed_date: str
    year: str
    volume: str
    issue: str
    pages: str
    doi: str | None
    epub: str | None
    pmcid: str | None
    review_type: str | None  # "Review", "Systematic Review", "Meta-Analysis" or None

    @property
    def journal_citation_full(self) -> str:
        out = (f"{self.journal_abbrev}. {self.printed_date};{self.volume}({self.issue}):"
               f"{self.pages}.")
        if self.doi:
            out += f" doi: {self.doi}."
        if self.epub:
            out += f" Epub {self.epub}."
        return out

    @property
    def journal_citation_short(self) -> str:
        return f"{self.journal_abbrev}. {self.year}."

    @property
    def citation(self) -> str:
        """NLM-style reference text, as a reference list prints it."""
        return (f"{self.authors_short} {self.title} {self.journal_abbrev}. "
                f"{self.year};{self.volume}:{self.pages}.")


class PmidSequence(Sequence[str]):
    """The graph's PMIDs as a lazy sequence (slicing stays lazy)."""

    __slots__ = ("_r",)

    def __init__(self, r: range) -> None:
        self._r = r

    def __len__(self) -> int:
        return len(self._r)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> PmidSequence: ...
    def __getitem__(self, index: int | slice) -> str | PmidSequence:
        if isinstance(index, slice):
            return PmidSequence(self._r[index])
        return str(PMID_BASE + self._r[index])

    def __iter__(self) -> Iterator[str]:
        return (str(PMID_BASE + i) for i in self._r)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value.isdigit() and int(value) - PMID_BASE in self._r

    def __repr__(self) -> str:
        return f"PmidSequence({len(self)} PMIDs)"


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class MirrorGraph:
    """A deterministic synthetic article graph of ``n_articles`` (seeded)."""

    def __init__(self, n_articles: int, seed: int = 1, realistic: bool = False) -> None:
        if n_articles < 1:
            raise ValueError("n_articles must be at least 1")
        self.n = n_articles
        self.seed = seed
        #: realistic record sizes (see the module docstring); False: the default graph
        self.realistic = realistic
        #: how far back an article may cite (references and cited-by scan this window)
        self.cite_window = R.CITE_WINDOW if realistic else CITE_WINDOW
        self._cite_ts = lru_cache(maxsize=65536)(self._realistic_cite_t)
        # per-instance caches (the graph object is immutable)
        self._k_cite = _key(seed, _T_CITE)
        self._k_sim = _key(seed, _T_SIM)
        self._k_miss = _key(seed, _T_MISS)
        self.docsum = lru_cache(maxsize=8192)(self._docsum)  # type: ignore[method-assign]
        self._search_cache: dict[tuple[str, ...], list[int]] = {}
        self._all: array | None = None  # every existing index, newest first (all[sb])
        self._pdates: array | None = None  # YYYYMMDD per index, built on first need

    def __repr__(self) -> str:
        extra = ", realistic=True" if self.realistic else ""
        return f"MirrorGraph({self.n}, seed={self.seed}{extra})"

    # ------------------------------------------------------------------ ids

    def pmids(self) -> PmidSequence:
        """All PMIDs of the graph, missing ones included (lazy, ascending)."""
        return PmidSequence(range(self.n))

    def index(self, pmid: str | int) -> int | None:
        """Index of a PMID in the graph, or None when it is not one of the graph's ids."""
        try:
            i = int(pmid) - PMID_BASE
        except (TypeError, ValueError):
            return None
        return i if 0 <= i < self.n else None

    @staticmethod
    def pmid(i: int) -> str:
        return str(PMID_BASE + i)

    def _missing(self, i: int) -> bool:
        return _mix(self._k_miss ^ i) % 100 < MISSING_PERCENT

    def exists(self, pmid: str | int) -> bool:
        """True when the PMID has a page (in range and not one of the missing ids)."""
        i = self.index(pmid)
        return i is not None and not self._missing(i)

    # ------------------------------------------------------------------ edges

    def _cites(self, i: int, j: int) -> bool:
        if self.realistic:
            return (0 < i - j <= self.cite_window and j >= 0
                    and _mix(_mix(self._k_cite ^ i) ^ j) < self._cite_ts(i))
        return (0 < i - j <= CITE_WINDOW and j >= 0
                and _mix(_mix(self._k_cite ^ i) ^ j) < _CITE_T)

    def realistic_counts(self, i: int) -> tuple[int, int]:
        """Realistic mode's draws for article ``i``: (reference-list length, how many of
        them are in PubMed); the in-graph list has about the second number of entries."""
        n_refs = R.reference_count(_h(self.seed, _T_NREFS, i))
        return n_refs, R.in_pubmed_count(n_refs, _h(self.seed, _T_SHARE, i))

    def _realistic_cite_t(self, i: int) -> int:
        """Realistic mode: the hash threshold under which ``i`` cites an earlier article,
        so that ``i`` cites about its in-PubMed count of the articles in its window."""
        candidates = min(i, self.cite_window)
        if candidates == 0:
            return 0
        return int(min(1.0, self.realistic_counts(i)[1] / candidates) * 2**64)

    def _ref_indices(self, i: int) -> list[int]:
        ki = _mix(self._k_cite ^ i)
        threshold = self._cite_ts(i) if self.realistic else _CITE_T
        scored = []
        for j in range(max(0, i - self.cite_window), i):
            s = _mix(ki ^ j)
            if s < threshold:
                scored.append((s, j))
        # reference-list order: shuffled by the pair hash (not by id)
        scored.sort()
        return [j for _, j in scored]

    def references(self, pmid: str) -> list[str]:
        """In-PubMed references of an article (PMIDs, reference-list order; may be missing ids)."""
        i = self.index(pmid)
        if i is None or self._missing(i):
            return []
        return [self.pmid(j) for j in self._ref_indices(i)]

    def cited_by(self, pmid: str) -> list[str]:
        """Existing articles citing ``pmid``, most recent (highest PMID) first."""
        j = self.index(pmid)
        if j is None or self._missing(j):
            return []
        hi = min(self.n - 1, j + self.cite_window)
        k = self._k_cite
        if self.realistic:
            return [str(PMID_BASE + i) for i in range(hi, j, -1)
                    if _mix(_mix(k ^ i) ^ j) < self._cite_ts(i) and not self._missing(i)]
        return [str(PMID_BASE + i) for i in range(hi, j, -1)
                if _mix(_mix(k ^ i) ^ j) < _CITE_T and not self._missing(i)]

    def similar(self, pmid: str) -> list[str]:
        """Similar articles as the site lists them (most similar first, the article excluded)."""
        i = self.index(pmid)
        if i is None or self._missing(i):
            return []
        scored = []
        k = self._k_sim
        ki = _mix(k ^ i)
        for j in range(max(0, i - SIM_WINDOW), i):  # symmetric: hash (lower, higher)
            s = _mix(_mix(k ^ j) ^ i)
            if s < _SIM_T:
                scored.append((s, j))
        for j in range(i + 1, min(self.n, i + SIM_WINDOW + 1)):
            s = _mix(ki ^ j)
            if s < _SIM_T:
                scored.append((s, j))
        scored.sort()
        return [self.pmid(j) for _, j in scored]

    def linked(self, pmid: str, relation: str) -> list[str]:
        """``references`` / ``cited_by`` / ``similar`` of ``pmid`` by relation name."""
        if relation == "references":
            return self.references(pmid)
        if relation == "cited_by":
            return self.cited_by(pmid)
        if relation == "similar":
            return self.similar(pmid)
        raise ValueError(f"unknown relation {relation!r}")

    # ------------------------------------------------------------------ content

    def year_of(self, i: int) -> int:
        """Publication year: spread evenly over 1990-2025 by index (PMIDs grow with time)."""
        return FIRST_YEAR + (i * (LAST_YEAR - FIRST_YEAR + 1)) // self.n

    def title_of(self, i: int) -> str:
        """The article's title (cheap: used by search scans)."""
        h = _h(self.seed, _T_TITLE, i)
        cond = V.CONDITIONS[h % len(V.CONDITIONS)]
        h //= len(V.CONDITIONS)
        if h % 5 < 2:  # a made-up drug: rare words, so some searches hit one article
            h //= 5
            inter = (V.DRUG_HEAD[h % 15] + V.DRUG_MID[(h >> 4) % 10] + V.DRUG_TAIL[(h >> 8) % 8])
            h >>= 12
        else:
            h //= 5
            inter = V.INTERVENTIONS[h % len(V.INTERVENTIONS)]
            h //= len(V.INTERVENTIONS)
        pop = V.POPULATIONS[h % len(V.POPULATIONS)]
        h //= len(V.POPULATIONS)
        outcome = V.OUTCOMES[h % len(V.OUTCOMES)]
        h //= len(V.OUTCOMES)
        review = self._review_type(i)
        pattern = h % 3
        if pattern == 0:
            base = f"{inter.capitalize()} for {cond} in {pop}"
        elif pattern == 1:
            base = f"Effect of {inter} on {outcome} in {pop} with {cond}"
        else:
            base = f"Association between {inter} and {outcome} in {cond}"
        if review == "Meta-Analysis":
            return f"{base}: A Systematic Review and Meta-Analysis."
        if review == "Systematic Review":
            return f"{base}: A Systematic Review."
        if review == "Review":
            return f"{base}: a narrative review."
        return f"{base}: {V.DESIGNS[(h // 3) % len(V.DESIGNS)]}."

    def _review_type(self, i: int) -> str | None:
        r = _h(self.seed, _T_CORE + 50, i) % 100
        if r < 4:
            return "Meta-Analysis"
        if r < 10:
            return "Systematic Review"
        if r < 18:
            return "Review"
        return None

    def _publication_types(self, i: int) -> list[str]:
        review = self._review_type(i)
        if review == "Meta-Analysis":
            return ["Meta-Analysis", "Systematic Review"]
        if review == "Systematic Review":
            return ["Systematic Review"]
        if review == "Review":
            return ["Journal Article", "Review"]
        r = _h(self.seed, _T_CORE + 51, i) % 10
        if r == 0:
            return ["Journal Article", "Randomized Controlled Trial"]
        if r == 1 and _h(self.seed, _T_CORE + 52, i) % 4 == 0:
            # a retracted article keeps its page; PubMed adds this publication type
            return ["Journal Article", "Retracted Publication"]
        return ["Journal Article"]

    def _notices(self, i: int, ja: str, year: str) -> list[Notice]:
        """A retracted article has its retraction notice; about 1 in 12 has an erratum.

        Notice PMIDs are outside the graph (``NOTICE_PMID_BASE + i``): never crawled."""
        out = []
        if "Retracted Publication" in self._publication_types(i):
            pmid = str(NOTICE_PMID_BASE + i)
            out.append(Notice(type="retraction_in", pmid=pmid,
                              citation=f"{ja}. {int(year) + 1}. Retraction notice. "
                                       f"doi: 10.5555/retraction.{i}."))
        if _h(self.seed, _T_CORE + 53, i) % 12 == 0:
            pmid = str(NOTICE_PMID_BASE + NOTICE_PMID_SPAN + i)
            out.append(Notice(type="erratum_in", pmid=pmid,
                              citation=f"{ja}. {int(year) + 1}. Erratum."))
        return out

    def _core(self, i: int) -> tuple:
        """Title, authors, journal, dates and ids of article ``i`` (no lists, no abstract)."""
        rnd, journal, month, day, style = self._date_draws(i)
        year = self.year_of(i)
        jt, ja, issn, doi_prefix = journal
        if style < 5:
            printed, parts = f"{year} {V.MONTHS[month]}", (str(year), V.MONTHS[month], None, None)
        elif style < 8:
            printed = f"{year} {V.MONTHS[month]} {day}"
            parts = (str(year), V.MONTHS[month], str(day), None)
        elif style < 9 and month < 11:
            printed = f"{year} {V.MONTHS[month]}-{V.MONTHS[month + 1]}"
            parts = (str(year), None, None, printed)
        else:
            printed, parts = str(year), (str(year), None, None, None)
        epub = None
        if rnd.random() < 0.6:
            ey = year - 1 if month < 2 and rnd.random() < 0.5 else year
            em, ed = rnd.randint(1, 12), rnd.randint(1, 28)
            epub = (str(ey), f"{em:02d}", f"{ed:02d}")
        volume = str(max(1, year - 1960 + rnd.randrange(5)))
        issue = str(rnd.randint(1, 12))
        first_page = rnd.randint(1, 900)
        pages = f"{first_page}-{first_page + rnd.randint(3, 15)}"
        doi = None if rnd.random() < 0.05 else (
            f"{doi_prefix}/{ja.split()[0].lower()}.{year}.{i:06d}")
        pmcid = f"PMC{7_000_000 + i * 7 + rnd.randrange(7)}" if rnd.random() < 0.3 else None
        authors = self._authors(rnd, i)
        return (jt, ja, issn, printed, parts, epub, volume, issue, pages, doi, pmcid, authors,
                str(year))

    def _date_draws(self, i: int) -> tuple[random.Random, tuple, int, int, int]:
        """The first draws of :meth:`_core` (journal, month, day, date style), and the
        generator to go on with (so the publication date is computed once, one way)."""
        rnd = random.Random(_h(self.seed, _T_CORE, i))
        journal = V.JOURNALS[rnd.randrange(len(V.JOURNALS))]
        month = rnd.randrange(12)
        day = rnd.randint(1, 28)
        style = rnd.randrange(10)
        return rnd, journal, month, day, style

    def pub_date_key(self, i: int) -> int:
        """Article ``i``'s publication date as ``YYYYMMDD``, as esearch's ``pdat`` reads
        its printed date: a missing day is the 1st, a missing month January, a month
        range (MedlineDate) its first month."""
        _, _, month, day, style = self._date_draws(i)
        year = self.year_of(i) * 10_000
        if style < 5:  # the branches of _core's printed date
            return year + (month + 1) * 100 + 1
        if style < 8:
            return year + (month + 1) * 100 + day
        if style < 9 and month < 11:
            return year + (month + 1) * 100 + 1
        return year + 101

    def _authors(self, rnd: random.Random, i: int) -> list[Author]:
        out: list[Author] = []
        n = rnd.choice((1, 2, 3, 3, 4, 4, 5, 6, 7, 8))
        inst = rnd.sample(range(len(V.INSTITUTIONS)), 4)
        seen: set[str] = set()
        for _ in range(n):
            fore = V.FORE_NAMES[rnd.randrange(len(V.FORE_NAMES))]
            last = V.LAST_NAMES[rnd.randrange(len(V.LAST_NAMES))]
            if last + fore in seen:
                continue
            seen.add(last + fore)
            affs = [V.INSTITUTIONS[k] for k in rnd.sample(inst, rnd.choice((1, 1, 1, 2)))]
            orcid = _orcid(rnd) if rnd.random() < 0.3 else None
            out.append(Author(name=f"{fore} {last}", last_name=last, fore_name=fore,
                              affiliations=affs, orcid=orcid))
        if rnd.random() < 0.06:
            name = V.COLLECTIVES[rnd.randrange(len(V.COLLECTIVES))]
            out.append(Author(name=name, collective=True))
        return out

    def _docsum(self, i: int) -> Docsum:
        (_jt, ja, _issn, printed, _parts, epub, volume, issue, pages, doi, pmcid, authors,
         year) = self._core(i)
        names = [_short_name(a) for a in authors]
        full = ", ".join(names) + "." if names else ""
        short = f"{names[0]}, et al." if len(names) > 1 else full
        review = self._review_type(i)
        return Docsum(
            pmid=self.pmid(i), title=self.title_of(i), authors_full=full, authors_short=short,
            journal_abbrev=ja, printed_date=printed, year=year, volume=volume, issue=issue,
            pages=pages, doi=doi, epub=_epub_text(epub), pmcid=pmcid,
            review_type=review,
        )

    def docsum_of(self, pmid: str) -> Docsum:
        """The list-entry form of any graph id (missing ones too: they are still listed)."""
        i = self.index(pmid)
        if i is None:
            raise KeyError(pmid)
        return self.docsum(i)

    def article(self, pmid: str) -> MirrorArticle:
        """The full article; ``KeyError`` for ids outside the graph or missing."""
        i = self.index(pmid)
        if i is None or self._missing(i):
            raise KeyError(pmid)
        (jt, ja, issn, printed, parts, epub, volume, issue, pages, doi, pmcid, authors,
         year) = self._core(i)
        rnd = random.Random(_h(self.seed, _T_BODY, i))
        review = self._review_type(i)
        title = self.title_of(i)
        abstract = _abstract(rnd, title, review, int(year))
        if self.realistic:
            abstract = self._realistic_abstract(i, abstract, title, review, int(year))
        keywords = rnd.sample(V.KEYWORDS, rnd.choice((0, 0, 3, 4, 5, 6)))
        mesh = _mesh(rnd) if rnd.random() < 0.8 else []
        coi = rnd.choice(V.COI_STATEMENTS) if rnd.random() < 0.55 else None
        copyright_ = f"Copyright © {year} The Authors." if rnd.random() < 0.4 else None
        references = self._reference_list(i)
        return MirrorArticle(
            pmid=self.pmid(i),
            title=title,
            authors=authors,
            journal=Journal(title=jt, abbreviation=ja, volume=volume, issue=issue, pages=pages,
                            issn=issn),
            publication_date=PublicationDate(printed=printed, year=year,
                                             epub=_epub_text(epub)),
            pub_date_parts=parts,
            epub_parts=epub,
            publication_types=self._publication_types(i),
            abstract=abstract,
            keywords=keywords,
            mesh_terms=mesh,
            conflict_of_interest=coi,
            doi=doi,
            pmcid=pmcid,
            references=references,
            reference_pmids=[r.pmid for r in references if r.pmid],
            similar_pmids=self.similar(self.pmid(i)),
            cited_by_pmids=self.cited_by(self.pmid(i)),
            copyright=copyright_,
            notices=self._notices(i, ja, year),
        )

    def _realistic_abstract(self, i: int, sections: list[AbstractSection], title: str,
                            review: str | None, year: int) -> list[AbstractSection]:
        """Realistic mode: the default abstract (one made for the articles without), grown
        to the article's drawn length. Own random streams: the other fields stay as they are."""
        rnd = random.Random(_h(self.seed, _T_ABSTEXT, i))
        if not sections:
            sections = _abstract(rnd, title, review, year, kind=0.2 + 0.8 * rnd.random())
        return R.lengthen_abstract(sections, R.abstract_length(_h(self.seed, _T_ABSLEN, i)),
                                   rnd)

    def _reference_list(self, i: int) -> list[Reference]:
        refs: list[Reference] = []
        for j in self._ref_indices(i):
            d = self.docsum(j)
            refs.append(Reference(citation=d.citation + (f" doi: {d.doi}." if d.doi else ""),
                                  pmid=d.pmid, pmcid=d.pmcid, doi=d.doi))
        if self.realistic:  # the drawn length's references that are not in PubMed
            n_refs, in_pubmed = self.realistic_counts(i)
            n_ext = n_refs - in_pubmed
        else:
            n_ext = _h(self.seed, _T_EXT, i) % 5
        for k in range(n_ext):
            rnd = random.Random(_h(self.seed, _T_EXT, i, k + 1))
            doi = f"10.{rnd.randint(1000, 9999)}/ext.{self.pmid(i)}.{k + 1}"
            # realistic mode: two in three have no DOI either (books, reports), as in the
            # real lists saved in tests/fixtures (6 text-only and 1 DOI-only of 71)
            if self.realistic and rnd.randrange(3):
                doi = None
            cit = (f"{rnd.choice(V.LAST_NAMES)} {rnd.choice('ABCDEHJKLMS')}, et al. "
                   f"{rnd.choice(V.OUTCOMES).capitalize()} in {rnd.choice(V.CONDITIONS)}: "
                   f"a report. Grey Lit Rep. {self.year_of(i) - rnd.randint(1, 9)};"
                   f"{rnd.randint(1, 40)}:{rnd.randint(1, 300)}."
                   + (f" doi: {doi}." if doi else ""))
            # out-of-PubMed references sit at deterministic places in the list
            refs.insert(rnd.randint(0, len(refs)), Reference(citation=cit, doi=doi))
        return refs

    # ------------------------------------------------------------------ search

    def by_doi(self, doi: str) -> list[str]:
        """PMIDs of existing articles with this DOI (case-insensitive), as ``[doi]`` finds."""
        index = getattr(self, "_doi_index", None)
        if index is None:  # built on the first DOI search: one pass over the graph
            index = {}
            for i in range(self.n):
                d = self.docsum(i).doi
                if d and not self._missing(i):
                    index.setdefault(d.lower(), []).append(self.pmid(i))
            self._doi_index = index
        return list(index.get(doi.strip().lower(), []))

    def by_pmcid(self, pmcid: str) -> str | None:
        """The PMID of the article with this PMCID (PMCIDs are 7,000,000 + 7 i + r)."""
        m = re.fullmatch(r"PMC(\d+)", pmcid.strip().upper())
        if not m:
            return None
        i = (int(m.group(1)) - 7_000_000) // 7
        if not 0 <= i < self.n or self._missing(i):
            return None
        return self.pmid(i) if self.docsum(i).pmcid == pmcid.strip().upper() else None

    def search(self, term: str) -> list[str]:
        """PMIDs of existing articles matching ``term``, newest first.

        ``<doi>[doi]`` finds the articles with that DOI (:meth:`by_doi`).

        A term is words (all must be in the title, case-insensitive; ``[field]`` tags and
        ``AND`` are ignored), or a PMID, or ``all[sb]`` for every article. Scans titles
        (cheap, cached per term).
        """
        doi = re.fullmatch(r"\s*(10\.\S+?)\s*\[doi\]\s*", term, re.I)
        if doi:
            return self.by_doi(doi.group(1))
        words = self._words(term)
        if len(words) == 1 and words[0].isdigit():
            return [words[0]] if self.exists(words[0]) else []
        return [self.pmid(i) for i in self._scan(term, words)]

    def search_dated(self, term: str, lo: int, hi: int) -> list[str]:
        """:meth:`search` restricted to articles published from ``lo`` to ``hi``
        (``YYYYMMDD``, inclusive; see :meth:`pub_date_key`)."""
        words = self._words(term)
        if re.fullmatch(r"\s*(10\.\S+?)\s*\[doi\]\s*", term, re.I) or (
                len(words) == 1 and words[0].isdigit()):  # a handful of hits at most
            return [p for p in self.search(term)
                    if lo <= self.pub_date_key(int(p) - PMID_BASE) <= hi]
        return [self.pmid(i) for i in self._in_dates(self._scan(term, words), lo, hi)]

    @staticmethod
    def _words(term: str) -> tuple[str, ...]:
        cleaned = re.sub(r"\[[^\]]*\]", " ", term.lower()) if "all[sb]" not in term.lower() else ""
        return tuple(w for w in _WORD.findall(cleaned) if w not in ("and",))

    def _scan(self, term: str, words: tuple[str, ...]) -> Sequence[int]:
        """The hits of a title-word (or ``all[sb]``) search as indices, newest first,
        cached per term."""
        if "all[sb]" in term.lower():
            if self._all is None:  # 4 bytes an article (a query of 500k hits pages it often)
                self._all = array("i", (i for i in range(self.n - 1, -1, -1)
                                        if not self._missing(i)))
            return self._all
        if not words:
            return []
        hits = self._search_cache.get(words)
        if hits is None:
            hits = []
            for i in range(self.n - 1, -1, -1):
                if self._missing(i):
                    continue
                title_words = set(_WORD.findall(self.title_of(i).lower()))
                if all(w in title_words for w in words):
                    hits.append(i)
            if len(self._search_cache) > 256:
                self._search_cache.clear()
            self._search_cache[words] = hits
        return hits

    def _in_dates(self, hits: Sequence[int], lo: int, hi: int) -> list[int]:
        """The ``hits`` (descending indices) published from ``lo`` to ``hi`` (``YYYYMMDD``,
        inclusive). Years grow with the index, so the years in range are one slice of
        ``hits``; the dates inside are read only when the window cuts a year."""
        ylo, yhi = lo // 10_000, hi // 10_000
        first = bisect.bisect_left(range(self.n), ylo, key=self.year_of)
        end = bisect.bisect_left(range(self.n), yhi + 1, key=self.year_of)
        # hits descend: the slice holds the indices in [first, end)
        a = bisect.bisect_left(hits, -(end - 1), key=lambda x: -x)
        b = bisect.bisect_left(hits, -(first - 1), key=lambda x: -x)
        inside = list(hits[a:b])
        if lo % 10_000 == 101 and hi % 10_000 == 1231:
            return inside  # whole years
        if self._pdates is None:
            self._pdates = array("i", (self.pub_date_key(i) for i in range(self.n)))
        pdates = self._pdates
        return [i for i in inside if lo <= pdates[i] <= hi]


# ---------------------------------------------------------------------- helpers


def _short_name(a: Author) -> str:
    if a.collective:
        return a.name
    initials = "".join(p[0] for p in (a.fore_name or "").split())
    return f"{a.last_name} {initials}"


def initials_of(fore_name: str | None) -> str:
    """``"David G"`` -> ``"DG"`` (MEDLINE initials)."""
    return "".join(p[0] for p in (fore_name or "").split())


def _epub_text(epub: tuple[str, str, str] | None) -> str | None:
    if epub is None:
        return None
    y, m, d = epub
    return f"{y} {V.MONTHS[int(m) - 1]} {int(d)}"


def _orcid(rnd: random.Random) -> str:
    base = "000" + "".join(str(rnd.randrange(10)) for _ in range(12))
    total = 0
    for ch in base:  # ISO 7064 MOD 11-2, as ORCID's check digit
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return "-".join(digits[k:k + 4] for k in range(0, 16, 4))


def _abstract(rnd: random.Random, title: str, review: str | None,
              year: int, kind: float | None = None) -> list[AbstractSection]:
    """Background/Methods/Results/Conclusions, structured or as one text, or none (20 %);
    ``kind`` in [0, 1) picks which (drawn from ``rnd`` when not given)."""
    if kind is None:
        kind = rnd.random()
    if kind < 0.2:
        return []
    topic = title.split(":")[0].rstrip(".")
    n_studies = rnd.randint(4, 60)
    n_part = rnd.randint(n_studies * 30, n_studies * 900)
    dbs = rnd.sample(V.DATABASES, 3)
    month = V.MONTH_NAMES[rnd.randrange(12)]
    method_bits: list[str] = []
    if review in ("Systematic Review", "Meta-Analysis") or (review and rnd.random() < 0.5):
        method_bits.append(
            f"We searched {dbs[0]}, {dbs[1]} and {dbs[2]} from inception to {month} {year - 1}.")
        if year > 2012 and rnd.random() < 0.6:
            method_bits.append(
                f"The protocol was registered in PROSPERO (CRD42{(year - 1) % 1000:03d}"
                f"{rnd.randint(100000, 999999)}).")
        method_bits.append(
            f"A total of {n_studies} studies with {n_part:,} participants were included.")
    background = (f"This work examines {topic[0].lower() + topic[1:]}. Evidence on this question "
                  "remains limited and inconsistent.")
    methods = (" ".join(method_bits) if method_bits else
               f"We enrolled {n_part:,} participants and followed them for "
               f"{rnd.randint(6, 60)} months.")
    effect = rnd.choice(("lower", "higher", "similar"))
    results = (f"The intervention was associated with {effect} rates of the primary outcome "
               f"(odds ratio {rnd.uniform(0.4, 1.9):.2f}; 95% CI {rnd.uniform(0.2, 0.9):.2f} to "
               f"{rnd.uniform(1.0, 2.5):.2f}; I² = {rnd.randint(0, 90)}%).")
    conclusion = "These findings support further adequately powered trials."
    if kind < 0.55:
        return [AbstractSection(label, text) for label, text in (
            ("Background", background), ("Methods", methods), ("Results", results),
            ("Conclusions", conclusion))]
    return [AbstractSection(None, " ".join((background, methods, results, conclusion)))]


def _mesh(rnd: random.Random) -> list[MeshTerm]:
    terms: list[MeshTerm] = []
    for d in sorted(rnd.sample(V.MESH_DESCRIPTORS, rnd.randint(3, 9))):
        major = rnd.random() < 0.35
        quals: list[str] = []
        major_q: list[str] = []
        if d not in ("Humans", "Male", "Female", "Aged", "Adult", "Middle Aged"):
            for q in sorted(rnd.sample(V.MESH_QUALIFIERS, rnd.choice((0, 0, 1, 1, 2)))):
                quals.append(q)
                if not major and rnd.random() < 0.4:
                    major_q.append(q)
        terms.append(MeshTerm(descriptor=d, qualifiers=quals, major=major,
                              major_qualifiers=major_q))
    return terms


# ---------------------------------------------------------------------- the oracle


def reachable(graph: MirrorGraph, seeds: Iterable[str], depth: int,
              follow: Iterable[str]) -> dict[str, tuple[int, str, str | None, str]]:
    """What a crawl from ``seeds`` to ``depth`` following ``follow`` must emit.

    ``{pmid: (depth, relation, parent, seed)}`` over existing articles only (missing ids
    are not records and are not expanded). Breadth-first, level by level: the shortest
    depth wins; ties go to the relation order (seed, references, cited_by, similar), then
    to the lowest parent PMID (numeric), exactly as the contract says.
    """
    follow = [r for r in RELATIONS[1:] if r in set(follow)]
    rank = {r: k for k, r in enumerate(RELATIONS)}
    found: dict[str, tuple[int, str, str | None, str]] = {}
    level: list[str] = []
    for s in seeds:
        s = str(s)
        if graph.exists(s) and s not in found:
            found[s] = (0, "seed", None, s)
            level.append(s)
    for d in range(1, depth + 1):
        best: dict[str, tuple[int, int, str]] = {}  # child -> (rank, parent int, parent)
        for parent in level:
            for relation in follow:
                for child in graph.linked(parent, relation):
                    if child in found or not graph.exists(child):
                        continue
                    key = (rank[relation], int(parent), parent)
                    if child not in best or key < best[child]:
                        best[child] = key
        rel_of = {v: k for k, v in rank.items()}
        level = []
        for child in sorted(best, key=int):
            r, _, parent = best[child]
            found[child] = (d, rel_of[r], parent, found[parent][3])
            level.append(child)
        if not level:
            break
    return found
