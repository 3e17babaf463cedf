"""The JSON Lines feed exporter (exports/feeds.py) writes what Scrapy's own exporter writes.

The oracle is Scrapy's ``JsonLinesItemExporter`` given the record's plain dict: the shared
fast path (the feed's default options) and the fallback paths (other encoder options,
``fields``) must each give its bytes.
"""

from __future__ import annotations

import io

import pytest
from scrapy.exporters import JsonLinesItemExporter
from test_parser_guarantees import RECORDS

from aggregator.exports.feeds import RecordJsonLinesExporter

# a record with non-ASCII text (é, –, Greek …) so that ASCII-only encoding shows
SAMPLE = [r for r in RECORDS if any(ord(c) > 127 for c in str(r.to_dict()))
          ][:5]

OPTIONS = [
    {"encoding": "utf-8"},  # what FEED_EXPORT_ENCODING=utf-8 (our setting) gives: shared line
    {},  # no encoding: Scrapy encodes ASCII-only
    {"encoding": "utf-8", "sort_keys": True},
    {"encoding": "utf-8", "fields_to_export": ["pmid", "title", "doi"]},
]


def _write(exporter_class: type, records: list, **options) -> bytes:
    out = io.BytesIO()
    exporter = exporter_class(out, **options)
    exporter.start_exporting()
    for record in records:
        exporter.export_item(record)
    exporter.finish_exporting()
    return out.getvalue()


def test_the_sample_has_non_ascii_text() -> None:
    assert len(SAMPLE) == 5


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(map(str, o)) or "none")
def test_feed_bytes_are_scrapys(options: dict) -> None:
    ours = _write(RecordJsonLinesExporter, SAMPLE, **options)
    theirs = _write(JsonLinesItemExporter, [r.to_dict() for r in SAMPLE], **options)
    assert ours == theirs
    assert ours.count(b"\n") == len(SAMPLE)
