"""Async spider middleware: an incremental re-crawl never writes a known article again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from aggregator.crawl.incremental import STATS
from aggregator.records import ArticleRecord


class IncrementalMiddleware:
    """Drops records of PMIDs the incremental state already holds.

    The spiders already skip downloading known articles (they fetch only their
    link lists); this is the guarantee for any other path a known record could take
    (e.g. a search answered with an article page). Written as an async generator:
    Scrapy 2.13+ refuses sync-only ``process_spider_output`` (why scrapy-deltafetch
    and scrapy-crawl-once no longer load).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        return cls(crawler)

    async def process_spider_output(self, response: Response,
                                    result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        state = getattr(self.crawler.spider, "incremental", None)
        async for out in result:
            if state is not None and isinstance(out, ArticleRecord) and state.is_known(out.pmid):
                self.crawler.stats.inc_value(f"{STATS}/dropped_known")
                continue
            yield out
