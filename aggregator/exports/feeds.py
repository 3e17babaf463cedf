"""Feed exporters: JSON Lines in one step per record, and the screening formats
(``ris``, ``nbib``, ``csv``) registered in FEED_EXPORTERS for ``-O found.ris`` etc."""

from __future__ import annotations

import csv
import io
from typing import Any

from scrapy.exporters import BaseItemExporter, JsonLinesItemExporter
from scrapy.utils.python import to_bytes

from aggregator.exports.lines import line_of
from aggregator.exports.nbib import nbib_text
from aggregator.exports.rayyan_csv import CSV_COLUMNS, csv_values
from aggregator.exports.ris import ris_text
from aggregator.records import ArticleRecord


class RecordJsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's exporter turns each nested dataclass (authors, references, MeSH …)
    into a dict through its generic item path, which profiled as the largest cost of
    writing a record. A record is serialised once instead (exports/lines.py: the same
    bytes Scrapy's encoder gives), and the record store writes that same text. Other
    items, and feeds with ``fields``, take Scrapy's path; a feed with other encoder
    options (indent, ASCII-only) encodes the record's dict itself."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        enc = self.encoder
        self._shared = (not enc.ensure_ascii and enc.indent is None and not enc.sort_keys
                        and enc.item_separator == ", " and enc.key_separator == ": ")

    def export_item(self, item: Any) -> None:
        if not isinstance(item, ArticleRecord) or self.fields_to_export is not None:
            super().export_item(item)
            return
        text = line_of(item).feed if self._shared else self.encoder.encode(item.to_dict())
        self.file.write(to_bytes(text + "\n", self.encoding))


class _TextRecordExporter(BaseItemExporter):
    """Base of the record-only text formats: one record in, its text out (UTF-8)."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        self._configure(kwargs, dont_fail=True)
        self.file = file
        self.encoding = self.encoding or "utf-8"

    def text(self, record: ArticleRecord) -> str:
        raise NotImplementedError

    def export_item(self, item: Any) -> None:
        if isinstance(item, ArticleRecord):  # the only item a crawl yields to its feeds
            self.file.write(to_bytes(self.text(item), self.encoding))


class RisItemExporter(_TextRecordExporter):
    """``-O found.ris``: RIS references (aggregator/exports/ris.py)."""

    def text(self, record: ArticleRecord) -> str:
        return ris_text(record)


class NbibItemExporter(_TextRecordExporter):
    """``-O found.nbib``: PubMed/MEDLINE format (aggregator/exports/nbib.py)."""

    def text(self, record: ArticleRecord) -> str:
        return nbib_text(record)


class ReviewerCsvItemExporter(_TextRecordExporter):
    """``-O found.csv``: the reviewer CSV (Rayyan's columns first), not Scrapy's reprs."""

    def start_exporting(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)  # rows as value lists (rayyan_csv.write_csv)
        self._writer.writerow(CSV_COLUMNS)
        self._flush()

    def _flush(self) -> None:
        self.file.write(to_bytes(self._buffer.getvalue(), self.encoding))
        self._buffer.seek(0)
        self._buffer.truncate()

    def export_item(self, item: Any) -> None:
        if isinstance(item, ArticleRecord):
            self._writer.writerow(csv_values(item))
            self._flush()
