"""Log lines that name a record instead of printing it whole.

Scrapy's default formatter puts each record's full repr in the log (scraped at DEBUG,
dropped at WARNING): kilobytes per article. Here a record is ``PMID 37882686 (depth 1)``.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from aggregator.records import ArticleRecord


def short(item: Any) -> Any:
    """``PMID <pmid> (depth <d>)`` for a record; anything else as it is."""
    if isinstance(item, ArticleRecord):
        depth = item.provenance.depth if item.provenance is not None else "?"
        return f"PMID {item.pmid} (depth {depth})"
    return item


class ShortItemLogFormatter(LogFormatter):
    """Scrapy's log formatter with records shortened to their PMID."""

    def scraped(self, item: Any, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        return super().scraped(short(item), response, spider)

    def dropped(self, item: Any, exception: BaseException,
                response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        return super().dropped(short(item), exception, response, spider)

    def item_error(self, item: Any, exception: BaseException, response: Response | None,
                   spider: Spider) -> LogFormatterResult:
        return super().item_error(short(item), exception, response, spider)
