"""The record model shared by both sources (article pages and E-utilities).

One place defines the schema: parsers build these dataclasses, pipelines
normalise/validate them, feeds serialise them with ``to_dict()``. Every key is
always present in the output (``None`` or ``[]`` when a source lacks it).
"""

from __future__ import annotations

import copy
from dataclasses import Field, dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import Any, NewType

SCHEMA_VERSION = "1.0"

#: An instant as ISO 8601 UTC text ("2026-11-25T19:25:18Z"); a timestamp in Parquet.
IsoInstant = NewType("IsoInstant", str)

_ATOMS = (str, int, float, bool, type(None))
#: field names of each dataclass met, in declaration order (fields() is slow per call)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def data_fields(cls: Any) -> list[Field[Any]]:
    """A dataclass's fields that hold data: all but private caches (names starting ``_``,
    such as ``ArticleRecord._line``), which no output or copy carries."""
    return [f for f in fields(cls) if not f.name.startswith("_")]


def field_names(cls: type) -> tuple[str, ...] | None:
    """The data field names of dataclass ``cls`` in declaration order (None: not one),
    read once per class."""
    names = _FIELD_NAMES.get(cls)
    if names is None and is_dataclass(cls):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in data_fields(cls))
    return names


def plain(value: Any) -> Any:
    """A dataclass tree as plain dicts and lists, equal to ``dataclasses.asdict``.

    ``asdict`` deep-copies every leaf and looks its fields up again for every object: on
    a record with 70 references and 20 MeSH terms it cost more than parsing the record
    (the largest cost of an E-utilities crawl in the profile). Strings and numbers are
    immutable, so they are shared, and each class's field names are read once.
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = field_names(kind)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if kind is list or kind is tuple:
        return kind(plain(v) for v in value) if kind is tuple else [plain(v) for v in value]
    if kind is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    return copy.deepcopy(value)


class Relation(StrEnum):
    """How an article was reached. The order of the members is the tie-break
    order for provenance (seed, references, cited_by, similar)."""

    SEED = "seed"
    REFERENCES = "references"
    CITED_BY = "cited_by"
    SIMILAR = "similar"

    @property
    def rank(self) -> int:
        return list(Relation).index(self)


#: Relations a user can ask to follow, in the order of ``follow=``'s default.
FOLLOWABLE = (Relation.SIMILAR, Relation.REFERENCES, Relation.CITED_BY)


@dataclass(frozen=True, slots=True)
class LinkKind:
    """The link model: one followable relation, its record field and its names at each source.

    This table is the only place that spells out the mapping; spiders, sources, the
    journal and the exports all go through it (``LINKS``, ``ArticleRecord.links()``).
    """

    relation: Relation
    field: str  #: the ArticleRecord field holding the linked PMIDs
    page_linkname: str  #: PubMed's list page: ``/?linkname=<this>&from_uid=<pmid>``
    elink_linkname: str  #: E-utilities elink's ``<LinkName>``


#: In PubMed's own order on an article page; the page and elink linknames are the same
#: names (PubMed's web lists are the Entrez links), kept apart in case a source diverges.
LINKS: tuple[LinkKind, ...] = (
    LinkKind(Relation.SIMILAR, "similar_pmids", "pubmed_pubmed", "pubmed_pubmed"),
    LinkKind(Relation.REFERENCES, "reference_pmids", "pubmed_pubmed_refs", "pubmed_pubmed_refs"),
    LinkKind(Relation.CITED_BY, "cited_by_pmids", "pubmed_pubmed_citedin",
             "pubmed_pubmed_citedin"),
)
LINK_OF: dict[Relation, LinkKind] = {link.relation: link for link in LINKS}
#: elink's ``LinkName`` -> relation (other link names, e.g. ``pubmed_pubmed_combined``, ignored)
BY_ELINK_NAME: dict[str, LinkKind] = {link.elink_linkname: link for link in LINKS}


@dataclass(slots=True)
class Author:
    name: str
    last_name: str | None = None
    fore_name: str | None = None
    collective: bool = False
    affiliations: list[str] = field(default_factory=list)
    orcid: str | None = None


@dataclass(slots=True)
class Journal:
    title: str | None = None
    abbreviation: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    issn: str | None = None


@dataclass(slots=True)
class PublicationDate:
    printed: str | None = None  # as printed, e.g. "2025 Sep-Oct"
    year: str | None = None
    epub: str | None = None  # e.g. "2023 Oct 26"


@dataclass(slots=True)
class AbstractSection:
    label: str | None  # None for an unstructured abstract
    text: str


@dataclass(slots=True)
class MeshTerm:
    descriptor: str
    qualifiers: list[str] = field(default_factory=list)
    major: bool = False  # the descriptor itself is starred / MajorTopicYN="Y"
    major_qualifiers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Reference:
    citation: str
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None


@dataclass(slots=True)
class Provenance:
    seed: str
    parent: str | None
    relation: str  # a Relation value
    depth: int


@dataclass(slots=True)
class Way:
    """One way the crawl reached an article (see ``ArticleRecord.reached_by``)."""

    parent: str | None
    relation: str  # a Relation value
    depth: int


@dataclass(slots=True)
class Notice:
    """A retraction, erratum, expression of concern or update linked to the article.

    ``type`` is one of ``aggregator.notices.NOTICE_TYPES``; ``pmid`` the notice's
    (or the retracted/corrected article's) PMID; ``citation`` as printed."""

    type: str
    pmid: str | None = None
    citation: str | None = None


@dataclass(slots=True)
class Review:
    """What a review says about itself (filled by ``aggregator.review_facts``)."""

    type: str | None = None
    studies_included: int | None = None
    participants: int | None = None
    study_designs: list[str] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    search_period: str | None = None
    registration: str | None = None
    guideline: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ArticleRecord:
    """One article, whichever source it came from."""

    schema_version: str = SCHEMA_VERSION
    source: str = ""  # "page" or "eutils"
    pmid: str = ""
    pmcid: str | None = None
    doi: str | None = None
    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    journal: Journal = field(default_factory=Journal)
    publication_date: PublicationDate = field(default_factory=PublicationDate)
    year: str | None = None
    publication_types: list[str] = field(default_factory=list)
    is_review: bool = False
    is_systematic_review: bool = False
    abstract: list[AbstractSection] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    mesh_terms: list[MeshTerm] = field(default_factory=list)
    conflict_of_interest: str | None = None
    references: list[Reference] = field(default_factory=list)
    references_total: int | None = None
    reference_pmids: list[str] = field(default_factory=list)
    similar_pmids: list[str] = field(default_factory=list)
    cited_by_pmids: list[str] = field(default_factory=list)
    incomplete_lists: list[str] = field(default_factory=list)
    source_url: str | None = None
    fetched_at: IsoInstant | None = None
    provenance: Provenance | None = None
    #: every way the crawl met the article before fetching it (bounded, see crawl/frontier.py)
    reached_by: list[Way] = field(default_factory=list)
    is_retracted: bool = False
    notices: list[Notice] = field(default_factory=list)
    language: list[str] = field(default_factory=list)  # codes as PubMed gives them ("eng")
    review: Review = field(default_factory=Review)
    #: the PMID asked for, when PubMed's own redirect of a merged record gave another
    requested_pmid: str | None = None
    #: in the reviewer's library (``library=``): True / False; None without a library
    in_library: bool | None = None
    #: iCite's metrics ({citation_count, relative_citation_ratio, nih_percentile, apt,
    #: cited_by_clinical_count, provisional, source, fetched_at}); None: iCite not asked,
    #: failed, or has no entry for the article
    citation_metrics: dict[str, Any] | None = None
    #: how many links each source gave, per relation: {"cited_by": {"pubmed": 3, "icite": 7}}
    links_by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    #: not in the output (see NOT_EXPORTED): per relation, the linked PMIDs that only one of
    #: several sources gave, {relation: {source: [pmid, …]}}; every other link of a relation
    #: came from all of its ``links_by_source`` sources. Read by the edges output.
    link_only: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: the record serialised once when scraped (aggregator/exports/lines.py), not data
    _line: Any = field(default=None, init=False, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, keys in schema order (what ``asdict`` gives, faster;
        internal fields left out)."""
        out = plain(self)
        for name in NOT_EXPORTED:
            del out[name]
        return out

    def spool_dict(self) -> dict[str, Any]:
        """``to_dict()`` plus the internal fields the side outputs rebuilt at close need
        (per-link sources for the edges): what the crawl's own spool keeps."""
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleRecord:
        """The record back from ``to_dict()`` output (unknown keys are ignored)."""
        kw = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        kw["authors"] = [Author(**a) for a in kw.get("authors") or []]
        kw["journal"] = Journal(**(kw.get("journal") or {}))
        kw["publication_date"] = PublicationDate(**(kw.get("publication_date") or {}))
        kw["abstract"] = [AbstractSection(**a) for a in kw.get("abstract") or []]
        kw["mesh_terms"] = [MeshTerm(**m) for m in kw.get("mesh_terms") or []]
        kw["references"] = [Reference(**r) for r in kw.get("references") or []]
        kw["reached_by"] = [Way(**w) for w in kw.get("reached_by") or []]
        kw["notices"] = [Notice(**n) for n in kw.get("notices") or []]
        if kw.get("provenance"):
            kw["provenance"] = Provenance(**kw["provenance"])
        kw["review"] = Review(**(kw.get("review") or {}))
        return cls(**kw)

    def links(self) -> dict[Relation, list[str]]:
        """The linked PMIDs of each followable relation (the record's own lists)."""
        return {link.relation: getattr(self, link.field) for link in LINKS}

    def set_links(self, relation: Relation, pmids: list[str]) -> None:
        """Replace one relation's list of linked PMIDs."""
        setattr(self, LINK_OF[relation].field, pmids)


#: ArticleRecord fields kept for the side outputs only, never written as record keys
NOT_EXPORTED = ("link_only",)


def link_sources(record: ArticleRecord, relation: str) -> tuple[list[str], dict[str, list[str]]]:
    """Where a relation's links came from: the sources of most links, and the exceptions.

    Returns ``(default, only)``: a link ``p`` of the relation came from ``only[p]`` if
    present, else from ``default`` (``["pubmed"]`` when the record says nothing).
    """
    counts = record.links_by_source.get(relation) or {}
    default = [source for source, n in counts.items() if n] or ["pubmed"]
    only = {p: [source] for source, pmids in record.link_only.get(relation, {}).items()
            for p in pmids}
    return default, only


@dataclass(slots=True)
class ErrorEntry:
    """A page that produced no record, or produced one only partly."""

    url: str
    pmid: str | None
    reason: str
    status: int | None = None
    kind: str = "error"  # short machine-readable category, e.g. "not_found", "blocked"

    def to_dict(self) -> dict[str, Any]:
        return plain(self)
