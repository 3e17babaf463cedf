"""``scrapy crawl`` with an exit status that says whether records were lost.

Scrapy's own command exits 0 whatever the crawl lost. This one (found through
``COMMANDS_MODULE``) runs it the same way, then logs the crawl's outcome as the very last
line (``complete`` or ``incomplete: …``, see aggregator/crawl/outcome.py) and exits 1 when
the crawl is incomplete. Bad arguments still exit 2 before any request.
"""

from __future__ import annotations

import argparse
import logging

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from aggregator.crawl.outcome import outcome_of

logger = logging.getLogger("aggregator")


class Command(ScrapyCrawl):
    """Scrapy's ``crawl``, plus the status line and a non-zero exit on loss."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider: scrapy crawl <spider>")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        if crawler.spider is None:
            return  # the spider could not be created: Scrapy has said why
        outcome = outcome_of(crawler)
        line = outcome.line()
        if outcome.complete:
            logger.info(line)
        else:
            logger.error(line)
            self.exitcode = self.exitcode or 1
