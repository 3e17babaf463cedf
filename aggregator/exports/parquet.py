"""Parquet files of the analysts' tables (``aggregator.exports.tables``), streamed.

A ``TableWriter`` holds at most ``ROW_GROUP_RECORDS`` records (or ``ROW_GROUP_ROWS``
graph rows) and writes their rows as one Arrow record batch, so memory stays flat
however many rows.
It writes to ``<name>.tmp`` and renames at close: a Parquet file at its final name
always has its footer. ``ParquetRecordExporter`` is the ``parquet`` feed format
(``-O found.parquet`` = the records table), built from a spool when the feed closes.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter

from aggregator.exports.spool import RecordSpool, journal_of
from aggregator.exports.tables import TABLES, Table
from aggregator.records import ArticleRecord

logger = logging.getLogger(__name__)

__all__ = ["ParquetRecordExporter", "RecordTablesWriter", "TableWriter"]

#: Records per row group: ~2,000 records' rows are a few MB of Python objects at most.
ROW_GROUP_RECORDS = 2_000
#: Rows per row group of the small-row tables (edges, nodes, child tables).
ROW_GROUP_ROWS = 20_000


class TableWriter:
    """One table's Parquet file, written in row groups as items arrive.

    Items are what ``Table.batch`` takes (records for the record tables, rows for
    ``edges``/``nodes``); ``batch`` of them are held, then turned into one record batch
    (columnar: ``Table.batch``), written in row groups of at most ``row_group`` rows.
    """

    def __init__(self, table: Table, target: Path | IO[bytes],
                 batch: int = ROW_GROUP_ROWS, row_group: int = ROW_GROUP_ROWS) -> None:
        self.table = table
        self.batch = batch
        self.row_group = row_group
        self.rows = 0
        self._items: list[dict[str, Any]] = []
        # built rows not yet written: whole row groups are written as they fill, so a
        # child table gets groups of ``row_group`` rows, not one per batch of records
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self.path: Path | None = target if isinstance(target, Path) else None
        sink: Any = target
        if self.path is not None:
            sink = str(self.path) + ".tmp"
        self._writer = pq.ParquetWriter(sink, table.schema)

    def add(self, item: dict[str, Any]) -> None:
        self._items.append(item)
        if len(self._items) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the held items' rows."""
        if not self._items:
            return
        batch = self.table.batch(self._items)
        self._items.clear()
        self.write(batch)

    def write(self, batch: pa.RecordBatch) -> None:
        """Write rows already built (``Table.batch``), in row groups of ``row_group``."""
        if batch.num_rows:
            self._pending.append(batch)
            self._pending_rows += batch.num_rows
            if self._pending_rows >= self.row_group:
                self._drain(last=False)

    def _drain(self, last: bool) -> None:
        """Write the whole row groups pending (``last``: the rest too)."""
        if not self._pending_rows:
            return
        rows = pa.Table.from_batches(self._pending, schema=self.table.schema)
        full = len(rows) if last else len(rows) // self.row_group * self.row_group
        self._writer.write_table(rows.slice(0, full), row_group_size=self.row_group)
        self.rows += full
        rest = rows.slice(full)
        self._pending = rest.to_batches()
        self._pending_rows = len(rest)

    def close(self) -> None:
        """Write the last row group and the footer; move the file to its name."""
        self.flush()
        self._drain(last=True)
        self._writer.close()
        if self.path is not None:
            os.replace(str(self.path) + ".tmp", self.path)

    def abort(self) -> None:
        """Drop a half-written file (an error while building)."""
        try:
            self._writer.close()
        finally:
            if self.path is not None:
                Path(str(self.path) + ".tmp").unlink(missing_ok=True)


class RecordTablesWriter:
    """The record tables' writers fed the same records, built together per batch.

    Holds ``batch`` records; then each table's rows are built from them with one shared
    memo (``Table.batch``), so the lists the ``records`` table converted give the
    ``authors`` and ``references`` rows without being converted again.
    """

    def __init__(self, writers: list[TableWriter], batch: int = ROW_GROUP_RECORDS) -> None:
        # records first: its arrays are what the child tables reuse
        self.writers = sorted(writers, key=lambda w: w.table.name != "records")
        self.batch = batch
        self._records: list[dict[str, Any]] = []

    def add(self, record: dict[str, Any]) -> None:
        self._records.append(record)
        if len(self._records) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the held records' rows to every table."""
        if not self._records:
            return
        memo: dict[tuple[str, ...], pa.Array] = {}
        for writer in self.writers:
            writer.write(writer.table.batch(self._records, memo))
        self._records.clear()


class ParquetRecordExporter(BaseItemExporter):
    """Feed format ``parquet``: the records table of ``aggregator.exports.tables``.

    Records go to a spool beside the feed file (``<file>.spool.jsonl``) as they come;
    the Parquet file is built from it when the feed closes, so a killed crawl never
    leaves a file without a footer, and a resumed one (same journal) completes it.
    """

    def __init__(self, file: IO[bytes], crawler: Crawler | None = None,
                 **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.crawler = crawler
        name = getattr(file, "name", None)
        self.target = Path(name) if isinstance(name, str) else None
        self.spool: RecordSpool | None = None
        self.appending = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: IO[bytes], **kwargs: Any
                     ) -> ParquetRecordExporter:
        return cls(file, crawler=crawler, **kwargs)

    def start_exporting(self) -> None:
        # Scrapy has created the feed file: a killed crawl would leave it there empty,
        # unreadable. Unlink it now (a file appended to keeps its content) and write the
        # table at close under a temporary name, renamed when complete.
        self.appending = _tell(self.file) > 0
        if self.target is not None and not self.appending and self.target.is_file():
            self.target.unlink()
        if self.target is not None:
            where = self.target.with_name(self.target.name + ".spool.jsonl")
        else:  # not a named local file (e.g. stdout): spool in OUTPUT_DIR
            outdir = self.crawler.settings.get("OUTPUT_DIR") if self.crawler else None
            where = Path(outdir or "output") / f"feed-{os.getpid()}.parquet.spool.jsonl"
        self.spool = RecordSpool(where, resuming=_resuming(self.crawler))

    def export_item(self, item: Any) -> None:
        assert self.spool is not None
        if isinstance(item, ArticleRecord):
            self.spool.add(item.to_dict())
        else:
            self.spool.add(dict(self._get_serialized_fields(item)))

    def finish_exporting(self) -> None:
        assert self.spool is not None
        sink: Any = self.target if self.target is not None else self.file
        if self.appending:
            # -o (append) onto an existing Parquet file: a second footer would corrupt it.
            # Keep the old file; write this crawl's table beside it.
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            base = self.target or Path("found.parquet")
            sink = base.with_name(f"{base.stem}-{stamp}{base.suffix}")
            logger.warning("%s is not empty and Parquet cannot be appended to: records "
                           "written to %s (use -O to overwrite)", base, sink)
        writer = TableWriter(TABLES["records"], sink, ROW_GROUP_RECORDS, ROW_GROUP_RECORDS)
        for record in self.spool.records():
            writer.add(record)
        writer.close()
        if _finished(self.crawler):
            self.spool.delete()


def _tell(file: IO[bytes]) -> int:
    try:
        return file.tell()
    except (OSError, ValueError, AttributeError):
        return 0


def _resuming(crawler: Crawler | None) -> bool:
    """True when this crawl resumes a killed one (its journal had entries)."""
    return bool(getattr(journal_of(getattr(crawler, "spider", None)), "resuming", False))


def _finished(crawler: Crawler | None) -> bool:
    """True when the crawl finished (not stopped): its spool is no longer needed."""
    if crawler is None or crawler.stats is None:
        return True
    return crawler.stats.get_value("finish_reason") in (None, "finished")
