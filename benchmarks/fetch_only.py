"""A fetch-only Scrapy spider (benchmark baseline): requests a list of URLs, parses nothing.

``scrapy runspider benchmarks/fetch_only.py -a urls_file=FILE`` (run outside the
project directory, so bare Scrapy settings apply).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response


class FetchOnlySpider(Spider):
    """GET every URL of ``urls_file`` once; the callback does nothing."""

    name = "fetch_only"

    def __init__(self, urls_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = urls_file

    async def start(self) -> AsyncIterator[Request]:
        with open(self.urls_file, encoding="utf-8") as lines:
            for line in lines:
                url = line.strip()
                if url:
                    yield Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> None:
        return None
