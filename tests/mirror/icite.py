"""The mirror's iCite: ``/icite/api/pubs?pmids=…&fl=…`` in the shape of NIH's ``/api/pubs``.

Consistent with the mirror's graph, and, as live, more complete than PubMed's lists: the
open citation graph holds every PubMed citation between articles it knows plus *open-only*
citations PubMed lacks (article ``i`` cites ``j`` iff ``0 < i - j <=`` the graph's cite window
(``CITE_WINDOW``, wider in realistic mode), PubMed does not have that link, and a pair hash
falls under ``OPEN_P`` scaled to the window: about 4 more references per article). About
``UNKNOWN_PERCENT`` % of the articles are unknown to iCite: no entry, and no link to them in
its lists (a missing id, without a page, is unknown too).

Answers ``{"data": [...]}`` with one object per known PMID, in descending PMID order (iCite
does not keep the request's order), only the fields named in ``fl`` (all without it);
more than ``MAX_PMIDS`` PMIDs is a 400 with an error object.
"""

from __future__ import annotations

import json
from typing import Any

from tests.mirror.graph import CITE_WINDOW, PMID_BASE, MirrorGraph, _mix

__all__ = ["ICITE_PATH", "MAX_PMIDS", "IciteView", "pubs"]

ICITE_PATH = "/icite/api/pubs"
MAX_PMIDS = 1000
OPEN_P = 0.10
UNKNOWN_PERCENT = 5
_OPEN_T = int(OPEN_P * 2**64)
_T_OPEN, _T_UNKNOWN, _T_METRIC = 101, 102, 103
_APT = (0.05, 0.25, 0.5, 0.75, 0.95)


class IciteView:
    """The open citation graph over a :class:`MirrorGraph` (nothing materialised)."""

    def __init__(self, graph: MirrorGraph) -> None:
        self.graph = graph
        self._k_open = _mix((graph.seed << 8) ^ _T_OPEN)
        self._k_unknown = _mix((graph.seed << 8) ^ _T_UNKNOWN)
        self._window = graph.cite_window
        # the same ~4 open-only references per article whatever the window (realistic mode)
        self._open_t = _OPEN_T * CITE_WINDOW // self._window

    def knows(self, pmid: str | int) -> bool:
        """True when iCite has an entry for the article."""
        i = self.graph.index(pmid)
        return (i is not None and self.graph.exists(pmid)
                and _mix(self._k_unknown ^ i) % 100 >= UNKNOWN_PERCENT)

    def _open_cites(self, i: int, j: int) -> bool:
        """An open-only citation: one PubMed's lists lack."""
        return (0 < i - j <= self._window and j >= 0 and not self.graph._cites(i, j)
                and _mix(_mix(self._k_open ^ i) ^ j) < self._open_t)

    def _cites(self, i: int, j: int) -> bool:
        return self.graph._cites(i, j) or self._open_cites(i, j)

    def references(self, pmid: str) -> list[str]:
        """All known references, ascending PMID."""
        i = self.graph.index(pmid)
        if i is None or not self.knows(pmid):
            return []
        return [str(PMID_BASE + j) for j in range(max(0, i - self._window), i)
                if self._cites(i, j) and self.knows(PMID_BASE + j)]

    def cited_by(self, pmid: str) -> list[str]:
        """All known citing articles, ascending PMID."""
        j = self.graph.index(pmid)
        if j is None or not self.knows(pmid):
            return []
        hi = min(self.graph.n - 1, j + self._window)
        return [str(PMID_BASE + i) for i in range(j + 1, hi + 1)
                if self._cites(i, j) and self.knows(PMID_BASE + i)]

    def open_only(self, pmid: str, relation: str) -> list[str]:
        """The links of ``relation`` iCite has and PubMed's lists lack (for tests)."""
        pubmed = set(self.graph.linked(pmid, relation))
        mine = self.references(pmid) if relation == "references" else self.cited_by(pmid)
        return [p for p in mine if p not in pubmed]

    def entry(self, pmid: str) -> dict[str, Any]:
        """The publication object iCite answers for a known PMID (all fields)."""
        i = self.graph.index(pmid)
        assert i is not None
        cited_by = self.cited_by(pmid)
        h = _mix(_mix((self.graph.seed << 8) ^ _T_METRIC) ^ i)
        year = self.graph.year_of(i)
        rcr = round((h % 500) / 100, 2) if cited_by else None
        return {
            "_id": pmid,
            "pmid": int(pmid),
            "year": year,
            "title": self.graph.title_of(i),
            "doi": f"10.5555/mirror.{pmid}",
            "relative_citation_ratio": rcr,
            "nih_percentile": round((h >> 16) % 1000 / 10, 1) if rcr is not None else None,
            "apt": _APT[(h >> 32) % len(_APT)],
            "citation_count": len(cited_by),
            "cited_by_clin": [int(p) for p in cited_by if int(p) % 7 == 0],
            "provisional": year >= 2024,
            "cited_by": [int(p) for p in cited_by],
            "references": [int(p) for p in self.references(pmid)],
        }


def pubs(view: IciteView, params: dict[str, list[str]]) -> tuple[int, str]:
    """``/api/pubs``: (status, JSON text)."""
    raw = ",".join(params.get("pmids", []))
    pmids = [p for p in raw.split(",") if p.strip()]
    if len(pmids) > MAX_PMIDS:
        return 400, json.dumps({"error": f"at most {MAX_PMIDS} pmids per request"})
    fields = [f for f in ",".join(params.get("fl", [])).split(",") if f]
    data = []
    for pmid in sorted({p.strip() for p in pmids if p.strip().isdigit()}, key=int, reverse=True):
        if not view.knows(pmid):
            continue
        entry = view.entry(pmid)
        data.append({k: v for k, v in entry.items() if k in fields} if fields else entry)
    return 200, json.dumps({"data": data})
