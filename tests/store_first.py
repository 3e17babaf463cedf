"""A feed exporter for tests/test_store_order.py, imported by the crawl it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aggregator.exports.feeds import RecordJsonLinesExporter


class StoreFirstExporter(RecordJsonLinesExporter):
    """JSON Lines, and a note in ``<feed>.late`` of each record the store did not hold yet."""

    def __init__(self, file: Any, crawler: Any = None, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.side = Path(crawler.settings.get("OUTPUT_DIR")) if crawler else None
        self.late = Path(file.name + ".late")

    @classmethod
    def from_crawler(cls, crawler: Any, file: Any, **kwargs: Any) -> StoreFirstExporter:
        return cls(file, crawler=crawler, **kwargs)

    def export_item(self, item: Any) -> None:
        stored = "".join(p.read_text(encoding="utf-8")
                         for p in self.side.rglob("*-store.jsonl"))
        if f"r\t{item.pmid}\t" not in stored:
            with self.late.open("a") as handle:
                handle.write(item.pmid + "\n")
        super().export_item(item)
