"""Spider middleware: an incremental re-crawl never writes a known article again."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from aggregator.crawl.incremental import STATS
from aggregator.records import ArticleRecord


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Drops records of PMIDs the incremental state already holds.

    The crawl core already skips downloading known articles (it fetches only their
    link lists); this is the guarantee for any other path a known record could take
    (e.g. a search answered with an article page). Scrapy's ``BaseSpiderMiddleware``
    gives the sync and async ``process_spider_output`` for one small hook.
    """

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        state = getattr(self.crawler.spider, "crawl_state", None)
        incremental = state.incremental if state is not None else None
        if (incremental is not None and isinstance(item, ArticleRecord)
                and incremental.is_known(item.pmid)):
            self.crawler.stats.inc_value(f"{STATS}/dropped_known")
            return None
        return item
