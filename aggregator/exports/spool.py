"""A crash-safe spool of the crawl's records, from which formats with a footer are built.

A Parquet file is unreadable until its footer is written, and a killed crawl writes no
footer. So records are appended during the crawl to a JSON Lines spool (a format that
survives a cut: a cut last line is dropped), and the tables are built from the spool when
the crawl closes. The spool is named after the crawl's journal (same spider and
arguments), so a re-run after a kill finds it and adds the rest: its tables then hold
every record, as an uninterrupted run's would. A finished crawl deletes its spool.

Each line is flushed as it is written, so it survives a kill of the process (the feed
and journal are flushed later than the spool, so the spool never lags what the journal
says was written). A record spooled twice (spooled, then re-emitted by the resumed run
because the kill came before the journal knew of it) is read once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from aggregator.crawl.journal import repair_jsonl

logger = logging.getLogger(__name__)

__all__ = ["PmidSet", "RecordSpool", "journal_of"]


def journal_of(spider: Any) -> Any:
    """The spider's crash-safe journal (``crawl_state.journal``), or None."""
    state = getattr(spider, "crawl_state", None)
    return getattr(state, "journal", None) or getattr(spider, "journal", None)


class RecordSpool:
    """Append-only JSON Lines of records (``to_dict()``), kept across a resumed crawl."""

    def __init__(self, path: Path, resuming: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if resuming:
            cut = repair_jsonl(path)
            if cut:
                logger.warning("repaired %s: dropped a cut last line (%d bytes)", path, cut)
        self._handle: IO[str] | None = path.open("a" if resuming else "w", encoding="utf-8")
        self.resumed = resuming and path.stat().st_size > 0

    def add(self, record: dict[str, Any]) -> None:
        """Append one record (flushed: it survives a kill of the process)."""
        assert self._handle is not None
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def records(self) -> Iterator[dict[str, Any]]:
        """Every spooled record once (the first copy of a PMID), in spool order."""
        self.close()
        seen = PmidSet()
        with self.path.open("rb") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                    pmid = str(record["pmid"])
                except (ValueError, KeyError, TypeError):
                    continue  # a cut line (repaired on resume; kept out here too)
                if seen.add(pmid):
                    yield record

    def delete(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class PmidSet:
    """A set of PMIDs in bounded memory: a bitmap over the PMID range (PubMed's are under
    ~40 million: 5 MB however many records), a Python set for anything else."""

    LIMIT = 1 << 30  # a larger (or non-digit) PMID goes to the fallback set

    def __init__(self) -> None:
        self._bits = bytearray()
        self._other: set[str] = set()
        self.count = 0

    def add(self, pmid: str) -> bool:
        """Add ``pmid``; True if it was not there."""
        if pmid.isdigit() and int(pmid) < self.LIMIT:
            n = int(pmid)
            byte, bit = n >> 3, 1 << (n & 7)
            if byte >= len(self._bits):
                self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits) // 4)))
            if self._bits[byte] & bit:
                return False
            self._bits[byte] |= bit
        else:
            if pmid in self._other:
                return False
            self._other.add(pmid)
        self.count += 1
        return True

    def __contains__(self, pmid: object) -> bool:
        if not isinstance(pmid, str):
            return False
        if pmid.isdigit() and int(pmid) < self.LIMIT:
            n = int(pmid)
            return (n >> 3) < len(self._bits) and bool(self._bits[n >> 3] & (1 << (n & 7)))
        return pmid in self._other
