"""Recognise NCBI's blocks, challenges and rate limits before any page is parsed.

Since 2025 NCBI answers heavy or automated traffic with a redirect to
misuse.ncbi.nlm.nih.gov, a block page, or a JavaScript/cookie check — sometimes with
status 200, so neither Scrapy's retry nor a parser notices. This downloader middleware
sits before RedirectMiddleware (it sees the raw 30x) and before RetryMiddleware:

- 429 Too Many Requests: the whole crawl pauses for ``Retry-After`` seconds (capped), then
  the request is retried.
- a block or challenge (``classify`` says BLOCKED/CHALLENGE, or a redirect to
  misuse.*): never reaches a parser; the crawl pauses with exponential back-off
  (``AGGREGATOR_BLOCK_BACKOFF`` doubling up to ``AGGREGATOR_BLOCK_BACKOFF_MAX``) and the
  original URL is retried. After ``AGGREGATOR_MAX_CONSECUTIVE_BLOCKS`` block answers in a
  row the spider is closed with reason ``ncbi_blocked``; everything written so far stays
  (and the journal lets a later run resume).
- a truncated HTML page (no closing ``</html>``) is retried like a transient error.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.task import deferLater

from aggregator.config import config_of
from aggregator.sources.page.kind import PageKind, classify

logger = logging.getLogger(__name__)

STATS = "aggregator/reliability"
CLOSE_REASON = "ncbi_blocked"
ADVICE = (
    "NCBI keeps blocking this crawler (%d block or challenge answers in a row); the spider "
    "stops here and everything already written is kept. What to do: wait (blocks usually "
    "lift within hours), crawl slower (raise PUBMED_DELAY / EUTILS_DELAY, keep concurrency 1, "
    "run off-peak), set NCBI_EMAIL so NCBI can contact you, or use the pubmed_eutils spider "
    "with NCBI_API_KEY. Re-run the same command to resume: the journal skips what is done."
)


class NcbiBlocked(IgnoreRequest):
    """A request given up because NCBI kept answering with a block or challenge page."""


class TruncatedPage(IgnoreRequest):
    """A request given up because every answer was a cut HTML page."""


class CrawlStopped(IgnoreRequest):
    """A request dropped because the crawl was stopped (SIGTERM) during a pause."""


#: longest single sleep of a waiting request: how soon a stop is noticed during a pause
_STEP = 0.25


class BlocksMiddleware:
    """Downloader middleware: rate limits, blocks, challenges and cut pages."""

    def __init__(self, crawler: Crawler) -> None:
        config = config_of(crawler)
        self.crawler = crawler
        self.max_consecutive = config.max_consecutive_blocks
        self.block_retries = config.block_retries
        self.backoff = config.block_backoff
        self.backoff_max = config.block_backoff_max
        self.retry_after_max = config.retry_after_max
        self.retry_times = config.retry_times
        self.consecutive = 0
        self.closing = False
        self._paused_until = 0.0  # time.monotonic() deadline of the current pause
        self._epoch = 0  # number of pauses so far: tells answers sent before the last one
        self._we_paused = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlocksMiddleware:
        return cls(crawler)

    # --- Scrapy hooks ----------------------------------------------------------------
    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        """During a pause, hold a request before it is queued for download."""
        if self._paused_until > time.monotonic() and not await self._wait_pause():
            raise CrawlStopped(f"crawl stopped during a pause: {request.url}")
        request.meta["aggregator_epoch"] = self._epoch

    async def process_response(self, request: Request, response: Response,
                               spider: Spider | None = None) -> Request | Response:
        if request.meta.get("dont_check_blocks") or urlsplit(request.url).path == "/robots.txt":
            return response
        if response.status == 429:
            return await self._after_pause(self._rate_limited(request, response))
        kind = self._block_kind(request, response)
        if kind is not None:
            return await self._after_pause(self._blocked(request, response, kind))
        self.consecutive = 0
        if self._is_truncated(request, response):
            return self._truncated(request)
        return response

    async def _after_pause(self, result: Request | Response) -> Request | Response:
        """A retry waits for the pause it caused (or joined) to end."""
        if isinstance(result, Request) and not await self._wait_pause():
            raise CrawlStopped(f"crawl stopped during a pause: {result.url}")
        return result

    # --- what the answer is --------------------------------------------------------
    @staticmethod
    def _block_kind(request: Request, response: Response) -> str | None:
        if 300 <= response.status < 400:
            location = response.headers.get(b"Location", b"").decode("latin-1")
            host = (urlsplit(location).hostname or "").lower()
            return "misuse_redirect" if host.startswith("misuse.") else None
        if not _is_html(response):
            return None
        kind = classify(response.body, response.url, response.status)
        if kind in (PageKind.BLOCKED, PageKind.CHALLENGE):
            return kind.value
        return None

    @staticmethod
    def _is_truncated(request: Request, response: Response) -> bool:
        if response.status != 200 or not _is_html(response) or request.meta.get("playwright"):
            return False
        tail = response.body[-2048:].lower()
        return b"<html" in response.body[:2048].lower() and b"</html>" not in tail

    # --- what to do ------------------------------------------------------------------
    def _rate_limited(self, request: Request, response: Response) -> Request | Response:
        stats = self.crawler.stats
        stats.inc_value(f"{STATS}/rate_limited")
        tries = request.meta.get("aggregator_429", 0) + 1
        if tries > self.retry_times:
            return response  # RetryMiddleware / the errback take it from here
        wait = _retry_after(response) or self.backoff * 2 ** (tries - 1)
        wait = min(wait, self.retry_after_max)
        logger.warning("429 Too Many Requests for %s: pausing the crawl %.1f s", request.url,
                       wait)
        self._pause(request, wait)
        return self._again(request, "aggregator_429", tries)

    def _blocked(self, request: Request, response: Response, kind: str) -> Request:
        stats = self.crawler.stats
        stats.inc_value(f"{STATS}/blocked/{kind}")
        # Requests already on their way when a pause began answer "blocked" too: only an
        # answer to a request sent after the last pause counts as one more block in a row.
        if request.meta.get("aggregator_epoch", self._epoch) >= self._epoch:
            self.consecutive += 1
        if self.consecutive >= self.max_consecutive:
            self._give_up()
        tries = request.meta.get("aggregator_blocked", 0) + 1
        if self.closing or tries > self.block_retries:
            raise NcbiBlocked(f"NCBI answered with a {kind} page {tries} times: {request.url}")
        wait = min(self.backoff * 2 ** (max(self.consecutive, 1) - 1), self.backoff_max)
        logger.warning("NCBI %s answer for %s: pausing the crawl %.1f s, then retrying",
                       kind, request.url, wait)
        self._pause(request, wait)
        return self._again(request, "aggregator_blocked", tries)

    def _truncated(self, request: Request) -> Request:
        self.crawler.stats.inc_value(f"{STATS}/truncated_pages")
        tries = request.meta.get("aggregator_truncated", 0) + 1
        if tries > self.retry_times:
            raise TruncatedPage(f"page cut short {tries} times: {request.url}")
        logger.info("cut HTML page for %s: retrying", request.url)
        return self._again(request, "aggregator_truncated", tries)

    def _again(self, request: Request, counter: str, tries: int) -> Request:
        """The original request (before any redirect to a block page), retried."""
        meta: dict[str, Any] = dict(request.meta)
        meta[counter] = tries
        url = request.url
        origin = meta.pop("redirect_urls", None)
        if origin:
            url = origin[0]
            for key in ("redirect_times", "redirect_ttl", "redirect_reasons"):
                meta.pop(key, None)
        self.crawler.stats.inc_value(f"{STATS}/retried")
        return request.replace(url=url, meta=meta, dont_filter=True)

    def _pause(self, request: Request, seconds: float) -> None:
        """Hold the whole crawl for ``seconds`` (public Scrapy APIs only).

        ``engine.pause()`` stops the engine handing scheduled requests to the downloader;
        requests already in the downloader wait in :meth:`process_request` (before they are
        queued in a download slot) and the answer that asked for the pause waits in
        :meth:`process_response`. Deadlines use the monotonic clock, and every wait
        re-checks ``engine.running`` at least every ``_STEP`` seconds, so a pause always
        ends, and a SIGTERM during one ends the crawl at once.
        """
        if seconds <= 0:
            return
        until = time.monotonic() + seconds
        if until <= self._paused_until:
            return
        self._paused_until = until
        self._epoch += 1
        self.crawler.stats.inc_value(f"{STATS}/pauses")
        engine = self.crawler.engine
        if engine is not None and not engine.paused:
            engine.pause()
            self._we_paused = True

    async def _wait_pause(self) -> bool:
        """Wait until the current pause is over; False if the crawl stopped meanwhile."""
        engine = self.crawler.engine
        while (left := self._paused_until - time.monotonic()) > 0:
            if engine is None or not engine.running:
                return False
            await maybe_deferred_to_future(deferLater(_reactor(), min(left, _STEP), _noop))
        if self._we_paused and engine is not None:
            self._we_paused = False
            engine.unpause()  # the retried request's engine.crawl() wakes the engine up
        return engine is not None and engine.running

    def _give_up(self) -> None:
        if self.closing:
            return
        self.closing = True
        self.crawler.stats.set_value(f"{STATS}/stopped_blocked", True)
        logger.error(ADVICE, self.consecutive)
        self._paused_until = 0.0  # waiting requests go on, and are dropped as the spider closes
        if self._we_paused:
            self._we_paused = False
            self.crawler.engine.unpause()
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSE_REASON))


def _is_html(response: Response) -> bool:
    ctype = response.headers.get(b"Content-Type", b"").lower()
    return b"html" in ctype or (not ctype and response.body[:512].lstrip()[:1] == b"<")


def _retry_after(response: Response) -> float | None:
    """``Retry-After`` in seconds (the HTTP-date form is rare at NCBI: treated as absent)."""
    raw = response.headers.get(b"Retry-After")
    if not raw:
        return None
    try:
        return max(float(raw.decode("latin-1").strip()), 0.0)
    except ValueError:
        return None


def _reactor() -> Any:
    from twisted.internet import reactor  # late: importing it installs a reactor

    return reactor


def _noop() -> None:
    return None
