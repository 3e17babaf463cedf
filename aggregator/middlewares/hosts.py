"""Only the configured hosts are ever requested; a redirect elsewhere is an error entry.

The hosts are those of ``PUBMED_BASE_URL``, ``EUTILS_BASE_URL``, ``IDCONV_BASE_URL`` and
``ICITE_BASE_URL`` (host and port). This downloader middleware sits between
BlocksMiddleware (which turns NCBI's redirect to misuse.* into a pause) and Scrapy's
RedirectMiddleware in the response order, so an off-site ``Location`` is refused before
RedirectMiddleware follows it (and before RobotsTxtMiddleware would fetch the other
host's robots.txt). A request to another host is refused outright as well.
Redirects within the configured hosts (PubMed's own redirect of a merged PMID) go on.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from aggregator.config import config_of

STATS = "aggregator/reliability/offsite"


class OffsiteRefused(IgnoreRequest):
    """A request or redirect to a host that is not configured; never fetched."""

    kind = "offsite_redirect"


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port or default
    return f"{host}:{port}"


class HostsMiddleware:
    """Downloader middleware: requests and redirects only to the configured hosts."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allowed = {_netloc(url) for url in config_of(crawler).base_urls() if url}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if _netloc(request.url) not in self.allowed:
            self.crawler.stats.inc_value(f"{STATS}/requests")
            raise OffsiteRefused(f"not a configured host, not requested: {request.url}")

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = response.headers[b"Location"].decode("latin-1")
            target = urljoin(request.url, location)
            if _netloc(target) not in self.allowed:
                self.crawler.stats.inc_value(f"{STATS}/redirects")
                raise OffsiteRefused(
                    f"HTTP {response.status} redirect to another host, not followed: {target}"
                )
        return response
