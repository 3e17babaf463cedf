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
from scrapy.utils.defer import deferred_from_coro

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


class BlocksMiddleware:
    """Downloader middleware: rate limits, blocks, challenges and cut pages."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.max_consecutive = s.getint("AGGREGATOR_MAX_CONSECUTIVE_BLOCKS", 5)
        self.block_retries = s.getint("AGGREGATOR_BLOCK_RETRIES", 4)
        self.backoff = s.getfloat("AGGREGATOR_BLOCK_BACKOFF", 30.0)
        self.backoff_max = s.getfloat("AGGREGATOR_BLOCK_BACKOFF_MAX", 300.0)
        self.retry_after_max = s.getfloat("AGGREGATOR_RETRY_AFTER_MAX", 300.0)
        self.retry_times = s.getint("RETRY_TIMES", 2)
        self.consecutive = 0
        self.closing = False
        self._paused_until = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlocksMiddleware:
        return cls(crawler)

    # --- Scrapy hook ------------------------------------------------------------
    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        if request.meta.get("dont_check_blocks") or urlsplit(request.url).path == "/robots.txt":
            return response
        if response.status == 429:
            return self._rate_limited(request, response)
        kind = self._block_kind(request, response)
        if kind is not None:
            return self._blocked(request, response, kind)
        self.consecutive = 0
        if self._is_truncated(request, response):
            return self._truncated(request)
        return response

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
        self.consecutive += 1
        if self.consecutive >= self.max_consecutive:
            self._give_up()
        tries = request.meta.get("aggregator_blocked", 0) + 1
        if self.closing or tries > self.block_retries:
            raise NcbiBlocked(f"NCBI answered with a {kind} page {tries} times: {request.url}")
        wait = min(self.backoff * 2 ** (self.consecutive - 1), self.backoff_max)
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
        """Hold the whole crawl (engine and this request's download slot) for ``seconds``."""
        if seconds <= 0:
            return
        engine = self.crawler.engine
        now = time.time()
        until = now + seconds
        if until <= self._paused_until:
            return
        self._paused_until = until
        self.crawler.stats.inc_value(f"{STATS}/pauses")
        engine.pause()
        downloader = getattr(engine, "downloader", None)
        slot = downloader.slots.get(request.meta.get("download_slot")) if downloader else None
        if slot is not None and slot.delay > 0:  # requests already queued in the slot wait too
            slot.lastseen = max(slot.lastseen, until - slot.delay)
        from twisted.internet import reactor  # late: importing it installs a reactor

        reactor.callLater(seconds, self._unpause)  # type: ignore[attr-defined]

    def _unpause(self) -> None:
        if time.time() + 0.01 < self._paused_until:
            return  # a longer pause was asked for meanwhile; its own call ends it
        engine = self.crawler.engine
        engine.unpause()
        slot = getattr(engine, "_slot", None)
        if slot is not None:  # do not wait for the engine's 5 s heartbeat
            slot.nextcall.schedule()

    def _give_up(self) -> None:
        if self.closing:
            return
        self.closing = True
        self.crawler.stats.set_value(f"{STATS}/stopped_blocked", True)
        logger.error(ADVICE, self.consecutive)
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
