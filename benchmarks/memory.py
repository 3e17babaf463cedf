"""Figure 4: RSS of one crawl after ``--small`` records ÷ after ``--large`` records.

``python -m benchmarks.memory --small 10000 --large 100000`` (``make bench-memory``).
The mirror (its own process) serves a graph of about 2.8 × ``--large`` articles; seeds
80 ids apart at depth 1 reach about 38 % of it (an article's ~35 links lie within 40
ids of it), so the crawl reaches ``--large`` records and stops at ``max_articles``.
Leaves skip their list pages (``PUBMED_LIST_PAGES_AT_MAX_DEPTH=0``, benchmark -s
only) so a record costs one request; the frontier, dedupe and outputs see every
record as in any crawl.
RSS of the scrapy process is sampled from outside (psutil) as records arrive.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
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
    spread_seeds,
)

SEED_STEP = 80
#: graph articles per wanted record (depth 1 from seeds SEED_STEP apart reaches ~38 %)
GRAPH_PER_RECORD = 2.8


class RecordCounter:
    """Counts lines of a growing JSON Lines file incrementally."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.count = path, 0, 0

    def poll(self) -> int:
        if self.path.exists():
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
            self.count += chunk.count(b"\n")
            self.offset += len(chunk)
        return self.count


def measure(small: int, large: int, workdir: Path) -> Figure:
    """One crawl; RSS when it has written ``small`` and ``large`` records."""
    workdir.mkdir(parents=True, exist_ok=True)
    articles = int(large * GRAPH_PER_RECORD) + 1000
    seeds_file = workdir / "memory-seeds.txt"
    seeds_file.write_text(
        "\n".join(spread_seeds(0, articles // SEED_STEP, SEED_STEP)) + "\n", encoding="utf-8")
    out = workdir / "memory.jsonl"
    out.unlink(missing_ok=True)
    counter = RecordCounter(out)
    rss: dict[int, float] = {}
    peak = [0.0]

    def sample(proc: psutil.Process) -> bool:
        mb = proc.memory_info().rss / 2**20
        peak[0] = max(peak[0], mb)
        n = counter.poll()
        for mark in (small, large):
            if n >= mark and mark not in rss:
                rss[mark] = mb
                log(f"memory: {n} records, RSS {mb:.0f} MB")
        return len(rss) == 2

    with MirrorProcess(articles, seed=21) as mirror:
        log(f"memory: crawl to {large} records ({articles}-article graph)")
        run = run_crawl(
            "pubmed", {"pmids_file": seeds_file, "depth": 1, "max_articles": large + 500},
            fast_settings(mirror.base_url, workdir / "out-memory",
                          PUBMED_LIST_PAGES_AT_MAX_DEPTH="0"),
            workdir, out=out, sample=sample, interval=0.1)
    total = RecordCounter(out).poll()
    if len(rss) < 2:
        return Figure(f"4. RSS after {large:,} ÷ after {small:,} records", None, "≤ 1.2", False,
                      f"crawl wrote only {total} records", "")
    return at_most(
        f"4. RSS after {large:,} ÷ after {small:,} records", rss[large] / rss[small], 1.2,
        f"RSS {rss[small]:.0f} MB at {small:,}, {rss[large]:.0f} MB at {large:,}; peak "
        f"{max(peak[0], run.max_rss_mb):.0f} MB; {total:,} records in {run.wall_s:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """CLI: print the memory figure as a one-row Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        figure = measure(opts.small, opts.large, Path(tmp))
    print(markdown_table([figure]))
    return 0 if figure.passed else 1


if __name__ == "__main__":
    sys.exit(main())
