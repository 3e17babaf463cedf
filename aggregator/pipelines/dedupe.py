"""One record per PMID per crawl."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from aggregator.crawl.pmidset import PmidSet
from aggregator.records import ArticleRecord
from aggregator.spiders.core import STATS


class DedupePipeline:
    """Pipeline 400: drop a second record of a PMID (e.g. a redirect to a merged PMID)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen = PmidSet()  # a bitmap: compact for crawls of 100k+ articles

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        key = int(item.pmid)
        if key in self.seen:
            self.crawler.stats.inc_value(f"{STATS}/duplicates_dropped")
            raise DropItem(f"duplicate PMID {item.pmid}")
        self.seen.add(key)
        return item
