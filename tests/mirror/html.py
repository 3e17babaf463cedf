"""Render mirror articles and lists in the markup of the real PubMed site.

Element structure, ids and classes follow the saved real pages (the article page and
the raw server search page in ``tests/fixtures/pubmed``): the same selectors work
on both. Scripts, styles and most widgets are left out, so a page is a few KB.
"""

from __future__ import annotations

import math
from html import escape
from urllib.parse import quote_plus, urlencode

from aggregator.records import MeshTerm
from tests.mirror.graph import Docsum, MirrorArticle, MirrorGraph, initials_of

__all__ = [
    "MAX_SHOWN",
    "SHOWN_ON_ARTICLE",
    "article_page",
    "invalid_form_page",
    "not_found_page",
    "results_page",
]

#: The article page shows the first 5 similar, cited-by and references (as PubMed does).
SHOWN_ON_ARTICLE = 5
#: PubMed's web search shows at most this many results of a query or list.
MAX_SHOWN = 10_000
SITE = "https://pubmed.ncbi.nlm.nih.gov"

_DOCTYPE = "<!DOCTYPE html>\n<html lang=\"en\">\n"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{_e(content)}">\n'


def _head(title: str, metas: list[tuple[str, str]], canonical: str | None = None) -> str:
    parts = [
        _DOCTYPE,
        '<head itemscope itemtype="http://schema.org/WebPage" prefix="og: http://ogp.me/ns#">\n',
        '<meta charset="UTF-8">\n',
        f"<title>{_e(title)}</title>\n",
        _meta("ncbi_app", "pubmed"),
        _meta("ncbi_db", "pubmed"),
        _meta("log_category", "literature"),
    ]
    parts += [_meta(k, v) for k, v in metas]
    if canonical:
        parts.append(f'<link rel="canonical" href="{_e(canonical)}">\n')
    parts.append("</head>\n")
    return "".join(parts)


def _search_link(term: str) -> str:
    return "/?sort=date&amp;sort_order=desc&amp;term=" + _e(quote_plus(term))


def _dropdown(prefix: str, term: str) -> str:
    """The (collapsed) action menu PubMed puts after journals and keywords: parser noise."""
    return (f'<div id="{prefix}" class="keyword-actions-dropdown dropdown dropdown-container">'
            '<div class="title">Actions</div><div class="content">'
            '<ul class="keyword-actions-links">'
            f'<li><a class="search-in-pubmed-link dropdown-block-link" href="{_search_link(term)}">'
            "Search in PubMed</a></li></ul></div></div>")


# ------------------------------------------------------------------------- docsums


def _docsum_citation(d: Docsum) -> str:
    extra = ""
    if d.pmcid:
        extra += ('<span class="free-resources spaced-citation-item citation-part">'
                  "Free PMC article.</span>")
    if d.review_type:
        extra += (f'<span class="publication-type spaced-citation-item citation-part">'
                  f"{_e(d.review_type)}.</span>")
    return (
        '<div class="docsum-citation full-citation">'
        f'<span class="docsum-authors full-authors">{_e(d.authors_full)}</span>'
        f'<span class="docsum-authors short-authors">{_e(d.authors_short)}</span>'
        f'<span class="docsum-journal-citation full-journal-citation">'
        f"{_e(d.journal_citation_full)}</span>"
        f'<span class="docsum-journal-citation short-journal-citation">'
        f"{_e(d.journal_citation_short)}</span>"
        f'<span class="citation-part">PMID: <span class="docsum-pmid">{d.pmid}</span></span>'
        f"{extra}</div>"
    )


def _linked_docsum(d: Docsum, category: str, source: str, pos: int) -> str:
    """One entry of the similar / cited-by lists of an article page."""
    return (
        '<li class="full-docsum"><div class="docsum-content">'
        f'<a class="docsum-title" href="/{d.pmid}/" '
        f'ref="linksrc={category}_link&amp;article_id={source}&amp;ordinalpos={pos}" '
        f'data-ga-category="{category}" data-ga-action="{d.pmid}">{_e(d.title)}</a>'
        f"{_docsum_citation(d)}</div></li>\n"
    )


def _result_docsum(d: Docsum, pos: int, page: int, snippet: str) -> str:
    """One ``article.full-docsum`` of a search-results page."""
    return (
        f'<article class="full-docsum" data-rel-pos="{pos}">'
        '<div class="item-selector-wrap selectors-and-actions">'
        f'<input class="search-result-selector" type="checkbox" '
        f'name="search-result-selector-{d.pmid}" id="select-{d.pmid}" value="{d.pmid}">'
        f'<label class="search-result-position" for="select-{d.pmid}">'
        f'<span class="position-number">{pos}</span></label></div>'
        '<div class="docsum-wrap"><div class="docsum-content">'
        f'<a class="docsum-title" href="/{d.pmid}/" '
        f'ref="linksrc=docsum_link&amp;article_id={d.pmid}&amp;ordinalpos={pos}&amp;page={page}" '
        f'data-ga-category="result_click" data-ga-action="{pos}" data-ga-label="{d.pmid}" '
        f'data-article-id="{d.pmid}">{_e(d.title)}</a>'
        f"{_docsum_citation(d)}"
        f'<div class="docsum-snippet"><div class="full-view-snippet">{_e(snippet)}</div></div>'
        "</div></div></article>\n"
    )


# ------------------------------------------------------------------------- article


def _author_items(a: MirrorArticle, affiliation_ids: dict[str, int]) -> str:
    out: list[str] = []
    last = len(a.authors) - 1
    for k, au in enumerate(a.authors):
        if au.collective:
            term = f"{au.name}[Corporate Author]"
            href = "/?sort=date&amp;term=" + _e(quote_plus(term))
        else:
            term = f"{au.last_name} {initials_of(au.fore_name)}"
            href = f"/?sort=date&amp;term={_e(quote_plus(term))}&amp;cauthor_id={a.pmid}"
        item = [f'<span class="authors-list-item "><a class="full-name" href="{href}" '
                f'ref="linksrc=author_name_link" data-ga-category="search" '
                f'data-ga-action="author_link" data-ga-label="{_e(au.name)}">{_e(au.name)}</a>']
        if au.affiliations:
            item.append('<sup class="affiliation-links">')
            for aff in au.affiliations:
                n = affiliation_ids[aff]
                item.append(f'<span class="author-sup-separator">&nbsp;</span>'
                            f'<a class="affiliation-link" title="{_e(aff)}" '
                            f'href="#full-view-affiliation-{n}" ref="linksrc=author_aff">{n}</a>')
            item.append("</sup>")
        if au.orcid:
            item.append(f'<a class="orcid-link" href="https://orcid.org/{au.orcid}" '
                        f'target="_blank" rel="noopener" title="ORCID {au.orcid}" '
                        f'data-ga-category="author" data-ga-action="orcid_link">ORCID</a>')
        if k != last:
            item.append('<span class="comma">,&nbsp;</span>')
        item.append("</span>")
        out.append("".join(item))
    return "".join(out)


def _affiliation_ids(a: MirrorArticle) -> dict[str, int]:
    ids: dict[str, int] = {}
    for au in a.authors:
        for aff in au.affiliations:
            ids.setdefault(aff, len(ids) + 1)
    return ids


def _heading(a: MirrorArticle) -> str:
    j = a.journal
    date = a.publication_date
    aff_ids = _affiliation_ids(a)
    ident = [
        '<li><span class="identifier pubmed"><span class="id-label">PMID: </span>'
        f'<strong class="current-id" title="PubMed ID">{a.pmid}</strong></span></li>'
    ]
    if a.pmcid:
        ident.append(
            '<li><span class="identifier pmc"><span class="id-label">PMCID: </span>'
            f'<a class="id-link" href="https://www.ncbi.nlm.nih.gov/pmc/articles/{a.pmcid}/" '
            f'target="_blank" rel="noopener" data-ga-category="full_text" '
            f'data-ga-action="{a.pmcid}">{a.pmcid}</a></span></li>')
    if a.doi:
        ident.append(
            '<li><span class="identifier doi"><span class="id-label">DOI: </span>'
            f'<a class="id-link" href="https://doi.org/{_e(a.doi.lower())}" target="_blank" '
            f'rel="noopener" data-ga-category="full_text" data-ga-action="DOI">{_e(a.doi)}</a>'
            "</span></li>")
    parts = [
        '<header class="heading" id="heading">\n<div class="full-view" id="full-view-heading">\n',
        '<div class="article-citation"><div class="article-source">',
        '<div class="journal-actions dropdown-block"><button id="full-view-journal-trigger" '
        f'class="journal-actions-trigger trigger" title="{_e(j.title or "")}" tabindex="0" '
        'aria-controls="full-view-journal" aria-expanded="false">'
        f"{_e(j.abbreviation or '')}</button>",
        _dropdown("full-view-journal", f'"{j.abbreviation}"[jour]').replace(
            "keyword-actions-dropdown", "journal-actions-dropdown"),
        "</div>",
        f'<span class="period">. </span><span class="cit">{_e(date.printed or "")};'
        f"{_e(j.volume or '')}({_e(j.issue or '')}):{_e(j.pages or '')}.</span></div>\n",
    ]
    if a.doi:
        parts.append(f'<span class="citation-doi">doi: {_e(a.doi)}.</span>\n')
    if date.epub:
        parts.append(f'<span class="secondary-date">Epub {_e(date.epub)}.</span>\n')
    parts += [
        "</div>\n",
        f'<h1 class="heading-title">{_e(a.title)}</h1>\n',
        '<div class="inline-authors"><div class="authors"><div class="authors-list">',
        _author_items(a, aff_ids),
        "</div></div></div>\n",
    ]
    if aff_ids:
        parts += [
            '<div class="short-article-details">Affiliations <button class="more-details" '
            'id="toggle-authors" aria-controls="expanded-authors" aria-expanded="false">'
            '<span class="title">Expand</span></button></div>\n'
            '<div class="extended-article-details" id="expanded-authors" aria-hidden="true">'
            '<div class="expanded-authors" id="full-view-expanded-authors">'
            '<div class="affiliations"><h3 class="title">Affiliations</h3><ul class="item-list">',
            "".join(f'<li data-affiliation-id="full-view-affiliation-{n}" '
                    f'id="full-view-affiliation-{n}"><sup class="key">{n}</sup> {_e(aff)}</li>'
                    for aff, n in aff_ids.items()),
            "</ul></div></div></div>\n",
        ]
    parts += [
        '<ul class="identifiers" id="full-view-identifiers">', "".join(ident), "</ul>\n",
        "</div>\n",
        # the compact (mobile) heading repeats the title and first author: parser noise
        '<div class="short-view" id="short-view-heading">'
        f'<h1 class="heading-title">{_e(a.title)}</h1><div class="short-citation">',
    ]
    if a.authors:
        first = a.authors[0].name
        etal = " et al." if len(a.authors) > 1 else ""
        parts.append('<span class="authors-list"><span class="authors-list-item ">'
                     f'<span class="full-name">{_e(first)}</span>'
                     f'<span class="citation-separator">{etal}</span></span></span>')
    parts.append(f'<span class="citation-journal">{_e(j.abbreviation or "")}'
                 '<span class="citation-separator">.</span></span>'
                 f'<span class="date"><span class="citation-year">{_e(date.printed or "")}'
                 '</span></span></div></div>\n</header>\n')
    return "".join(parts)


def _abstract(a: MirrorArticle) -> str:
    parts = ['<div class="abstract" id="abstract"><h2 class="title">Abstract</h2>\n']
    if a.abstract:
        parts.append('<div class="abstract-content selected" id="eng-abstract">\n')
        for sec in a.abstract:
            label = f'<strong class="sub-title">{_e(sec.label)}: </strong>' if sec.label else ""
            parts.append(f"<p>{label}{_e(sec.text)}</p>\n")
        parts.append("</div>\n")
    else:
        parts.append('<div class="empty-abstract"><em class="empty-text">'
                     "No abstract available</em></div>\n")
    if a.keywords:
        parts.append('<p><strong class="sub-title">Keywords: </strong>'
                     f"{_e('; '.join(a.keywords))}.</p>\n")
    parts.append("</div>\n")
    if a.copyright:
        parts.append(f'<p class="copyright" id="copyright">{_e(a.copyright)}</p>\n')
    parts.append('<p class="disclaimer" id="disclaimer"><a href="/disclaimer/">PubMed '
                 "Disclaimer</a></p>\n")
    return "".join(parts)


def _linked_section(graph: MirrorGraph, a: MirrorArticle, pmids: list[str], kind: str) -> str:
    if not pmids:
        return ""
    if kind == "similar":
        head = ('<div class="similar-articles" id="similar"><h2 class="title">Similar articles'
                '</h2>\n<ul class="articles-list" id="similar-articles-list">\n')
        category, linkname, more = "similar_article", "pubmed_pubmed", "See all similar articles"
    else:
        head = ('<div class="citedby-articles" id="citedby"><h2 class="title">Cited by</h2>\n'
                '<ul class="articles-list" id="citedby-articles-list">\n')
        category, linkname = "cited_by", "pubmed_pubmed_citedin"
        more = "See all &quot;Cited by&quot; articles"
    items = "".join(_linked_docsum(graph.docsum_of(p), category, a.pmid, k + 1)
                    for k, p in enumerate(pmids[:SHOWN_ON_ARTICLE]))
    tail = ""
    if len(pmids) > SHOWN_ON_ARTICLE:
        tail = (f'<div class="actions-bar"><a class="show-all-linked-articles" '
                f'href="/?linkname={linkname}&amp;from_uid={a.pmid}">{more}</a></div>')
    return f"{head}{items}</ul>{tail}</div>\n"


def _reference_item(ref) -> str:
    links: list[str] = []
    if ref.doi:
        links.append(f'<a href="https://doi.org/{_e(ref.doi)}" class="reference-link" '
                     f'data-ga-category="reference" data-ga-action="{_e(ref.doi)}" '
                     'ref="linksrc=references_doi">DOI</a>')
    if ref.pmcid:
        links.append(f'<a href="https://pmc.ncbi.nlm.nih.gov/articles/{ref.pmcid}/" '
                     f'class="reference-link" data-ga-category="reference" '
                     f'data-ga-action="{ref.pmcid}" ref="linksrc=references_pmc">PMC</a>')
    if ref.pmid:
        links.append(f'<a href="/{ref.pmid}/" class="reference-link" '
                     f'data-ga-category="reference" data-ga-action="{ref.pmid}" '
                     'ref="linksrc=article_references_pubmed">PubMed</a>')
    sep = "".join(f"\n - {link}" for link in links)
    return ('<li><ol class="references-and-notes-list"><li class="skip-numbering" value="1">'
            f"{_e(ref.citation)}{sep}</li></ol></li>\n")


def _references(a: MirrorArticle) -> str:
    if not a.references:
        return ""
    items = "".join(_reference_item(r) for r in a.references[:SHOWN_ON_ARTICLE])
    more = ""
    if len(a.references) > SHOWN_ON_ARTICLE:
        more = ('<div class="actions-bar"><button class="show-all" '
                f'aria-controls="top-references-list-1" data-next-page-url="/{a.pmid}/references/">'
                f"Show all {len(a.references)} references</button></div>")
    return ('<div class="references" id="references"><h2 class="title">References</h2>\n'
            '<div id="top-references-list" class="references-lists-container">'
            '<div class="refs-list">'
            f'<ol id="top-references-list-1" class="references-list">\n{items}</ol>{more}'
            "</div></div></div>\n")


def _keyword_item(prefix: str, k: int, text: str, term: str, major: bool) -> str:
    cls = "keyword-actions-trigger trigger keyword-link" + (" major" if major else "")
    ident = f"keyword-actions-{prefix}-{k}"
    return (f'<li><div class="keyword-actions dropdown-block"><button class="{cls}" tabindex="0" '
            f'aria-controls="{ident}" aria-expanded="false">{_e(text)}</button>'
            f"{_dropdown(ident, term)}</div></li>\n")


def _mesh_items(terms: list[MeshTerm]) -> list[tuple[str, str, bool]]:
    """``(shown text, search term, major)`` per MeSH heading, one per qualifier as PubMed."""
    out: list[tuple[str, str, bool]] = []
    for t in terms:
        star = "*" if t.major else ""
        if not t.qualifiers:
            out.append((f"{t.descriptor}{star}", f'"{t.descriptor}"[MeSH]', t.major))
        for q in t.qualifiers:
            qstar = "*" if q in t.major_qualifiers else ""
            out.append((f"{t.descriptor}{star} / {q}{qstar}", f'"{t.descriptor}/{q}"[MeSH]',
                        t.major or bool(qstar)))
    return out


def _keyword_sections(a: MirrorArticle) -> str:
    parts = []
    if a.publication_types:
        parts.append('<div id="publication-types" class="publication-types keywords-section">'
                     '<h2 class="title">Publication types</h2><ul class="keywords-list">\n')
        parts += [_keyword_item("publication-types", k, t, f'"{t}"[pt]', False)
                  for k, t in enumerate(a.publication_types)]
        parts.append("</ul></div>\n")
    if a.mesh_terms:
        parts.append('<div id="mesh-terms" class="mesh-terms keywords-section">'
                     '<h2 class="title">MeSH terms</h2><ul class="keywords-list">\n')
        parts += [_keyword_item("mesh-terms", k, text, term, major)
                  for k, (text, term, major) in enumerate(_mesh_items(a.mesh_terms))]
        parts.append("</ul></div>\n")
    return "".join(parts)


def _article_metas(a: MirrorArticle, base_url: str) -> list[tuple[str, str]]:
    first_text = a.abstract[0].text if a.abstract else a.title
    description = first_text[:250] + (" …" if len(first_text) > 250 else "")
    authors = "".join(f"{au.last_name} {initials_of(au.fore_name)};" if not au.collective
                      else f"{au.name};" for au in a.authors)
    metas = [
        ("ncbi_pdid", "abstract"), ("log_op", "retrieve"), ("uid", a.pmid),
        ("ncbi_uid", a.pmid), ("log_displayeduids", a.pmid), ("log_source_db", "pubmed"),
        ("description", description), ("robots", "index,nofollow,noarchive"),
        ("citation_title", a.title), ("citation_authors", authors),
        ("citation_date", a.publication_date.printed or ""),
        ("citation_publisher", a.journal.abbreviation or ""),
        ("citation_journal_title", a.journal.title or ""), ("citation_pmid", a.pmid),
        ("citation_abstract_html_url", f"{base_url}/{a.pmid}/"),
        ("citation_volume", a.journal.volume or ""), ("citation_issue", a.journal.issue or ""),
    ]
    if a.doi:
        metas.append(("citation_doi", a.doi))
    metas.append(("citation_issn", a.journal.issn or ""))
    return metas


def _notices(a: MirrorArticle) -> str:
    """Linked notices under their headings ("Retraction in", "Erratum in" …): markup
    inferred, not copied from a real page (see aggregator/sources/page/notices.py)."""
    if not a.notices:
        return ""
    groups: dict[str, list[str]] = {}
    for n in a.notices:
        item = (f'<li class="comment-correction-item"><a class="comment-correction-link" '
                f'href="/{n.pmid}/">{_e(n.citation or "")}</a> PMID: {n.pmid}</li>')
        groups.setdefault(n.type, []).append(item)
    body = "".join(
        f'<h3 class="comment-correction-type">{kind.replace("_", " ").capitalize()}</h3>'
        f'<ul class="comment-correction-list">{"".join(items)}</ul>'
        for kind, items in groups.items())
    return f'<div class="comments-corrections" id="comments-corrections">{body}</div>\n'


def article_page(graph: MirrorGraph, a: MirrorArticle, base_url: str = SITE) -> str:
    """The article page (``/<pmid>/``) of ``a``."""
    coi = ""
    if a.conflict_of_interest:
        coi = ('<div class="conflict-of-interest" id="conflict-of-interest"><h2 class="title">'
               'Conflict of interest statement</h2><div class="statement">'
               f"<p>{_e(a.conflict_of_interest)}</p></div></div>\n")
    return "".join((
        _head(f"{a.title} - PubMed", _article_metas(a, base_url), f"{SITE}/{a.pmid}/"),
        "<body>\n",
        '<main class="article-details" id="article-details">\n',
        _heading(a),
        _abstract(a),
        _notices(a),
        coi,
        _linked_section(graph, a, a.similar_pmids, "similar"),
        _linked_section(graph, a, a.cited_by_pmids, "cited_by"),
        _references(a),
        _keyword_sections(a),
        "</main>\n</body>\n</html>\n",
    ))


# ------------------------------------------------------------------------- lists


def _pagination(page: int, max_page: int, total_pages: int) -> str:
    return (
        '<div class="top-pagination">'
        '<button class="button-wrapper first-page-btn" title="Navigate directly to the first '
        'page of results."></button>'
        '<button class="button-wrapper prev-page-btn" title="Navigate to the previous page of '
        'results."></button>'
        '<div class="page-number-wrapper"><label for="page-number-input">Page</label>'
        '<form class="page-number-form"><input class="page-number" id="page-number-input" '
        f'type="number" min="1" max="{max_page}" value="{page}"></form>'
        f'<label class="of-total-pages">of {total_pages:,}</label></div>'
        '<button class="button-wrapper next-page-btn" title="Navigate to the next page of '
        'results."></button>'
        '<button class="button-wrapper last-page-btn" title="Navigate directly to the last page '
        f'of results." data-max-page="{max_page}"></button></div>\n'
    )


def results_page(
    graph: MirrorGraph,
    pmids: list[str],
    *,
    page: int,
    size: int,
    query: str | None,
    params: dict[str, str],
    title: str,
) -> str:
    """A search-results / linkname list page showing page ``page`` of ``pmids``."""
    total = len(pmids)
    shown = pmids[:MAX_SHOWN]
    max_page = max(1, math.ceil(len(shown) / size))
    total_pages = max(1, math.ceil(total / size))
    start = (page - 1) * size
    on_page = shown[start:start + size]
    metas = [("log_op", "search")]
    if query is not None:
        metas.append(("log_query", query))
    metas += [
        ("ncbi_pdid", "searchresult"), ("ncbi_pageno", str(page)),
        ("log_resultcount", str(total)),
    ]
    if query is not None:
        metas += [("log_userterm", query), ("log_processedquery", query)]
    metas += [
        ("log_filtersactive", "False"), ("log_format", "summary"),
        ("log_sortorder", "relevance"), ("log_pagesize", str(size)),
        ("log_displayeduids", ",".join(on_page)),
        ("robots", "noindex,follow,noarchive"),
    ]
    if total == 0:
        body = ('<div class="results-amount-container"><div class="results-amount"><h3> No '
                "results were found. </h3></div></div>\n")
        chunk = ""
    else:
        body = ('<div class="results-amount-container"><div class="results-amount"><h3>'
                f'<span class="value">{total:,}</span> results</h3></div></div>\n'
                + _pagination(page, max_page, total_pages))
        next_url = "/more/?" + urlencode({**params, "page": str(page + 1)})
        articles = "".join(
            _result_docsum(graph.docsum_of(p), start + k + 1, page, graph.docsum_of(p).title)
            for k, p in enumerate(on_page))
        chunk = (
            '<div class="search-results-chunks">'
            f'<div class="search-results-chunk results-chunk" data-next-page-url="{_e(next_url)}" '
            f'data-page-number="{page}" data-results-amount="{total:,}" '
            f'data-pages-amount="{total_pages:,}" data-max-page="{max_page}" '
            f'data-chunk-ids="{",".join(on_page)}">\n'
            f'<div class="title first"><span class="text">Page {page}</span></div>\n'
            f"{articles}</div></div>\n")
    term_value = _e(query or "")
    return "".join((
        _head(title, metas),
        "<body>\n",
        '<main class="search-page" id="search-page">\n',
        '<form action="/" method="get" class="usa-search usa-search-big search-form" '
        f'id="search-form" role="search"><input type="search" name="term" value="{term_value}" '
        'class="term-input" id="id_term"></form>\n',
        '<div class="search-results" id="search-results">\n<div class="top-wrapper">',
        body,
        "</div>\n",
        '<section class="search-results-list">\n',
        chunk,
        "</section>\n</div>\n</main>\n</body>\n</html>\n",
    ))


def invalid_form_page(errors: list[str], term: str = "") -> str:
    """What PubMed answers (HTTP 200) to a search URL with parameters it rejects."""
    q = "[Invalid form]"
    metas = [
        ("log_op", "search"), ("log_query", q), ("ncbi_pdid", "searchresult"),
        ("ncbi_pageno", "1"), ("log_resultcount", "0"), ("log_userterm", q),
        ("log_processedquery", q), ("log_filtersactive", "False"), ("log_format", "summary"),
        ("log_sortorder", "relevance"), ("log_pagesize", "10"),
        ("robots", "noindex,follow,noarchive"),
    ]
    alerts = "".join(
        '<div class="usa-alert usa-alert-slim usa-alert-warning"><div class="usa-alert-body">'
        f'<p class="usa-alert-text validation-text">{_e(e)}</p></div></div>\n' for e in errors)
    return "".join((
        _head(f"{q} - Search Results - PubMed", metas),
        "<body>\n",
        '<main class="search-page" id="search-page">\n',
        '<form action="/" method="get" class="usa-search usa-search-big search-form" '
        f'id="search-form" role="search"><input type="search" name="term" value="{_e(term)}" '
        'class="term-input" id="id_term"></form>\n',
        f'<div class="search-form-validation-errors">\n{alerts}</div>\n',
        '<div class="search-results" id="search-results">\n<div class="top-wrapper">'
        '<div class="results-amount-container"><div class="results-amount"><h3> No results '
        "were found. </h3></div></div></div>\n</div>\n</main>\n</body>\n</html>\n",
    ))


def not_found_page(path: str) -> str:
    """PubMed's answer (HTTP 404) to an unknown page or PMID."""
    return "".join((
        _head("Page not available - PubMed", [("ncbi_pdid", "error"), ("log_op", "error")]),
        "<body>\n<main class=\"error-page\" id=\"error-page\">\n",
        '<div class="error-content"><h1 class="error-title">Page not available</h1>\n',
        "<p>The requested page is not available. It may have been moved or deleted, or the "
        "address may be mistyped.</p>\n",
        f'<p class="error-path">{_e(path)}</p>\n',
        '<p><a href="/">Return to PubMed</a></p></div>\n</main>\n</body>\n</html>\n',
    ))
