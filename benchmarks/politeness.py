"""Figure 6: with the live default settings (only PUBMED_BASE_URL pointed at the mirror),
no two requests reach PubMed less than 1 s apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import Figure, fresh, log, read_request_log, run_crawl, spread_seeds
from tests.mirror.graph import MirrorGraph
from tests.mirror.server import MirrorServer, Request, Response

SEEDS = dict(first=300, count=5, step=97)  # depth 0: 5 articles + 15 list pages + robots.txt


class ArrivalLog:
    """A mirror middleware noting when each request arrives (before it is rendered, so
    the time does not include the page's own rendering time)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request, next_: Callable[[Request], Response]) -> Response:
        with self._lock:
            self.times.append(time.time())
        return next_(request)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """Most requests in any half-open window ``[t, t + window)``."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def min_gap(times: list[float]) -> float:
    """Smallest gap between consecutive requests (inf for fewer than two)."""
    times = sorted(times)
    return min((b - a for a, b in zip(times, times[1:], strict=False)), default=float("inf"))


def measure(workdir: Path) -> Figure:
    """A small crawl with live settings; gaps from arrival times and the request log."""
    workdir.mkdir(parents=True, exist_ok=True)
    request_log = workdir / "polite-requests.log"
    request_log.unlink(missing_ok=True)
    arrivals = ArrivalLog()
    pmids = ",".join(spread_seeds(**SEEDS))
    with MirrorServer(MirrorGraph(2000, seed=3), request_log=str(request_log),
                      middlewares=[arrivals]) as server:
        log("politeness: live default settings, ~20 requests (about 20 s)")
        run_crawl("pubmed", {"pmids": pmids, "depth": 0},
                  {"PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": fresh(workdir / "out-polite")},
                  workdir, out=workdir / "polite.jsonl", probe=False)
    logged = [line.time for line in read_request_log(request_log)]
    gap, peak = min_gap(arrivals.times), max_in_window(arrivals.times)
    return Figure(
        "6. politeness, live defaults: max requests in any 1 s window",
        float(peak), "≤ 1 (min gap ≥ 1 s)", peak <= 1 and gap >= 1.0,
        f"{len(arrivals.times)} requests over {arrivals.times[-1] - arrivals.times[0]:.1f} s; "
        f"min gap {gap:.3f} s at arrival (request log, stamped after rendering: "
        f"{min_gap(logged):.3f} s, max {max_in_window(logged)} per 1 s)")
