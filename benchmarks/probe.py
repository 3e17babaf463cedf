"""A benchmark-only Scrapy extension: CPU time of the crawl window and the final stats.

Added to a benchmark crawl with ``-s EXTENSIONS=…`` (see
:func:`benchmarks.common.probe_settings`); writes JSON to ``BENCH_PROBE_FILE`` when
the spider closes, so the benchmark reads numbers instead of parsing the log.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler


class BenchProbe:
    """Process CPU seconds between ``spider_opened`` and ``spider_closed`` (start-up
    imports excluded), plus the crawl stats, written to ``BENCH_PROBE_FILE``."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = Path(path)
        self.cpu0 = 0.0
        self.wall0 = 0.0
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BenchProbe:
        return cls(crawler, crawler.settings.get("BENCH_PROBE_FILE") or "bench-probe.json")

    def opened(self, spider: Spider) -> None:
        self.cpu0, self.wall0 = time.process_time(), time.perf_counter()

    def closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.path.write_text(json.dumps({
            "cpu_s": time.process_time() - self.cpu0,
            "wall_s": time.perf_counter() - self.wall0,
            "reason": reason,
            "stats": stats,
        }, default=str), encoding="utf-8")
