"""Browser rendering (``-a render=1``): scrapy-playwright wiring for the spiders.

The Playwright download handlers are installed only for a crawl that renders: they start
Playwright's driver process when the engine starts even if no request ever asks for the
browser, so a plain crawl does without them. The spider decides in ``from_crawler``, where
its arguments are known and the settings are not yet frozen (Scrapy ≥ 2.11).
Only requests with ``meta["playwright"] = True`` go through Chromium; robots.txt and
anything else still go through Scrapy's HTTP handler.
"""

from __future__ import annotations

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: Scrapy's download handler for http/https when rendering
PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"

#: Resource types a page needs not load to build its DOM (saves memory and bandwidth)
SKIPPED_RESOURCES = frozenset({"image", "media", "font", "stylesheet", "manifest", "texttrack"})


def install_playwright(settings: BaseSettings, schemes: tuple[str, ...] = ("http", "https")
                       ) -> None:
    """Route ``schemes`` through scrapy-playwright (only meta ``playwright`` requests use it).

    Each installed scheme gets its own handler and its own Playwright driver process, so
    the spider installs only its base URL's scheme (the browser follows redirects itself).
    """
    handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
    handlers.update({scheme: PLAYWRIGHT_HANDLER for scheme in schemes})
    priority = max(settings.getpriority("DOWNLOAD_HANDLERS") or 0, SETTINGS_PRIORITIES["spider"])
    settings.set("DOWNLOAD_HANDLERS", handlers, priority=priority)


def abort_request(request: object) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: skip images, fonts, stylesheets and media."""
    return getattr(request, "resource_type", None) in SKIPPED_RESOURCES
