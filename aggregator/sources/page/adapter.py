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
from aggregator.crawl.resolve import SeedId
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

    def __init__(self, core: Any, base_url: str) -> None:
        super().__init__(core, base_url)
        #: estimate=1: sampled articles (in sample order), the new PMIDs the first list
        #: pages of each show, links beyond those pages, list pages that failed
        self.sampled = self.sample_extra = self.sample_failed = 0
        self.sample_new: dict[str, set[int]] = {}

    # --- what to request ----------------------------------------------------
    def query_requests(self) -> Iterator[Request]:
        if self.core.args.query:
            yield self._search_request(1)

    def resolve_requests(self, seeds: list[SeedId]) -> Iterator[Request]:
        """PMCIDs through the ID converter; each DOI by a PubMed search on ``<doi>[doi]``
        (PubMed answers a single hit with the article page itself)."""
        yield from super().resolve_requests(seeds)
        for seed in seeds:
            if seed.kind == "doi":
                url = results_url(self.base_url, term=f"{seed.value}[doi]", page=1,
                                  size=self.config.page_size)
                yield self.core.request(url, "doi", seed=seed)

    def requests_for(self, batch: Batch) -> Iterator[Request]:
        if self.core.args.estimate:
            yield from self._estimate_requests(batch)
            return
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
            if self.core.args.estimate:
                yield from self.requests_for(self.core.seed_batch([hit]))
                return
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

    # --- DOI seeds -----------------------------------------------------------
    def parse_doi(self, response: Response, seed: SeedId) -> Iterator[Any]:
        kind = classify(response.body, response.url, response.status)
        if kind is PageKind.ARTICLE:  # one hit: the article page, used as it is
            hit = response.url.rstrip("/").rsplit("/", 1)[-1]
            batch = self.core.resolved(seed, [hit])
            if self.core.args.estimate:
                yield from self.requests_for(batch)
                return
            new, known = self.core.split_known(batch)
            for pmid, prov in new:
                yield from self.parse_article(response, pmid, prov)
            if known:
                yield from self.requests_for(known)
            return
        if kind is not PageKind.RESULTS:
            self.core.unresolved(seed, response.url, f"the DOI search answered {kind.value}",
                                 response.status, failed=True)
            return
        results = parse_results(response.body, response.url)
        if not results.pmids:
            self.core.unresolved(seed, response.url, "PubMed finds no article with this DOI",
                                 response.status)
            return
        yield from self.requests_for(self.core.resolved(seed, results.pmids))

    def doi_failed(self, failure: Failure, seed: SeedId) -> None:
        self.core.unresolved(seed, failure.request.url,
                             f"DOI search failed: {failure_reason(failure)}",
                             failure_status(failure), failed=True)

    # --- estimate=1 ------------------------------------------------------------
    def _estimate_requests(self, batch: Batch) -> Iterator[Request]:
        """Seeds: their full list pages (level 1 exactly). Deeper: page 1 of each list of
        an evenly spread sample (:meth:`estimate_levels`)."""
        todo = self._followed()
        batch = [(p, prov) for p, prov in batch if prov.depth < self.core.args.depth]
        if not todo or not batch:
            return
        if batch[0][1].depth == 0:
            for pmid, prov in batch:
                stub = ArticleRecord(pmid=pmid, source=self.name, provenance=prov)
                yield self._list_request(stub, todo, [], 1)
            return
        k = min(self.config.estimate_sample, len(batch))
        for i in range(k):
            pmid, prov = batch[i * len(batch) // k]
            self.sampled += 1
            self.sample_new[pmid] = set()
            for relation in todo:
                url = results_url(self.base_url, linkname=LINK_OF[relation].page_linkname,
                                  from_uid=pmid, page=1, size=self.config.page_size)
                yield self.core.request(url, "count", pmid=pmid, relation=relation)

    def parse_count(self, response: Response, pmid: str, relation: Relation) -> None:
        self.stats.inc_value(f"{STATS}/pages/list")
        kind = classify(response.body, response.url, response.status)
        if kind is not PageKind.RESULTS:
            self.sample_failed += 1
            return
        results = parse_results(response.body, response.url)
        cap = dict(self.core.args.max_links).get(relation)
        shown = [p for p in results.pmids if p != pmid][:cap]
        total = results.total if results.total is not None else len(shown)
        total = min(total, cap) if cap is not None else total
        frontier = self.core.frontier
        self.sample_new[pmid].update(int(p) for p in shown if not frontier.seen(p))
        self.sample_extra += max(total - len(shown), 0)

    def count_failed(self, failure: Failure, **_: Any) -> None:
        self.sample_failed += 1

    def estimate_levels(self, sizes: dict[int, int]) -> tuple[list[dict[str, Any]], str]:
        """Levels 0 and 1 as counted; each deeper one a range from the sample.

        ``articles`` (the high figure, used for the live time): the level above × the
        sample's new articles per sampled article (distinct, not in levels 0-1; links past
        a list's first page counted as new). It leans high: overlaps between the sample
        and the rest of the level are not removed. ``low``: a capture-recapture
        (Lincoln-Petersen) estimate of the pool the level draws from, from the overlap of
        the two halves of the sample (odd / even); it leans low when articles differ in
        how many links they have. The mirror's graph: 92 and 361 for a true 114.
        """
        depth = self.core.args.depth
        levels: list[dict[str, Any]] = [{"depth": d, "articles": sizes.get(d, 0), "exact": True}
                                        for d in range(min(depth, 1) + 1)]
        if depth < 2:
            return levels, "exact: level 1 from the seeds' list pages"
        sets = list(self.sample_new.values())
        union: set[int] = set().union(*sets)
        n1 = levels[-1]["articles"]
        high = n1 * (len(union) + self.sample_extra) / self.sampled if self.sampled else 0.0
        half_a, half_b = set().union(*sets[0::2]), set().union(*sets[1::2])
        both = len(half_a & half_b)
        pool = len(half_a) * len(half_b) / both if both else high
        low = min(pool * (1 + self.sample_extra / len(union)) if union else 0.0, high)
        hi_ratio, lo_ratio = (high / n1, low / n1) if n1 else (0.0, 0.0)
        for d in range(2, depth + 1):
            levels.append({"depth": d, "articles": round(high), "low": round(low),
                           "exact": False})
            high, low = high * hi_ratio, low * lo_ratio
        return levels, (f"level 1 exact from the seeds' list pages; levels 2+ estimated from "
                        f"a sample of {self.sampled} level-1 articles: low = capture-recapture "
                        "on two halves of the sample (leans low), high = linear (leans high)")

    def search_failed(self, failure: Failure, **_: Any) -> None:
        self.core.record_error(failure.request.url, None, failure_reason(failure),
                               failure_status(failure), "search_failed")
