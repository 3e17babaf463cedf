"""How fast a crawl may ask each host: the one place that turns the config into slots.

Live, each host gets a Scrapy download slot with its published rate (PubMed's robots.txt
Crawl-delay, NCBI's E-utilities limits), one connection and no jitter; AutoThrottle may
only slow a slot further. ``AGGREGATOR_POLITE_SLOTS=0`` says "this host is mine" (the
local mirror): no slot, no delay, no AutoThrottle, the normal concurrency. Settings a user
gives on the command line still win over both (they have a higher priority).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

__all__ = ["apply_link_politeness", "apply_politeness"]


def apply_politeness(settings: BaseSettings, base_url: str, delay: float,
                     polite: bool) -> None:
    """Give the crawled host its fixed-delay slot, or switch politeness off (own host)."""
    if polite:
        host = urlsplit(base_url).hostname or ""
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        slots[host] = {"concurrency": 1, "delay": delay, "jitter": 0}
        priority = max(settings.getpriority("DOWNLOAD_SLOTS") or 0, 20)
        settings.set("DOWNLOAD_SLOTS", slots, priority=priority)
        return
    for name, value in (("DOWNLOAD_DELAY", 0), ("AUTOTHROTTLE_ENABLED", False),
                        ("CONCURRENT_REQUESTS_PER_DOMAIN",
                         settings.getint("CONCURRENT_REQUESTS", 16))):
        settings.set(name, value, priority="spider")


def apply_link_politeness(settings: BaseSettings, source_base_url: str, icite_base_url: str,
                          icite_delay: float, polite: bool) -> None:
    """The link source's host (iCite) gets its own slot too, whichever source crawls.

    A Scrapy slot is per host name: when iCite is served from the crawled host itself (one
    local mirror serving both), that host keeps the source's slot.
    """
    if urlsplit(icite_base_url).hostname == urlsplit(source_base_url).hostname:
        return
    apply_politeness(settings, icite_base_url, icite_delay, polite)
