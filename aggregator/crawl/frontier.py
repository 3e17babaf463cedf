"""Breadth-first bookkeeping shared by both spiders (no Scrapy here).

The graph is expanded level by level so every article gets its *shortest*
distance from a seed. Within a level, an article offered by several parents
keeps the best offer: relation order (seed, references, cited_by, similar),
then the lowest parent PMID — so two runs give the same provenance whatever
order responses arrive in. PMIDs are held as ints to keep the bookkeeping
compact for crawls of hundreds of thousands of articles.

Every offer that reaches an article before it is fetched is kept too (``reached_by``):
all of them come from the level above (a shallower parent would have given a shallower
depth), sorted in the same tie-break order and bounded to ``REACHED_BY_LIMIT`` per
article, so the first entry is the provenance. Links met later (from the same level or
deeper) are counted in the edges and in the manifest's PRISMA block, not here.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from aggregator.crawl.pmidset import PmidSet
from aggregator.records import Provenance, Relation, Way

_RELATIONS = list(Relation)
#: ways kept per article in ``reached_by`` (the best ones in tie-break order): enough to
#: show how a much-cited article was met, small enough for crawls of 100k articles
REACHED_BY_LIMIT = 20


class Frontier:
    """Which articles to request next, and how each was first reached."""

    def __init__(self, max_depth: int, follow: Iterable[Relation]) -> None:
        self.max_depth = max_depth
        self.follow = frozenset(follow)
        self.level = 0
        self._seen = PmidSet()  # a bitmap: a crawl of 500k articles holds each once
        # pmid -> (relation rank, parent pmid, seed pmid) for the level being built
        self._next: dict[int, tuple[int, int, int]] = {}
        self._pending: list[tuple[int, tuple[int, int, int]]] = []
        # pmid -> every (relation rank, parent) offer after the best one, sorted, bounded
        self._more: dict[int, list[tuple[int, int]]] = {}
        self._pending_more: dict[int, list[tuple[int, int]]] = {}
        # pmid -> its ways, for the articles of the level being fetched (until finished)
        self._ways: dict[int, list[Way]] = {}

    def __len__(self) -> int:
        """Articles scheduled so far (each once per crawl)."""
        return len(self._seen)

    def waiting(self) -> int:
        """Articles of the current level not handed out yet (an upper bound: some may
        be skipped as already seen)."""
        return len(self._pending)

    def seen(self, pmid: str) -> bool:
        return int(pmid) in self._seen

    def add_seeds(self, pmids: Iterable[str]) -> list[tuple[str, Provenance]]:
        """Mark seeds as scheduled; return those new to this crawl with their provenance."""
        out = []
        for pmid in pmids:
            key = int(pmid)
            if key in self._seen:
                continue
            self._seen.add(key)
            out.append((pmid, Provenance(seed=pmid, parent=None, relation="seed", depth=0)))
        return out

    def wants(self, parent: Provenance, relation: Relation) -> bool:
        """Whether links of ``relation`` from an article at ``parent`` are followed."""
        return relation in self.follow and parent.depth < self.max_depth

    def offer(self, parent_pmid: str, parent: Provenance, relation: Relation,
              targets: Iterable[str]) -> None:
        """Candidates one level below ``parent``; the best offer per PMID wins."""
        if not self.wants(parent, relation):
            return
        offer = (relation.rank, int(parent_pmid), int(parent.seed))
        way = offer[:2]
        seen, nxt, more = self._seen, self._next, self._more
        for target in targets:
            key = int(target)
            if key in seen:
                continue
            best = nxt.get(key)
            if best is None:
                nxt[key] = offer
                continue
            if offer[:2] == best[:2]:
                continue  # the same parent listing it twice
            if offer < best:
                nxt[key], way_out = offer, best[:2]
            else:
                way_out = way
            others = more.setdefault(key, [])
            if way_out in others:
                continue
            bisect.insort(others, way_out)
            if len(others) >= REACHED_BY_LIMIT:
                others.pop()

    def take(self, limit: int) -> Iterator[tuple[str, Provenance]]:
        """Up to ``limit`` articles of the next level, in PMID order.

        Call only once the current level is finished (the spider does it when
        the engine is idle); the level advances when the previous one is used up.
        """
        if not self._pending and self._next:
            self.level += 1
            self._pending = sorted(self._next.items(), reverse=True)
            self._next = {}
            self._pending_more, self._more = self._more, {}
            self._ways = {}  # the previous level is finished: its ways were handed on
        taken = 0
        while self._pending and taken < limit:
            key, (rank, parent, seed) = self._pending.pop()
            if key in self._seen:
                continue
            self._seen.add(key)
            taken += 1
            ways = [(rank, parent), *self._pending_more.pop(key, ())]
            self._ways[key] = [
                Way(parent=str(p), relation=_RELATIONS[r].value, depth=self.level)
                for r, p in ways
            ]
            yield str(key), Provenance(
                seed=str(seed), parent=str(parent), relation=_RELATIONS[rank].value,
                depth=self.level,
            )

    def reached_by(self, pmid: str, prov: Provenance) -> list[Way]:
        """Every way (bounded) the crawl met ``pmid`` before fetching it; handed on once."""
        ways = self._ways.pop(int(pmid), None)
        if ways is None:  # a seed, or an article handed on without take() (replay)
            return [Way(parent=prov.parent, relation=prov.relation, depth=prov.depth)]
        return ways
