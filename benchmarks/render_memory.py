"""Memory and cost of browser rendering: ``python -m benchmarks.render_memory``.

Serves a mirror on 127.0.0.1, crawls ``--pages`` article pages (seeds only: depth 0,
follow=none, so one page per record) with ``-a render=1``, and samples the RSS of the
crawl's whole process tree (scrapy + Playwright's driver + Chromium's processes) while
it runs. Prints the RSS at 10 % and 100 % of the pages and their ratio: a flat crawl has
a ratio near 1. ``--compare-plain`` runs the same crawl without rendering for the cost
per page. Exits 1 when the ratio exceeds ``--max-ratio``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.mirror.graph import MirrorGraph  # noqa: E402
from tests.mirror.localrun import FAST_LOCAL, crawl_command  # noqa: E402
from tests.mirror.server import MirrorServer  # noqa: E402

MB = 1024 * 1024


@dataclass
class Run:
    """One crawl's figures."""

    pages: int
    seconds: float
    cpu_seconds: float
    #: (time, pages fetched so far, tree RSS bytes, tree PSS bytes)
    samples: list[tuple[float, int, int, int]]

    def at(self, fraction: float) -> tuple[int, int]:
        """Tree (RSS, PSS) at the first sample with at least ``fraction`` of the pages."""
        goal = fraction * self.pages
        last = self.samples[-1]
        rss, pss = next(((s[2], s[3]) for s in self.samples if s[1] >= goal), last[2:])
        return rss, pss

    @property
    def peak(self) -> int:
        return max(s[2] for s in self.samples)


def tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """RSS and PSS summed over a process and its descendants (vanished ones skipped).

    RSS counts the pages Chromium's processes share once per process; PSS splits them,
    so its sum is the memory the tree really holds.
    """
    rss = pss = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


def count_pages(log: Path) -> int:
    """Article pages answered so far (lines of the mirror's request log, robots.txt left out)."""
    try:
        text = log.read_text()
    except FileNotFoundError:
        return 0
    return sum(1 for line in text.splitlines() if "/robots.txt" not in line)


def crawl(server: MirrorServer, log: Path, pmids: list[str], render: bool, workdir: Path,
          interval: float) -> Run:
    """Crawl ``pmids`` (depth 0) and sample the process tree's RSS every ``interval`` s."""
    settings = {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "LOG_LEVEL": "WARNING",
                "OUTPUT_DIR": workdir / "side", "AGGREGATOR_WRITE_CSV": "0"}
    ids = workdir / "pmids.txt"
    ids.write_text("\n".join(pmids) + "\n")
    args = {"pmids_file": ids, "depth": 0, "follow": "none", "render": int(render)}
    cmd = crawl_command("pubmed", args, settings, workdir / "out.jsonl")
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.append(child.stderr.read()), daemon=True)
    reader.start()
    proc = psutil.Process(child.pid)
    samples: list[tuple[float, int, int, int]] = []
    while child.poll() is None:
        rss, pss = tree_memory(proc)
        if rss:
            samples.append((time.monotonic() - start, count_pages(log), rss, pss))
        time.sleep(interval)
    seconds = time.monotonic() - start
    reader.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        sys.exit(f"crawl failed ({child.returncode}):\n{''.join(stderr)[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(len(pmids), seconds, cpu, samples)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.render_memory",
                                     description=__doc__)
    parser.add_argument("--pages", type=int, default=400, help="article pages (default 400)")
    parser.add_argument("--interval", type=float, default=0.2, help="sampling period, s")
    parser.add_argument("--max-ratio", type=float, default=1.3,
                        help="fail when RSS at 100%% / RSS at 10%% exceeds this (default 1.3)")
    parser.add_argument("--compare-plain", action="store_true",
                        help="also crawl without rendering, for the cost per page")
    opts = parser.parse_args(argv)

    graph = MirrorGraph(opts.pages * 2, seed=7)
    pmids = [p for p in graph.pmids() if graph.exists(p)][: opts.pages]
    results: dict[str, Run] = {}
    with tempfile.TemporaryDirectory(prefix="render-memory-") as tmp:
        for mode in ("render", "plain") if opts.compare_plain else ("render",):
            workdir = Path(tmp) / mode
            workdir.mkdir()
            log = workdir / "requests.log"
            with MirrorServer(graph, request_log=str(log)) as server:
                results[mode] = crawl(server, log, pmids, mode == "render", workdir,
                                      opts.interval)
            if count_pages(log) < len(pmids):
                sys.exit(f"{mode}: only {count_pages(log)} of {len(pmids)} pages fetched")

    status = 0
    for mode, run in results.items():
        (early, early_pss), (late, late_pss) = run.at(0.10), run.at(1.0)
        print(f"{mode}: {run.pages} pages in {run.seconds:.1f} s "
              f"({1000 * run.seconds / run.pages:.1f} ms/page wall, "
              f"{1000 * run.cpu_seconds / run.pages:.1f} ms/page CPU of the process tree)")
        print(f"  tree RSS at 10%: {early / MB:.0f} MB, at 100%: {late / MB:.0f} MB, "
              f"ratio {late / early:.2f}, peak {run.peak / MB:.0f} MB, "
              f"{len(run.samples)} samples")
        print(f"  tree PSS at 10%: {early_pss / MB:.0f} MB, at 100%: {late_pss / MB:.0f} MB, "
              f"ratio {late_pss / early_pss:.2f}")
        curve = ", ".join(f"{k * 10}% {run.at(k / 10)[0] / MB:.0f}/{run.at(k / 10)[1] / MB:.0f}"
                          for k in range(1, 11))
        print(f"  RSS/PSS MB by progress: {curve}")
        if mode == "render" and late / early > opts.max_ratio:
            print(f"  FAIL: memory grew by more than {opts.max_ratio}x across the crawl")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
