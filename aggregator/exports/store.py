"""The crawl's own copy of what it produced, so outputs can be rebuilt whole at close.

RIS, NBIB, the reviewer CSV, the PRISMA block and its SVG must be complete after a kill
and a resume (contract, "Side outputs of a resumed crawl"), and the resumed run only
emits the records the killed one had not. So every record, permanent error and dropped
record is appended here as one line, flushed at once (a killed process loses nothing
the OS has), and the outputs are rebuilt from the complete set when the crawl closes:
the screening outputs (exports/outputs.py) and the analysts' datasets, Parquet tables and
edge list (exports/datasets.py), in one pass. The store is named like the journal (by the
spider and an argument digest), so a re-run with the same arguments finds it; when the
crawl finishes it is renamed ``*.done`` and the next run starts afresh. A cut last line is
dropped on open.

Reading back keeps the last copy of a record (a record whose write was cut by the kill
is fetched and written again), in a stable order: depth, then PMID.

A line is tab-separated, so the index is read without decoding any JSON (JSON text
never holds a raw tab: it escapes control characters):

- ``r<TAB>pmid<TAB>depth<TAB>internal keys JSON<TAB>record JSON`` — the record JSON is
  the feed's own line (exports/lines.py: serialised once for both);
- ``e<TAB>pmid<TAB>error kind`` and ``d<TAB>pmid<TAB>drop reason``.

The index of a crawl's records is three flat arrays (PMID, depth, offset: 24 bytes a
record copy), sorted in Arrow, so closing a crawl of 500,000 records needs no Python
object per record.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc

from aggregator.crawl.journal import repair_jsonl
from aggregator.exports.lines import RecordLine
from aggregator.records import ArticleRecord, ErrorEntry

logger = logging.getLogger(__name__)


#: offsets handed out per read of the sorted index (bounded Python objects at close)
_CHUNK = 20_000


@dataclass(slots=True)
class StoreIndex:
    """Where each record's last copy is (offsets in reading order), and the errors/drops."""

    offsets: pa.UInt64Array = field(default_factory=lambda: pa.array([], pa.uint64()))
    errors: dict[str, str] = field(default_factory=dict)  # pmid -> error kind (last)
    dropped: dict[str, str] = field(default_factory=dict)  # pmid -> reason

    def __len__(self) -> int:
        return len(self.offsets)


def _flat(values: array) -> pa.Array:
    """An ``array('Q')`` as an Arrow uint64 array (no copy through Python ints)."""
    return pa.Array.from_buffers(pa.uint64(), len(values), [None, pa.py_buffer(values)])


def _clean(text: str) -> str:
    """A field of a tab-separated line: no tab, no line break."""
    return " ".join(text.split())


class RecordStore:
    """Append-only lines of records (``r``), errors (``e``) and drops (``d``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        cut = repair_jsonl(path)
        if cut:
            logger.warning("repaired %s: dropped a cut last line (%d bytes)", path, cut)
        self.resumed = path.exists() and path.stat().st_size > 0
        self._handle: IO[str] | None = path.open("a", encoding="utf-8")

    @staticmethod
    def path_for(journal_path: Path | None, fallback: Path) -> Path:
        """Beside the journal, with its name (``pubmed-<digest>-journal.jsonl`` ->
        ``pubmed-<digest>-store.jsonl``); ``fallback`` without a journal."""
        if journal_path is None:
            return fallback
        name = journal_path.name.removesuffix(".jsonl").removesuffix("-journal")
        return journal_path.with_name(f"{name}-store.jsonl")

    def _write(self, line: str) -> None:
        if self._handle is None:
            return
        self._handle.write(line)
        self._handle.flush()

    def add_line(self, line: RecordLine) -> None:
        """Append a record already serialised (the feed's line, exports/lines.py)."""
        self._write(f"r\t{line.pmid}\t{line.depth}\t{line.internal}\t{line.feed}\n")

    def add_record(self, record: ArticleRecord) -> None:
        """Append a record as it is now."""
        self.add_line(RecordLine.of(record))

    def add_error(self, entry: ErrorEntry) -> None:
        if entry.pmid:
            self._write(f"e\t{_clean(entry.pmid)}\t{_clean(entry.kind)}\n")

    def add_dropped(self, pmid: str, reason: str) -> None:
        self._write(f"d\t{_clean(pmid)}\t{_clean(reason)}\n")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def finish(self) -> None:
        """The crawl is complete: keep the store as ``*.done`` so the next run starts afresh."""
        self.close()
        if self.path.exists():
            self.path.replace(self.path.with_name(self.path.name + ".done"))

    # --- reading back -------------------------------------------------------------
    def index(self) -> StoreIndex:
        """One pass over the store: the last copy of each record, errors, drops."""
        out = StoreIndex()
        if not self.path.exists():
            return out
        pmids, depths, offsets = array("Q"), array("Q"), array("Q")
        unreadable = 0
        with self.path.open("rb") as handle:
            at = 0
            for line in handle:
                start, at = at, at + len(line)
                kind, _, rest = line.partition(b"\t")
                if kind == b"r":
                    pmid, depth, _rest = rest.split(b"\t", 2)
                    if pmid.isdigit() and depth.isdigit():
                        pmids.append(int(pmid))
                        depths.append(int(depth))
                        offsets.append(start)
                        continue
                elif kind in (b"e", b"d"):
                    pmid, _, value = rest.rstrip(b"\n").partition(b"\t")
                    which = out.errors if kind == b"e" else out.dropped
                    which[pmid.decode("utf-8")] = value.decode("utf-8")
                    continue
                unreadable += 1
        if unreadable:  # e.g. a store written by an older version of the project
            logger.warning("%s: %d lines not in the store's format were left out",
                           self.path, unreadable)
        out.offsets = _last_copies(pmids, depths, offsets)
        return out

    def lines(self, index: StoreIndex) -> Iterator[RecordLine]:
        """Every record once (its last copy), by depth then PMID, as stored."""
        with self.path.open("rb") as handle:
            for start in range(0, len(index.offsets), _CHUNK):
                for at in index.offsets.slice(start, _CHUNK).to_pylist():
                    handle.seek(at)
                    _kind, pmid, depth, internal, feed = handle.readline().decode(
                        "utf-8").rstrip("\n").split("\t", 4)
                    yield RecordLine(pmid, int(depth), feed, internal)

    def dicts(self, index: StoreIndex) -> Iterator[dict[str, Any]]:
        """Every record once as a plain dict with its internal keys (``spool_dict``)."""
        for line in self.lines(index):
            yield line.whole()

    def records(self, index: StoreIndex) -> Iterator[ArticleRecord]:
        """Every record once as an ``ArticleRecord``."""
        for data in self.dicts(index):
            yield ArticleRecord.from_dict(data)


def _last_copies(pmids: array, depths: array, offsets: array) -> pa.UInt64Array:
    """Offsets of the last copy of each PMID, ordered by that copy's depth, then PMID."""
    if not pmids:
        return pa.array([], pa.uint64())
    table = pa.table({"pmid": _flat(pmids), "depth": _flat(depths), "at": _flat(offsets)})
    table = table.take(pc.sort_indices(
        table, sort_keys=[("pmid", "ascending"), ("at", "descending")]))
    pmid = table["pmid"].combine_chunks()
    # the first row of each PMID's run is its last copy
    first = pa.concat_arrays([pa.array([True]),
                              pc.not_equal(pmid.slice(1), pmid.slice(0, len(pmid) - 1))])
    table = table.filter(first)
    table = table.take(pc.sort_indices(
        table, sort_keys=[("depth", "ascending"), ("pmid", "ascending")]))
    return table["at"].combine_chunks()
