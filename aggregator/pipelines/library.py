"""``library=PATH``: mark (or leave out) the articles the reviewer already has.

Stats (documented keys, for the PRISMA block): ``aggregator/library/size`` (entries
read), ``aggregator/library/matched`` and ``aggregator/library/matched_by/<pmid|doi|title>``,
``aggregator/library/excluded`` (left out with ``library_mode=exclude``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from aggregator.records import ArticleRecord

STATS = "aggregator/library"


class LibraryPipeline:
    """Pipeline 450: sets ``in_library``; drops library records with ``library_mode=exclude``.

    After dedupe (one record per PMID, so each match is counted once) and before
    reviews_only (a library record left out is not counted as a review written).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LibraryPipeline:
        return cls(crawler)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        spider = self.crawler.spider
        library = getattr(spider, "library", None)
        if library is None or not isinstance(item, ArticleRecord):
            return item
        stats = self.crawler.stats
        how = library.match(item.pmid, item.doi, item.title, item.year)
        item.in_library = how is not None
        if how is None:
            return item
        stats.inc_value(f"{STATS}/matched")
        stats.inc_value(f"{STATS}/matched_by/{how}")
        if spider.args.library_mode == "exclude":
            stats.inc_value(f"{STATS}/excluded")
            raise DropItem(f"in the library ({how}): {item.pmid}", log_level="DEBUG")
        return item
