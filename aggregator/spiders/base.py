"""What both spiders share: arguments, breadth-first frontier, caps, error reports."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import BaseSettings

from aggregator.contact import hide_secrets
from aggregator.crawl.frontier import Frontier
from aggregator.crawl.incremental import STATS as INCREMENTAL_STATS
from aggregator.crawl.incremental import IncrementalState
from aggregator.crawl.journal import Journal
from aggregator.crawl.render import install_playwright, render_requested
from aggregator.crawl.seeds import CrawlArgs, SeedError, parse_crawl_args
from aggregator.records import ArticleRecord, ErrorEntry, Provenance, Relation
from aggregator.signals import error_recorded

logger = logging.getLogger(__name__)

STATS = "aggregator"  # namespace of the project's crawl stats


def utc_now() -> str:
    """ISO 8601 UTC timestamp, seconds precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_job_id() -> str:
    """A job id for runs not started by Scrapyd: ``20261103T101112Z-<pid>``."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}"


class SnowballSpider(Spider):
    """Base of ``pubmed`` and ``pubmed_eutils``: same arguments, same provenance.

    Subclasses implement :meth:`start` (seeds and query) and
    :meth:`requests_for` (how a batch of articles of one level is fetched).
    """

    source = ""
    #: the setting naming the host this spider crawls
    base_url_setting = "PUBMED_BASE_URL"
    #: whether ``render=1`` (browser rendering through scrapy-playwright) applies
    can_render = False

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        # Scrapyd passes _job and _version to every spider: accept them silently.
        # Outside Scrapyd the job id is a UTC timestamp plus the process id, so that side
        # outputs and a FEEDS URI using %(job_id)s are always named and never collide.
        self.job_id: str = kwargs.pop("_job", None) or default_job_id()
        kwargs.pop("_version", None)
        self._raw_args = {k: v for k, v in kwargs.items() if k in _ARG_NAMES}
        unknown = sorted(set(kwargs) - set(_ARG_NAMES))
        if unknown:
            _usage_exit(
                f"unknown argument {unknown[0]!r}; accepted: {', '.join(_ARG_NAMES)}"
            )
        super().__init__(name)

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        hide_secrets(settings)
        if settings.getbool("AGGREGATOR_POLITE_SLOTS", True):
            _add_slot(settings, settings.get(cls.base_url_setting), cls.slot_delay(settings))

    @classmethod
    def slot_delay(cls, settings: BaseSettings) -> float:
        """Seconds between two requests to this spider's host (its published limit)."""
        return settings.getfloat("PUBMED_DELAY", 1.05)  # robots.txt Crawl-delay: 1, + margin

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SnowballSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        base_url = crawler.settings.get(cls.base_url_setting).rstrip("/")
        try:
            spider.args = parse_crawl_args(**spider._raw_args, base_url=base_url)
        except SeedError as exc:
            _usage_exit(str(exc))
        if render_requested(crawler.settings, spider.args.render):
            spider._setup_render(crawler, urlsplit(base_url).scheme or "https")
        spider.base_url = base_url
        spider.pubmed_base_url = crawler.settings.get("PUBMED_BASE_URL").rstrip("/")
        spider.frontier = Frontier(spider.args.depth, spider.args.follow)
        spider.emitted = 0
        spider.batch_size = crawler.settings.getint("AGGREGATOR_LEVEL_BATCH", 1000)
        spider.journal = Journal.for_spider(spider, crawler)
        spider.incremental = IncrementalState.from_settings(crawler)
        spider.links_only = set()
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    def _setup_render(self, crawler: Crawler, scheme: str) -> None:
        """Render mode: install the Playwright handlers (settings are not frozen yet)."""
        if not self.can_render:
            logger.warning("%s does not render pages: render ignored", self.name)
            self.args = replace(self.args, render=False)
            return
        self.args = replace(self.args, render=True)
        install_playwright(crawler.settings, (scheme,))

    args: CrawlArgs
    frontier: Frontier
    base_url: str
    pubmed_base_url: str
    emitted: int
    batch_size: int
    journal: Journal | None = None
    incremental: IncrementalState | None = None
    #: known articles (incremental state) whose links are re-read but record not re-written
    links_only: set[int]

    # --- scheduling ---------------------------------------------------------
    def _room(self) -> int:
        """How many more articles may be scheduled under ``max_articles``."""
        cap = self.args.max_articles
        return self.batch_size if cap is None else min(self.batch_size, cap - self.emitted)

    def seed_batch(self, pmids: Iterable[str]) -> list[tuple[str, Provenance]]:
        """Seeds new to this crawl, within ``max_articles``."""
        pmids = list(pmids)
        if self.args.max_articles is not None:
            room = self.args.max_articles - len(self.frontier)
            pmids = [p for p in pmids if not self.frontier.seen(p)][: max(room, 0)]
        return self._not_done(self.frontier.add_seeds(pmids))

    def _not_done(self, batch: list[tuple[str, Provenance]]) -> list[tuple[str, Provenance]]:
        """Replay articles an earlier run finished (journal); return the ones to fetch."""
        if self.journal is None:
            return batch
        todo = []
        for pmid, prov in batch:
            done = self.journal.take(pmid)
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
        if self.journal is not None:
            self.journal.flush()  # a level is journaled before the next one starts
        while True:  # batches the journal replays entirely need no request
            room = self._room()
            if room <= 0:
                return
            batch = list(self.frontier.take(room))
            if not batch:
                return
            self.crawler.stats.set_value(f"{STATS}/max_depth_reached", self.frontier.level)
            batch = self._not_done(batch)
            if batch:
                break
        for request in self.requests_for(batch):
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def requests_for(self, batch: list[tuple[str, Provenance]]) -> Iterator[Request]:
        """Requests that fetch these articles (one level, PMID order)."""
        raise NotImplementedError

    def split_known(
        self, batch: list[tuple[str, Provenance]]
    ) -> tuple[list[tuple[str, Provenance]], list[ArticleRecord]]:
        """New articles to fetch, and stub records of those an earlier run emitted.

        A stub is marked links-only: its link lists are fetched again (to discover
        new articles) but no record is written (see aggregator/crawl/incremental.py).
        """
        if self.incremental is None:
            return batch, []
        new, known = [], []
        for pmid, prov in batch:
            if not self.incremental.is_known(pmid):
                new.append((pmid, prov))
                continue
            self.crawler.stats.inc_value(f"{INCREMENTAL_STATS}/known")
            # Links of the last level are not followed: nothing to fetch for those.
            if self.args.follow and prov.depth < self.args.depth:
                self.links_only.add(int(pmid))
                known.append(ArticleRecord(pmid=pmid, source=self.source, provenance=prov))
        return new, known

    # --- results ------------------------------------------------------------
    def finish(
        self, record: ArticleRecord, links: dict[Relation, list[str]]
    ) -> ArticleRecord | None:
        """Offer the record's links to the frontier and hand the record on (or None at the cap)."""
        prov = record.provenance
        assert prov is not None
        record.reached_by = self.frontier.reached_by(record.pmid, prov)
        if int(record.pmid) in self.links_only:  # known from an earlier run: links only
            self.links_only.discard(int(record.pmid))
            for relation, pmids in links.items():
                self.frontier.offer(record.pmid, prov, relation, pmids)
            return None
        # On resume, an answer to a request queued by the earlier run (JOBDIR) may belong
        # to another level: its links are offered when the frontier reaches it again.
        if self.journal is None or not self.journal.resuming or prov.depth == self.frontier.level:
            for relation, pmids in links.items():
                self.frontier.offer(record.pmid, prov, relation, pmids)
        if self.journal is not None and not self.journal.claim(record.pmid):
            return None  # written by an earlier run of this crawl
        if self.args.max_articles is not None and self.emitted >= self.args.max_articles:
            self.crawler.stats.inc_value(f"{STATS}/over_cap_dropped")
            return None
        self.emitted += 1
        self.crawler.stats.inc_value(f"{STATS}/records/depth_{prov.depth}")
        return record

    def record_error(self, url: str, pmid: str | None, reason: str, status: int | None = None,
                     kind: str = "error") -> None:
        """Log, count and send an error entry (written to the errors file)."""
        logger.warning("%s (%s) %s: %s", kind, status, url, reason)
        self.crawler.stats.inc_value(f"{STATS}/errors/{kind}")
        entry = ErrorEntry(url=url, pmid=pmid, reason=reason, status=status, kind=kind)
        self.crawler.signals.send_catch_log(error_recorded, entry=entry, spider=self)


def _add_slot(settings: BaseSettings, base_url: str, delay: float) -> None:
    """Give the crawled host (also a mirror's) a fixed-delay, one-connection slot."""
    host = urlsplit(base_url).hostname or ""
    slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
    slots[host] = {"concurrency": 1, "delay": delay, "randomize_delay": False}
    priority = max(settings.getpriority("DOWNLOAD_SLOTS") or 0, 20)
    settings.set("DOWNLOAD_SLOTS", slots, priority=priority)


_ARG_NAMES = (
    "pmids", "pmids_file", "urls", "query", "depth", "follow", "max_articles",
    "max_results", "reviews_only", "render",
)


def _usage_exit(message: str) -> None:
    """Bad input: one clear line (in the log too, for Scrapyd jobs), exit status 2."""
    logger.error("invalid arguments: %s", message)
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)
