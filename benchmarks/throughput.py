"""Figures 8 and 9: the E-utilities crawl's CPU per record, end to end, with every output on.

Figure 8 is the crawl's CPU per record ÷ the efetch parse's CPU per record on the same
mirror records: what Scrapy, the pipelines and every side output add to parsing. Figure 9
is records per second of CPU on one core, printed beside what NCBI would deliver (10
requests/s with a key × 200 records per efetch = 2,000 records/s).

The crawl's CPU per record is the difference of two runs (``max_results`` small and large)
divided by the difference in records, so start-up and close-down costs that do not grow
with the crawl cancel out; the mirror runs in its own process, so its CPU is not counted.

``--realistic`` measures both on the mirror's records of real size (figure 10b and 10c;
target for records/s there: ≥ 1,000).

``--profile`` runs the large crawl once more under cProfile timed by CPU
(``benchmarks.cpu_profile``) and prints where its CPU goes: the crawl's stages (parse,
serialisation, pipelines, the outputs built at close, each writer) and the top functions.

Usage: ``python -m benchmarks.throughput [--small 200] [--large 5000] [--realistic]
[--profile [TOP]]``.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aggregator.sources.eutils.parse import iter_efetch_records
from benchmarks.common import ROOT, Figure, MirrorProcess, at_least, at_most, log, markdown_table
from benchmarks.eutils import efetch_file

#: NCBI's ceiling for one client with an API key (10 requests/s × 200 PMIDs per efetch)
API_RECORDS_PER_S = 2000
#: figure 10c: records/s of CPU to reach on records of real size
REALISTIC_RECORDS_PER_S = 1000


#: the crawl's stages in the profile: label -> (file suffix, function name); cumulative CPU
STAGES = (
    ("efetch parse", "sources/eutils/parse.py", "iter_efetch_records"),
    ("item pipelines (all, Scrapy's part included)", "scrapy/pipelines/__init__.py",
     "process_item_async"),
    ("  review facts", "review_facts.py", "extract_review"),
    ("  record line (JSON, feed and store) and the store", "pipelines/store.py",
     "process_item"),
    ("JSON Lines feed (writes the line)", "exports/feeds.py", "export_item"),
    ("outputs at close (all)", "exports/outputs.py", "rebuild"),
    ("  citation fields (shared by CSV, RIS, NBIB)", "exports/citation.py", "cite"),
    ("  CSV", "exports/rayyan_csv.py", "csv_values"),
    ("  RIS (rispy)", "exports/ris.py", "format_entries"),
    ("  NBIB", "exports/nbib.py", "nbib_text"),
    ("  Parquet record tables", "exports/parquet.py", "add"),
    ("  edge dedupe", "exports/edges.py", "dedupe_edges"),
)


def crawl_cpu(base_url: str, records: int, workdir: Path,
              profile: Path | None = None) -> tuple[float, int]:
    """CPU seconds (user + system) of one ``pubmed_eutils`` query crawl, and its records
    (``profile``: run under ``benchmarks.cpu_profile``, stats written there)."""
    out = workdir / f"out-{records}.jsonl"
    runner = ["-m", "scrapy"] if profile is None else ["-m", "benchmarks.cpu_profile",
                                                       str(profile)]
    cmd = [sys.executable, *runner, "crawl", "pubmed_eutils",
           "-a", "query=1900:2100[dp]", "-a", f"max_results={records}", "-a", "depth=0",
           "-a", "follow=none", "-a", "links=pubmed",
           "-s", f"EUTILS_BASE_URL={base_url}/entrez/eutils",
           "-s", "AGGREGATOR_POLITE_SLOTS=0", "-s", f"OUTPUT_DIR={workdir / str(records)}",
           "-s", "LOG_LEVEL=WARNING", "-s", "AGGREGATOR_JOURNAL_ENABLED=1",
           "-O", f"{out}:jsonlines"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"crawl of {records} failed: {done.stderr[-500:]}")
    with out.open(encoding="utf-8") as fh:
        n = sum(1 for line in fh if json.loads(line))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, n


def parse_cpu_per_record(records: int = 3000, repeats: int = 3,
                         realistic: bool = False) -> float:
    """Seconds of CPU per record for ``iter_efetch_records`` alone (best of ``repeats``)."""
    data = efetch_file(records, realistic=realistic)
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        n = sum(1 for _ in iter_efetch_records(data))
        best = min(best, (time.process_time() - start) / n)
    return best


def measure(small: int = 200, large: int = 5000, articles: int = 8000,
            realistic: bool = False) -> list[Figure]:
    """Figures 8 and 9 from one run (10b and 10c on the mirror's realistic records)."""
    with (tempfile.TemporaryDirectory() as tmp,
          MirrorProcess(articles, realistic=realistic) as mirror):
        work = Path(tmp)
        log(f"throughput: crawls of {small} and {large} records"
            + (" (realistic records)" if realistic else ""))
        cpu_small, n_small = crawl_cpu(mirror.base_url, small, work)
        cpu_large, n_large = crawl_cpu(mirror.base_url, large, work)
    per_record = (cpu_large - cpu_small) / (n_large - n_small)
    parse = parse_cpu_per_record(realistic=realistic)
    absolute = (f"crawl {per_record * 1e3:.2f} ms CPU/record ({n_large} records: "
                f"{cpu_large:.1f} s, {n_small}: {cpu_small:.1f} s), efetch parse "
                f"{parse * 1e3:.2f} ms/record; every output on (JSONL, CSV, RIS, NBIB, "
                "PRISMA, edges, Parquet, journal)")
    names = ("8. pubmed_eutils crawl CPU per record ÷ efetch parse CPU per record",
             "9. pubmed_eutils records per second of CPU, one core")
    if realistic:
        names = ("10b. realistic records: crawl CPU per record ÷ efetch parse CPU per record "
                 "(as 8)", "10c. realistic records: records per second of CPU, one core (as 9)")
    return [
        at_most(names[0], per_record / parse, 1.5, absolute),
        at_least(names[1], 1 / per_record,
                 REALISTIC_RECORDS_PER_S if realistic else API_RECORDS_PER_S,
                 f"{1 / per_record:.0f} records/s; NCBI with an API key "
                 f"serves up to {API_RECORDS_PER_S} records/s (10 requests/s × 200)"),
    ]


def print_profile(stats_path: Path, records: int, top: int) -> None:
    """The stages of ``STAGES`` (ms of profiled CPU per record, share of the whole) and the
    ``top`` functions of ``aggregator`` by cumulative CPU (profiling inflates every figure
    about threefold; the shares are what to read)."""
    stats = pstats.Stats(str(stats_path))
    # {(file, line, function): (primitive calls, calls, own time, cumulative, callers)}
    table = stats.stats  # type: ignore[attr-defined]
    total = max(v[3] for v in table.values())  # the outermost call: the whole command

    def cumulative(suffix: str, name: str) -> float | None:
        found = [v[3] for (file, _, fn), v in table.items()
                 if fn == name and file.replace("\\", "/").endswith(suffix)]
        return max(found) if found else None

    print(f"\nCPU profile of the {records}-record crawl ({total:.1f} profiled CPU-s):\n")
    print("| stage | ms per record | share |\n| --- | ---: | ---: |")
    for label, suffix, name in STAGES:
        seconds = cumulative(suffix, name)
        if seconds is not None:
            print(f"| {label} | {seconds / records * 1e3:.3f} | {seconds / total:.0%} |")
    print(f"\nTop {top} functions of aggregator/ by cumulative CPU:\n")
    stats.sort_stats("cumulative").print_stats("aggregator/", top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--realistic", action="store_true",
                        help="the mirror's records of real size (figures 10b and 10c)")
    parser.add_argument("--profile", type=int, nargs="?", const=30, default=None,
                        metavar="TOP", help="profile the large crawl; print stages and the "
                        "TOP functions (default 30)")
    opts = parser.parse_args(argv)
    articles = max(8000, opts.large + 2000)
    figures = measure(opts.small, opts.large, articles, opts.realistic)
    print(markdown_table(figures))
    if opts.profile is not None:
        with (tempfile.TemporaryDirectory() as tmp,
              MirrorProcess(articles, realistic=opts.realistic) as mirror):
            stats_path = Path(tmp) / "crawl.stats"
            _, n = crawl_cpu(mirror.base_url, opts.large, Path(tmp), profile=stats_path)
            print_profile(stats_path, n, opts.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
