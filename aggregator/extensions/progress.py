"""A progress line per level on long crawls, every ``AGGREGATOR_PROGRESS_SECS`` seconds.

``progress: level 1: 340 done, 660 queued, 3 errors; 1.9 articles/s, ETA 5m 47s``.
*done* counts articles of the level finished (record written, excluded or known);
*queued* those scheduled or still waiting in the frontier, less those lost to an error;
*errors* the error entries recorded while the level ran (breadth-first: every request of
a level is answered before the next level starts); the rate is the live one over the
last interval. Scrapy's own "Crawled N pages" line counts requests, which on the pages
spider are about four per article.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from aggregator.config import config_of
from aggregator.records import ErrorEntry
from aggregator.signals import error_recorded

logger = logging.getLogger(__name__)


def progress_line(level: int, done: int, queued: int, errors: int, rate: float) -> str:
    """The line itself (pure, for tests)."""
    eta = "unknown"
    if queued == 0:
        eta = "0s"
    elif rate > 0:
        seconds = int(queued / rate)
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        eta = f"{h}h {m:02d}m" if h else f"{m}m {s:02d}s" if m else f"{s}s"
    return (f"progress: level {level}: {done} done, {queued} queued, {errors} errors; "
            f"{rate:.1f} articles/s, ETA {eta}")


class Progress:
    """Logs :func:`progress_line` for the crawl core's current level."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.task: task.LoopingCall | None = None
        self._last: tuple[int, int] = (-1, 0)  # (level, done) at the previous tick
        self.spider: Any = None
        #: per level: error entries, and articles lost (an entry naming a PMID whose
        #: record was not kept; a failed list keeps its record)
        self.errors: dict[int, int] = {}
        self.lost: dict[int, int] = {}
        crawler.signals.connect(self.error, signal=error_recorded)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = config_of(crawler).progress_secs
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider: Spider) -> None:
        if not hasattr(spider, "level_done"):
            return  # not a crawl-core spider
        self.spider = spider
        self.task = task.LoopingCall(self.log, spider)
        self.task.start(self.interval, now=False)

    def error(self, entry: ErrorEntry, spider: Spider | None = None) -> None:
        if self.spider is None:
            return
        level = self.spider.frontier.level
        self.errors[level] = self.errors.get(level, 0) + 1
        if entry.pmid and not entry.kind.startswith("list"):
            self.lost[level] = self.lost.get(level, 0) + 1

    def log(self, spider: Any) -> None:
        level = spider.frontier.level
        done = spider.level_done.get(level, 0)
        scheduled = spider.level_sizes.get(level, 0)
        lost = self.lost.get(level, 0)
        queued = max(scheduled - done - lost, 0) + spider.frontier.waiting()
        errors = self.errors.get(level, 0)
        last_level, last_done = self._last
        rate = (done - last_done) / self.interval if last_level == level else done / self.interval
        self._last = (level, done)
        logger.info(progress_line(level, done, queued, errors, rate))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
