"""``estimate=1``: what a crawl would cost live, from the size of each level.

The sizes come from the source adapter (E-utilities: every level counted through elink;
pages: level 1 counted from the seeds' list pages, deeper levels extrapolated from a
sample). Live cost per article, at each source's configured rate:

- pages: one article page + one list page per relation followed (its first page of 200;
  longer lists cost more, lists the page shows whole cost nothing), one request per
  ``PUBMED_DELAY`` seconds;
- E-utilities: one efetch and one elink per 200 articles, one request per
  ``EUTILS_DELAY`` (or ``EUTILS_DELAY_WITH_KEY``) seconds;
- iCite (with ``links`` naming it): one request per ``ICITE_BATCH`` articles whose links
  are followed, at ``ICITE_DELAY``, on its own host (in parallel with the source).
"""

from __future__ import annotations

import math
from typing import Any

from aggregator.config import Config
from aggregator.crawl.seeds import CrawlArgs
from aggregator.records import Relation

__all__ = ["live_cost", "summarise", "summary_line"]


def live_cost(levels: list[dict[str, Any]], config: Config, n_follow: int,
              depth: int, icite: bool = False) -> dict[str, dict[str, float]]:
    """Requests and seconds the crawl would need live, per spider (and iCite's share)."""
    page_requests = eutils_requests = icite_requests = 0
    for level in levels:
        n, d = level["articles"], level["depth"]
        lists = n_follow if d < depth or config.list_pages_at_max_depth else 0
        page_requests += n * (1 + lists)
        eutils_requests += math.ceil(n / 200) * (1 + (1 if n_follow else 0))
        icite_requests += math.ceil(n / config.icite_batch) if icite and lists else 0
    extra = {"icite": {"requests": icite_requests,
                       "seconds": round(icite_requests * config.icite_delay, 1)}} if icite else {}
    return {**extra,
        "pubmed": {"requests": page_requests,
                   "seconds": round(page_requests * config.pubmed_delay, 1)},
        "pubmed_eutils": {"requests": eutils_requests,
                          "seconds": round(eutils_requests * config.eutils_slot_delay(), 1)},
    }


def summarise(levels: list[dict[str, Any]], method: str, config: Config, args: CrawlArgs,
              requests: int, elapsed: float, slot_delay: float) -> dict[str, Any]:
    """The estimate's block (manifest ``scope.estimate``): the levels the source sized,
    their total (a range when not exact), the live cost of each spider, and what the
    estimate itself cost (``requests`` in ``elapsed`` seconds; live at ``slot_delay``)."""
    # iCite asked for references / cited-by (links=…icite), when those are followed
    icite = "icite" in args.links and bool(
        {Relation.REFERENCES, Relation.CITED_BY} & set(args.follow))
    low = [{**lv, "articles": lv.get("low", lv["articles"])} for lv in levels]
    return {
        "levels": levels,
        "articles": sum(lv["articles"] for lv in levels),
        "exact": all(lv["exact"] for lv in levels),
        "method": method,
        "articles_low": sum(lv["articles"] for lv in low),
        "live": live_cost(levels, config, len(args.follow), args.depth, icite),
        "live_low": live_cost(low, config, len(args.follow), args.depth, icite),
        "cost": {"requests": requests, "seconds": round(elapsed, 1),
                 "live_seconds": round(requests * slot_delay, 1)},
    }


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h {m:02d}m" if h else f"{m}m {s:02d}s" if m else f"{s}s"


def summary_line(summary: dict[str, Any]) -> str:
    """One line for the log: levels, live time of each spider, what the estimate cost."""
    levels = ", ".join(
        f"level {lv['depth']}: {lv['articles']}" if lv["exact"]
        else f"level {lv['depth']}: ~{lv.get('low', lv['articles'])}-{lv['articles']}"
        for lv in summary["levels"])
    cost = summary["cost"]

    def span(low: Any, high: Any, fmt: Any = str) -> str:
        return fmt(high) if summary["exact"] or low == high else f"~{fmt(low)}-{fmt(high)}"

    live = {name: (span(summary["live_low"][name]["seconds"], t["seconds"], _duration),
                   span(summary["live_low"][name]["requests"], t["requests"]))
            for name, t in summary["live"].items()}
    return (f"estimate: {levels} (total {span(summary['articles_low'], summary['articles'])} "
            f"articles); live: pubmed {live['pubmed'][0]} ({live['pubmed'][1]} requests), "
            f"pubmed_eutils {live['pubmed_eutils'][0]} ({live['pubmed_eutils'][1]} requests)"
            + (f", iCite {live['icite'][0]} in parallel ({live['icite'][1]} requests)"
               if "icite" in live else "") + "; "
            "this estimate cost "
            f"{cost['requests']} requests in {cost['seconds']:.1f} s (live about "
            f"{_duration(cost['live_seconds'])}); {summary['method']}")
