"""Figure 11: a ``pubmed_eutils`` query crawl of 500,000 records on the mirror, at scale.

``python -m benchmarks.scale [--records 500000]`` (``make bench-scale``; not part of
``make bench``: it takes longer, see the README). The mirror (its own process; its memory
and CPU are not counted) serves a graph with slightly more articles than ``--records``;
the query ``all[sb]`` with ``max_results=--records`` finds every one of them. Past
10,000 hits esearch cannot page, so the crawl splits the query by publication date as it
does live (the mirror filters by date to the day, as NCBI does). The crawl of figures 8
and 9: depth 0, ``follow=none`` (no elink), every output on (JSONL feed, CSV, RIS, NBIB,
edges, Parquet, manifest, journal), and the edges of the lists not followed kept
(``AGGREGATOR_EDGES_UNFOLLOWED=1``, benchmark -s only) so the edge list holds every
record's efetch reference list (~12 edges a record) for the close's edge dedupe.

The crawl process's RSS and CPU (user + system) are sampled from outside with psutil as
records arrive in the JSON Lines feed:

- RSS at ``--records`` ÷ RSS at 50,000 records (a tenth of the records for smaller
  runs): target ≤ 1.2 — what the crawl holds per record must stay small;
- CPU per record over the last 50,000 records ÷ over the first 50,000: target ≤ 1.1 —
  nothing the crawl does per record grows with the records already done;
- peak RSS after the last record (the close: edge dedupe, manifest, the outputs built
  from the record store) ÷ peak RSS during the crawl: target ≤ 1.1 (the close works in
  the memory the crawl already had; 10 % is the sampling noise of RSS on this machine).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks.common import (
    Figure,
    MirrorProcess,
    at_most,
    fast_settings,
    log,
    markdown_table,
    run_crawl,
    skipped,
)
from benchmarks.memory import RecordCounter

RECORDS = 500_000
#: graph articles per wanted record: 2 % of the mirror's ids are missing (not records)
GRAPH_PER_RECORD = 1.03
GRAPH_SEED = 3
#: the first and last records whose CPU per record is compared (a tenth for small runs)
WINDOW = 50_000


@dataclass
class Sample:
    """One look at the crawl process from outside."""

    t: float  # seconds since the crawl started
    records: int
    rss_mb: float
    cpu_s: float


@dataclass
class Sampler:
    """Samples RSS and CPU of the crawl as the feed grows (``run_subprocess``'s hook)."""

    counter: RecordCounter
    #: each sample is also appended here as it is taken (``t records rss_mb cpu_s``)
    tsv: Path | None = None
    t0: float = field(default_factory=time.perf_counter)
    samples: list[Sample] = field(default_factory=list)
    _next_log: int = 0

    def __call__(self, proc: psutil.Process) -> bool:
        cpu = proc.cpu_times()
        n = self.counter.poll()
        mb = proc.memory_info().rss / 2**20
        sample = Sample(time.perf_counter() - self.t0, n, mb, cpu.user + cpu.system)
        self.samples.append(sample)
        if self.tsv is not None:
            with self.tsv.open("a", encoding="utf-8") as handle:
                handle.write(f"{sample.t:.1f}\t{n}\t{mb:.1f}\t{sample.cpu_s:.2f}\n")
        if n >= self._next_log:
            log(f"scale: {n:,} records, RSS {mb:.0f} MB, CPU {cpu.user + cpu.system:.0f} s")
            self._next_log = n + 50_000
        return False

    def first_at(self, records: int) -> Sample | None:
        """The first sample with at least ``records`` records written."""
        return next((s for s in self.samples if s.records >= records), None)


def _per_10k(a: Sample, b: Sample) -> float:
    """CPU seconds per 10,000 records between two samples."""
    return (b.cpu_s - a.cpu_s) / max(b.records - a.records, 1) * 10_000


def figures(sampler: Sampler, records: int, wall_s: float, max_rss_mb: float,
            graph: int) -> list[Figure]:
    """Figure 11's three rows from the samples of one crawl."""
    window = min(WINDOW, records // 10)
    got = sampler.samples[-1].records if sampler.samples else 0
    name_rss = f"11. RSS at {records:,} ÷ at {window:,} records"
    name_cpu = f"11. CPU per record, last {window:,} ÷ first {window:,} records"
    name_close = "11. peak RSS at close ÷ peak RSS during the crawl"
    if got < records:
        why = f"the crawl wrote {got:,} of {records:,} records"
        return [skipped(n, t, why) for n, t in ((name_rss, "≤ 1.2"), (name_cpu, "≤ 1.1"),
                                                (name_close, "≤ 1.1"))]
    first = sampler.first_at(1)
    small, end = sampler.first_at(window), sampler.first_at(records)
    late = sampler.first_at(records - window)
    assert first and small and end and late
    crawl = [s for s in sampler.samples if s.records < records]
    close = [s for s in sampler.samples if s.records >= records]
    crawl_peak = max(s.rss_mb for s in crawl)
    close_peak = max(s.rss_mb for s in close)
    start_cpu, end_cpu = _per_10k(first, small), _per_10k(late, end)
    crawl_min = (end.t - first.t) / 60
    close_s = close[-1].t - end.t
    per_record = (end.rss_mb - small.rss_mb) * 2**20 / (end.records - small.records)
    return [
        at_most(name_rss, end.rss_mb / small.rss_mb, 1.2,
                f"RSS {small.rss_mb:.0f} MB at {small.records:,}, {end.rss_mb:.0f} MB at "
                f"{end.records:,} records ({per_record:.0f} bytes per record between); "
                f"mirror of {graph:,} articles"),
        at_most(name_cpu, end_cpu / start_cpu, 1.1,
                f"{start_cpu:.1f} s of CPU per 10k records over the first {window:,}, "
                f"{end_cpu:.1f} s over the last; {records / (end.t - first.t):.0f} records/s, "
                f"{(end.cpu_s - first.cpu_s) * 1e3 / (end.records - first.records):.2f} ms "
                f"CPU per record"),
        at_most(name_close, close_peak / crawl_peak, 1.1,
                f"close {close_s:.0f} s, peak {close_peak:.0f} MB; crawl peak "
                f"{crawl_peak:.0f} MB; whole run peak (wait4) {max_rss_mb:.0f} MB; crawl "
                f"{crawl_min:.1f} min, run {wall_s / 60:.1f} min"),
    ]


def measure(records: int, workdir: Path, interval: float = 0.5) -> list[Figure]:
    """One crawl of ``records`` records, sampled; figure 11."""
    workdir.mkdir(parents=True, exist_ok=True)
    graph = int(records * GRAPH_PER_RECORD) + 1000
    out = workdir / "scale.jsonl"
    out.unlink(missing_ok=True)
    tsv = workdir / "samples.tsv"
    tsv.unlink(missing_ok=True)
    sampler = Sampler(RecordCounter(out), tsv)
    with MirrorProcess(graph, seed=GRAPH_SEED) as mirror:
        log(f"scale: query crawl to {records:,} records ({graph:,}-article mirror)")
        sampler.t0 = time.perf_counter()
        run = run_crawl("pubmed_eutils",
                        {"query": "all[sb]", "max_results": records, "depth": 0,
                         "follow": "none"},
                        fast_settings(mirror.base_url, workdir / "out-scale",
                                      AGGREGATOR_EDGES_UNFOLLOWED="1"),
                        workdir, out=out, sample=sampler, interval=interval,
                        timeout=6 * 3600)
    log(f"scale: {RecordCounter(out).poll():,} records in {run.wall_s / 60:.1f} min")
    return figures(sampler, records, run.wall_s, run.max_rss_mb, graph)


def main(argv: list[str] | None = None) -> int:
    """CLI: print figure 11 as a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--records", type=int, default=RECORDS,
                        help=f"records to crawl (default {RECORDS:,}; 100000 for a trial)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (outputs)")
    opts = parser.parse_args(argv)
    if opts.keep:
        rows = measure(opts.records, Path(opts.keep))
    else:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            rows = measure(opts.records, Path(tmp))
    print(markdown_table(rows))
    return 0 if all(f.passed for f in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
