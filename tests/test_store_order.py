"""A record reaches a feed only once the record store holds it (pipelines/store.py).

Why it matters: a resumed crawl does not write again a record an appended feed already
holds (crawl/journal.py), and every side output is rebuilt from the store at close; a
record in the feed but not in the store would be missing from the CSV, RIS, NBIB, PRISMA
and Parquet tables of the resumed crawl (seen as an intermittent loss in
tests/test_parquet_resume.py when a kill fell between the feed's write and the store's).
Checked on the mirror (plumbing, not PubMed): a feed exporter that looks in the store
each time it is handed a record.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import crawl

MIRROR = (200, 9)


def test_every_record_is_in_the_store_before_a_feed_gets_it(tmp_path, mirror):
    graph, server = mirror
    seed = next(p for p in graph.pmids()[40:] if graph.exists(p))
    feed = tmp_path / "checked.jsonl"
    run = crawl(tmp_path, server, settings={
        "FEED_EXPORTERS": json.dumps({"storefirst": "tests.store_first.StoreFirstExporter"}),
        "FEEDS": json.dumps({str(feed): {"format": "storefirst"}})},
        pmids=seed, depth=1)
    written = [json.loads(line)["pmid"] for line in feed.read_text().splitlines()]
    assert len(written) >= 5 and sorted(written) == sorted(r["pmid"] for r in run.records)
    late = Path(str(feed) + ".late")
    assert not late.exists(), f"records in the feed before the store: {late.read_text()}"
