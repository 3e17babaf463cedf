"""``reached_by``: every way the frontier met an article before fetching it, bounded."""

from __future__ import annotations

import itertools

from aggregator.crawl.frontier import REACHED_BY_LIMIT, Frontier
from aggregator.records import Provenance, Relation, Way

FOLLOW = (Relation.SIMILAR, Relation.REFERENCES, Relation.CITED_BY)


def level_one(offers: list[tuple[str, Relation, list[str]]]) -> dict[str, list[Way]]:
    frontier = Frontier(2, FOLLOW)
    seeds = dict(frontier.add_seeds(sorted({p for p, _r, _t in offers})))
    for parent, relation, targets in offers:
        frontier.offer(parent, seeds[parent], relation, targets)
    taken = list(frontier.take(1000))
    return {pmid: frontier.reached_by(pmid, prov) for pmid, prov in taken}


def test_every_parent_and_relation_is_kept_in_tie_break_order():
    ways = level_one([
        ("30", Relation.SIMILAR, ["7"]),
        ("20", Relation.CITED_BY, ["7"]),
        ("10", Relation.SIMILAR, ["7"]),
        ("20", Relation.REFERENCES, ["7", "8"]),
        ("20", Relation.REFERENCES, ["7"]),  # the same parent listing it twice: one way
    ])
    assert ways["7"] == [
        Way("20", "references", 1), Way("20", "cited_by", 1),
        Way("10", "similar", 1), Way("30", "similar", 1),
    ]
    assert ways["8"] == [Way("20", "references", 1)]


def test_the_first_way_is_the_provenance_and_order_of_arrival_does_not_matter():
    offers = [(str(p), rel, ["5"]) for p in (11, 12, 13) for rel in FOLLOW]
    results = {repr(level_one(list(perm))["5"]) for perm in itertools.permutations(offers[:5])}
    assert len(results) == 1
    frontier = Frontier(1, FOLLOW)
    seeds = dict(frontier.add_seeds(["12", "11"]))
    frontier.offer("12", seeds["12"], Relation.SIMILAR, ["5"])
    frontier.offer("11", seeds["11"], Relation.CITED_BY, ["5"])
    ((pmid, prov),) = frontier.take(10)
    first = frontier.reached_by(pmid, prov)[0]
    assert (first.parent, first.relation, first.depth) == (prov.parent, prov.relation, prov.depth)


def test_bounded_to_the_best_ways():
    offers = [(str(1000 + p), Relation.SIMILAR, ["5"]) for p in range(REACHED_BY_LIMIT + 15)]
    ways = level_one(list(reversed(offers)))["5"]
    assert len(ways) == REACHED_BY_LIMIT
    assert [w.parent for w in ways] == [str(1000 + p) for p in range(REACHED_BY_LIMIT)]


def test_a_seed_is_reached_as_a_seed():
    frontier = Frontier(1, FOLLOW)
    ((pmid, prov),) = frontier.add_seeds(["42"])
    assert frontier.reached_by(pmid, prov) == [Way(None, "seed", 0)]
    assert prov == Provenance(seed="42", parent=None, relation="seed", depth=0)
