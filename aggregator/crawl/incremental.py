"""Persistent state for incremental re-crawls: which PMIDs were emitted, and when.

A scheduled re-crawl of the same seeds reads it: an article emitted by an earlier
run (and not older than ``AGGREGATOR_REFRESH_DAYS``, when set) is not downloaded
or written again, but its list pages (``pubmed``) or elink sets (``pubmed_eutils``)
are still fetched so new links — a new citing article, a new similar one — are
discovered and new articles emitted. The state is an SQLite file named by the
``AGGREGATOR_STATE`` setting (an absolute path for Scrapyd jobs), shared by runs
and spiders; SQLite keeps it consistent if a run is killed mid-write.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from aggregator.config import config_of
from aggregator.records import ArticleRecord

STATS = "aggregator/incremental"
_DAY = 86_400


class IncrementalState:
    """PMIDs emitted by earlier runs (``is_known``) and by this one (``mark``)."""

    def __init__(self, path: Path, refresh_days: float | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS emitted (pmid INTEGER PRIMARY KEY, at REAL NOT NULL)"
        )
        self.cutoff = time.time() - refresh_days * _DAY if refresh_days is not None else None
        self._pending: list[tuple[int, float]] = []

    @classmethod
    def from_settings(cls, crawler: Crawler) -> IncrementalState | None:
        """The state named by AGGREGATOR_STATE, connected to the crawl; None when unset."""
        config = config_of(crawler)
        if not config.state_path:
            return None
        state = cls(Path(config.state_path), config.refresh_days)
        crawler.signals.connect(state.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(state.close, signal=signals.spider_closed)
        return state

    def is_known(self, pmid: str) -> bool:
        """Emitted by an earlier run, recently enough not to be refreshed."""
        row = self.db.execute("SELECT at FROM emitted WHERE pmid = ?", (int(pmid),)).fetchone()
        return row is not None and (self.cutoff is None or row[0] >= self.cutoff)

    def mark(self, pmids: Iterable[str], at: float | None = None) -> None:
        """Remember PMIDs as emitted now (written in batches)."""
        now = time.time() if at is None else at
        self._pending.extend((int(p), now) for p in pmids)
        if len(self._pending) >= 500:
            self.commit()

    def commit(self) -> None:
        if self._pending:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO emitted VALUES (?, ?)",
                                    self._pending)
            self._pending.clear()

    def item_scraped(self, item: object, spider: Spider) -> None:
        if isinstance(item, ArticleRecord):
            self.mark([item.pmid])

    def close(self, spider: Spider | None = None, reason: str | None = None) -> None:
        self.commit()
        self.db.close()
