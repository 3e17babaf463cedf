"""How a crawl ended: ``complete``, or ``incomplete`` with what was lost.

Every failure is an error entry (``aggregator.signals.error_recorded``); this module
decides which of them are losses. A PMID PubMed does not have (its "not found" page, met
as a link) is a *dangling link*: reported, not a loss — nobody can retrieve it. Every other
error entry is a loss (a transient failure given up, an unparseable answer, a block), and
so are a stop before the end (``ncbi_blocked``, ``shutdown``) and an output that could not
be written.

Spiders and source adapters report a loss with :func:`record_lost` (or by sending
``error_recorded`` with an :class:`~aggregator.records.ErrorEntry` whose ``kind`` is not in
:data:`NOT_LOST`); the :class:`CrawlOutcome` extension counts them, the manifest and the
last log line state the outcome, and ``scrapy crawl`` exits 1 when something was lost
(aggregator/commands/crawl.py).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from aggregator.records import ErrorEntry
from aggregator.signals import error_recorded

logger = logging.getLogger(__name__)

STATS = "aggregator/outcome"
#: error kinds that are reported but lose nothing: the PMID does not exist at PubMed
NOT_LOST = frozenset({"not_found", "dangling"})
#: error kinds about a list or search page, not about one article's record
_PAGE_KINDS = ("list", "search")


@dataclass
class Outcome:
    """What the crawl lost; ``complete`` when nothing."""

    reason: str = "finished"
    errors: Counter[str] = field(default_factory=Counter)  # lost error entries by kind
    dangling: int = 0
    not_retrieved: set[str] = field(default_factory=set)  # PMIDs lost
    unwritable: list[str] = field(default_factory=list)  # outputs that could not be written
    no_results: bool = False

    @property
    def complete(self) -> bool:
        """Nothing lost, nothing left undone."""
        return self.reason == "finished" and not self.errors and not self.unwritable

    def line(self) -> str:
        """The one status line: ``complete`` or ``incomplete: <why>``."""
        if self.complete:
            return "complete" + (" (the query found no results)" if self.no_results else "")
        parts = []
        if self.reason != "finished":
            parts.append(f"stopped ({self.reason})")
        parts += [f"{n} {kind}" for kind, n in sorted(self.errors.items())]
        parts += [f"output not written: {path}" for path in self.unwritable]
        parts.append(f"{len(self.not_retrieved)} PMIDs not retrieved")
        return "incomplete: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The manifest's ``outcome`` block."""
        return {
            "status": "complete" if self.complete else "incomplete",
            "line": self.line(),
            "finish_reason": self.reason,
            "lost": dict(sorted(self.errors.items())),
            "dangling_links": self.dangling,
            "pmids_not_retrieved": sorted(self.not_retrieved, key=int),
            "unwritable_outputs": list(self.unwritable),
            "query_no_results": self.no_results,
        }


def is_lost(entry: ErrorEntry) -> bool:
    """Whether this error entry means something the crawl should have retrieved is missing."""
    return (entry.kind or "error") not in NOT_LOST


def record_lost(crawler: Crawler, url: str, pmids: list[str] | tuple[str, ...] | None,
                reason: str, kind: str, status: int | None = None,
                spider: Spider | None = None) -> None:
    """Report PMIDs given up (one error entry each; one without a PMID if none is known).

    The one call the source adapters need: it logs, counts ``aggregator/errors/<kind>``
    and sends ``error_recorded`` (errors file, journal, outcome).
    """
    for pmid in pmids or [None]:
        logger.warning("%s (%s) %s: %s", kind, status, url, reason)
        crawler.stats.inc_value(f"aggregator/errors/{kind}")
        entry = ErrorEntry(url=url, pmid=pmid, reason=reason, status=status, kind=kind)
        crawler.signals.send_catch_log(error_recorded, entry=entry, spider=spider)


def record_unwritable(crawler: Crawler, what: str) -> None:
    """An output that could not be written: the crawl is incomplete."""
    outcome_of(crawler).unwritable.append(what)


def report_no_results(crawler: Crawler, query: str) -> None:
    """A query that found nothing: say so (log, stats, manifest, status line)."""
    outcome_of(crawler).no_results = True
    crawler.stats.set_value(f"{STATS}/query_no_results", True)
    logger.warning("the query %r found no results: nothing to crawl from it", query)


def outcome_of(crawler: Crawler) -> Outcome:
    """The crawl's :class:`Outcome` (the extension's, or a fresh one without it)."""
    ext = crawler.__dict__.get("_aggregator_outcome")
    if ext is None:
        ext = CrawlOutcome(crawler)
    return ext.outcome


class CrawlOutcome:
    """Extension: counts losses as they happen; the manifest and ``crawl`` read the result."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.outcome = Outcome()
        # one per crawler, reachable from the crawl command after the reactor stopped
        crawler.__dict__["_aggregator_outcome"] = self
        crawler.signals.connect(self.error, signal=error_recorded)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlOutcome:
        existing = crawler.__dict__.get("_aggregator_outcome")
        return existing if existing is not None else cls(crawler)

    def error(self, entry: ErrorEntry, spider: Spider | None = None) -> None:
        if not is_lost(entry):
            self.outcome.dangling += 1
            return
        self.outcome.errors[entry.kind or "error"] += 1
        if entry.pmid and not (entry.kind or "").startswith(_PAGE_KINDS):
            self.outcome.not_retrieved.add(str(entry.pmid))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.outcome.reason = reason
        self.crawler.stats.set_value(f"{STATS}/status",
                                     "complete" if self.outcome.complete else "incomplete")

    def engine_stopped(self) -> None:
        """Feeds are stored after spider_closed: their failures are known only now."""
        for storage in _failed_feeds(self.crawler.stats.get_stats()):
            self.outcome.unwritable.append(f"a {storage} feed (see the error above)")


def _failed_feeds(stats: dict[str, Any]) -> list[str]:
    """Storage kinds of the feeds FeedExporter failed to store (``feedexport/failed_count/*``)."""
    return [key.rsplit("/", 1)[-1] for key, value in stats.items()
            if key.startswith("feedexport/failed_count/") and value]
