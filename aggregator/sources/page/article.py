"""Parse a PubMed article page (HTML in, :class:`ArticleRecord` out).

The page is parsed once with lxml; each field is then read inside its own section
(``#full-view-heading``, ``#abstract``, ``#references`` …), found in one pass over
``<main>``. Text is gathered node by node so that markup (``<sub>``, ``<i>``) adds no
spaces, and elements injected by browser extensions (easyScholar badges and links) or
UI widgets (dropdown menus, buttons) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from lxml import etree

from aggregator.notices import is_retracted
from aggregator.records import (
    AbstractSection,
    ArticleRecord,
    Author,
    Journal,
    MeshTerm,
    PublicationDate,
    Reference,
    Relation,
)
from aggregator.review_types import review_flags
from aggregator.sources.page.notices import page_notices
from aggregator.text import bare_doi, bare_orcid, bare_pmcid, clean, find_doi, is_pmid, year_of

__all__ = [
    "PAGE_PREVIEW",
    "ArticleParseError",
    "lists_shown_whole",
    "node_text",
    "parse_article",
    "parse_html",
]


class ArticleParseError(ValueError):
    """The page is not a parseable PubMed article (no PMID or no title)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- parsing

# Plain etree parsers: lxml.html's element classes cost a Python lookup per element
# touched, and its fromstring() runs a regex over the whole page to sniff fragments.
# (collect_ids stays on: section lookup uses libxml2's table of ids.)
_BYTES_PARSER = etree.HTMLParser(encoding="utf-8")
_TEXT_PARSER = etree.HTMLParser()

#: Tags whose text is never content.
_SKIP_TAGS = frozenset({"script", "style", "svg", "noscript", "template", "button", "select"})


#: The same, without libxml2's safety limits (depth 256, text node size): tried only when
#: a page hits one of them.
_HUGE_BYTES_PARSER = etree.HTMLParser(encoding="utf-8", huge_tree=True)
_HUGE_TEXT_PARSER = etree.HTMLParser(huge_tree=True)


def _fatal(parser: etree.HTMLParser) -> str | None:
    """The fatal error of the parser's last document (it stopped there), if any.

    libxml2's HTML parser recovers from ordinary errors, but at a resource limit (e.g.
    more than 256 nested elements) it stops and returns what it has read so far: the
    rest of the page (abstract, MeSH, references, similar) would be silently missing.
    """
    for error in parser.error_log:
        if error.level >= etree.ErrorLevels.FATAL:
            return f"{error.message} (line {error.line})"
    return None


def parse_html(html: str | bytes) -> etree._Element:
    """Parse a whole page once (bytes are read as UTF-8, PubMed's encoding); the root
    element. Raises ``ValueError`` for an empty or unparseable document, and for one
    that exceeds the parser's limits even with ``huge_tree`` (never half a page)."""
    parser, huge = ((_BYTES_PARSER, _HUGE_BYTES_PARSER) if isinstance(html, bytes)
                    else (_TEXT_PARSER, _HUGE_TEXT_PARSER))
    root = etree.fromstring(html, parser)
    if _fatal(parser) is not None:  # a limit: once more without limits, or give up
        root = etree.fromstring(html, huge)
        if (fatal := _fatal(huge)) is not None:
            raise ValueError(f"the page exceeds the HTML parser's limits: {fatal}")
    if root is None:
        raise ValueError("empty document")
    return root


_NO_SKIP: frozenset[str] = frozenset()


def _noise_class(cls: str, skip_classes: frozenset[str]) -> bool:
    # injected/extension markup (easyScholarDOI, easyscholar-ranking …) and menus
    low = cls.lower()
    if "easyscholar" in low or "immersive-translate" in low or "dropdown-container" in low:
        return True
    return bool(skip_classes) and not skip_classes.isdisjoint(cls.split())


def _is_noise(el: etree._Element, skip_classes: frozenset[str]) -> bool:
    tag = el.tag
    if tag.__class__ is not str or tag in _SKIP_TAGS:  # comments, processing instructions
        return True
    cls = el.get("class")
    return bool(cls) and _noise_class(cls, skip_classes)


def _collect(el: etree._Element, out: list[str], skip: frozenset[str],
             links: list[etree._Element] | None = None) -> None:
    """Append the text nodes of ``el`` to ``out`` (widgets, noise and ``skip`` classes
    left out); with ``links``, also every ``<a>`` inside but injected ones, in document
    order, whether or not its text is kept (a reference's links, in the same pass)."""
    text = el.text
    if text:
        out.append(text)
    for child in el:
        tag = child.tag
        if tag.__class__ is str:  # else comment or PI: only its tail counts
            cls = child.get("class")
            if links is not None and tag == "a" and not (cls and _noise_class(cls, _NO_SKIP)):
                links.append(child)
            if tag in _SKIP_TAGS or (cls and _noise_class(cls, skip)):
                if links is not None and len(child):
                    links += (a for a in child.iterdescendants("a") if not _is_noise(a, _NO_SKIP))
            elif len(child):
                _collect(child, out, skip, links)
            else:
                text = child.text
                if text:
                    out.append(text)
        tail = child.tail
        if tail:
            out.append(tail)


def node_text(el: etree._Element | None, skip_classes: Iterable[str] = ()) -> str | None:
    """Clean text of ``el``: nodes joined without added spaces, whitespace collapsed,
    extension noise, UI widgets and elements with any of ``skip_classes`` left out."""
    if el is None:
        return None
    if not len(el):  # a leaf (the common case): its own text only
        return clean(el.text)
    out: list[str] = []
    _collect(el, out, frozenset(skip_classes) if skip_classes else _NO_SKIP)
    return clean("".join(out))


def _has_class(el: etree._Element, name: str) -> bool:
    cls = el.get("class")
    return bool(cls) and name in cls.split()


# ----------------------------------------------------------------- section lookup

_SECTION_IDS = {
    "full-view-heading": "heading",
    "abstract": "abstract",
    "keywords": "keywords",
    "conflict-of-interest": "coi",
    "similar": "similar",
    "citedby": "cited_by",
    "cited-by": "cited_by",
    "references": "references",
    "publication-types": "publication_types",
    "mesh-terms": "mesh",
}


_SECTION_TAGS = ("div", "section", "header")
#: libxml2 keeps, per id value, the first element that carried it (document order).
_BY_ID = etree.XPath("id('{}')".format(" ".join(_SECTION_IDS)))
# With a position predicate libxml2 stops at the first match; ``next(root.iter("main"))``
# would not (lxml's iterator looks one match ahead, i.e. scans the rest of the page).
_FIRST_MAIN = etree.XPath("descendant::main[1]")


def _sections(root: etree._Element) -> dict[str, etree._Element]:
    """The article's sections by role: in the first ``<main>`` (or anywhere when there
    is no ``<main>``) the first div/section/header carrying each id."""
    mains = _FIRST_MAIN(root)
    scope = mains[0] if mains else None
    found = _sections_by_id(root, scope)
    return found if found is not None else _sections_scan(scope if scope is not None else root)


def _sections_by_id(
    root: etree._Element, scope: etree._Element | None
) -> dict[str, etree._Element] | None:
    """Fast path through the document's id table, ``None`` where it cannot be sure
    (an id on another tag or outside the first ``<main>``, both cited-by ids)."""
    if scope is None:
        return None
    found: dict[str, etree._Element] = {}
    for el in _BY_ID(root):
        role = _SECTION_IDS.get(el.get("id"))  # None: an <a name=…> took the id
        if role is None or role in found or el.tag not in _SECTION_TAGS:
            return None
        top = None
        for top in el.iterancestors("main"):  # noqa: B007 - keep the outermost
            pass
        if top is not scope:
            return None
        found[role] = el
    return found


def _sections_scan(scope: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for el in scope.iter(*_SECTION_TAGS):
        role = _SECTION_IDS.get(el.get("id", ""))
        if role and role not in found:
            found[role] = el
    return found


def _meta(root: etree._Element) -> dict[str, str]:
    head = root.find("head")
    if head is None:
        return {}
    out: dict[str, str] = {}
    for m in head.iter("meta"):
        name = m.get("name")
        if name and name not in out:
            out[name] = m.get("content") or ""
    return out


# ------------------------------------------------------------------ heading fields

# "2025 Sep-Oct;33(5):407-418."  "2023 Oct 26:S0735-1097(23)00001-1."  "2024;12:e5."
_CIT = re.compile(
    r"^(?P<date>[^;:]*?)\s*"
    r"(?:;\s*(?P<volume>[^(:]*?)\s*(?:\((?P<issue>[^)]*)\))?)?\s*"
    r"(?::\s*(?P<pages>.*?))?\s*$"
)
_DIGITS = re.compile(r"\d[\d,]*")
_PMID_HREF = re.compile(r"(?:^|pubmed\.ncbi\.nlm\.nih\.gov|/pubmed)/(\d+)/?(?:[?#]|$)")
_TERM = re.compile(r"[?&]term=([^&]*)")
_FIELD_TAGS = re.compile(r"\[[^\]]*\]")
_INITIALS = re.compile(r"[A-Z]{1,4}")
_GROUP_WORDS = re.compile(
    r"\b(group|consortium|collaborat\w*|investigators|committee|network|society|"
    r"association|working|task force|team|trialists|study)\b",
    re.I,
)


_AFF_SKIP = frozenset({"key"})


#: Classes that say what a heading element holds (any other class: look inside it).
_HEADING_ROLES = frozenset({
    "authors-list-item", "current-id", "identifier", "journal-actions-trigger", "cit",
    "citation-doi", "secondary-date",
})


class _Heading:
    """What the article heading holds, sorted by kind in one walk.

    The walk does not enter an element once its role is known (an author, an
    affiliation) nor widgets and injected markup: on a long author list most of the
    heading is inside author items, which :func:`_author` reads on its own.
    """

    __slots__ = (
        "affiliations",
        "authors",
        "cit",
        "citation_doi",
        "epub",
        "ids",
        "journal",
        "pmid",
        "title",
    )

    def __init__(self, heading: etree._Element) -> None:
        self.title = self.pmid = self.journal = self.cit = None
        self.citation_doi = self.epub = None
        self.ids: dict[str, etree._Element] = {}
        self.authors: list[etree._Element] = []
        self.affiliations: dict[str, str] = {}
        self._walk(heading)

    def _walk(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if tag.__class__ is not str:  # comment or processing instruction
                continue
            if tag == "h1":
                if self.title is None:
                    self.title = el
                continue
            get = el.get
            raw = get("class")
            if raw:
                cls = raw.split()
                if not _HEADING_ROLES.isdisjoint(cls):
                    if self._role(el, tag, cls):
                        continue
                elif _noise_class(raw, _NO_SKIP):
                    continue
            aff_key = get("data-affiliation-id")
            if aff_key is None:
                el_id = get("id")
                if el_id and el_id.startswith("full-view-affiliation-"):
                    aff_key = el_id
            if aff_key:
                if aff_key not in self.affiliations:
                    self.affiliations[aff_key] = node_text(el, _AFF_SKIP) or ""
                continue
            if len(el) and tag not in _SKIP_TAGS:
                self._walk(el)

    def _role(self, el: etree._Element, tag: str, cls: list[str]) -> bool:
        """Record ``el`` under its role; ``True`` when there is nothing inside to find."""
        if "authors-list-item" in cls:
            self.authors.append(el)
            return True
        if "current-id" in cls:
            self.pmid = self.pmid if self.pmid is not None else el
        elif "identifier" in cls:
            kind = next((c for c in cls if c != "identifier"), "")
            self.ids.setdefault(kind, el)
        elif "journal-actions-trigger" in cls:
            self.journal = self.journal if self.journal is not None else el
        elif "cit" in cls and tag == "span":
            self.cit = self.cit if self.cit is not None else el
        elif "citation-doi" in cls:
            self.citation_doi = self.citation_doi if self.citation_doi is not None else el
        elif "secondary-date" in cls:
            self.epub = self.epub if self.epub is not None else el
        return False


def _id_link_text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    for a in el.iter("a"):
        if _has_class(a, "id-link"):
            return node_text(a)
    return node_text(el, ("id-label",))


_AUTHOR_SKIP = frozenset({"affiliation-links", "comma", "author-sup-separator"})


def _author(item: etree._Element, affiliations: dict[str, str]) -> Author | None:
    name_el = None
    affs: list[str] = []
    orcid = None
    for a in item.iter("a"):
        cls = a.get("class") or ""
        href = a.get("href") or ""
        if name_el is None and "full-name" in cls and "full-name" in cls.split():
            name_el = a
        elif "affiliation-link" in cls:
            key = href.lstrip("#")
            text = affiliations.get(key) or clean(a.get("title"))
            if text and text not in affs:
                affs.append(text)
        elif "orcid.org" in href or "orcid" in cls.lower():
            orcid = orcid or bare_orcid(href) or bare_orcid(node_text(a))
    if name_el is not None:
        name = node_text(name_el) or clean(name_el.get("data-ga-label"))
    else:
        name = node_text(item, _AUTHOR_SKIP)
    if not name:
        return None
    name = name.rstrip(",").strip()
    href = name_el.get("href", "") if name_el is not None else ""
    term = _term_param(href)
    collective = "corporate" in term.lower() or (
        "cauthor_id" not in href and bool(_GROUP_WORDS.search(name)) and len(name.split()) > 2
    )
    last = fore = None
    if not collective and term:
        last, fore = _split_name(name, term)
    return Author(
        name=name,
        last_name=last,
        fore_name=fore,
        collective=collective,
        affiliations=affs,
        orcid=orcid,
    )


def _term_param(href: str) -> str:
    m = _TERM.search(href)
    return unquote(m.group(1).replace("+", " ")) if m else ""


def _split_name(name: str, term: str) -> tuple[str | None, str | None]:
    """``("Chen Zhang", "Zhang C")`` -> ``("Zhang", "Chen")``; ``(None, None)`` if unsure."""
    term = _FIELD_TAGS.sub("", term).strip() if "[" in term else term.strip()
    parts = term.split()
    if len(parts) < 2 or not _INITIALS.fullmatch(parts[-1]):
        return None, None
    surname = " ".join(parts[:-1])
    if name == surname or not name.endswith(" " + surname):
        return None, None
    fore = name[: -len(surname)].strip()
    if not fore or fore[0].upper() != parts[-1][0]:
        return None, None
    return surname, fore


def _journal_and_date(h: _Heading, meta: dict[str, str]) -> tuple[Journal, PublicationDate]:
    journal = Journal(
        title=clean(meta.get("citation_journal_title")),
        abbreviation=clean(meta.get("citation_publisher")),
        issn=clean(meta.get("citation_issn")),
    )
    if h.journal is not None:
        journal.abbreviation = node_text(h.journal) or journal.abbreviation
        journal.title = clean(h.journal.get("title")) or journal.title
    date = PublicationDate(printed=clean(meta.get("citation_date")))
    cit = node_text(h.cit)
    if cit:
        m = _CIT.match(cit.rstrip("."))
        if m:
            date.printed = clean(m["date"]) or date.printed
            journal.volume = clean(m["volume"])
            journal.issue = clean(m["issue"])
            journal.pages = clean(m["pages"])
    else:
        journal.volume = clean(meta.get("citation_volume"))
        journal.issue = clean(meta.get("citation_issue"))
    epub = node_text(h.epub)
    if epub and epub.lower().startswith("epub"):
        date.epub = clean(epub[4:].strip(" :").rstrip("."))
    date.year = year_of(date.printed) or year_of(date.epub)
    return journal, date


# ------------------------------------------------------------------- body sections

_SUB_TITLE_SKIP = frozenset({"sub-title"})


def _abstract(section: etree._Element | None) -> tuple[list[AbstractSection], list[str]]:
    """Abstract paragraphs ``[{label, text}]`` and the keywords printed under them."""
    if section is None:
        return [], []
    contents = [d for d in section.iterdescendants("div")
                if " abstract-content " in f" {d.get('class') or ''} "]
    content = next((c for c in contents if c.get("id") == "eng-abstract"), None)
    if content is None:
        content = next((c for c in contents if _has_class(c, "selected")), None)
    if content is None and contents:
        content = contents[0]
    sections: list[AbstractSection] = []
    keywords: list[str] = []
    for p in section.iter("p"):
        if p.get("id") in ("copyright", "disclaimer"):
            continue
        sub = _sub_title(p)
        label = (node_text(sub) or "").rstrip(":").strip() if sub is not None else None
        if label and label.lower().startswith("keyword"):
            keywords = _split_keywords(node_text(p, _SUB_TITLE_SKIP))
            continue
        if content is None or not _inside(p, content):
            continue
        text = node_text(p, _SUB_TITLE_SKIP)
        if text:
            sections.append(AbstractSection(label=label or None, text=text))
    return sections, keywords


def _sub_title(p: etree._Element) -> etree._Element | None:
    """The first ``<strong>`` child whose class contains "sub-title"."""
    for strong in p.iterchildren("strong"):
        if "sub-title" in (strong.get("class") or ""):
            return strong
    return None


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _split_keywords(text: str | None) -> list[str]:
    if not text:
        return []
    out: list[str] = []
    for part in text.split(";"):
        kw = clean(part.strip().rstrip("."))
        if kw and kw not in out:
            out.append(kw)
    return out


def _keyword_items(section: etree._Element | None) -> list[str]:
    """Texts of a keywords-list section (publication types, MeSH), menus left out."""
    if section is None:
        return []
    items = [
        node_text(b)
        for b in section.iterdescendants("button")
        if "keyword-actions-trigger" in (b.get("class") or "")
    ]
    if not items:
        items = [node_text(li) for li in section.iter("li")]
    return [i for i in items if i]


def _mesh(section: etree._Element | None) -> list[MeshTerm]:
    terms: dict[str, MeshTerm] = {}
    for item in _keyword_items(section):
        parts = [p.strip() for p in item.split("/")]
        head = parts[0]
        major = head.endswith("*")
        descriptor = head.rstrip("*").strip()
        if not descriptor:
            continue
        term = terms.get(descriptor)
        if term is None:
            term = terms[descriptor] = MeshTerm(descriptor=descriptor)
        term.major = term.major or major
        for q in parts[1:]:
            starred = q.endswith("*")
            q = q.rstrip("*").strip()
            if not q:
                continue
            if q not in term.qualifiers:
                term.qualifiers.append(q)
            if starred and q not in term.major_qualifiers:
                term.major_qualifiers.append(q)
    return list(terms.values())


def _link_ids(links: Iterable[etree._Element]) -> tuple[str | None, str | None, str | None]:
    pmid = pmcid = doi = None
    for a in links:
        href = a.get("href") or ""
        if "doi.org/" in href:
            doi = doi or bare_doi(unquote(href))
        elif "PMC" in href and "/articles/" in href:
            pmcid = pmcid or bare_pmcid(href)
        else:
            m = _PMID_HREF.search(href)
            if m:
                pmid = pmid or m.group(1)
    return pmid, pmcid, doi


_SEPARATORS = "-–|"
_REF_SKIP = frozenset({"reference-link", "references-and-notes-list"})


def _reference_items(section: etree._Element) -> list[etree._Element]:
    """The ``<li>`` of every references-and-notes list, else of every references list."""
    notes: list[etree._Element] = []
    flat: list[etree._Element] = []
    for ol in section.iter("ol"):
        cls = ol.get("class")
        if cls and "references-" in cls:
            if "references-and-notes-list" in cls:
                notes.extend(ol.iterchildren("li"))
            elif "references-list" in cls:
                flat.extend(ol.iterchildren("li"))
    return notes or flat


def _strip_trailing_separators(text: str) -> str:
    """Drop a trailing run of whitespace and ``-–|`` if it holds a separator (what
    ``re.sub(r"(?:\\s*[-–|]\\s*)+$", "", text)`` does, without its quadratic scan)."""
    bare = text.rstrip()
    if not bare or bare[-1] not in _SEPARATORS:
        return text
    while True:
        shorter = bare.rstrip(_SEPARATORS).rstrip()
        if shorter == bare:
            return bare
        bare = shorter


def _references(section: etree._Element | None) -> tuple[list[Reference], int | None]:
    if section is None:
        return [], None
    refs: list[Reference] = []
    for li in _reference_items(section):
        parts: list[str] = []
        links: list[etree._Element] = []
        _collect(li, parts, _REF_SKIP, links)
        citation = clean("".join(parts))
        if links and citation:
            citation = clean(_strip_trailing_separators(citation))
        if not citation:
            continue
        pmid, pmcid, doi = _link_ids(links)
        doi = doi or find_doi(citation)
        refs.append(Reference(citation=citation, pmid=pmid, pmcid=pmcid, doi=doi))
    total = _show_all_count(section.iter("button"))
    if total is None:
        total = _show_all_count(section.iter("a"))
    return refs, total if total is not None else len(refs)


def _show_all_count(controls: Iterable[etree._Element]) -> int | None:
    """N of the first "Show all N …" control."""
    for el in controls:
        # cheap test on the raw text first: node_text on every link was a hot spot
        raw = clean("".join(el.itertext()) if len(el) else el.text)
        if not raw or "show all" not in raw.lower():
            continue
        text = node_text(el)
        if text and text.lower().startswith("show all"):
            m = _DIGITS.search(text)
            if m:
                return int(m.group(0).replace(",", ""))
    return None


_DOCSUM_PMIDS = etree.XPath(".//*[contains(concat(' ',@class,' '),' docsum-pmid ')]")


def docsum_pmids(section: etree._Element | None, own: str | None = None) -> list[str]:
    """PMIDs of a list of article summaries — the similar / cited-by sections of an
    article page, or a results page — in page order, unique, ``own`` left out."""
    if section is None:
        return []
    found: list[str] = []
    for a in section.iterdescendants("a"):
        cls = a.get("class")
        if not cls or " docsum-title " not in f" {cls} ":  # XPath-style class token test
            continue
        pmid = a.get("data-article-id")
        if not pmid:
            m = _PMID_HREF.search(a.get("href") or "")
            pmid = m.group(1) if m else None
        if pmid:
            found.append(pmid)
    if not found:
        found = [t for t in (node_text(e) for e in _DOCSUM_PMIDS(section)) if t]
    seen = {own}
    out: list[str] = []
    for pmid in found:
        if pmid not in seen and is_pmid(pmid):
            seen.add(pmid)
            out.append(pmid)
    return out


#: An article page shows the first 5 entries of its similar, cited-by and reference lists.
PAGE_PREVIEW = 5


def lists_shown_whole(record: ArticleRecord) -> frozenset[Relation]:
    """Relations whose whole list a parsed article page already holds, so that its list
    page would only repeat it: fewer cited-by entries than the page's preview (none: the
    page has no "Cited by" section), and every reference printed (no "Show all N
    references" beyond them). Similar lists are not judged: PubMed's own article could be
    among the shown entries and left out of ``similar_pmids``."""
    whole = set()
    if len(record.cited_by_pmids) < PAGE_PREVIEW:
        whole.add(Relation.CITED_BY)
    shown = len(record.references)
    if shown < PAGE_PREVIEW and (record.references_total or 0) <= shown:
        whole.add(Relation.REFERENCES)
    return frozenset(whole)


# ------------------------------------------------------------------------ entry point


def parse_article(html: str | bytes, url: str) -> ArticleRecord:
    """Parse a PubMed article page into an :class:`ArticleRecord` (``source="page"``).

    ``provenance`` and ``fetched_at`` are left for the caller. Raises
    :class:`ArticleParseError` when the page has no PMID or no title, or is nested
    too deeply to read whole (past the parser's limits, or Python's recursion limit).
    """
    try:
        return _parse_article(html, url)
    except RecursionError:
        raise ArticleParseError("the page's elements are nested too deeply to read") from None


def _parse_article(html: str | bytes, url: str) -> ArticleRecord:
    try:
        root = parse_html(html)
    except (etree.LxmlError, ValueError) as exc:
        raise ArticleParseError(f"unparseable HTML: {exc}") from exc
    sec = _sections(root)
    meta = _meta(root)
    heading_el = sec.get("heading")
    if heading_el is None:
        raise ArticleParseError("no article heading (#full-view-heading)")
    h = _Heading(heading_el)

    pmid = (node_text(h.pmid) if h.pmid is not None else None) or clean(meta.get("citation_pmid"))
    if not pmid or not is_pmid(pmid):
        raise ArticleParseError("no PMID")
    title = node_text(h.title)
    if not title:
        raise ArticleParseError("no title")

    doi = bare_doi(_id_link_text(h.ids.get("doi")))
    if not doi and h.citation_doi is not None:
        doi = bare_doi(node_text(h.citation_doi))
    doi = doi or bare_doi(meta.get("citation_doi"))
    pmcid = bare_pmcid(_id_link_text(h.ids.get("pmc")))

    journal, date = _journal_and_date(h, meta)
    authors = [a for a in (_author(i, h.affiliations) for i in h.authors) if a]
    publication_types = _keyword_items(sec.get("publication_types"))
    is_review, is_systematic = review_flags(publication_types)
    abstract, keywords = _abstract(sec.get("abstract"))
    if not keywords:
        keywords = _keyword_items(sec.get("keywords")) or _split_keywords(
            node_text(sec["keywords"], ("title",)) if "keywords" in sec else None
        )
    coi_el = sec.get("coi")
    coi = node_text(coi_el, ("title",)) if coi_el is not None else None
    references, references_total = _references(sec.get("references"))
    mains = _FIRST_MAIN(root)
    notices = page_notices(mains[0] if mains else root)

    return ArticleRecord(
        pmid=pmid,
        source="page",
        pmcid=pmcid,
        doi=doi,
        title=title,
        authors=authors,
        journal=journal,
        publication_date=date,
        year=date.year,
        publication_types=publication_types,
        is_review=is_review,
        is_systematic_review=is_systematic,
        abstract=abstract,
        keywords=keywords,
        mesh_terms=_mesh(sec.get("mesh")),
        conflict_of_interest=coi,
        references=references,
        references_total=references_total,
        reference_pmids=list(dict.fromkeys(r.pmid for r in references if r.pmid)),
        similar_pmids=docsum_pmids(sec.get("similar"), pmid),
        cited_by_pmids=docsum_pmids(sec.get("cited_by"), pmid),
        source_url=url,
        notices=notices,
        is_retracted=is_retracted(notices, publication_types),
    )
