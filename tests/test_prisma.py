"""The PRISMA counter's per-seed scopes (aggregator/exports/prisma.py): kept for a snowball
from a few seeds, left out past PER_SEED_LIMIT (a query crawl: every hit is a seed) with
the total unchanged (plumbing: hand-built records)."""

from __future__ import annotations

import pytest

from aggregator.exports import prisma
from aggregator.records import ArticleRecord, Provenance


def _records() -> list[ArticleRecord]:
    out = []
    for seed in ("30000001", "30000002", "30000003"):
        out.append(ArticleRecord(pmid=seed, source="eutils", reference_pmids=["30000009"],
                                 provenance=Provenance(seed=seed, parent=None,
                                                       relation="seed", depth=0)))
    out.append(ArticleRecord(pmid="30000009", source="eutils", provenance=Provenance(
        seed="30000001", parent="30000001", relation="references", depth=1)))
    return out


def _block(limit: int, monkeypatch: pytest.MonkeyPatch, order: slice) -> dict:
    monkeypatch.setattr(prisma, "PER_SEED_LIMIT", limit)
    counter = prisma.PrismaCounter(["references"], max_depth=1)
    for record in _records()[order]:
        counter.add(record)
    return counter.block({}, {})


@pytest.mark.parametrize("order", [slice(None), slice(None, None, -1)])
def test_per_seed_scopes_up_to_the_limit_then_left_out(monkeypatch, order):
    kept = _block(3, monkeypatch, order)
    assert sorted(kept["per_seed"]) == ["30000001", "30000002", "30000003"]
    assert kept["per_seed"]["30000001"]["records"] == 2  # the seed and its reference
    assert kept["per_seed"]["30000001"]["retrieved"] == 1
    assert "per_seed_omitted" not in kept
    left_out = _block(2, monkeypatch, order)
    assert left_out["per_seed"] == {}
    assert "more than 2 seeds" in left_out["per_seed_omitted"]
    assert left_out["total"] == kept["total"]
    assert kept["total"]["records"] == 4 and kept["total"]["links_total"] == 3
    assert kept["total"]["unique_linked_articles"] == 1
    assert kept["total"]["duplicates_removed"] == 2
