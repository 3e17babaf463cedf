"""PubMed's web pages as a source: article pages, then each relation's list pages.

Steps: ``article`` (an article page → a record with the lists the page prints), ``list``
(PubMed's ``?linkname=…&from_uid=…`` results pages, paged, for each relation whose full
list is needed) and ``search`` (``query=`` → seeds, paged). About 4 requests per record
live, at PubMed's one request a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from aggregator.crawl.outcome import report_no_results
from aggregator.middlewares.blocks import NcbiBlocked
from aggregator.records import LINK_OF, LINKS, ArticleRecord, Provenance, Relation
from aggregator.sources.base import Batch, Source
from aggregator.sources.icite.links import ICITE_RELATIONS
from aggregator.sources.page import ArticleParseError
from aggregator.sources.page.article import lists_shown_whole, parse_article
from aggregator.sources.page.kind import PageKind, classify
from aggregator.sources.page.results import (
    MAX_RESULTS,
    ResultsPage,
    parse_results,
    results_url,
)
from aggregator.spiders.core import STATS, failure_reason, failure_status, utc_now

# List pages of an article already fetched go before new articles, so records
# complete (and leave memory) as early as possible.
LIST_PRIORITY = 10


class PageSource(Source):
    """Article pages → records; similar / references / cited-by from list pages."""

    name = "page"
    base_url_field = "pubmed_base_url"
    can_render = True  # render=1: article, list and search pages through Chromium

    # --- what to request ----------------------------------------------------
    def query_requests(self) -> Iterator[Request]:
        if self.core.args.query:
            yield self._search_request(1)

    def requests_for(self, batch: Batch) -> Iterator[Request]:
        new, known = self.core.split_known(batch)
        for pmid, prov in new:
            yield self.core.request(f"{self.base_url}/{pmid}/", "article", pmid=pmid, prov=prov)
        todo = self._followed()
        for stub in known:  # emitted by an earlier crawl: only re-read its link lists
            if todo:
                yield self._list_request(stub, todo, [], 1)
            else:  # links=icite: its lists come from iCite alone
                yield from self.core.finish_all((stub,))

    def _followed(self) -> tuple[Relation, ...]:
        """Relations whose list pages are read: with ``links=icite`` alone, references and
        cited-by come from iCite, so only similar articles' pages are."""
        skip = () if "pubmed" in self.core.args.links else ICITE_RELATIONS
        return tuple(link.relation for link in LINKS
                     if link.relation in self.core.args.follow and link.relation not in skip)

    def _search_request(self, page: int) -> Request:
        url = results_url(self.base_url, term=self.core.args.query, page=page,
                          size=self.config.page_size)
        return self.core.request(url, "search", page=page)

    def _list_request(self, record: ArticleRecord, todo: tuple[Relation, ...],
                      collected: list[str], page: int) -> Request:
        url = results_url(self.base_url, linkname=LINK_OF[todo[0]].page_linkname,
                          from_uid=record.pmid, page=page, size=self.config.page_size)
        return self.core.request(url, "list", priority=LIST_PRIORITY, record=record, todo=todo,
                                 collected=collected, page=page)

    # --- article pages ------------------------------------------------------
    def parse_article(self, response: Response, pmid: str, prov: Provenance) -> Iterator[Any]:
        self.stats.inc_value(f"{STATS}/pages/article")
        kind = classify(response.body, response.url, response.status)
        if kind is not PageKind.ARTICLE:
            self.core.record_error(response.url, pmid,
                                   f"expected an article page, got {kind.value}",
                                   response.status, kind.value)
            return
        try:
            record = parse_article(response.body, response.url)
        except ArticleParseError as exc:
            self.core.record_error(response.url, pmid, f"unparseable article page: {exc}",
                                   response.status, "parse_error")
            return
        if record.pmid != pmid:
            if not self._merged(response, record.pmid):
                self.core.record_error(response.url, pmid,
                                       f"the page is of PMID {record.pmid}, not the one asked for",
                                       response.status, "pmid_mismatch")
                return
            record.requested_pmid = pmid
        record.provenance = prov
        record.fetched_at = utc_now()
        todo = self._lists_to_fetch(prov)
        if todo and self.config.skip_lists_shown_whole:
            whole = lists_shown_whole(record)
            fetch = tuple(r for r in todo if r not in whole)
            if len(fetch) < len(todo):
                self.stats.inc_value(f"{STATS}/lists_shown_whole", len(todo) - len(fetch))
            todo = fetch
        if todo:
            yield self._list_request(record, todo, [], 1)
        else:
            yield from self.core.finish_all((record,))

    def _merged(self, response: Response, pmid: str) -> bool:
        """PubMed's own redirect of a merged record: redirected, on its host, to /<pmid>/."""
        redirected = bool(response.request and response.request.meta.get("redirect_urls"))
        return redirected and response.url.rstrip("/") == f"{self.base_url}/{pmid}"

    def article_failed(self, failure: Failure, pmid: str, prov: Provenance) -> None:
        status = failure_status(failure)
        kind = "not_found" if status == 404 else "download_error"
        if failure.check(NcbiBlocked):
            kind = "blocked"  # not journaled: a resumed run fetches it again
        kind = getattr(failure.value, "kind", kind)  # e.g. OffsiteRefused: offsite_redirect
        self.core.record_error(failure.request.url, pmid, failure_reason(failure), status, kind)

    def _lists_to_fetch(self, prov: Provenance) -> tuple[Relation, ...]:
        """Relations whose full list is fetched for this record."""
        if prov.depth >= self.core.args.depth and not self.config.list_pages_at_max_depth:
            return ()
        return self._followed()

    # --- list pages ---------------------------------------------------------
    def parse_list(self, response: Response, record: ArticleRecord, todo: tuple[Relation, ...],
                   collected: list[str], page: int) -> Iterator[Any]:
        self.stats.inc_value(f"{STATS}/pages/list")
        kind = classify(response.body, response.url, response.status)
        if kind is not PageKind.RESULTS:
            self.core.record_error(response.url, record.pmid,
                                   f"expected a {todo[0].value} list page, got {kind.value}",
                                   response.status, f"list_{kind.value}")
            yield from self._next_list(record, todo, None)
            return
        results = self._results(response, record.pmid, "list_parse_error")
        if results is None:
            yield from self._next_list(record, todo, None)
            return
        collected.extend(p for p in results.pmids if p != record.pmid)
        last = results.last_page or page
        if results.pmids and page < last and page * self.config.page_size < MAX_RESULTS:
            yield self._list_request(record, todo, collected, page + 1)
            return
        if results.truncated:
            self.stats.inc_value(f"{STATS}/truncated_lists")
            self.core.logger.warning(
                "%s list of %s truncated at %d of %d by PubMed; use pubmed_eutils",
                todo[0].value, record.pmid, MAX_RESULTS, results.total)
        yield from self._next_list(record, todo, list(dict.fromkeys(collected)))

    def _results(self, response: Response, pmid: str | None, kind: str) -> ResultsPage | None:
        """The results page, or None after an error entry (e.g. past the parser's limits)."""
        try:
            return parse_results(response.body, response.url)
        except (ValueError, RecursionError, etree.LxmlError) as exc:
            self.core.record_error(response.url, pmid, f"unparseable results page: {exc}",
                                   response.status, kind)
            return None

    def list_failed(self, failure: Failure, record: ArticleRecord, todo: tuple[Relation, ...],
                    **_: Any) -> Iterator[Any]:
        self.core.record_error(failure.request.url, record.pmid, failure_reason(failure),
                               failure_status(failure), "list_failed")
        yield from self._next_list(record, todo, None)

    def _next_list(self, record: ArticleRecord, todo: tuple[Relation, ...],
                   pmids: list[str] | None) -> Iterator[Any]:
        """Store one finished list (None: it failed, keep the page's) and go on."""
        relation = todo[0]
        if pmids is None:
            record.incomplete_lists.append(relation.value)
        else:
            record.set_links(relation, pmids)
        if len(todo) > 1:
            yield self._list_request(record, todo[1:], [], 1)
        else:
            yield from self.core.finish_all((record,))

    # --- search pages -------------------------------------------------------
    def parse_search(self, response: Response, page: int) -> Iterator[Any]:
        kind = classify(response.body, response.url, response.status)
        if kind is PageKind.ARTICLE:  # PubMed answers a single-hit search with the article
            hit = response.url.rstrip("/").rsplit("/", 1)[-1]
            for pmid, prov in self.core.seed_batch([hit]):
                yield from self.parse_article(response, pmid, prov)
            return
        if kind is not PageKind.RESULTS:
            self.core.record_error(response.url, None, f"search answered {kind.value}",
                                   response.status, f"search_{kind.value}")
            return
        results = self._results(response, None, "search_parse_error")
        if results is None:
            return
        args, size = self.core.args, self.config.page_size
        cap = min(args.max_results or MAX_RESULTS, MAX_RESULTS)
        taken = (page - 1) * size
        pmids = results.pmids[: max(cap - taken, 0)]
        self.stats.set_value(f"{STATS}/query_total", results.total)
        if page == 1 and not results.total and not results.pmids:
            report_no_results(self.core.crawler, args.query or "")
        if page == 1 and results.total and results.total > MAX_RESULTS:
            self.stats.set_value(f"{STATS}/query_truncated", True)
            self.core.logger.warning(
                "query has %d results; PubMed's web search shows only the first %d: "
                "use pubmed_eutils to get all of them", results.total, MAX_RESULTS)
        yield from self.requests_for(self.core.seed_batch(pmids))
        last = results.last_page or page
        if pmids and page < last and taken + len(pmids) < cap:
            yield self._search_request(page + 1)

    def search_failed(self, failure: Failure, **_: Any) -> None:
        self.core.record_error(failure.request.url, None, failure_reason(failure),
                               failure_status(failure), "search_failed")
