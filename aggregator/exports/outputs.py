"""Side outputs written by the project itself, one set per job, in OUTPUT_DIR.

Scrapyd's ``items_dir`` replaces a project's FEEDS and ``-O`` merges into them,
so the main feed holds records only; errors, the edge list, the reviewer CSV, RIS,
NBIB, the PRISMA SVG, the Parquet tables and the run manifest are written here, named
``<spider>-<job>-<kind>.<ext>``. Errors are appended as the crawl goes; everything else is
built at close, in one pass, from the record store (aggregator/exports/store.py: every
record of the crawl, written once per record as the feed's own line), so after a kill
and a resume they hold every record of the crawl, exactly as an uninterrupted run's would.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import platform
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import scrapy
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from aggregator import __version__
from aggregator.config import config_of
from aggregator.crawl.outcome import outcome_of
from aggregator.exports.citation import cite
from aggregator.exports.datasets import JobDatasets
from aggregator.exports.lines import line_of
from aggregator.exports.nbib import nbib_text
from aggregator.exports.outside import STAT as OUTSIDE_STAT
from aggregator.exports.outside import outside_references
from aggregator.exports.prisma import PrismaCounter, summary_lines
from aggregator.exports.prisma_svg import prisma_svg
from aggregator.exports.rayyan_csv import CSV_COLUMNS, csv_values
from aggregator.exports.ris import BATCH as RIS_BATCH
from aggregator.exports.ris import format_entries, ris_entry
from aggregator.exports.store import RecordStore
from aggregator.records import ArticleRecord, ErrorEntry
from aggregator.signals import error_recorded

logger = logging.getLogger(__name__)
#: ``json.dumps(row, ensure_ascii=False)``'s encoder, built once
_JSON = json.JSONEncoder(ensure_ascii=False)


class SideOutputs:
    """Writes ``errors.jsonl``, ``edges.jsonl``, ``records.csv``, ``records.ris``,
    ``records.nbib``, ``prisma.svg``, the Parquet tables and ``manifest.json``; logs the
    closing summary."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.config = config = config_of(crawler)
        self.dir = config.output_dir
        self.write_edges = config.write_edges
        self.write_csv = config.write_csv
        self.write_outside = config.write_outside_references
        self.write_citations = config.write_citations
        self.files: dict[str, Path] = {}
        self._handles: dict[str, IO[str]] = {}
        self.store: RecordStore | None = None
        self.datasets: JobDatasets | None = None
        self.prisma: dict[str, Any] | None = None
        self.started = datetime.now(UTC)
        self.counts: dict[str, int] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # after Scrapy's stats dump and "Spider closed", so the summary ends the log
        crawler.signals.connect(self.log_summary, signal=signals.engine_stopped)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
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
        if self.write_edges or self.config.write_parquet:
            self.datasets = JobDatasets(self.config, spider, self.dir, self.prefix,
                                        edges=self.write_edges)
            self.files.update(self.datasets.files)
        # the store lives beside the crawl's journal, so a re-run of the crawl finds it
        journal = getattr(getattr(spider, "crawl_state", None), "journal", None)
        self.store = RecordStore(RecordStore.path_for(
            getattr(journal, "path", None), self.dir / f"{self.prefix}-store.jsonl"))

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

    def store_record(self, record: ArticleRecord) -> None:
        """Keep a finished record in the store (pipelines/store.py: before any feed)."""
        if self.store is not None:
            self.store.add_line(line_of(record))  # the feed's own serialisation, made once

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        if isinstance(item, ArticleRecord) and item.pmid and self.store is not None:
            self.store.add_dropped(item.pmid, _drop_reason(exception))

    def error(self, entry: ErrorEntry, spider: Spider | None = None) -> None:
        self._count(f"errors/{entry.kind}")
        self._write_json("errors", entry.to_dict())
        self._handles["errors"].flush()
        if self.store is not None:
            self.store.add_error(entry)

    def _count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for handle in self._handles.values():
            handle.close()
        rebuilt = False
        if self.store is not None:
            self.store.close()
            try:
                self.rebuild(spider)
                rebuilt = True
            except OSError as exc:  # a full disk, a removed directory: say so, keep going
                rebuilt = False  # the store is kept: the same command rebuilds them
                logger.error("could not write the outputs: %s", exc)
                self._count("errors/output_unwritable")
                self.crawler.stats.inc_value("aggregator/errors/output_unwritable")
        self.write_manifest(spider, reason)
        self._summary_ready = True
        if self.store is not None and reason == "finished" and rebuilt:
            self.store.finish()

    def rebuild(self, spider: Spider) -> None:
        """Every output built at close, from every record of the crawl (the store), in one
        pass: the screening outputs, the PRISMA block and SVG, the datasets."""
        assert self.store is not None
        index = self.store.index()
        args = getattr(spider, "args", None)
        counter = PrismaCounter(getattr(args, "follow", ()), getattr(args, "depth", 0),
                                self.config.prisma_per_seed_max)
        handles: dict[str, IO[str]] = {}
        kinds = ([("csv", "records.csv")] if self.write_csv else []) + (
            [("ris", "records.ris"), ("nbib", "records.nbib")] if self.write_citations else []) + (
            [("outside_references", "references-not-in-pubmed.jsonl")] if self.write_outside
            else [])
        tally = {"records": 0, "outside": 0}
        try:
            for key, suffix in kinds:
                path = self.dir / f"{self.prefix}-{suffix}"
                handles[key] = path.open("w", encoding="utf-8", newline="")
                self.files[key] = path
            records = _screening(self.store.dicts(index), handles, counter, tally)
            if self.datasets is not None:
                built = self.datasets.build(records)
                built.pop("records", None)  # counted as they came (records/all_runs: every run)
                self.counts.update(built)
            else:
                for _ in records:
                    pass
        finally:
            for handle in handles.values():
                handle.close()
        n, outside = tally["records"], tally["outside"]
        self.counts["records/all_runs"] = n
        if self.write_outside:
            self.crawler.stats.set_value(OUTSIDE_STAT, outside)
        self.prisma = counter.block(
            index.errors, index.dropped,
            library_size=self.crawler.stats.get_value("aggregator/library/size"),
            unresolved_seeds=len(getattr(spider, "unresolved_seeds", []) or []))
        if self.write_citations:
            path = self.dir / f"{self.prefix}-prisma.svg"
            per_seed = self.prisma["per_seed"]
            seeds = (f"Seeds (PMID): {', '.join(per_seed)}" if per_seed is not None
                     else f"Seeds: {self.prisma['seeds']} PMIDs")
            path.write_text(prisma_svg(self.prisma["total"], seeds[:120]),
                            encoding="utf-8")
            self.files["prisma_svg"] = path

    def log_summary(self) -> None:
        """The crawl's closing summary: records, PRISMA counts, every output's path.
        (The status line, complete or incomplete, comes after it.)"""
        if not getattr(self, "_summary_ready", False):
            return
        lines = [f"records: {self.counts.get('records/all_runs', self.counts.get('records', 0))}"
                 f" in all runs of this crawl ({self.counts.get('records', 0)} in this run); "
                 f"errors: {sum(v for k, v in self.counts.items() if k.startswith('errors/'))}"]
        if self.prisma is not None:
            lines += summary_lines(self.prisma["total"])
        lines.append("outputs:")
        for key, path in self.files.items():
            lines.append(f"  {key:<10} {path}")
        lines.append(f"  {'manifest':<10} {self.dir / f'{self.prefix}-manifest.json'}")
        for uri in self.crawler.settings.getdict("FEEDS"):
            lines.append(f"  {'feed':<10} {uri}")
        for line in lines:
            logger.info("%s", line)

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
            **(spider.manifest_blocks() if hasattr(spider, "manifest_blocks") else {}),
            "prisma": self.prisma,
        }
        path = self.dir / f"{self.prefix}-manifest.json"
        path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")


def _screening(records: Iterable[dict[str, Any]], handles: dict[str, IO[str]],
               counter: PrismaCounter, tally: dict[str, int]) -> Iterator[dict[str, Any]]:
    """Writes each record to the screening outputs open in ``handles`` and counts it for
    PRISMA, then passes it on (to the datasets), so the store is read once.

    The writers read the plain dicts as they are (no ``ArticleRecord`` rebuilt); the facts
    they share (names, abstract, MeSH, notes) are worked out once per record (``cite``), and
    RIS goes through rispy a batch of records at a time."""
    csv_out = csv.writer(handles["csv"]) if "csv" in handles else None
    if csv_out is not None:
        csv_out.writerow(CSV_COLUMNS)
    ris, nbib = handles.get("ris"), handles.get("nbib")
    outside_out = handles.get("outside_references")
    citations = csv_out is not None or ris is not None or nbib is not None
    pending: list[dict[str, Any]] = []  # RIS references not yet written
    for data in records:
        tally["records"] += 1
        outside = list(outside_references(data))
        counter.add(data, outside=len(outside))
        if citations:
            c = cite(data)
            if csv_out is not None:
                csv_out.writerow(csv_values(c))
            if ris is not None:
                pending.append(ris_entry(c))
                if len(pending) >= RIS_BATCH:
                    ris.write(format_entries(pending))
                    pending = []
            if nbib is not None:
                nbib.write(nbib_text(c))
        if outside_out is not None:
            for row in outside:
                outside_out.write(_JSON.encode(row) + "\n")
            tally["outside"] += len(outside)
        yield data
    if ris is not None:
        ris.write(format_entries(pending))


def _drop_reason(exception: BaseException) -> str:
    """A short reason for a pipeline's drop (``reviews_only`` and the like)."""
    text = re.split(r"[:\d]", str(exception), maxsplit=1)[0].strip().lower().replace(" ", "_")
    return f"dropped_{text[:40]}" if text else "dropped"


def _sha256(path: Path) -> str | None:
    if not path.is_file():
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
