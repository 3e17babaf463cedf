"""``pubmed``: crawl PubMed article pages and their full link lists."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from aggregator.crawl.outcome import report_no_results
from aggregator.middlewares.blocks import NcbiBlocked
from aggregator.records import ArticleRecord, Provenance, Relation
from aggregator.sources.page import ArticleParseError
from aggregator.sources.page.article import lists_shown_whole, parse_article
from aggregator.sources.page.kind import PageKind, classify
from aggregator.sources.page.results import MAX_RESULTS, parse_results, results_url
from aggregator.spiders.base import STATS, SnowballSpider, utc_now

#: PubMed's list pages ("linkname") holding the full list behind each relation
LINKNAMES = {
    Relation.SIMILAR: "pubmed_pubmed",
    Relation.REFERENCES: "pubmed_pubmed_refs",
    Relation.CITED_BY: "pubmed_pubmed_citedin",
}
# List pages of an article already fetched go before new articles, so records
# complete (and leave memory) as early as possible.
LIST_PRIORITY = 10


class PubmedSpider(SnowballSpider):
    """Article pages → records; similar / references / cited-by from list pages."""

    name = "pubmed"
    source = "page"
    can_render = True  # render=1: article, list and search pages through Chromium

    @property
    def page_size(self) -> int:
        """Results per list/search page (PUBMED_PAGE_SIZE)."""
        return self.settings.getint("PUBMED_PAGE_SIZE", 200)

    async def start(self) -> AsyncIterator[Request]:
        if self.args.query:
            yield self._search_request(1)
        for request in self.requests_for(self.seed_batch(self.args.seeds)):
            yield request

    # --- what to request ----------------------------------------------------
    def requests_for(self, batch: list[tuple[str, Provenance]]) -> Iterator[Request]:
        new, known = self.split_known(batch)
        for pmid, prov in new:
            yield self._article_request(pmid, prov)
        todo = tuple(r for r in LINKNAMES if r in self.args.follow)
        for stub in known:  # emitted by an earlier run: only re-read its link lists
            yield self._list_request(stub, todo, [], 1)

    def _article_request(self, pmid: str, prov: Provenance) -> Request:
        return self._request(
            f"{self.base_url}/{pmid}/", self.parse_article, self.article_failed,
            pmid=pmid, prov=prov,
        )

    def _search_request(self, page: int) -> Request:
        url = results_url(self.base_url, term=self.args.query, page=page, size=self.page_size)
        return self._request(url, self.parse_search, self.search_failed, page=page)

    def _list_request(self, record: ArticleRecord, todo: tuple[Relation, ...],
                      collected: list[str], page: int) -> Request:
        url = results_url(self.base_url, linkname=LINKNAMES[todo[0]], from_uid=record.pmid,
                          page=page, size=self.page_size)
        return self._request(url, self.parse_list, self.list_failed, priority=LIST_PRIORITY,
                             record=record, todo=todo, collected=collected, page=page)

    def _request(self, url: str, callback: Any, errback: Any, priority: int = 0,
                 **kwargs: Any) -> Request:
        meta = {"playwright": True} if self.args.render else {}
        return Request(url, callback=callback, errback=errback, priority=priority,
                       cb_kwargs=kwargs, meta=meta)

    # --- article pages ------------------------------------------------------
    def parse_article(self, response: Response, pmid: str, prov: Provenance) -> Iterator[Any]:
        self.crawler.stats.inc_value(f"{STATS}/pages/article")
        kind = classify(response.body, response.url, response.status)
        if kind is not PageKind.ARTICLE:
            self.record_error(response.url, pmid, f"expected an article page, got {kind.value}",
                              response.status, kind.value)
            return
        try:
            record = parse_article(response.body, response.url)
        except ArticleParseError as exc:
            self.record_error(response.url, pmid, f"unparseable article page: {exc}",
                              response.status, "parse_error")
            return
        record.provenance = prov
        record.fetched_at = utc_now()
        if not record.reference_pmids:
            record.reference_pmids = [r.pmid for r in record.references if r.pmid]
        todo = self._lists_to_fetch(prov)
        if todo and self.settings.getbool("PUBMED_SKIP_LISTS_SHOWN_WHOLE", True):
            whole = lists_shown_whole(record)
            fetch = tuple(r for r in todo if r not in whole)
            if len(fetch) < len(todo):
                self.crawler.stats.inc_value(f"{STATS}/lists_shown_whole",
                                             len(todo) - len(fetch))
            todo = fetch
        if todo:
            yield self._list_request(record, todo, [], 1)
        else:
            yield from self._finish_page_record(record)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        kind = "not_found" if status == 404 else "download_error"
        if failure.check(NcbiBlocked):
            kind = "blocked"  # not journaled: a resumed run fetches it again
        kind = getattr(failure.value, "kind", kind)  # exceptions that name their kind
        self.record_error(request.url, request.cb_kwargs.get("pmid"),
                          _failure_reason(failure), status, kind)

    def _lists_to_fetch(self, prov: Provenance) -> tuple[Relation, ...]:
        """Relations whose full list is fetched for this record."""
        if prov.depth >= self.args.depth and not self.settings.getbool(
            "PUBMED_LIST_PAGES_AT_MAX_DEPTH"
        ):
            return ()
        return tuple(r for r in LINKNAMES if r in self.args.follow)

    # --- list pages ---------------------------------------------------------
    def parse_list(self, response: Response, record: ArticleRecord, todo: tuple[Relation, ...],
                   collected: list[str], page: int) -> Iterator[Any]:
        self.crawler.stats.inc_value(f"{STATS}/pages/list")
        kind = classify(response.body, response.url, response.status)
        if kind is not PageKind.RESULTS:
            self.record_error(response.url, record.pmid,
                              f"expected a {todo[0].value} list page, got {kind.value}",
                              response.status, f"list_{kind.value}")
            yield from self._next_list(record, todo, None)
            return
        results = parse_results(response.body, response.url)
        collected.extend(p for p in results.pmids if p != record.pmid)
        last = results.last_page or page
        if results.pmids and page < last and page * self.page_size < MAX_RESULTS:
            yield self._list_request(record, todo, collected, page + 1)
            return
        if results.truncated:
            self.crawler.stats.inc_value(f"{STATS}/truncated_lists")
            self.logger.warning("%s list of %s truncated at %d of %d by PubMed; use pubmed_eutils",
                                todo[0].value, record.pmid, MAX_RESULTS, results.total)
        yield from self._next_list(record, todo, list(dict.fromkeys(collected)))

    def list_failed(self, failure: Failure) -> Iterator[Any]:
        kw = failure.request.cb_kwargs
        response = getattr(failure.value, "response", None)
        self.record_error(failure.request.url, kw["record"].pmid, _failure_reason(failure),
                          response.status if response is not None else None, "list_failed")
        yield from self._next_list(kw["record"], kw["todo"], None)

    def _next_list(self, record: ArticleRecord, todo: tuple[Relation, ...],
                   pmids: list[str] | None) -> Iterator[Any]:
        """Store one finished list (None: it failed, keep the page's) and go on."""
        relation = todo[0]
        if pmids is None:
            record.incomplete_lists.append(relation.value)
        else:
            setattr(record, _FIELD[relation], pmids)
        if len(todo) > 1:
            yield self._list_request(record, todo[1:], [], 1)
        else:
            yield from self._finish_page_record(record)

    def _finish_page_record(self, record: ArticleRecord) -> Iterator[ArticleRecord]:
        links = {r: getattr(record, _FIELD[r]) for r in LINKNAMES}
        out = self.finish(record, links)
        if out is not None:
            yield out

    # --- search pages -------------------------------------------------------
    def parse_search(self, response: Response, page: int) -> Iterator[Any]:
        kind = classify(response.body, response.url, response.status)
        if kind is PageKind.ARTICLE:  # PubMed answers a single-hit search with the article
            hit = response.url.rstrip("/").rsplit("/", 1)[-1]
            for pmid, prov in self.seed_batch([hit]):
                yield from self.parse_article(response, pmid, prov)
            return
        if kind is not PageKind.RESULTS:
            self.record_error(response.url, None, f"search answered {kind.value}",
                              response.status, f"search_{kind.value}")
            return
        results = parse_results(response.body, response.url)
        cap = min(self.args.max_results or MAX_RESULTS, MAX_RESULTS)
        taken = (page - 1) * self.page_size
        pmids = results.pmids[: max(cap - taken, 0)]
        self.crawler.stats.set_value(f"{STATS}/query_total", results.total)
        if page == 1 and not results.total and not results.pmids:
            report_no_results(self.crawler, self.args.query or "")
        if page == 1 and results.total and results.total > MAX_RESULTS:
            self.crawler.stats.set_value(f"{STATS}/query_truncated", True)
            self.logger.warning(
                "query has %d results; PubMed's web search shows only the first %d: "
                "use pubmed_eutils to get all of them", results.total, MAX_RESULTS)
        yield from self.requests_for(self.seed_batch(pmids))
        last = results.last_page or page
        if pmids and page < last and taken + len(pmids) < cap:
            yield self._search_request(page + 1)

    def search_failed(self, failure: Failure) -> None:
        response = getattr(failure.value, "response", None)
        self.record_error(failure.request.url, None, _failure_reason(failure),
                          response.status if response is not None else None, "search_failed")


_FIELD = {
    Relation.SIMILAR: "similar_pmids",
    Relation.REFERENCES: "reference_pmids",
    Relation.CITED_BY: "cited_by_pmids",
}


def _failure_reason(failure: Failure) -> str:
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"
