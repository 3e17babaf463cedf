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
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from aggregator.config import Config
from aggregator.crawl.resolve import SeedId
from aggregator.records import Provenance
from aggregator.sources.idconv import IDCONV_BATCH, IdconvError, idconv_url, parse_idconv

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

    def resolve_requests(self, seeds: list[SeedId]) -> Iterator[Request]:
        """Requests turning DOI / PMCID seeds into PMIDs, sent before any article.

        Each answer calls ``core.resolved(seed, pmids)`` (and requests the batch it
        returns) or ``core.unresolved(seed, url, reason)``; PMCIDs go through NCBI's ID
        converter the same way for every source (:meth:`idconv_requests`).
        """
        return self.idconv_requests([s for s in seeds if s.kind == "pmcid"])

    def idconv_requests(self, seeds: list[SeedId]) -> Iterator[Request]:
        """PMC ID Converter calls, 200 PMCIDs each (its documented maximum)."""
        for start in range(0, len(seeds), IDCONV_BATCH):
            part = seeds[start:start + IDCONV_BATCH]
            url = idconv_url(self.config.idconv_base_url, [s.value for s in part],
                             self.config.ncbi_tool)
            yield self.core.request(url, "idconv", api=True, seeds=part)

    def parse_idconv(self, response: Response, seeds: list[SeedId]) -> Iterator[Request]:
        self.stats.inc_value("aggregator/pages/idconv")
        try:
            found = parse_idconv(response.body)
        except IdconvError as exc:
            for seed in seeds:
                self.core.unresolved(seed, response.url, f"ID converter: {exc}",
                                     response.status, failed=True)
            return
        for seed in seeds:
            pmid = found.get(seed.value)
            if pmid is None:
                self.core.unresolved(seed, response.url,
                                     "the PMC ID Converter knows no PMID for it",
                                     response.status)
                continue
            yield from self.requests_for(self.core.resolved(seed, [pmid]))

    def idconv_failed(self, failure: Failure, seeds: list[SeedId]) -> None:
        from aggregator.spiders.core import failure_reason, failure_status  # core imports us

        for seed in seeds:
            self.core.unresolved(seed, failure.request.url,
                                 f"ID converter failed: {failure_reason(failure)}",
                                 failure_status(failure), failed=True)

    def estimate_levels(self, sizes: dict[int, int]) -> tuple[list[dict[str, Any]], str]:
        """``estimate=1``: each level's size (``exact`` or not) and how it was had; by
        default every level was counted (``sizes``: articles scheduled per depth)."""
        levels = [{"depth": d, "articles": sizes.get(d, 0), "exact": True}
                  for d in range(self.core.args.depth + 1)]
        return levels, "exact: every level counted from the link lists"
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
