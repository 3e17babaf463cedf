"""The record store the screening outputs are rebuilt from (aggregator/exports/store.py)."""

from __future__ import annotations

from pathlib import Path

from aggregator.exports.store import RecordStore
from aggregator.records import ErrorEntry, Provenance
from tests.test_screening_exports import fixture_records

#: in no rebuilt output, so not stored
NOT_STORED = ("references", "conflict_of_interest", "incomplete_lists")


def comparable(record) -> dict:
    data = record.to_dict()
    for key in NOT_STORED:
        data.pop(key)
    data["review"].pop("evidence")
    return data


def test_round_trip_last_copy_order_errors_and_a_cut_line(tmp_path: Path):
    records = fixture_records()
    for i, record in enumerate(records):  # depth 1 and 0 alternating
        record.provenance = Provenance(seed="1", parent="1", relation="similar", depth=i % 2)
    path = tmp_path / "s.jsonl"
    store = RecordStore(path)
    assert not store.resumed
    for record in records:
        store.add_record(record)
    records[0].title = "second copy"  # written again after a kill: the last copy counts
    store.add_record(records[0])
    store.add_error(ErrorEntry(url="u", pmid="77", reason="gone", status=404, kind="not_found"))
    store.add_dropped("78", "dropped_not_a_review")
    store.close()
    with path.open("a") as handle:
        handle.write('{"r": {"pmid": "9')  # as if the kill had cut a write
    store = RecordStore(path)
    assert store.resumed
    index = store.index()
    assert index.errors == {"77": "not_found"} and index.dropped == {"78": "dropped_not_a_review"}
    back = list(store.records(index))
    want = sorted(records, key=lambda r: (r.provenance.depth, int(r.pmid)))
    assert [r.pmid for r in back] == [r.pmid for r in want]
    assert [comparable(r) for r in back] == [comparable(r) for r in want]
    assert next(r for r in back if r.pmid == records[0].pmid).title == "second copy"
    store.finish()
    assert not path.exists() and path.with_name("s.jsonl.done").exists()


def test_named_beside_the_journal(tmp_path: Path):
    journal = tmp_path / "pubmed-0123abcd-journal.jsonl"
    assert RecordStore.path_for(journal, tmp_path / "x") == tmp_path / "pubmed-0123abcd-store.jsonl"
    assert RecordStore.path_for(None, tmp_path / "x") == tmp_path / "x"
