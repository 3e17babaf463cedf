"""E-utilities answers (esearch, elink, efetch) for the mirror graph, in NCBI's XML shapes.

The shapes copy the saved real answers in ``tests/fixtures/eutils``. Each function
takes the request's parameters as ``{name: [values]}`` (``parse_qs`` form, GET query and
POST body merged) and returns ``(status, xml text)``.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as _xml_escape

from tests.mirror.graph import MirrorArticle, MirrorGraph, initials_of

__all__ = ["ESEARCH_MAX", "LINKNAMES", "efetch", "elink", "esearch"]

#: ESearch lists at most the first 10,000 ids of a query (retstart beyond is an error).
ESEARCH_MAX = 10_000
LINKNAMES = ("pubmed_pubmed", "pubmed_pubmed_citedin", "pubmed_pubmed_refs")

Params = dict[str, list[str]]

_ESEARCH_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD '
    'esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
_ELINK_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink '
    '20101123//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n'
)
_EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st '
    'January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
_PUBTYPE_UI = {
    "Journal Article": "D016428", "Review": "D016454", "Systematic Review": "D000078182",
    "Meta-Analysis": "D017418", "Randomized Controlled Trial": "D016449",
}
_DP_RANGE = re.compile(r"(\d{4})(?:/\d{1,2}(?:/\d{1,2})?)?\s*:\s*(\d{4})(?:/\d{1,2}(?:/\d{1,2})?)?"
                       r"\s*\[(?:dp|pdat|publication date)\]", re.I)


def _x(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def _one(params: Params, name: str, default: str = "") -> str:
    values = params.get(name)
    return values[0].strip() if values else default


def _ids(params: Params) -> list[str]:
    """All ``id`` values, comma lists flattened (efetch treats both forms alike)."""
    return [p.strip() for v in params.get("id", []) for p in v.split(",") if p.strip()]


def _error(root: str, head: str, message: str) -> str:
    return f"{head}<{root}><ERROR>{_x(message)}</ERROR></{root}>\n"


# ------------------------------------------------------------------------- esearch


def _date_key(text: str, end: bool) -> int | None:
    """``YYYY[/MM[/DD]]`` as ``YYYYMMDD``; a missing month or day is the window's first
    (``end``: last) one. None when it does not start with a year."""
    parts = text.replace("-", "/").split("/")
    if not parts[0][:4].isdigit():
        return None
    nums = [int(p) if p.isdigit() else 0 for p in parts[1:3]]
    month = nums[0] if nums and nums[0] else (12 if end else 1)
    day = nums[1] if len(nums) > 1 and nums[1] else (31 if end else 1)
    return int(parts[0][:4]) * 10_000 + month * 100 + day


def _date_window(params: Params, term: str) -> tuple[int | None, int | None, str]:
    """(first day, last day as ``YYYYMMDD``, term without a ``YYYY:YYYY[dp]`` clause)."""
    lo = hi = None
    m = _DP_RANGE.search(term)
    if m:
        lo, hi = int(m.group(1)) * 10_000 + 101, int(m.group(2)) * 10_000 + 1231
        term = (term[: m.start()] + term[m.end():]).strip()
        term = re.sub(r"^\s*AND\s+|\s+AND\s*$", "", term, flags=re.I)
    mindate = _date_key(_one(params, "mindate"), end=False)
    maxdate = _date_key(_one(params, "maxdate"), end=True)
    return mindate or lo, maxdate or hi, term


def esearch(graph: MirrorGraph, params: Params) -> tuple[int, str]:
    """``esearch.fcgi``: ids of a title-word query, newest first, with date ranges.

    ``datetype`` (pdat/edat/…: all read as the publication date), ``mindate``/``maxdate``
    (``YYYY``, ``YYYY/MM`` or ``YYYY/MM/DD``) or a ``YYYY:YYYY[dp]`` clause restrict by
    date; ``retstart`` >= 10,000 is an error,
    as on NCBI.
    """
    if _one(params, "db", "pubmed") != "pubmed":
        return 200, _error("eSearchResult", _ESEARCH_HEAD, "Invalid db name specified")
    term = _one(params, "term")
    lo, hi, words = _date_window(params, term)
    if not words and (lo is not None or hi is not None):
        words = "all[sb]"
    if not words:
        return 200, _error("eSearchResult", _ESEARCH_HEAD,
                           "Empty term and query_key - nothing todo")
    try:
        retstart = int(_one(params, "retstart", "0") or 0)
        retmax = int(_one(params, "retmax", "20") or 20)
    except ValueError:
        return 200, _error("eSearchResult", _ESEARCH_HEAD, "Invalid retstart or retmax")
    if lo is not None or hi is not None:  # by publication date, to the day
        hits = graph.search_dated(words, lo or 101, hi or 99_991_231)
    else:
        hits = graph.search(words)
    count = len(hits)
    translation = _x(f"{words}[Title]" if words != "all[sb]" else "all[sb]")
    if retstart >= ESEARCH_MAX:
        message = (f"Search Backend failed: Exception:\n'retstart' cannot be larger than "
                   f"{ESEARCH_MAX - 1}. For PubMed, ESearch can only retrieve the first "
                   f"{ESEARCH_MAX:,} records matching the query. To obtain more than "
                   f"{ESEARCH_MAX:,} PubMed records, consider using EDirect that contains "
                   "additional logic to batch PubMed search results automatically so that an "
                   "arbitrary number can be retrieved. For details see "
                   "https://www.ncbi.nlm.nih.gov/books/NBK25499/")
        return 200, (f"{_ESEARCH_HEAD}<eSearchResult><Count>{count}</Count><RetMax>0</RetMax>"
                     f"<RetStart>{retstart}</RetStart><IdList/><TranslationSet/>"
                     f"<QueryTranslation>{translation}</QueryTranslation>"
                     f"<ERROR>{_x(message)}</ERROR></eSearchResult>\n")
    retmax = max(0, min(retmax, ESEARCH_MAX - retstart))
    page = hits[retstart:retstart + retmax]
    ids = "".join(f"<Id>{p}</Id>\n" for p in page)
    return 200, (f"{_ESEARCH_HEAD}<eSearchResult><Count>{count}</Count><RetMax>{len(page)}"
                 f"</RetMax><RetStart>{retstart}</RetStart><IdList>\n{ids}</IdList>"
                 f"<TranslationSet/><QueryTranslation>{translation}</QueryTranslation>"
                 "</eSearchResult>\n")


# ------------------------------------------------------------------------- elink


def _links(graph: MirrorGraph, pmid: str, linkname: str) -> list[str]:
    if not graph.exists(pmid):
        return []
    if linkname == "pubmed_pubmed":  # elink's similar list holds the source id itself, first
        return [pmid, *graph.similar(pmid)]
    if linkname == "pubmed_pubmed_citedin":
        return graph.cited_by(pmid)
    return graph.references(pmid)


def _linkset(graph: MirrorGraph, ids: list[str], linknames: tuple[str, ...]) -> str:
    parts = ["<LinkSet>\n\t<DbFrom>pubmed</DbFrom>\n\t<IdList>\n"]
    parts += [f"\t\t<Id>{_x(i)}</Id>\n" for i in ids]
    parts.append("\t</IdList>\n")
    for name in linknames:
        merged: dict[str, None] = {}
        for i in ids:
            merged.update(dict.fromkeys(_links(graph, i, name)))
        if not merged:
            continue  # NCBI leaves out empty link sets
        parts.append(f"\t<LinkSetDb>\n\t\t<DbTo>pubmed</DbTo>\n\t\t<LinkName>{name}</LinkName>\n")
        parts += [f"\t\t<Link>\n\t\t\t<Id>{p}</Id>\n\t\t</Link>\n" for p in merged]
        parts.append("\t</LinkSetDb>\n")
    parts.append("</LinkSet>\n")
    return "".join(parts)


def elink(graph: MirrorGraph, params: Params) -> tuple[int, str]:
    """``elink.fcgi`` (dbfrom=pubmed, cmd=neighbor): one LinkSet per repeated ``id=``; a
    comma-joined ``id=`` gives one merged LinkSet, as NCBI does."""
    if _one(params, "dbfrom", "pubmed") != "pubmed" or _one(params, "db", "pubmed") != "pubmed":
        return 200, _error("eLinkResult", _ELINK_HEAD, "Invalid db name specified")
    cmd = _one(params, "cmd", "neighbor")
    if cmd != "neighbor":
        return 200, _error("eLinkResult", _ELINK_HEAD, f"Command '{cmd}' is not supported here")
    linkname = _one(params, "linkname")
    if linkname and linkname not in LINKNAMES:
        return 200, _error("eLinkResult", _ELINK_HEAD, f"Invalid linkname: {linkname}")
    names = (linkname,) if linkname else LINKNAMES
    groups = [[p.strip() for p in v.split(",") if p.strip()] for v in params.get("id", [])]
    groups = [g for g in groups if g]
    if not groups:
        return 200, _error("eLinkResult", _ELINK_HEAD, "Empty id list - nothing todo")
    body = "".join(_linkset(graph, g, names) for g in groups)
    return 200, f"{_ELINK_HEAD}<eLinkResult>\n{body}</eLinkResult>\n"


# ------------------------------------------------------------------------- efetch


def _date(tag: str, y: str, m: str | None, d: str | None, attrs: str = "") -> str:
    inner = f"<Year>{y}</Year>"
    if m:
        inner += f"<Month>{m}</Month>"
    if d:
        inner += f"<Day>{d}</Day>"
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _author_xml(a) -> str:
    if a.collective:
        return f'<Author ValidYN="Y"><CollectiveName>{_x(a.name)}</CollectiveName></Author>'
    parts = [f'<Author ValidYN="Y"><LastName>{_x(a.last_name or "")}</LastName>'
             f"<ForeName>{_x(a.fore_name or '')}</ForeName>"
             f"<Initials>{initials_of(a.fore_name)}</Initials>"]
    if a.orcid:
        parts.append(f'<Identifier Source="ORCID">https://orcid.org/{a.orcid}</Identifier>')
    parts += [f"<AffiliationInfo><Affiliation>{_x(aff)}</Affiliation></AffiliationInfo>"
              for aff in a.affiliations]
    parts.append("</Author>")
    return "".join(parts)


def _mesh_xml(a: MirrorArticle) -> str:
    if not a.mesh_terms:
        return ""
    parts = ["<MeshHeadingList>"]
    for t in a.mesh_terms:
        ui = f"D{abs(hash_str(t.descriptor)) % 1_000_000:06d}"
        major = "Y" if t.major else "N"
        parts.append(f'<MeshHeading><DescriptorName UI="{ui}" MajorTopicYN="{major}">'
                     f"{_x(t.descriptor)}</DescriptorName>")
        for q in t.qualifiers:
            qui = f"Q{abs(hash_str(q)) % 1_000_000:06d}"
            major = "Y" if q in t.major_qualifiers else "N"
            parts.append(f'<QualifierName UI="{qui}" MajorTopicYN="{major}">{_x(q)}'
                         "</QualifierName>")
        parts.append("</MeshHeading>")
    parts.append("</MeshHeadingList>")
    return "".join(parts)


def hash_str(text: str) -> int:
    """A stable (not per-process salted) small hash, for fake MeSH unique ids."""
    h = 0
    for ch in text:
        h = (h * 131 + ord(ch)) & 0xFFFFFFFF
    return h


def _reference_xml(ref) -> str:
    ids = ""
    if ref.doi:
        ids += f'<ArticleId IdType="doi">{_x(ref.doi)}</ArticleId>'
    if ref.pmcid:
        ids += f'<ArticleId IdType="pmc">{ref.pmcid}</ArticleId>'
    if ref.pmid:
        ids += f'<ArticleId IdType="pubmed">{ref.pmid}</ArticleId>'
    id_list = f"<ArticleIdList>{ids}</ArticleIdList>" if ids else ""
    return f"<Reference><Citation>{_x(ref.citation)}</Citation>{id_list}</Reference>"


#: the notice types the mirror shows -> efetch RefType (spelled as NCBI's DTD spells them)
_REFTYPE = {"retraction_in": "RetractionIn", "erratum_in": "ErratumIn"}


def _notices_xml(a: MirrorArticle) -> str:
    """``CommentsCorrectionsList`` with the article's notices (RefType as PubMed writes it)."""
    if not a.notices:
        return ""
    items = "".join(
        f'<CommentsCorrections RefType="{_REFTYPE[n.type]}">'
        f"<RefSource>{_x(n.citation or '')}</RefSource>"
        + (f'<PMID Version="1">{n.pmid}</PMID>' if n.pmid else "") + "</CommentsCorrections>"
        for n in a.notices)
    return f"<CommentsCorrectionsList>{items}</CommentsCorrectionsList>"


def article_xml(a: MirrorArticle) -> str:
    """One ``<PubmedArticle>`` (MedlineCitation + PubmedData) for ``a``."""
    j = a.journal
    y, mon, day, medline_date = a.pub_date_parts
    if medline_date:
        pub_date = f"<PubDate><MedlineDate>{_x(medline_date)}</MedlineDate></PubDate>"
    else:
        pub_date = _date("PubDate", y, mon, f"{int(day):02d}" if day else None)
    start, _, end = (j.pages or "").partition("-")
    abstract = ""
    if a.abstract:
        texts = "".join(
            (f'<AbstractText Label="{_x(s.label)}" NlmCategory="{_x(s.label.upper())}">'
             if s.label else "<AbstractText>") + f"{_x(s.text)}</AbstractText>"
            for s in a.abstract)
        copyright_ = (f"<CopyrightInformation>{_x(a.copyright)}</CopyrightInformation>"
                      if a.copyright else "")
        abstract = f"<Abstract>{texts}{copyright_}</Abstract>"
    elocation = f'<ELocationID EIdType="doi" ValidYN="Y">{_x(a.doi)}</ELocationID>' if a.doi else ""
    pubtypes = "".join(f'<PublicationType UI="{_PUBTYPE_UI.get(t, "D016428")}">{_x(t)}'
                       "</PublicationType>" for t in a.publication_types)
    article_date = (_date("ArticleDate", *a.epub_parts, attrs=' DateType="Electronic"')
                    if a.epub_parts else "")
    keywords = ""
    if a.keywords:
        keywords = ('<KeywordList Owner="NOTNLM">' + "".join(
            f'<Keyword MajorTopicYN="N">{_x(k)}</Keyword>' for k in a.keywords)
            + "</KeywordList>")
    coi = (f"<CoiStatement>{_x(a.conflict_of_interest)}</CoiStatement>"
           if a.conflict_of_interest else "")
    ids = f'<ArticleId IdType="pubmed">{a.pmid}</ArticleId>'
    if a.doi:
        ids += f'<ArticleId IdType="doi">{_x(a.doi)}</ArticleId>'
    if a.pmcid:
        ids += f'<ArticleId IdType="pmc">{a.pmcid}</ArticleId>'
    refs = ""
    if a.references:
        refs = "<ReferenceList>" + "".join(_reference_xml(r) for r in a.references) + \
            "</ReferenceList>"
    status = "MEDLINE" if a.mesh_terms else "PubMed-not-MEDLINE"
    model = "Print-Electronic" if a.epub_parts else "Print"
    entrez = a.epub_parts or (y, "01", "01")
    return "".join((
        f'<PubmedArticle><MedlineCitation Status="{status}" Owner="NLM">',
        f'<PMID Version="1">{a.pmid}</PMID>',
        _date("DateRevised", str(int(y) + 1), "01", "15"),
        f'<Article PubModel="{model}"><Journal>',
        f'<ISSN IssnType="Electronic">{_x(j.issn or "")}</ISSN>',
        f'<JournalIssue CitedMedium="Internet"><Volume>{_x(j.volume or "")}</Volume>',
        f"<Issue>{_x(j.issue or '')}</Issue>{pub_date}</JournalIssue>",
        f"<Title>{_x(j.title or '')}</Title>",
        f"<ISOAbbreviation>{_x(j.abbreviation or '')}</ISOAbbreviation></Journal>",
        f"<ArticleTitle>{_x(a.title)}</ArticleTitle>",
        f"<Pagination><StartPage>{start}</StartPage><EndPage>{end}</EndPage>",
        f"<MedlinePgn>{_x(j.pages or '')}</MedlinePgn></Pagination>",
        elocation, abstract,
        '<AuthorList CompleteYN="Y">', "".join(_author_xml(au) for au in a.authors),
        "</AuthorList><Language>eng</Language>",
        f"<PublicationTypeList>{pubtypes}</PublicationTypeList>", article_date, "</Article>",
        "<MedlineJournalInfo><Country>United States</Country>",
        f"<MedlineTA>{_x(j.abbreviation or '')}</MedlineTA>",
        f"<ISSNLinking>{_x(j.issn or '')}</ISSNLinking></MedlineJournalInfo>",
        _notices_xml(a), _mesh_xml(a), keywords, coi,
        "</MedlineCitation><PubmedData><History>",
        _date("PubMedPubDate", entrez[0], str(int(entrez[1])), str(int(entrez[2])),
              attrs=' PubStatus="entrez"'),
        _date("PubMedPubDate", entrez[0], str(int(entrez[1])), str(int(entrez[2])),
              attrs=' PubStatus="pubmed"'),
        "</History><PublicationStatus>ppublish</PublicationStatus>",
        f"<ArticleIdList>{ids}</ArticleIdList>", refs,
        "</PubmedData></PubmedArticle>\n",
    ))


def efetch(graph: MirrorGraph, params: Params) -> tuple[int, str]:
    """``efetch.fcgi`` (db=pubmed, retmode=xml): a PubmedArticleSet of the existing ids, in
    request order (unknown and missing ids are left out, duplicates once)."""
    if _one(params, "db", "pubmed") != "pubmed":
        return 400, _error("eFetchResult", '<?xml version="1.0" ?>\n', "Invalid db name")
    ids = _ids(params)
    if not ids:
        return 400, _error("eFetchResult", '<?xml version="1.0" ?>\n',
                           "Empty id list - nothing todo")
    body = "".join(article_xml(graph.article(p)) for p in dict.fromkeys(ids) if graph.exists(p))
    return 200, f"{_EFETCH_HEAD}<PubmedArticleSet>\n{body}</PubmedArticleSet>\n"
