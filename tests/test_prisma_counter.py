"""PrismaCounter's per-seed cap (aggregator/exports/prisma.py): unit test on hand-made records."""

from __future__ import annotations

from aggregator.exports.prisma import PrismaCounter
from aggregator.records import ArticleRecord, Provenance


def _seed(pmid: str, refs: list[str]) -> ArticleRecord:
    return ArticleRecord(pmid=pmid, reference_pmids=refs,
                         provenance=Provenance(seed=pmid, parent=None, relation="seed", depth=0))


def test_more_seeds_than_the_cap_give_totals_only():
    records = [_seed("1", ["10", "11"]), _seed("2", ["11"]), _seed("3", ["12", "1"])]
    capped, full = PrismaCounter(["references"], 1, per_seed_max=2), PrismaCounter(
        ["references"], 1, per_seed_max=3)
    for record in records:
        capped.add(record)
        full.add(record)
    one, other = capped.block({}, {}), full.block({}, {})
    assert one["per_seed"] is None and "3 seeds, more than 2" in one["per_seed_omitted"]
    assert sorted(other["per_seed"]) == ["1", "2", "3"] and other["per_seed_omitted"] is None
    assert one["total"] == other["total"]
    # 5 links to 4 distinct articles (10, 11, 12, 1), one of them a seed: 3 new (by hand)
    assert one["total"]["links_total"] == 5 and one["total"]["already_among_seeds"] == 1
    assert one["total"]["new_unique_records"] == 3 and one["seeds"] == 3
