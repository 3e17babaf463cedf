"""Refuse records that are not articles: no PMID or no title."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from aggregator.records import ArticleRecord, ErrorEntry
from aggregator.signals import error_recorded
from aggregator.spiders.core import STATS


class ValidatePipeline:
    """Pipeline 300: a record without PMID or title becomes an error entry, not a record."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        missing = [name for name in ("pmid", "title") if not getattr(item, name)]
        if not missing:
            return item
        reason = f"record without {' and '.join(missing)}"
        self.crawler.stats.inc_value(f"{STATS}/invalid_records")
        entry = ErrorEntry(url=item.source_url or "", pmid=item.pmid or None, reason=reason,
                           kind="invalid_record")
        self.crawler.signals.send_catch_log(error_recorded, entry=entry,
                                            spider=self.crawler.spider)
        raise DropItem(f"{reason}: {item.source_url}")
