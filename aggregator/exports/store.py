"""The crawl's own copy of what it produced, so outputs can be rebuilt whole at close.

RIS, NBIB, the reviewer CSV, the PRISMA block and its SVG must be complete after a kill
and a resume (contract, "Side outputs of a resumed crawl"), and the resumed run only
emits the records the killed one had not. So every record, permanent error and dropped
record is appended here as one JSON line, flushed at once (a killed process loses
nothing the OS has), and the outputs are rebuilt from the complete set when the crawl
closes. The store is named like the journal (by the spider and an argument digest), so a
re-run with the same arguments finds it; when the crawl finishes it is renamed
``*.done`` and the next run starts afresh. A cut last line is dropped on open.

Reading back keeps the last copy of a record (a record whose write was cut by the kill
is fetched and written again), in a stable order: depth, then PMID.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from aggregator.crawl.journal import repair_jsonl
from aggregator.records import ArticleRecord, ErrorEntry

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class StoreIndex:
    """Where each record's last copy is, and the errors/drops without a record."""

    offsets: dict[int, tuple[int, int]] = field(default_factory=dict)  # pmid -> (depth, at)
    errors: dict[str, str] = field(default_factory=dict)  # pmid -> error kind (last)
    dropped: dict[str, str] = field(default_factory=dict)  # pmid -> reason


def store_dict(record: ArticleRecord) -> dict[str, Any]:
    """A record as the store keeps it: the whole record with the internal fields the rebuilt
    outputs need (``ArticleRecord.spool_dict``), so no second spelling of its fields."""
    return record.spool_dict()

class RecordStore:
    """Append-only JSON Lines of records (``r``), errors (``e``) and drops (``d``)."""

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

    def _write(self, entry: dict[str, Any]) -> None:
        if self._handle is None:
            return
        self._handle.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._handle.flush()

    def add_record(self, record: ArticleRecord) -> None:
        self._write({"r": store_dict(record)})

    def add_error(self, entry: ErrorEntry) -> None:
        if entry.pmid:
            self._write({"e": {"pmid": entry.pmid, "kind": entry.kind}})

    def add_dropped(self, pmid: str, reason: str) -> None:
        self._write({"d": {"pmid": pmid, "reason": reason}})

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
        with self.path.open("rb") as handle:
            at = 0
            for line in handle:
                start, at = at, at + len(line)
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if "r" in entry:
                    rec = entry["r"]
                    depth = (rec.get("provenance") or {}).get("depth") or 0
                    out.offsets[int(rec["pmid"])] = (int(depth), start)
                elif "e" in entry:
                    out.errors[str(entry["e"]["pmid"])] = str(entry["e"]["kind"])
                elif "d" in entry:
                    out.dropped[str(entry["d"]["pmid"])] = str(entry["d"]["reason"])
        return out

    def records(self, index: StoreIndex) -> Iterator[ArticleRecord]:
        """Every record once (its last copy), by depth then PMID."""
        order = sorted(index.offsets.items(), key=lambda kv: (kv[1][0], kv[0]))
        with self.path.open("rb") as handle:
            for _pmid, (_depth, at) in order:
                handle.seek(at)
                yield ArticleRecord.from_dict(json.loads(handle.readline())["r"])
