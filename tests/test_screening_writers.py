"""The fast paths of the screening writers give the text of the plain ways they replace:
NBIB's line cutting (word-by-word filling), RIS a batch at a time (rispy, one reference
per call), and the close-of-crawl pass over the store's dicts (the writers on records)."""

from __future__ import annotations

import io
import random

import rispy
from rispy.writer import RisWriter

from aggregator.exports.lines import RecordLine
from aggregator.exports.nbib import WIDTH, wrap, write_nbib
from aggregator.exports.outputs import _screening
from aggregator.exports.prisma import PrismaCounter
from aggregator.exports.rayyan_csv import write_csv
from aggregator.exports.ris import ris_entry, write_ris
from aggregator.exports.store import RecordStore
from tests.test_screening_exports import fixture_records, retracted


def filled(tag: str, value: str) -> list[str]:
    """NBIB's layout rule done the slow, obvious way: add words while the line fits."""
    lines, line, first = [], f"{tag:<4}- ", True
    for word in value.split(" "):
        if not first and len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = " " * 6 + word
        else:
            line = line + word if first else f"{line} {word}"
        first = False
    return [*lines, line]


def test_wrap_cuts_lines_where_word_by_word_filling_does():
    rng = random.Random(7)
    values = []
    for _ in range(20_000):
        words = ["" if rng.random() < 0.1 else "x" * rng.choice(
            [rng.randint(1, 12), rng.randint(70, 100)]) for _ in range(rng.randint(0, 40))]
        values.append(" " * rng.randint(0, 2) + " ".join(words) + " " * rng.randint(0, 2))
    # every place of one space around the length limit
    values += ["a" * at + " " + "b" * (length - at - 1)
               for length in range(75, 100) for at in range(length)]
    for value in values:
        for tag in ("TI", "AB", "PMID", "OTO"):
            assert wrap(tag, value) == filled(tag, value), (tag, value)


class _OnePerCall(RisWriter):
    """rispy's own writer, header line left out: what a record written alone looks like."""

    def set_header(self, count: int) -> str:
        return ""


def test_ris_in_batches_is_rispy_one_reference_at_a_time():
    records = fixture_records() + [retracted()]
    expected = "".join(rispy.dumps([ris_entry(r)], implementation=_OnePerCall) + "\n"
                       for r in records * 3)
    out = io.StringIO()
    write_ris(records * 3, out)  # one rispy call for all of them (fewer than BATCH)
    assert out.getvalue() == expected


def test_ris_batch_boundaries(monkeypatch):
    from aggregator.exports import ris
    records = fixture_records()
    whole = io.StringIO()
    write_ris(records, whole)
    monkeypatch.setattr(ris, "BATCH", 3)  # 10 records: batches of 3, 3, 3, 1
    cut = io.StringIO()
    write_ris(records, cut)
    assert cut.getvalue() == whole.getvalue()


def test_close_pass_over_store_dicts_writes_what_the_record_writers_write(tmp_path):
    records = fixture_records() + [retracted()]
    records[-1].pmid = "99999999"  # the retracted copy is a record of its own
    store = RecordStore(tmp_path / "store.jsonl")
    for record in records:
        store.add_line(RecordLine.of(record))
    store.close()
    handles = {k: io.StringIO(newline="") for k in ("csv", "ris", "nbib")}
    tally = {"records": 0, "outside": 0}
    passed = list(_screening(store.dicts(store.index()), handles,
                             PrismaCounter([], 0), tally))
    assert tally["records"] == len(passed) == len(records)
    ordered = sorted(records, key=lambda r: (r.provenance.depth, int(r.pmid)))  # store order
    for key, write in (("csv", write_csv), ("ris", write_ris), ("nbib", write_nbib)):
        expected = io.StringIO(newline="")
        write(ordered, expected)
        assert handles[key].getvalue() == expected.getvalue(), key
