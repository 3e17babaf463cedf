"""The analysts' Parquet tables: write cost per record beside JSONL's, and memory.

``python -m benchmarks.parquet --records 20000`` (in ``make bench``): CPU per record of
the JSONL feed exporter, of the side-output datasets (spool during the crawl + the build
at close: the six record tables, edges with dedupe, nodes, edges.jsonl) and of the
``parquet`` feed, on records parsed from mirror pages with a crawl's ~35 links each.

``--memory 10000,100000`` (``make bench-memory``): peak RSS of a fresh process that spools
and builds N records, for each N; the figure is the largest ÷ the smallest (flat ≈ 1),
once for the tables alone and once with the edges (whose dedupe keeps ~19 bytes per edge:
``benchmarks/edges.py``).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from aggregator.exports.datasets import PARQUET_TABLES, build_datasets
from aggregator.exports.feeds import RecordJsonLinesExporter
from aggregator.exports.parquet import ParquetRecordExporter
from aggregator.exports.spool import RecordSpool
from aggregator.records import ArticleRecord, IsoInstant, Provenance
from aggregator.sources.page.article import parse_article
from benchmarks.common import Figure, at_most, log, markdown_table
from benchmarks.extraction import mirror_pages
from tests.mirror.graph import MirrorGraph

TEMPLATES = 200


def templates() -> list[ArticleRecord]:
    """Records parsed from mirror pages, with the links a crawl would give them."""
    graph = MirrorGraph(5000, seed=7)
    out = []
    for page in mirror_pages(TEMPLATES):
        record = parse_article(page, "https://pubmed.ncbi.nlm.nih.gov/")
        out.append(replace(
            record, similar_pmids=list(graph.similar(record.pmid)),
            reference_pmids=list(graph.references(record.pmid)),
            cited_by_pmids=list(graph.cited_by(record.pmid)),
            fetched_at=IsoInstant("2026-11-25T19:25:18Z"),
            provenance=Provenance(seed="30000001", parent="30000002", relation="similar",
                                  depth=1)))
    return out


def records(n: int, base: list[ArticleRecord]) -> Iterator[ArticleRecord]:
    """``n`` distinct records (PMIDs 31000000…), cycling the templates."""
    for i in range(n):
        yield replace(base[i % len(base)], pmid=str(31_000_000 + i))


def measure_cost(n: int, workdir: Path) -> list[Figure]:
    """µs of CPU per record: JSONL feed, Parquet side outputs, Parquet feed."""
    workdir.mkdir(parents=True, exist_ok=True)
    base = templates()
    batch = list(records(n, base))

    t0 = time.process_time()
    jsonl = RecordJsonLinesExporter(io.BytesIO())
    for record in batch:
        jsonl.export_item(record)
    jsonl_us = (time.process_time() - t0) / n * 1e6

    t0 = time.process_time()
    spool = RecordSpool(workdir / "spool.jsonl", resuming=False)
    for record in batch:
        spool.add(record.to_dict())
    spool_us = (time.process_time() - t0) / n * 1e6
    t0 = time.process_time()
    paths = {name: workdir / f"{name}.parquet" for name in PARQUET_TABLES}
    counts = build_datasets(spool.records(), paths, workdir / "edges.jsonl", None)
    build_us = (time.process_time() - t0) / n * 1e6
    spool.delete()

    t0 = time.process_time()
    with (workdir / "found.parquet").open("wb") as handle:
        feed = ParquetRecordExporter(handle)
        feed.start_exporting()
        for record in batch:
            feed.export_item(record)
        feed.finish_exporting()
    feed_us = (time.process_time() - t0) / n * 1e6
    sizes = {name: paths[name].stat().st_size for name in PARQUET_TABLES}
    side = spool_us + build_us
    log(f"parquet: JSONL {jsonl_us:.0f} µs/record; datasets {side:.0f} (spool {spool_us:.0f} "
        f"+ build {build_us:.0f}); feed {feed_us:.0f}; {counts.get('parquet/edges', 0)} edges")
    return [
        Figure("13. Parquet datasets CPU per record ÷ JSONL's", side / jsonl_us, "reported", None,
               f"{side:.0f} µs/record (spool {spool_us:.0f} + build at close {build_us:.0f}: "
               f"8 tables, {counts.get('parquet/edges', 0):,} edges deduplicated) vs JSONL "
               f"feed {jsonl_us:.0f} µs/record; {n:,} records; records.parquet "
               f"{sizes['records'] / n:.0f} B/record ({TEMPLATES} templates repeated: "
               f"compresses better than a real crawl)"),
        Figure("13. Parquet feed (-O x.parquet) CPU per record ÷ JSONL's", feed_us / jsonl_us,
               "reported", None, f"{feed_us:.0f} µs/record vs {jsonl_us:.0f}; {n:,} records"),
    ]


def build_once(n: int, workdir: Path, edges: bool = True) -> dict[str, float]:
    """In this process: spool and build ``n`` records; peak RSS (MB) after each step.
    ``edges=False``: no edges (the tables alone, without the edge dedupe's arrays)."""
    base = templates()
    spool = RecordSpool(workdir / "spool.jsonl", resuming=False)
    for record in records(n, base):
        spool.add(record.to_dict())
    spooled = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    paths = {name: workdir / f"{name}.parquet" for name in PARQUET_TABLES}
    t0 = time.perf_counter()
    build_datasets(spool.records(), paths, workdir / "edges.jsonl", None if edges else [])
    built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": n, "spool_peak_mb": spooled, "build_peak_mb": built,
            "build_s": time.perf_counter() - t0}


def measure_memory(sizes: list[int], workdir: Path, edges: bool = True) -> Figure:
    """Peak RSS of a fresh process building each size; the largest ÷ the smallest."""
    results = []
    for n in sizes:
        where = workdir / f"mem-{n}-{edges}"
        where.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "benchmarks.parquet", "--build-once", str(n),
               "--dir", str(where)] + ([] if edges else ["--no-edges"])
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        log(f"parquet memory: {results[-1]}")
    small, large = results[0], results[-1]
    what = "with edges (dedupe)" if edges else "tables alone, no edges"
    return at_most(
        f"13. Parquet build peak RSS at {large['records']:,} ÷ at {small['records']:,} records"
        f", {what}",
        large["build_peak_mb"] / small["build_peak_mb"], 1.2,
        "; ".join(f"{r['records']:,} records: peak {r['build_peak_mb']:.0f} MB, build "
                  f"{r['build_s']:.0f} s" for r in results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parquet", description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--memory", default="", help="sizes, e.g. 10000,100000")
    parser.add_argument("--build-once", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-edges", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.build_once:
        print(json.dumps(build_once(opts.build_once, opts.dir, edges=not opts.no_edges)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-parquet-") as tmp:
        if opts.memory:
            sizes = [int(x) for x in opts.memory.split(",")]
            figures = [measure_memory(sizes, Path(tmp), edges=False),
                       measure_memory(sizes, Path(tmp), edges=True)]
        else:
            figures = measure_cost(opts.records, Path(tmp))
    print(markdown_table(figures))
    return 0 if not any(f.failed for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
