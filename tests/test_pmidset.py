"""PmidSet (aggregator/crawl/pmidset.py) behaves as the Python set of ints it replaces in
the frontier, the journal and the dedupe pipeline (plumbing; no network)."""

from __future__ import annotations

import random

from aggregator.crawl.pmidset import PmidSet


def test_add_contains_len_discard_agree_with_a_set():
    rnd = random.Random(7)
    ours, theirs = PmidSet(), set()
    ids = [rnd.randrange(0, 40_000_000) for _ in range(5000)] + [0, 7, 8, 39_999_999]
    ids += [PmidSet.LIMIT, PmidSet.LIMIT + 12_345, 10**12]  # past the bitmap: the fallback set
    for pmid in ids + ids[:100]:  # some twice
        assert ours.add(pmid) == (pmid not in theirs)
        theirs.add(pmid)
    assert len(ours) == len(theirs)
    for pmid in ids[::3]:
        ours.discard(pmid)
        theirs.discard(pmid)
    ours.discard(12)  # absent: no change
    assert len(ours) == len(theirs)
    probes = ids + [rnd.randrange(0, 40_000_000) for _ in range(5000)] + [-1, PmidSet.LIMIT + 1]
    assert [p in ours for p in probes] == [p in theirs for p in probes]


def test_only_ints_are_members():
    s = PmidSet([30_000_001])
    assert 30_000_001 in s and "30000001" not in s and None not in s
