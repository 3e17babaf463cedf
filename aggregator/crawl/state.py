"""What earlier runs of a crawl already did, behind one interface the crawl core asks.

Two stores answer: the crash-safe journal (``crawl/journal.py``: this crawl's finished
articles, so a re-run after a kill neither fetches nor writes them again) and the
incremental state (``crawl/incremental.py``: PMIDs emitted by earlier crawls, so a
scheduled re-crawl only re-reads their links). The core asks ``done_before`` /
``known_before`` / ``claim`` and never touches either store itself.
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from aggregator.crawl.incremental import STATS as INCREMENTAL_STATS
from aggregator.crawl.incremental import IncrementalState
from aggregator.crawl.journal import Journal, Links

__all__ = ["CrawlState"]


class CrawlState:
    """Journal and incremental state of one crawl (either may be off)."""

    def __init__(self, crawler: Crawler, journal: Journal | None,
                 incremental: IncrementalState | None) -> None:
        self.crawler = crawler
        self.journal = journal
        self.incremental = incremental

    @classmethod
    def for_spider(cls, spider: Spider, crawler: Crawler) -> CrawlState:
        """The state the settings ask for (AGGREGATOR_JOURNAL*, AGGREGATOR_STATE)."""
        return cls(crawler, Journal.for_spider(spider, crawler),
                   IncrementalState.from_settings(crawler))

    @property
    def resuming(self) -> bool:
        """An earlier run of this very crawl was cut short and is being continued."""
        return self.journal is not None and self.journal.resuming

    def done_before(self, pmid: str) -> tuple[bool, Links] | None:
        """``(record written, links)`` if an earlier run of this crawl finished the article
        (answered once per article), else None."""
        return self.journal.take(pmid) if self.journal is not None else None

    def known_before(self, pmid: str) -> bool:
        """Emitted by an earlier crawl (incremental state): re-read its links only."""
        if self.incremental is None or not self.incremental.is_known(pmid):
            return False
        self.crawler.stats.inc_value(f"{INCREMENTAL_STATS}/known")
        return True

    def claim(self, pmid: str) -> bool:
        """True if this article's record may be written now (no run of this crawl has)."""
        return self.journal is None or self.journal.claim(pmid)

    def flush(self) -> None:
        """Make what is done so far survive a kill (called between batches of a level)."""
        if self.journal is not None:
            self.journal.flush()
