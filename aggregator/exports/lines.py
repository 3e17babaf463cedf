"""A record serialised once, shared by the JSON Lines feed and the record store.

Turning a record into JSON is a large share of a crawl's CPU (a record with 70
references and 20 MeSH terms is ~100 small objects). The feed and the record store both
need it, so it is done once, when the record is scraped: ``line_of(record)`` builds the
plain dict once, encodes the exported keys exactly as Scrapy's JSON Lines exporter does
(same bytes), encodes the internal keys (``records.NOT_EXPORTED``) apart, and keeps the
result on the record. A record is final once scraped (every pipeline has run), so the
kept line never goes stale in a crawl; code that changes a record afterwards must build
a fresh line with ``RecordLine.of``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aggregator.records import NOT_EXPORTED, ArticleRecord, field_names

__all__ = ["RecordLine", "line_of"]


def _fields_of(value: Any) -> dict[str, Any]:
    """json's ``default`` hook: a dataclass inside a record as a dict of its data fields.

    The C encoder walks lists, dicts and atoms itself and calls this once per nested
    dataclass (author, reference, MeSH term …), so no plain-dict copy of the record is
    built: the text is the same as encoding ``records.plain(record)``.
    """
    names = field_names(type(value))
    if names is None:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return {name: getattr(value, name) for name in names}


# Scrapy's JsonLinesItemExporter with FEED_EXPORT_ENCODING=utf-8 encodes with
# ScrapyJSONEncoder(ensure_ascii=False): json's default separators, no indent; a plain dict
# of str/int/float/bool/None encodes to the same text through json.dumps.
_FEED_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_fields_of)
_COMPACT_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                                    default=_fields_of)


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One record as text: the feed's JSON (no newline) and the internal keys' JSON."""

    pmid: str
    depth: int
    feed: str
    internal: str

    @classmethod
    def of(cls, record: ArticleRecord) -> RecordLine:
        """Serialise ``record`` now (not kept on it)."""
        names = field_names(type(record)) or ()
        data = {name: getattr(record, name) for name in names if name not in NOT_EXPORTED}
        internal = {name: getattr(record, name) for name in NOT_EXPORTED}
        depth = record.provenance.depth if record.provenance is not None else 0
        return cls(record.pmid, int(depth or 0), _FEED_ENCODER.encode(data),
                   _COMPACT_ENCODER.encode(internal))

    def whole(self) -> dict[str, Any]:
        """The record as a plain dict with its internal keys (``ArticleRecord.spool_dict``)."""
        data: dict[str, Any] = json.loads(self.feed)
        data.update(json.loads(self.internal))
        return data


def line_of(record: ArticleRecord) -> RecordLine:
    """The record's line, built on first use and kept on the record (see the module doc)."""
    line = record._line
    if line is None:
        line = record._line = RecordLine.of(record)
    return line
