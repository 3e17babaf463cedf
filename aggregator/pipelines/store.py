"""The record store's line for each record, written before any feed gets the record."""

from __future__ import annotations

from scrapy.crawler import Crawler

from aggregator.exports.outputs import SideOutputs
from aggregator.records import ArticleRecord


class RecordStorePipeline:
    """Pipeline 900, the last: hand the finished record to the record store (SideOutputs).

    Feeds are written on ``item_scraped``, after every pipeline, so the store line is
    on disk before a feed's. That order is what a resumed crawl needs: a record an
    appended feed already holds is not written again (crawl/journal.py), so it must
    already be in the store, from which every side output is rebuilt at close. A kill
    between the two leaves the record in the store only; the resumed run fetches and
    writes it again (the store keeps a PMID's last copy).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.outputs: SideOutputs | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordStorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.outputs = self.crawler.get_extension(SideOutputs)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        if self.outputs is not None and isinstance(item, ArticleRecord):
            self.outputs.store_record(item)
        return item
