"""PmidSet (aggregator/crawl/pmidset.py) behaves as the Python set of ints it replaces in
the frontier, the journal and the dedupe pipeline (plumbing; no network)."""

from __future__ import annotations

import random

from aggregator.crawl.pmidset import PmidSet, PmidTextSet


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


def test_text_set_keeps_canonical_pmids_in_the_bitmap_and_other_text_apart():
    members = PmidTextSet()
    assert members.add("30000001") and not members.add("30000001")
    assert members.add("x9") and members.add(str(2**40))
    # text that is not a canonical PMID is never taken for one: "007" is not "7"
    assert members.add("7") and members.add("007") and members.add("²")
    assert not members.add("007")
    assert "30000001" in members and "30000002" not in members and "x9" in members
    assert str(2**40) in members and "1" not in members and "07" not in members
    assert 30000001 not in members  # keys are text
    assert len(members) == 6
