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
from aggregator.crawl.pmidset import PmidTextSet

logger = logging.getLogger(__name__)

__all__ = ["RecordSpool", "journal_of"]


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
        seen = PmidTextSet()
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
