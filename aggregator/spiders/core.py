"""The one crawl core: arguments, breadth-first levels, caps, state, error reports.

A spider is this core plus a source adapter (:mod:`aggregator.sources`): the adapter
says how a batch of articles is requested and how an answer becomes records and
links; the core decides which articles to ask for, level by level, and hands records
on. Callbacks stay methods of the spider (``on_answer`` / ``on_failure``, dispatching
to the adapter by step name) so that requests survive JOBDIR's disk queues.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy import FormRequest, Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from aggregator.config import Config, config_of
from aggregator.contact import hide_secrets
from aggregator.crawl.estimate import summarise, summary_line
from aggregator.crawl.frontier import Frontier
from aggregator.crawl.outcome import record_lost
from aggregator.crawl.politeness import apply_link_politeness, apply_politeness
from aggregator.crawl.render import install_playwright
from aggregator.crawl.resolve import SeedId
from aggregator.crawl.seeds import CrawlArgs, SeedError, parse_crawl_args
from aggregator.crawl.state import CrawlState
from aggregator.exports.checks import exit_if_unwritable
from aggregator.library import Library, LibraryError, load_library
from aggregator.records import ArticleRecord, Provenance, Relation
from aggregator.sources.base import Batch, Source
from aggregator.sources.icite.links import LinkStep

logger = logging.getLogger(__name__)

STATS = "aggregator"  # namespace of the project's crawl stats


def utc_now() -> str:
    """ISO 8601 UTC timestamp, seconds precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_job_id() -> str:
    """A job id for runs not started by Scrapyd: ``20261103T101112Z-<pid>``."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}"


class SnowballSpider(Spider):
    """Drives any source adapter: same arguments, provenance and records for all."""

    #: the adapter class; a spider module is this and a name
    source_class: ClassVar[type[Source]]

    args: CrawlArgs
    config: Config
    frontier: Frontier
    #: not `state`: Scrapy's SpiderState extension owns `spider.state` under JOBDIR
    crawl_state: CrawlState
    source: Source
    #: references / cited-by from PubMed, iCite or both (``links=``)
    link_step: LinkStep
    emitted: int
    #: known articles (incremental state) whose links are re-read but record not re-written
    links_only: set[int]
    #: the reviewer's library (``library=``), or None
    library: Library | None
    #: seeds given as DOIs / PMCIDs that resolved to no PMID: ``{seed, url, reason}``
    unresolved_seeds: list[dict[str, Any]]
    #: articles scheduled / finished per depth (progress, estimate)
    level_sizes: dict[int, int]
    level_done: dict[int, int]

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        # Scrapyd passes _job and _version to every spider: accept them silently.
        # Outside Scrapyd the job id is a UTC timestamp plus the process id, so that side
        # outputs and a FEEDS URI using %(job_id)s are always named and never collide.
        self.job_id: str = kwargs.pop("_job", None) or default_job_id()
        kwargs.pop("_version", None)
        self._raw_args = {k: v for k, v in kwargs.items() if k in _ARG_NAMES}
        unknown = sorted(set(kwargs) - set(_ARG_NAMES))
        if unknown:
            _usage_exit(f"unknown argument {unknown[0]!r}; accepted: {', '.join(_ARG_NAMES)}")
        super().__init__(name)

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        settings.setdict(cls.source_class.settings, priority="spider")
        hide_secrets(settings)
        config = Config.from_settings(settings)
        base_url = getattr(config, cls.source_class.base_url_field)
        apply_politeness(settings, base_url, cls.source_class.slot_delay(config),
                         config.polite_slots)
        apply_link_politeness(settings, base_url, config.icite_base_url, config.icite_delay,
                              config.polite_slots)
        # the PMC ID Converter (pmcids= seeds): its own host, NCBI's 3 requests/s
        apply_politeness(settings, config.idconv_base_url, config.idconv_delay,
                         config.polite_slots)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SnowballSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = config = config_of(crawler)
        base_url = getattr(config, cls.source_class.base_url_field)
        try:
            spider.args = parse_crawl_args(**spider._raw_args, base_url=base_url)
        except SeedError as exc:
            _usage_exit(str(exc))
        try:  # a malformed library stops the crawl before any request
            spider.library = load_library(spider.args.library) if spider.args.library else None
        except LibraryError as exc:
            _usage_exit(str(exc))
        spider.unresolved_seeds = []
        spider.level_sizes, spider.level_done = {}, {}
        spider.estimate_summary = None
        if spider.args.render or config.render:  # -a render=1 or -s AGGREGATOR_RENDER=1
            spider._setup_render(crawler, urlsplit(base_url).scheme or "https")
        spider.frontier = Frontier(spider.args.depth, spider.args.follow)
        spider.emitted = 0
        exit_if_unwritable(crawler.settings, config.output_dir)  # before the journal writes
        spider.crawl_state = CrawlState.for_spider(spider, crawler)
        spider.links_only = set()
        spider.source = cls.source_class(spider, base_url)
        spider.link_step = LinkStep(spider, spider.args.links)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._list_unresolved, signal=signals.spider_closed)
        return spider

    def _setup_render(self, crawler: Crawler, scheme: str) -> None:
        """Render mode: install the Playwright handlers (settings are not frozen yet)."""
        if not self.source_class.can_render:
            logger.warning("%s does not render pages: render ignored", self.name)
            self.args = replace(self.args, render=False)
            return
        self.args = replace(self.args, render=True)
        install_playwright(crawler.settings, (scheme,))

    # --- what the adapter's requests call back ------------------------------------
    def request(self, url: str, step: str, *, priority: int = 0, method: str = "GET",
                formdata: dict[str, Any] | None = None, api: bool = False,
                **kwargs: Any) -> Request:
        """A request whose answer goes to the adapter's ``parse_<step>`` (failures to
        ``<step>_failed``); ``kwargs`` reach both. ``api``: a call to an NCBI API (the ID
        converter), governed by its usage rules, not robots.txt, and never rendered."""
        meta: dict[str, Any] = {"playwright": True} if self.args.render and not api else {}
        if api:
            meta["dont_obey_robotstxt"] = True
        cb_kwargs = {"step": step, **kwargs}
        if formdata is not None:  # POST: an API key never appears in a logged URL
            return FormRequest(url, formdata=formdata, callback=self.on_answer,
                               errback=self.on_failure, cb_kwargs=cb_kwargs, priority=priority,
                               meta=meta, dont_filter=True)
        return Request(url, method=method, callback=self.on_answer, errback=self.on_failure,
                       cb_kwargs=cb_kwargs, priority=priority, meta=meta)

    def on_answer(self, response: Any, step: str, **kwargs: Any) -> Iterator[Any]:
        """Every answer: the adapter's parser for this step."""
        return getattr(self.source, f"parse_{step}")(response, **kwargs) or iter(())

    def on_failure(self, failure: Failure) -> Iterator[Any]:
        """Every failed request: the adapter says what the failure means."""
        kwargs = dict(failure.request.cb_kwargs)
        step = kwargs.pop("step")
        return getattr(self.source, f"{step}_failed")(failure, **kwargs) or iter(())

    # --- scheduling ---------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        self.started = time.monotonic()
        if self.library is not None:
            self.crawler.stats.set_value(f"{STATS}/library/size", self.library.size)
        # DOI / PMCID seeds first: their answers add seeds to level 0 (seed_batch), so
        # the engine does not go idle (next level) before every seed is known.
        for request in self.source.resolve_requests(list(self.args.other_ids)):
            yield request
        for request in self.source.query_requests():
            yield request
        for request in self.source.requests_for(self.seed_batch(self.args.seeds)):
            yield request

    def _room(self) -> int:
        """How many more articles may be scheduled under ``max_articles``."""
        batch, cap = self.config.level_batch, self.args.max_articles
        return batch if cap is None else min(batch, cap - self.emitted)

    def seed_batch(self, pmids: Iterable[str]) -> Batch:
        """Seeds new to this crawl, within ``max_articles``."""
        pmids = list(pmids)
        if self.args.max_articles is not None:
            room = self.args.max_articles - len(self.frontier)
            pmids = [p for p in pmids if not self.frontier.seen(p)][: max(room, 0)]
        batch = self.frontier.add_seeds(pmids)
        self._count_level(0, len(batch))
        return self._not_done(batch)

    def _count_level(self, depth: int, n: int) -> None:
        self.level_sizes[depth] = self.level_sizes.get(depth, 0) + n

    # --- seeds given as DOIs / PMCIDs (the adapter's resolve_requests) ------------
    def resolved(self, seed: SeedId, pmids: list[str]) -> Batch:
        """A DOI / PMCID seed found: its PMIDs as level-0 seeds (the batch to request)."""
        self.crawler.stats.inc_value(f"{STATS}/resolved_seeds")
        logger.info("seed %s is PMID %s", seed, ", ".join(pmids))
        return self.seed_batch(pmids)

    def unresolved(self, seed: SeedId, url: str, reason: str, status: int | None = None, *,
                   failed: bool = False) -> None:
        """A DOI / PMCID seed that gave no PMID: listed (log, errors file, manifest).

        NCBI knowing no PMID for it (kind ``unresolved_seed``) loses nothing, like a
        dangling link; a look-up that failed (``failed``: kind ``resolve_failed``) is a loss.
        """
        kind = "resolve_failed" if failed else "unresolved_seed"
        self.crawler.stats.inc_value(f"{STATS}/unresolved_seeds")
        self.unresolved_seeds.append({"seed": str(seed), "url": url, "reason": reason,
                                      "kind": kind})
        self.record_error(url, None, f"seed {seed} not resolved: {reason}", status, kind)

    def _not_done(self, batch: Batch) -> Batch:
        """Replay articles an earlier run of this crawl finished; return the ones to fetch."""
        todo = []
        for pmid, prov in batch:
            done = self.crawl_state.done_before(pmid)
            if done is None:
                todo.append((pmid, prov))
                continue
            written, links = done
            for relation, pmids in links.items():
                self.frontier.offer(pmid, prov, relation, pmids)
            if written:
                self.emitted += 1
        return todo

    def _on_idle(self) -> None:
        """The current level (or batch of it) is done: schedule the next batch."""
        held = self.link_step.flush()  # records waiting for iCite finish this level first
        if held:
            for request in held:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
        self.crawl_state.flush()  # a level is journaled before the next one starts
        while True:  # batches the journal replays entirely need no request
            room = self._room()
            if room <= 0:
                return self._finish_estimate()
            batch = list(self.frontier.take(room))
            if not batch:
                return self._finish_estimate()
            self.crawler.stats.set_value(f"{STATS}/max_depth_reached", self.frontier.level)
            self._count_level(self.frontier.level, len(batch))
            if self.args.estimate and self.frontier.level >= self.args.depth:
                continue  # estimate: the last level is counted, nothing of it is fetched
            batch = self._not_done(batch)
            if batch:
                break
        for request in self.source.requests_for(batch):
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _finish_estimate(self) -> None:
        """estimate=1, nothing left to size: one summary (log, manifest, stats)."""
        if not self.args.estimate or self.estimate_summary is not None:
            return
        levels, method = self.source.estimate_levels(self.level_sizes)
        stats = self.crawler.stats
        self.estimate_summary = summary = summarise(
            levels, method, self.config, self.args,
            requests=stats.get_value("downloader/request_count", 0),
            elapsed=time.monotonic() - self.started,
            slot_delay=self.source.slot_delay(self.config))
        for lv in levels:
            stats.set_value(f"{STATS}/estimate/level_{lv['depth']}", lv["articles"])
        logger.info(summary_line(summary))

    def _list_unresolved(self) -> None:
        """At close, the seeds that gave no PMID in one line (each was a warning too)."""
        if self.unresolved_seeds:
            logger.warning("%d seeds not resolved to a PMID: %s", len(self.unresolved_seeds),
                           ", ".join(u["seed"] for u in self.unresolved_seeds))

    def manifest_blocks(self) -> dict[str, Any]:
        """What this crawl adds to the run manifest (exports/outputs.py)."""
        return {"scope": {
            "unresolved_seeds": self.unresolved_seeds,
            "max_links": {r.value: n for r, n in self.args.max_links},
            "library": None if self.library is None else {
                "path": self.library.path, "format": self.library.format,
                "entries": self.library.size, "mode": self.args.library_mode},
            "estimate": self.estimate_summary,
        }}

    def split_known(self, batch: Batch) -> tuple[Batch, list[ArticleRecord]]:
        """New articles to fetch, and stub records of those an earlier crawl emitted.

        A stub is marked links-only: its link lists are fetched again (to discover
        new articles) but no record is written (see aggregator/crawl/incremental.py).
        """
        new, known = [], []
        for pmid, prov in batch:
            if not self.crawl_state.known_before(pmid):
                new.append((pmid, prov))
            # Links of the last level are not followed: nothing to fetch for those.
            elif self.args.follow and prov.depth < self.args.depth:
                self.links_only.add(int(pmid))
                known.append(ArticleRecord(pmid=pmid, source=self.source.name, provenance=prov))
        return new, known

    # --- results ------------------------------------------------------------------
    def finish(self, record: ArticleRecord) -> ArticleRecord | None:
        """Offer the record's links to the frontier; the record to hand on (None: not now)."""
        prov = record.provenance
        assert prov is not None
        record.reached_by = self.frontier.reached_by(record.pmid, prov)
        links = record.links()
        self.level_done[prov.depth] = self.level_done.get(prov.depth, 0) + 1
        if self.args.estimate:  # a dry run: links sized, no record written
            self._offer(record.pmid, prov, links)
            return None
        if int(record.pmid) in self.links_only:  # known from an earlier crawl: links only
            self.links_only.discard(int(record.pmid))
            self._offer(record.pmid, prov, links)
            return None
        # On resume, an answer to a request queued by the earlier run (JOBDIR) may belong
        # to another level: its links are offered when the frontier reaches it again.
        if not self.crawl_state.resuming or prov.depth == self.frontier.level:
            self._offer(record.pmid, prov, links)
        if not self.crawl_state.claim(record.pmid):
            return None  # written by an earlier run of this crawl
        if self.args.max_articles is not None and self.emitted >= self.args.max_articles:
            self.crawler.stats.inc_value(f"{STATS}/over_cap_dropped")
            return None
        self.emitted += 1
        self.crawler.stats.inc_value(f"{STATS}/records/depth_{prov.depth}")
        return record

    def finish_all(self, records: Iterable[ArticleRecord]) -> Iterator[Any]:
        """Records done at their source: through the link step (iCite, when ``links``
        says so: requests now, records later), then :meth:`hand_on`."""
        return self.link_step.hold(records)

    def hand_on(self, records: Iterable[ArticleRecord]) -> Iterator[ArticleRecord]:
        """:meth:`finish` for each record, yielding those handed on."""
        for record in records:
            out = self.finish(record)
            if out is not None:
                yield out

    def _offer(self, pmid: str, prov: Provenance, links: dict[Relation, list[str]]) -> None:
        """Links to the frontier, each relation cut to its ``max_<relation>`` (the record
        keeps its full lists)."""
        caps = dict(self.args.max_links)
        for relation, pmids in links.items():
            cap = caps.get(relation)
            if cap is not None and len(pmids) > cap and self.frontier.wants(prov, relation):
                self.crawler.stats.inc_value(f"{STATS}/links_capped/{relation.value}",
                                             len(pmids) - cap)
                pmids = pmids[:cap]
            self.frontier.offer(pmid, prov, relation, pmids)

    def record_error(self, url: str, pmid: str | None, reason: str, status: int | None = None,
                     kind: str = "error") -> None:
        """Log, count and send an error entry (errors file, journal, the crawl's outcome)."""
        record_lost(self.crawler, url, [pmid] if pmid else None, reason, kind, status, self)


def failure_reason(failure: Failure) -> str:
    """One line for a failed request: its HTTP status, or the exception."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


def failure_status(failure: Failure) -> int | None:
    """The HTTP status of a failed request's answer, if there was one."""
    response = getattr(failure.value, "response", None)
    return response.status if response is not None else None


_ARG_NAMES = (
    "pmids", "pmids_file", "urls", "query", "depth", "follow", "max_articles",
    "max_results", "reviews_only", "render", "links", "dois", "pmcids",
    "library", "library_mode", "max_similar", "max_references", "max_cited_by", "estimate",
)


def _usage_exit(message: str) -> None:
    """Bad input: one clear line (in the log too, for Scrapyd jobs), exit status 2."""
    logger.error("invalid arguments: %s", message)
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)
