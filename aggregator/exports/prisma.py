"""PRISMA 2020 counts for "identification of studies via other methods", per seed and in total.

In PRISMA 2020's words, following references is *backward* and following "cited by" is
*forward* citation searching; PubMed's similar articles are a source of their own (not
citation searching), so they get their own line. Counted here, from every record's own
link lists (not from the bounded ``reached_by``):

- ``links_found``: the links listed by the records whose links the crawl followed
  (relation asked for in ``follow`` and the record above the last depth), per relation;
- ``overlap``: articles linked through more than one relation (each pair, and all three);
- ``duplicates_removed``: links to an article another link had already found;
- ``already_among_seeds``: linked articles that are seeds;
- ``new_unique_records``: the other linked articles (= reports sought for retrieval);
- ``retrieved`` / ``not_retrieved`` with ``not_retrieved_reasons`` (the error kind, a
  pipeline's drop such as ``reviews_only``, or ``not_emitted``: cap, stop, or known from
  an earlier crawl);
- ``retracted``: records (seeds included) flagged retracted;
- ``library``: with ``library=``, records already in the reviewer's library — ``marked``
  (``in_library: true``, still written) and, in the total, ``excluded``
  (``library_mode=exclude``: fetched, then left out; not counted as not retrieved) and the
  library's ``size``. An excluded record's links are followed, but its own lists are not in
  the link counts above (the record store keeps only the reason of a drop);
- ``references_not_in_pubmed``: references of the records with a DOI but no PMID (the
  ``references-not-in-pubmed`` side output);
- ``unresolved_seeds`` (total only): DOI / PMCID seeds NCBI has no PMID for.

A seed's scope is the records whose shortest-path provenance starts at that seed. A
crawl with more seeds than ``per_seed_max`` (a ``query=`` crawl of thousands of search
results, whose PRISMA box is "records identified from databases", not one box per
result) gets the totals only, and says so in ``per_seed_omitted``: per-seed blocks would
make the manifest grow with the crawl (4 MB for 5,000 seeds).

Memory: the seeds and the retrieved records are PMID bitmaps (crawl/pmidset.PmidTextSet);
the linked articles of the records whose links were followed are a dict per scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aggregator.crawl.pmidset import PmidTextSet
from aggregator.exports.citation import data_of
from aggregator.exports.outside import outside_references
from aggregator.records import ArticleRecord, Relation

#: how the library pipeline's drop reads in the record store (exports/outputs._drop_reason)
LIBRARY_DROP = "dropped_in_the_library"

#: (relation, the record's link field, the PRISMA label)
RELATIONS = (
    (Relation.REFERENCES, "reference_pmids", "backward citation searching"),
    (Relation.CITED_BY, "cited_by_pmids", "forward citation searching"),
    (Relation.SIMILAR, "similar_pmids", "similar articles"),
)
_BIT = {rel.value: 1 << i for i, (rel, _f, _l) in enumerate(RELATIONS)}


@dataclass(slots=True)
class _Scope:
    links: dict[str, int] = field(default_factory=lambda: {r.value: 0 for r, _f, _l in RELATIONS})
    masks: dict[int, int] = field(default_factory=dict)  # linked pmid -> relations bitmask
    records: int = 0
    retracted: int = 0
    in_library: int = 0
    outside: int = 0


class PrismaCounter:
    """Feed it every record once (any order), then ask for the block."""

    def __init__(self, follow: Iterable[str], max_depth: int, per_seed_max: int = 200) -> None:
        self.follow = {str(getattr(f, "value", f)) for f in follow}
        self.max_depth = max_depth
        self.per_seed_max = per_seed_max
        self.total = _Scope()
        #: None once there are more seeds than ``per_seed_max`` (totals only)
        self.per_seed: dict[str, _Scope] | None = {}
        self.seeds = PmidTextSet()
        self.retrieved = PmidTextSet()

    def add(self, record: ArticleRecord | dict[str, Any], outside: int | None = None) -> None:
        """Count one record (or its plain form); ``outside``: its references not in
        PubMed, when the caller has counted them already."""
        data = data_of(record)
        pmid = data.get("pmid", "")
        prov = data.get("provenance")
        seed = prov["seed"] if prov else pmid
        depth = prov["depth"] if prov else 0
        if prov is None or prov["relation"] == Relation.SEED.value:
            self.seeds.add(pmid)
        self.retrieved.add(pmid)
        if self.per_seed is not None and seed not in self.per_seed \
                and len(self.per_seed) >= self.per_seed_max:
            self.per_seed = None  # too many seeds for a block each: totals only
        scopes = (self.total,) if self.per_seed is None else (
            self.total, self.per_seed.setdefault(seed, _Scope()))
        if outside is None:
            outside = sum(1 for _ in outside_references(data))
        retracted = bool(data.get("is_retracted"))
        in_library = data.get("in_library") is True
        for scope in scopes:
            scope.records += 1
            scope.retracted += retracted
            scope.in_library += in_library
            scope.outside += outside
        if depth >= self.max_depth:
            return  # the crawl did not search this record's links
        for rel, name, _label in RELATIONS:
            if rel.value not in self.follow:
                continue
            bit = _BIT[rel.value]
            targets = data.get(name) or []
            for scope in scopes:
                scope.links[rel.value] += len(targets)
                masks = scope.masks
                for target in targets:
                    key = int(target)
                    masks[key] = masks.get(key, 0) | bit

    def block(self, errors: dict[str, str], dropped: dict[str, str],
              library_size: int | None = None, unresolved_seeds: int = 0) -> dict[str, Any]:
        """The manifest's ``prisma`` block: ``total`` and ``per_seed`` (seed PMID order;
        None, with the reason in ``per_seed_omitted``, past ``per_seed_max`` seeds)."""
        total = self._scope(self.total, errors, dropped)
        # every record the library pipeline left out (a drop has no provenance, so the
        # total only); its links were followed all the same
        total["library"]["excluded"] = sum(1 for why in dropped.values()
                                           if why.startswith(LIBRARY_DROP))
        total["library"]["size"] = library_size
        total["unresolved_seeds"] = unresolved_seeds
        return {
            "definitions": "aggregator/exports/prisma.py; README 'PRISMA 2020 counts'",
            "total": total,
            "per_seed": None if self.per_seed is None else {
                seed: self._scope(self.per_seed[seed], errors, dropped)
                for seed in sorted(self.per_seed, key=int)},
            "per_seed_omitted": None if self.per_seed is not None else (
                f"{len(self.seeds)} seeds, more than {self.per_seed_max} "
                "(AGGREGATOR_PRISMA_PER_SEED_MAX): totals only"),
            "seeds": len(self.seeds),
        }

    def _scope(self, scope: _Scope, errors: dict[str, str],
               dropped: dict[str, str]) -> dict[str, Any]:
        links = dict(scope.links)
        total_links = sum(links.values())
        unique = len(scope.masks)
        names = [r.value for r, _f, _l in RELATIONS]
        overlap: dict[str, int] = {}
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                both = _BIT[a] | _BIT[b]
                overlap[f"{a}+{b}"] = sum(1 for m in scope.masks.values() if m & both == both)
        overlap["all_three"] = sum(1 for m in scope.masks.values() if m == 0b111)
        overlap["more_than_one"] = sum(1 for m in scope.masks.values() if m & (m - 1))
        new = [p for p in scope.masks if str(p) not in self.seeds]
        missing = []
        reasons: dict[str, int] = {}
        for pmid in (p for p in new if str(p) not in self.retrieved):
            why = errors.get(str(pmid)) or dropped.get(str(pmid)) or "not_emitted"
            if why.startswith(LIBRARY_DROP):  # retrieved, then left out: in the library
                continue
            missing.append(pmid)
            reasons[why] = reasons.get(why, 0) + 1
        return {
            "records": scope.records,
            "links_found": links,
            "citation_searching": {"backward": links[Relation.REFERENCES.value],
                                   "forward": links[Relation.CITED_BY.value]},
            "similar_articles": links[Relation.SIMILAR.value],
            "links_total": total_links,
            "unique_linked_articles": unique,
            "overlap": overlap,
            "duplicates_removed": total_links - unique,
            "already_among_seeds": unique - len(new),
            "new_unique_records": len(new),
            "reports_sought": len(new),
            "retrieved": len(new) - len(missing),
            "library": {"marked": scope.in_library},
            "references_not_in_pubmed": scope.outside,
            "not_retrieved": len(missing),
            "not_retrieved_reasons": dict(sorted(reasons.items())),
            "retracted": scope.retracted,
        }


def summary_lines(total: dict[str, Any]) -> list[str]:
    """The PRISMA block in a few human lines (the crawl's closing log)."""
    cs = total["citation_searching"]
    ov = total["overlap"]
    reasons = ", ".join(f"{k} {v}" for k, v in total["not_retrieved_reasons"].items())
    return [
        f"PRISMA 2020, other methods: citation searching backward {cs['backward']}, "
        f"forward {cs['forward']}; similar articles {total['similar_articles']} "
        f"({total['links_total']} links)",
        f"  linked through more than one relation {ov['more_than_one']}; duplicates removed "
        f"{total['duplicates_removed']}; already among seeds {total['already_among_seeds']}",
        f"  new unique records {total['new_unique_records']} (reports sought); retrieved "
        f"{total['retrieved']}; not retrieved {total['not_retrieved']}"
        + (f" ({reasons})" if reasons else "") + f"; retracted {total['retracted']}",
    ] + _scope_lines(total)


def _scope_lines(total: dict[str, Any]) -> list[str]:
    """The library, references outside PubMed and unresolved seeds, when there are any."""
    library, lines = total["library"], []
    if library.get("size") is not None:
        lines.append(f"  library of {library['size']}: {library['marked']} records marked "
                     f"in_library, {library['excluded']} excluded")
    if total["references_not_in_pubmed"]:
        lines.append(f"  references not in PubMed (DOI, no PMID): "
                     f"{total['references_not_in_pubmed']}")
    if total["unresolved_seeds"]:
        lines.append(f"  seeds not resolved to a PMID: {total['unresolved_seeds']}")
    return lines
