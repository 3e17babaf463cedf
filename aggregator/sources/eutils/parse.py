"""Pure parsers for NCBI E-utilities answers (bytes in, typed data out; no Scrapy needed).

* :func:`iter_efetch_records` streams a ``PubmedArticleSet`` (efetch db=pubmed, retmode=xml)
  into :class:`ArticleRecord` objects, clearing each article as it goes so memory stays flat.
  Each article is read in one walk over the children of ``MedlineCitation``/``Article``/
  ``PubmedData`` (no repeated subtree searches).
* :func:`parse_elink`, :func:`parse_esearch`: small whole-document answers.
* :func:`check_api_error`: NCBI's JSON (rate limit) and XML ``<ERROR>`` answers.
* :func:`split_date_range`: halve an esearch date window (beyond the 10,000 cap).
"""

from __future__ import annotations

import calendar
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import BinaryIO

from lxml import etree

from aggregator.notices import BY_REFTYPE, is_retracted
from aggregator.records import (
    AbstractSection,
    ArticleRecord,
    Author,
    Journal,
    MeshTerm,
    Notice,
    PublicationDate,
    Reference,
)
from aggregator.review_types import review_flags
from aggregator.text import bare_doi, bare_orcid, bare_pmcid, clean, find_doi, year_of

__all__ = [
    "ESearchResult",
    "EutilsError",
    "check_api_error",
    "iter_efetch_records",
    "parse_elink",
    "parse_esearch",
    "split_date_range",
]

PUBMED_BASE_URL = "https://pubmed.ncbi.nlm.nih.gov"


class EutilsError(ValueError):
    """An E-utilities answer that is an error, or that cannot be used as asked."""


# ------------------------------------------------------------------------- text

_MATHML = "{http://www.w3.org/1998/Math/MathML}"
_MATH_TAG = _MATHML + "math"
_MATH_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_MATH_SKIP = frozenset({"annotation", "annotation-xml", "none", "mprescripts", "mspace"})


def _math(el: etree._Element, out: list[str]) -> None:
    """MathML as text in reading order: token text only (layout whitespace dropped),
    prescripts before their base (``<mmultiscripts>He<mprescripts/><none/>3`` -> ``3He``)."""
    tag = el.tag
    if not isinstance(tag, str):
        return
    name = tag.rpartition("}")[2]
    if name in _MATH_TOKENS:
        if el.text:
            out.append(el.text)
        return
    if name in _MATH_SKIP:
        return
    children = [c for c in el if isinstance(c.tag, str)]
    if name == "mmultiscripts" and children:
        split = next(
            (i for i, c in enumerate(children) if c.tag.rpartition("}")[2] == "mprescripts"),
            len(children),
        )
        children = children[split + 1 :] + children[:1] + children[1:split]
    elif el.text and el.text.strip():  # stray text in a layout element (invalid, but seen)
        out.append(el.text.strip())
    for child in children:
        _math(child, out)


def _collect(el: etree._Element, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            if tag.startswith(_MATHML) or tag == "math":
                _math(child, out)
            else:
                _collect(child, out)
        if child.tail:
            out.append(child.tail)


def _text(el: etree._Element | None) -> str | None:
    """Element text with inline markup (<i>, <sub>, MathML) flattened, no inserted spaces,
    whitespace collapsed."""
    if el is None:
        return None
    if not len(el):
        return clean(el.text)
    if next(el.iter(_MATH_TAG, "math"), None) is None:  # no MathML: libxml2 walks the markup
        return clean("".join(el.itertext()))
    out: list[str] = []
    _collect(el, out)
    return clean("".join(out))


# ------------------------------------------------------------------------ dates

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(value: str | None) -> str | None:
    value = clean(value)
    if value and value.isdigit() and 1 <= int(value) <= 12:
        return _MONTHS[int(value) - 1]
    return value


def _day(value: str | None) -> str | None:
    value = clean(value)
    return str(int(value)) if value and value.isdigit() else value


def _date_parts(el: etree._Element) -> dict[str, str | None]:
    return {c.tag: c.text for c in el if isinstance(c.tag, str)}


def _printed_date(el: etree._Element) -> tuple[str | None, str | None]:
    """``(printed, year)`` of a PubDate/ArticleDate the way PubMed prints it
    ("2018 Jul 5", "1990 Spring", MedlineDate "2025 Sep-Oct" as given)."""
    parts = _date_parts(el)
    medline = clean(parts.get("MedlineDate"))
    if medline:
        return medline, year_of(medline)
    year = clean(parts.get("Year"))
    pieces = [year, _month(parts.get("Month")), _day(parts.get("Day")), clean(parts.get("Season"))]
    return " ".join(p for p in pieces if p) or None, year


# --------------------------------------------------------------------- sections


def _author(el: etree._Element) -> Author | None:
    last = fore = initials = suffix = collective = orcid = None
    affiliations: list[str] = []
    for c in el:
        tag = c.tag
        if tag == "LastName":
            last = clean(c.text)
        elif tag == "ForeName":
            fore = clean(c.text)
        elif tag == "Initials":
            initials = c.text  # cleaned below, only when there is no ForeName
        elif tag == "AffiliationInfo":
            for a in c.iterchildren("Affiliation"):
                text = clean(a.text) if not len(a) else _text(a)
                if text:
                    affiliations.append(text)
        elif tag == "Identifier":
            if orcid is None and (c.get("Source") or "").upper() == "ORCID":
                orcid = bare_orcid(c.text)
        elif tag == "CollectiveName":
            collective = _text(c)
        elif tag == "Suffix":
            suffix = clean(c.text)
    if collective and not last:
        return Author(name=collective, collective=True, affiliations=affiliations, orcid=orcid)
    name = " ".join([p for p in (fore or clean(initials), last, suffix) if p])
    if not name:
        return None
    return Author(name=name, last_name=last, fore_name=fore, affiliations=affiliations, orcid=orcid)


def _mesh(heading: etree._Element) -> MeshTerm | None:
    term: MeshTerm | None = None
    for c in heading:
        if c.tag == "DescriptorName":
            descriptor = clean(c.text)
            if not descriptor:
                return None
            term = MeshTerm(descriptor=descriptor, major=c.get("MajorTopicYN") == "Y")
        elif term is not None and c.tag == "QualifierName":
            q = clean(c.text)
            if q and q not in term.qualifiers:
                term.qualifiers.append(q)
                if c.get("MajorTopicYN") == "Y":
                    term.major_qualifiers.append(q)
    return term


def _references(el: etree._Element, out: list[Reference]) -> None:
    """``ReferenceList/Reference`` (nested lists included), walking children only.

    Only without an ArticleIdList DOI is the citation text searched for one (a regex per
    citation is costly)."""
    for r in el:
        tag = r.tag
        if tag == "Reference":
            citation = ""
            pmid = pmcid = doi = None
            for c in r:
                tag = c.tag
                if tag == "Citation":
                    text = c.text if not len(c) else _text(c)
                    citation = clean(text) or ""
                elif tag == "ArticleIdList":
                    for a in c:
                        value = a.text
                        if not value or a.tag != "ArticleId":
                            continue
                        kind = a.get("IdType")
                        if kind == "pubmed":
                            pmid = pmid or value.strip() or None
                        elif kind == "pmc":
                            pmcid = pmcid or bare_pmcid(value)
                        elif kind == "doi":
                            doi = bare_doi(value) or doi
            if citation or pmid:
                if doi is None and "10." in citation:
                    doi = find_doi(citation)
                out.append(Reference(citation=citation, pmid=pmid, pmcid=pmcid, doi=doi))
        elif tag == "ReferenceList":
            _references(r, out)


def _cites(el: etree._Element, out: list[Reference]) -> None:
    """Older form: ``CommentsCorrections RefType="Cites"`` (``RefSource``, ``PMID``)."""
    for cc in el.iterchildren("CommentsCorrections"):
        if cc.get("RefType") != "Cites":
            continue
        source = pmid = None
        for c in cc:
            tag = c.tag
            if tag == "RefSource":
                source = c.text
            elif tag == "PMID":
                pmid = c.text
        source = clean(source)
        pmid = pmid.strip() or None if pmid else None
        if source or pmid:
            out.append(Reference(citation=source or "", pmid=pmid, doi=find_doi(source)))


def _notices(el: etree._Element, out: list[Notice]) -> None:
    """Retraction, erratum, concern and update links (``CommentsCorrections RefType``)."""
    for cc in el.iterchildren("CommentsCorrections"):
        kind = BY_REFTYPE.get(cc.get("RefType") or "")
        if kind is None:
            continue
        source = pmid = None
        for c in cc:
            if c.tag == "RefSource":
                source = clean(c.text)
            elif c.tag == "PMID":
                pmid = clean(c.text)
        out.append(Notice(type=kind, pmid=pmid or None, citation=source or None))


class _Article:
    """Fields gathered from one ``PubmedArticle`` in a single walk."""

    __slots__ = (
        "pmid",
        "title",
        "authors",
        "journal",
        "date",
        "abstract",
        "publication_types",
        "keywords",
        "mesh",
        "coi",
        "references",
        "cites",
        "ids",
        "eloc_doi",
        "medline_ta",
        "issn_linking",
        "notices",
        "language",
    )

    def __init__(self) -> None:
        self.pmid: str | None = None
        self.title: str | None = None
        self.authors: list[Author] = []
        self.journal = Journal()
        self.date = PublicationDate()
        self.abstract: list[AbstractSection] = []
        self.publication_types: list[str] = []
        self.keywords: list[str] = []
        self.mesh: list[MeshTerm] = []
        self.coi: str | None = None
        self.references: list[Reference] = []
        self.cites: list[Reference] = []
        self.ids: dict[str, str] = {}
        self.eloc_doi: str | None = None
        self.medline_ta: str | None = None
        self.issn_linking: str | None = None
        self.notices: list[Notice] = []
        self.language: list[str] = []

    def citation(self, el: etree._Element) -> None:
        for c in el:
            tag = c.tag
            if tag == "PMID":
                self.pmid = clean(c.text)
            elif tag == "Article":
                self.article(c)
            elif tag == "MeshHeadingList":
                mesh = self.mesh
                for h in c:
                    term = _mesh(h)
                    if term is not None:
                        mesh.append(term)
            elif tag == "KeywordList":
                keywords = self.keywords
                for k in c:
                    kw = _text(k)
                    if kw and kw not in keywords:
                        keywords.append(kw)
            elif tag == "CommentsCorrectionsList":
                _cites(c, self.cites)
                _notices(c, self.notices)
            elif tag == "CoiStatement":
                self.coi = _text(c)
            elif tag == "MedlineJournalInfo":
                for m in c:
                    if m.tag == "MedlineTA":
                        self.medline_ta = clean(m.text)
                    elif m.tag == "ISSNLinking":
                        self.issn_linking = clean(m.text)

    def article(self, el: etree._Element) -> None:
        for c in el:
            tag = c.tag
            if tag == "AuthorList":
                if c.get("Type", "authors") == "authors":
                    authors = self.authors
                    for a in c:
                        if a.get("ValidYN") != "N":
                            author = _author(a)
                            if author is not None:
                                authors.append(author)
            elif tag == "Abstract":
                for a in c.iterchildren("AbstractText"):
                    text = _text(a)
                    if text:
                        self.abstract.append(
                            AbstractSection(label=clean(a.get("Label")), text=text)
                        )
            elif tag == "ArticleTitle":
                self.title = _text(c)
            elif tag == "Journal":
                self.journal_(c)
            elif tag == "Pagination":
                self.pagination(c)
            elif tag == "ELocationID":
                if c.get("EIdType") == "doi" and c.get("ValidYN") != "N" and not self.eloc_doi:
                    self.eloc_doi = bare_doi(c.text)
            elif tag == "Language":
                lang = clean(c.text)
                if lang and lang not in self.language:
                    self.language.append(lang)
            elif tag == "PublicationTypeList":
                self.publication_types.extend(t for t in (clean(p.text) for p in c) if t)
            elif (
                tag == "ArticleDate"
                and c.get("DateType") == "Electronic"
                and self.date.epub is None
            ):
                self.date.epub = _printed_date(c)[0]

    def journal_(self, el: etree._Element) -> None:
        j = self.journal
        for c in el:
            tag = c.tag
            if tag == "Title":
                j.title = clean(c.text)
            elif tag == "ISOAbbreviation":
                j.abbreviation = clean(c.text)
            elif tag == "ISSN":
                j.issn = j.issn or clean(c.text)
            elif tag == "JournalIssue":
                for i in c:
                    if i.tag == "Volume":
                        j.volume = clean(i.text)
                    elif i.tag == "Issue":
                        j.issue = clean(i.text)
                    elif i.tag == "PubDate":
                        self.date.printed, self.date.year = _printed_date(i)

    def pagination(self, el: etree._Element) -> None:
        parts = _date_parts(el)
        pages = clean(parts.get("MedlinePgn"))
        if not pages:
            start, end = clean(parts.get("StartPage")), clean(parts.get("EndPage"))
            pages = f"{start}-{end}" if start and end else start
        self.journal.pages = pages

    def pubmed_data(self, el: etree._Element) -> None:
        for c in el:
            if c.tag == "ReferenceList":
                _references(c, self.references)
            elif c.tag == "ArticleIdList":
                ids = self.ids
                for a in c:
                    kind = a.get("IdType")
                    value = clean(a.text)
                    if kind and value and kind not in ids:
                        ids[kind] = value

    def record(self, base_url: str) -> ArticleRecord | None:
        pmid = self.pmid or self.ids.get("pubmed")
        if not pmid:
            return None
        j = self.journal
        j.abbreviation = j.abbreviation or self.medline_ta
        j.issn = j.issn or self.issn_linking
        references = self.references or self.cites
        is_review, is_systematic = review_flags(self.publication_types)
        return ArticleRecord(
            source="eutils",
            pmid=pmid,
            pmcid=bare_pmcid(self.ids.get("pmc")),
            doi=bare_doi(self.ids.get("doi")) or self.eloc_doi,
            title=self.title,
            authors=self.authors,
            journal=j,
            publication_date=self.date,
            year=self.date.year,
            publication_types=self.publication_types,
            is_review=is_review,
            is_systematic_review=is_systematic,
            abstract=self.abstract,
            keywords=self.keywords,
            mesh_terms=self.mesh,
            conflict_of_interest=self.coi,
            references=references,
            references_total=len(references),
            reference_pmids=list(dict.fromkeys([r.pmid for r in references if r.pmid])),
            source_url=f"{base_url.rstrip('/')}/{pmid}/",
            notices=self.notices,
            is_retracted=is_retracted(self.notices, self.publication_types),
            language=self.language,
        )


def _pubmed_article(el: etree._Element, base_url: str) -> ArticleRecord | None:
    art = _Article()
    for c in el:
        if c.tag == "MedlineCitation":
            art.citation(c)
        elif c.tag == "PubmedData":
            art.pubmed_data(c)
    return art.record(base_url)


# ----------------------------------------------------------------------- efetch

_ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")


def iter_efetch_records(
    source: bytes | BinaryIO, *, base_url: str = PUBMED_BASE_URL
) -> Iterator[ArticleRecord]:
    """Stream the articles of an efetch ``PubmedArticleSet`` (db=pubmed, retmode=xml).

    Each ``PubmedArticle`` is parsed on its end event, then cleared with its preceding
    siblings, so memory does not grow with the file. ``PubmedBookArticle`` entries are
    skipped. ``provenance`` and ``fetched_at`` are left ``None``. Raises
    :class:`EutilsError` on an ``<ERROR>`` answer, a foreign document, broken XML or a
    ``PubmedArticle`` without a PMID (after yielding the records before it).
    """
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=_ARTICLE_TAGS,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    seen = 0
    try:
        for _, el in context:
            record = _pubmed_article(el, base_url) if el.tag == "PubmedArticle" else None
            seen += 1
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
            if record is not None:
                yield record
            elif el.tag == "PubmedArticle":
                # NCBI never sends one: a damaged answer (an entity-expansion document, a
                # proxy's rewrite). Records before it stand; the caller asks for the rest.
                raise EutilsError("a PubmedArticle without a PMID (damaged answer)")
    except etree.XMLSyntaxError as exc:
        raise EutilsError(f"malformed efetch XML: {exc}") from exc
    root = context.root
    if not seen and root is not None and root.tag != "PubmedArticleSet":
        message = root.findtext("ERROR") if root.tag != "ERROR" else root.text
        raise EutilsError(
            f"efetch error: {_redact(clean(message))}"
            if message
            else f"not a PubmedArticleSet: <{root.tag}>"
        )


# ------------------------------------------------------------------ elink / esearch

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _root(source: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(source, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        message = check_api_error(source)
        raise EutilsError(
            f"{what}: {message}" if message else f"malformed {what} XML: {exc}"
        ) from exc


def parse_elink(source: bytes) -> dict[str, dict[str, list[str]]]:
    """``{source_id: {linkname: [ids in order]}}`` from an elink answer asked with one
    ``id=`` per id (one LinkSet per id).

    Each id is dropped from its own lists (``pubmed_pubmed`` and its variants list the
    article itself). Raises :class:`EutilsError` for an ``<ERROR>`` answer and for a
    LinkSet merged over several ids (what comma-joined ids give: the links can no longer
    be attributed to a source).
    """
    root = _root(source, "elink")
    if root.tag != "eLinkResult":
        raise EutilsError(f"not an eLinkResult: <{root.tag}>")
    top_error = root.findtext("ERROR")
    if top_error:
        raise EutilsError(f"elink error: {_redact(clean(top_error))}")
    out: dict[str, dict[str, list[str]]] = {}
    for link_set in root.iterfind("LinkSet"):
        ids = [i for i in (clean(e.text) for e in link_set.iterfind("IdList/Id")) if i]
        if len(ids) > 1:
            raise EutilsError(
                f"elink merged {len(ids)} ids ({', '.join(ids[:5])}…) into one LinkSet: "
                "send one id= parameter per id, not comma-joined ids"
            )
        if not ids:
            message = link_set.findtext("ERROR")
            if message:
                raise EutilsError(f"elink error: {_redact(clean(message))}")
            continue
        own = ids[0]
        links = out.setdefault(own, {})
        for db in link_set.iterfind("LinkSetDb"):
            name = clean(db.findtext("LinkName"))
            if not name:
                continue
            found = links.setdefault(name, [])
            for e in db.iterfind("Link/Id"):
                target = clean(e.text)
                if target and target != own and target not in found:
                    found.append(target)
    return out


@dataclass(slots=True)
class ESearchResult:
    """One esearch page."""

    count: int
    retmax: int
    retstart: int
    ids: list[str] = field(default_factory=list)
    query_translation: str | None = None
    webenv: str | None = None
    query_key: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _int(value: str | None) -> int:
    value = clean(value)
    return int(value) if value and value.isdigit() else 0


def _messages(el: etree._Element | None) -> list[str]:
    """``ErrorList``/``WarningList`` children as ``"Kind: text"`` lines."""
    if el is None:
        return []
    out: list[str] = []
    for c in el:
        if isinstance(c.tag, str):
            text = clean(c.text)
            out.append(f"{c.tag}: {text}" if text else c.tag)
    return out


def parse_esearch(source: bytes) -> ESearchResult:
    """Parse an esearch answer (retmode=xml). Raises :class:`EutilsError` on an
    ``<ERROR>`` answer without results; ``ErrorList``/``WarningList`` (phrase not found,
    no items found …) are returned in ``errors``/``warnings``."""
    root = _root(source, "esearch")
    if root.tag != "eSearchResult":
        raise EutilsError(f"not an eSearchResult: <{root.tag}>")
    error = clean(root.findtext("ERROR"))
    count = root.findtext("Count")
    if error and count is None:
        raise EutilsError(f"esearch error: {_redact(error)}")
    result = ESearchResult(
        count=_int(count),
        retmax=_int(root.findtext("RetMax")),
        retstart=_int(root.findtext("RetStart")),
        ids=[i for i in (clean(e.text) for e in root.iterfind("IdList/Id")) if i],
        query_translation=clean(root.findtext("QueryTranslation")),
        webenv=clean(root.findtext("WebEnv")),
        query_key=clean(root.findtext("QueryKey")),
        errors=_messages(root.find("ErrorList")),
        warnings=_messages(root.find("WarningList")),
    )
    if error:
        result.errors.insert(0, f"ERROR: {_redact(error)}")
    return result


# ----------------------------------------------------------------------- errors

_API_KEY_LIKE = re.compile(r"\b[0-9a-f]{32,40}\b", re.I)
_XML_ERROR = re.compile(rb"<ERROR>(.*?)</ERROR>", re.S)
#: Error answers are small; a large body is a real answer whose text is not scanned.
_ERROR_SCAN = 64 * 1024


def _redact(message: str | None) -> str | None:
    return _API_KEY_LIKE.sub("[redacted]", message) if message else message


def check_api_error(body: bytes) -> str | None:
    """The message of an NCBI error answer, else ``None``.

    Recognises JSON answers such as ``{"error":"API rate limit exceeded","api-key":…,
    "count":"11","limit":"10"}`` (also ``esearchresult.ERROR``) and XML ``<ERROR>``
    elements. The API key (or the client IP that NCBI puts in its place) is never part of
    the message.
    """
    head = body[:_ERROR_SCAN].lstrip()
    if head.startswith(b"{"):
        return _json_error(body)
    m = _XML_ERROR.search(head)
    if not m:
        return None
    try:
        text = etree.fromstring(b"<ERROR>" + m.group(1) + b"</ERROR>", parser=_PARSER).text
    except etree.XMLSyntaxError:
        text = m.group(1).decode("utf-8", "replace")
    return _redact(clean(text)) or "ERROR"


def _json_error(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    error = data.get("error") or data.get("ERROR")
    if error:
        message = clean(str(error)) or "error"
        if data.get("count") is not None and data.get("limit") is not None:
            message += f" (count {data['count']}, limit {data['limit']})"
        return _redact(message)
    for value in data.values():  # e.g. {"esearchresult": {"ERROR": "…"}}
        if isinstance(value, dict) and value.get("ERROR"):
            return _redact(clean(str(value["ERROR"])))
    return None


# ------------------------------------------------------------------------ dates


def _parse_ymd(value: str, *, end: bool) -> date:
    """``YYYY``, ``YYYY/MM`` or ``YYYY/MM/DD`` -> a date (first or last day when partial)."""
    parts = [int(p) for p in value.strip().split("/")]
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not a YYYY/MM/DD date: {value!r}")
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    last_day = calendar.monthrange(year, month)[1]
    day = parts[2] if len(parts) == 3 else (last_day if end else 1)
    return date(year, month, day)


def split_date_range(mindate: str, maxdate: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Halve an inclusive esearch date window: ``(min, mid), (mid + 1 day, max)`` as
    ``YYYY/MM/DD``. Raises ``ValueError`` when the window is a single day (cannot split)."""
    lo, hi = _parse_ymd(mindate, end=False), _parse_ymd(maxdate, end=True)
    if lo >= hi:
        raise ValueError(f"cannot split the date range {mindate}..{maxdate}")
    mid = lo + (hi - lo) // 2
    fmt = "%Y/%m/%d"
    return (
        (lo.strftime(fmt), mid.strftime(fmt)),
        ((mid + timedelta(days=1)).strftime(fmt), hi.strftime(fmt)),
    )
