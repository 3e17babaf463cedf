"""Side outputs written by the project itself, one set per job, in OUTPUT_DIR.

Scrapyd's ``items_dir`` replaces a project's FEEDS and ``-O`` merges into them,
so the main feed holds records only; errors, the edge list, the flat CSV, the
Parquet tables and the run manifest are written here, named ``<spider>-<job>-<kind>.<ext>``.
The edge list and the Parquet tables are built at close from a record spool
(``aggregator.exports.datasets``), so a resumed crawl's are complete.
"""

from __future__ import annotations

import csv
import hashlib
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import scrapy
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from aggregator import __version__
from aggregator.crawl.outcome import outcome_of
from aggregator.exports.datasets import JobDatasets
from aggregator.exports.flatten import CSV_COLUMNS, flat_row
from aggregator.records import ArticleRecord, ErrorEntry
from aggregator.signals import error_recorded


class SideOutputs:
    """Writes ``errors.jsonl``, ``edges.jsonl``, ``records.csv``, the Parquet tables and
    ``manifest.json``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.dir = Path(settings.get("OUTPUT_DIR") or "output")
        self.write_edges = settings.getbool("AGGREGATOR_WRITE_EDGES", True)
        self.write_csv = settings.getbool("AGGREGATOR_WRITE_CSV", True)
        self.files: dict[str, Path] = {}
        self._handles: dict[str, IO[str]] = {}
        self._csv: Any = None
        self.datasets: JobDatasets | None = None
        self.started = datetime.now(UTC)
        self.counts: dict[str, int] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.error, signal=error_recorded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SideOutputs:
        return cls(crawler)

    # --- files ----------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        job = getattr(spider, "job_id", None) or self.started.strftime("%Y%m%dT%H%M%SZ")
        self.prefix = f"{spider.name}-{job}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self._open("errors", "errors.jsonl")
        if self.write_edges or self.crawler.settings.getbool("AGGREGATOR_WRITE_PARQUET", True):
            self.datasets = JobDatasets(self.crawler.settings, spider, self.dir, self.prefix,
                                        edges=self.write_edges)
            self.files.update(self.datasets.files)
        if self.write_csv:
            handle = self._open("csv", "records.csv")
            self._csv = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            if handle.tell() == 0:
                self._csv.writeheader()

    def _open(self, key: str, suffix: str) -> IO[str]:
        path = self.dir / f"{self.prefix}-{suffix}"
        # Appending lets a re-run of the same job after a crash complete the files.
        handle = path.open("a", encoding="utf-8", newline="")
        self.files[key], self._handles[key] = path, handle
        return handle

    def _write_json(self, key: str, obj: dict[str, Any]) -> None:
        handle = self._handles.get(key)
        if handle is not None:
            handle.write(json.dumps(obj, ensure_ascii=False) + "\n")

    # --- events ---------------------------------------------------------------
    def item_scraped(self, item: Any, spider: Spider) -> None:
        if not isinstance(item, ArticleRecord):
            return
        self._count("records")
        if self._csv is not None:
            self._csv.writerow(flat_row(item))
        if self.datasets is not None:
            self.datasets.add(item.to_dict())

    def error(self, entry: ErrorEntry, spider: Spider | None = None) -> None:
        self._count(f"errors/{entry.kind}")
        self._write_json("errors", entry.to_dict())
        self._handles["errors"].flush()

    def _count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for handle in self._handles.values():
            handle.close()
        if self.datasets is not None:
            built = self.datasets.close(reason)
            built.pop("records", None)  # counted as they came
            self.counts.update(built)
        self.write_manifest(spider, reason)

    def write_manifest(self, spider: Spider, reason: str) -> None:
        """The run's arguments, versions, counts, truncations, errors and file hashes."""
        stats = self.crawler.stats.get_stats()
        args = getattr(spider, "args", None)
        outcome = outcome_of(self.crawler)
        outcome.reason = reason
        manifest = {
            # complete / incomplete, as the crawl's last log line says (crawl/outcome.py)
            "status": "complete" if outcome.complete else "incomplete",
            "outcome": outcome.to_dict(),
            "spider": spider.name,
            "job": self.prefix.split("-", 1)[1],
            "started_at": self.started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "finish_reason": reason,
            "arguments": _jsonable(args),
            "versions": {"aggregator": __version__, "scrapy": scrapy.__version__,
                         "python": platform.python_version()},
            "counts": dict(sorted(self.counts.items())),
            "edges": self.datasets.manifest() if self.datasets else None,
            "stats": {k: v for k, v in sorted(stats.items()) if k.startswith("aggregator/")},
            "outputs": {key: {"path": str(path), "sha256": _sha256(path)}
                        for key, path in self.files.items()},
        }
        path = self.dir / f"{self.prefix}-manifest.json"
        path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str | None:
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _jsonable(args: Any) -> Any:
    if args is None:
        return None
    out = {}
    for name in args.__slots__:
        value = getattr(args, name)
        if isinstance(value, tuple):
            value = [getattr(v, "value", v) for v in value]
        out[name] = value
    return out
