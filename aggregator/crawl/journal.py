"""A crash-safe journal of finished articles, so a killed crawl can be resumed.

JOBDIR covers a graceful stop only: after a hard kill (SIGKILL, OOM, power loss)
Scrapy's request queue is gone. The journal is the project's own record of progress:
one JSON line per finished article — its PMID, whether its record was written, and its
links (similar, references, cited by) — appended in batches (at most
``AGGREGATOR_JOURNAL_FLUSH_SECS`` apart and at each BFS level), each batch written only
after the feed file has been flushed and fsync'ed, so the journal never claims a record
the feed does not hold.

On a re-run with the same arguments the spider replays the journal instead of fetching:
a finished article's stored links are offered to the frontier (so its neighbours are
still reached, at the same depth and with the same provenance), and its record is not
written again. Records that reached the feed after the last journal batch are found by
reading the feed itself (from where this crawl started writing). A cut last line in a
JSON Lines feed is truncated before the feed reopens, and ``-O`` is turned into
``-o`` (append) on resume. When a crawl finishes, the journal is renamed ``*.done``: the
next run with the same arguments starts afresh — except that a feed opened with ``-o``
(append) is read first, and the records it already holds are replayed (their links
offered, nothing fetched) and never written twice, journal or not.

Errors that may go away (download errors, blocks) are not journaled: a resumed run
fetches those articles again. Permanent ones (not found, unparseable) are.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter
from twisted.internet import task

from aggregator.config import config_of
from aggregator.crawl.pmidset import PmidSet
from aggregator.records import LINKS, ArticleRecord, ErrorEntry, Relation
from aggregator.signals import error_recorded

logger = logging.getLogger(__name__)

__all__ = ["Journal", "journal_path", "local_jsonl_feeds", "repair_jsonl"]

STATS = "aggregator/resume"
#: error kinds that a later attempt may not repeat: such articles are fetched again
_TRANSIENT_ERRORS = frozenset({"download_error", "blocked", "challenge"})

Links = dict[Relation, list[str]]


def journal_path(settings: Any, spider_name: str, raw_args: dict[str, str]) -> Path:
    """Where the journal lives (see the AGGREGATOR_JOURNAL setting)."""
    explicit = settings.get("AGGREGATOR_JOURNAL")
    if explicit:
        return Path(explicit)
    jobdir = settings.get("JOBDIR")
    if jobdir:
        return Path(jobdir) / f"{spider_name}-journal.jsonl"
    key = json.dumps(sorted(raw_args.items()), ensure_ascii=False)
    digest = hashlib.sha256(f"{spider_name}\0{key}".encode()).hexdigest()[:12]
    return Path(settings.get("OUTPUT_DIR") or "output") / f"{spider_name}-{digest}-journal.jsonl"


def local_jsonl_feeds(settings: Any) -> list[tuple[str, Path, bool]]:
    """``(uri, path, overwrite)`` of the FEEDS written as JSON Lines to a local file."""
    out = []
    for uri, options in settings.getdict("FEEDS").items():
        uri = str(uri)
        fmt = (options or {}).get("format", "")
        if fmt not in ("jsonlines", "jsonl") or "%(" in uri:
            continue
        if uri.startswith("file://"):
            path = Path(uri[len("file://"):])
        elif "://" in uri or uri.startswith("stdout:"):
            continue
        else:
            path = Path(uri)
        out.append((uri, path.absolute(), bool((options or {}).get("overwrite"))))
    return out


def repair_jsonl(path: Path) -> int:
    """Drop a cut last line (no final newline) from a JSON Lines file; bytes removed."""
    if not path.exists():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with path.open("rb+") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        # find the last newline, reading backwards in blocks
        end = size
        keep = 0
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            block = handle.read(end - start)
            at = block.rfind(b"\n")
            if at >= 0:
                keep = start + at + 1
                break
            end = start
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


class Journal:
    """The journal of one crawl; the spider asks it what is already done."""

    def __init__(self, crawler: Crawler, path: Path, header: dict[str, Any]) -> None:
        self.crawler = crawler
        self.path = path
        self.flush_secs = config_of(crawler).journal_flush_secs
        self.resuming = path.exists() and path.stat().st_size > 0
        #: pmid -> (written, links) of articles finished by an earlier run, until replayed
        self._done: dict[int, tuple[bool, Links]] = {}
        #: PMIDs whose record is written (earlier runs) or handed on (this run)
        self._written = PmidSet()
        self._buffer: list[str] = []
        self.repaired = 0  # bytes of cut last lines dropped from the feeds
        self.entries = 0  # entries written by this run
        self.feeds = local_jsonl_feeds(crawler.settings)
        offsets: dict[str, int] = {}
        if self.resuming:
            offsets = self._load()
        for _uri, feed, overwrite in self.feeds:
            cut = repair_jsonl(feed)
            if cut:
                self.repaired += cut
                logger.warning("repaired %s: dropped a cut last line (%d bytes)", feed, cut)
            if not overwrite and feed.exists():
                # -o appends: a record the file already holds is never written again,
                # whichever run wrote it (a finished crawl run again, a crawl killed
                # after its journal was closed): the file is the truth, not the journal.
                before = len(self._written)
                self._read_feed(feed, 0)
                if len(self._written) > before:
                    logger.info("%s already holds %d records: they are not written again",
                                feed, len(self._written) - before)
            elif self.resuming and str(feed) in offsets:
                self._read_feed(feed, offsets[str(feed)])
        # where this crawl's records start in each feed (-O empties it first)
        new_feeds = {str(p): (p.stat().st_size if p.exists() and not overwrite else 0)
                     for _u, p, overwrite in self.feeds if str(p) not in offsets}
        path.parent.mkdir(parents=True, exist_ok=True)
        repair_jsonl(path)  # a cut last entry would swallow the next one
        self._handle: IO[str] = path.open("a", encoding="utf-8")
        if new_feeds or not self.resuming:
            self._buffer.append(json.dumps({**header, "feeds": new_feeds}) + "\n")
            self.flush()
        self._timer: task.LoopingCall | None = None
        self.resumed_done = len(self._done)
        if self.resuming:
            logger.info("resuming from journal %s: %d articles done (%d records written)",
                        path, len(self._done), len(self._written))
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.error, signal=error_recorded)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def for_spider(cls, spider: Spider, crawler: Crawler) -> Journal | None:
        """The spider's journal (None when AGGREGATOR_JOURNAL_ENABLED is off)."""
        if not config_of(crawler).journal_enabled:
            return None
        raw_args = dict(getattr(spider, "_raw_args", {}))
        path = journal_path(crawler.settings, spider.name, raw_args)
        return cls(crawler, path, {"journal": 1, "spider": spider.name, "args": raw_args})

    # --- reading ------------------------------------------------------------------
    def _load(self) -> dict[str, int]:
        """Read the journal; returns the feed offsets where this crawl's records start."""
        offsets: dict[str, int] = {}
        for entry in _json_lines(self.path):
            if "journal" in entry:
                for feed, offset in entry.get("feeds", {}).items():
                    offsets.setdefault(feed, int(offset))
            elif "pmid" in entry:
                self._remember(int(entry["pmid"]), bool(entry.get("out")),
                               {Relation(k): v for k, v in entry.get("links", {}).items()})
        return offsets

    def _read_feed(self, feed: Path, offset: int) -> None:
        """Records already in the feed (newer than the journal's last batch, maybe)."""
        with feed.open("rb") as handle:
            handle.seek(offset)
            for line in handle:
                try:
                    record = json.loads(line)
                    pmid = int(record["pmid"])
                except (ValueError, KeyError, TypeError):
                    continue
                links = {lk.relation: list(record.get(lk.field) or []) for lk in LINKS}
                self._remember(pmid, True, links)

    def _remember(self, pmid: int, written: bool, links: Links) -> None:
        old = self._done.get(pmid)
        if old is not None:
            written = written or old[0]
            links = links or old[1]
        self._done[pmid] = (written, links)
        if written:
            self._written.add(pmid)

    # --- what the spider asks -------------------------------------------------------
    def take(self, pmid: str) -> tuple[bool, Links] | None:
        """``(written, links)`` if an earlier run finished this article (once), else None."""
        if not self._done:
            return None
        entry = self._done.pop(int(pmid), None)
        if entry is not None:
            self.crawler.stats.inc_value(f"{STATS}/replayed")
        return entry

    def claim(self, pmid: str) -> bool:
        """True if this article's record may be handed on now (not written before)."""
        key = int(pmid)
        if key in self._written:
            self.crawler.stats.inc_value(f"{STATS}/not_rewritten")
            return False
        self._written.add(key)
        return True

    # --- writing --------------------------------------------------------------------
    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, ArticleRecord):
            self._add(item, out=True)

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        if isinstance(item, ArticleRecord):
            self._add(item, out=False)

    def _add(self, record: ArticleRecord, out: bool) -> None:
        links = {rel.value: pmids or [] for rel, pmids in record.links().items()}
        self._buffer.append(json.dumps({"pmid": record.pmid, "out": out, "links": links},
                                       separators=(",", ":")) + "\n")

    def error(self, entry: ErrorEntry, spider: Spider | None = None) -> None:
        kind = entry.kind or ""
        if (entry.pmid is None or kind in _TRANSIENT_ERRORS
                or kind.startswith(("list", "search"))):
            return
        self._buffer.append(json.dumps({"pmid": entry.pmid, "error": kind}) + "\n")

    def flush(self) -> None:
        """Make the feed durable, then append the buffered entries durably."""
        if not self._buffer:
            return
        self._sync_feeds()
        self._handle.write("".join(self._buffer))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.entries += len(self._buffer)
        self._buffer.clear()

    def _sync_feeds(self) -> None:
        exporter = _feed_exporter(self.crawler)
        for slot in getattr(exporter, "slots", []):
            handle = getattr(slot, "file", None)
            if handle is None:
                continue
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except (OSError, ValueError, AttributeError):
                pass  # not a plain file (e.g. a post-processing wrapper): flushed at close

    # --- lifecycle ------------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        stats = self.crawler.stats
        stats.set_value(f"{STATS}/journal", str(self.path))
        if self.repaired:
            stats.set_value(f"{STATS}/feed_bytes_repaired", self.repaired)
        if self.resuming:
            stats.set_value(f"{STATS}/resumed_done", self.resumed_done)
            self._append_to_feeds()
        self._timer = task.LoopingCall(self.flush)
        self._timer.start(self.flush_secs, now=False)

    def _append_to_feeds(self) -> None:
        """On resume, ``-O`` would wipe the records of the earlier runs: append instead."""
        exporter = _feed_exporter(self.crawler)
        local = {uri for uri, _path, _overwrite in self.feeds}
        for uri, options in getattr(exporter, "feeds", {}).items():
            if uri in local and options.get("overwrite"):
                options["overwrite"] = False
                logger.warning("resuming: appending to %s instead of overwriting it", uri)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        self._handle.close()
        self.crawler.stats.set_value(f"{STATS}/journal_entries", self.entries)
        self._reason = reason

    def engine_stopped(self) -> None:
        """Close the journal as done only once the feeds are stored (they close after us)."""
        reason = getattr(self, "_reason", None)
        if reason is None:
            return
        failed = [k for k, v in self.crawler.stats.get_stats().items()
                  if k.startswith("feedexport/failed_count/") and v]
        if reason == "finished" and not failed:
            done = self.path.with_name(self.path.name + ".done")
            self.path.replace(done)
            logger.info("crawl finished: journal closed as %s", done)
        elif failed:
            logger.error("a feed could not be stored: the journal stays open, run the same "
                         "command again to write the records (journal %s)", self.path)
        else:
            logger.warning("crawl stopped (%s): run the same command again to resume "
                           "(journal %s)", reason, self.path)


def _feed_exporter(crawler: Crawler) -> FeedExporter | None:
    try:
        return crawler.get_extension(FeedExporter)
    except Exception:  # no extensions yet, or FEEDS not configured
        return None


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a cut last line after a hard kill
            if isinstance(entry, dict):
                yield entry
