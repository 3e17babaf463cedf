"""What a source adapter is: the small object the crawl core drives.

A source knows three things: how a batch of articles (PMIDs with their provenance) is
requested, how each answer becomes records and links, and what a failure means. It
builds requests with ``core.request(url, step, **kwargs)``; the answer comes back to its
``parse_<step>(response, **kwargs)`` and a failure to ``<step>_failed(failure, **kwargs)``.
Everything else (levels, caps, resume, incremental state, errors, stats) is the core's:
see :class:`aggregator.spiders.core.SnowballSpider`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy import Request
from scrapy.statscollectors import StatsCollector

from aggregator.config import Config
from aggregator.records import Provenance

if TYPE_CHECKING:
    from aggregator.spiders.core import SnowballSpider

#: Articles of one level to fetch: ``(pmid, provenance)`` in PMID order.
Batch = list[tuple[str, Provenance]]


class Source:
    """Base of the source adapters (pages, E-utilities)."""

    #: ``record.source`` of the records it builds
    name: ClassVar[str] = ""
    #: the Config field holding the base URL of the host it talks to
    base_url_field: ClassVar[str] = "pubmed_base_url"
    #: whether ``render=1`` (browser rendering through scrapy-playwright) applies
    can_render: ClassVar[bool] = False
    #: Scrapy settings this source needs whatever the project's defaults say
    settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, core: SnowballSpider, base_url: str) -> None:
        self.core = core
        self.base_url = base_url
        self.config = core.config

    @property
    def stats(self) -> StatsCollector:
        """The crawl's stats (set once the crawl starts, after the adapter is built)."""
        return self.core.crawler.stats

    @classmethod
    def slot_delay(cls, config: Config) -> float:
        """Seconds between two requests to this source's host (its published limit)."""
        return config.pubmed_delay

    # --- the link step's requests (aggregator/sources/icite/links.py) --------------
    def parse_icite(self, response: Any, records: list[Any]) -> Iterator[Any]:
        """iCite's answer for records the link step held."""
        return self.core.link_step.answered(response, records)

    def icite_failed(self, failure: Any, records: list[Any]) -> Iterator[Any]:
        """iCite failed after Scrapy's retries."""
        return self.core.link_step.failed(failure, records)

    def query_requests(self) -> Iterator[Request]:
        """The requests that turn ``query=`` into seeds (none without a query)."""
        return iter(())

    def requests_for(self, batch: Batch) -> Iterator[Request]:
        """Requests that fetch these articles (one level, PMID order)."""
        raise NotImplementedError
