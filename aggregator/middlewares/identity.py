"""Name the project and a contact address in every request's User-Agent."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler

from aggregator.contact import user_agent


class IdentityMiddleware:
    """Sets the User-Agent from NCBI_TOOL / NCBI_EMAIL (kept out of the settings log)."""

    def __init__(self, agent: str) -> None:
        self.agent = agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IdentityMiddleware:
        return cls(user_agent(crawler.settings))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        request.headers.setdefault(b"User-Agent", self.agent)
