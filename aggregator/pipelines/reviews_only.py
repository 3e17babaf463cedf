"""``reviews_only=1``: write only reviews; the crawl still goes through every article."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from aggregator.records import ArticleRecord
from aggregator.spiders.core import STATS


class ReviewsOnlyPipeline:
    """Pipeline 500: counts reviews and non-reviews; drops non-reviews when asked."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReviewsOnlyPipeline:
        return cls(crawler)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        stats = self.crawler.stats
        if item.review.type is not None:
            stats.inc_value(f"{STATS}/reviews")
            return item
        stats.inc_value(f"{STATS}/non_reviews")
        args = getattr(self.crawler.spider, "args", None)
        if args is not None and args.reviews_only:
            raise DropItem(f"not a review: {item.pmid}", log_level="DEBUG")
        return item
