"""``python -m benchmarks.run`` (``make bench``): every figure, one Markdown table.

Figures are ratios of quantities measured in the same run (the machine is noisy);
the absolute numbers are printed beside them. Budget: under 15 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    common,
    crawl,
    edges,
    eutils,
    extraction,
    icite,
    memory,
    parquet,
    politeness,
    review_accuracy,
    throughput,
)
from benchmarks.common import Figure, log, markdown_table, skipped


def _guard(name: str, target: str, fn: Callable[[], list[Figure]]) -> list[Figure]:
    """Run one benchmark; a failure becomes a row saying so, the others still run."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001
        log(f"{name} failed: {exc}")
        return [skipped(name, target, f"failed: {str(exc).strip().splitlines()[-1][:300]}")]


def _figure_order(figure: Figure) -> tuple[int, str]:
    """Figures by their leading number (2 before 12, 10a with 10), then by name."""
    number = re.match(r"\d+", figure.name)
    return (int(number.group()) if number else 99, figure.name)


def main(argv: list[str] | None = None) -> int:
    """Run all benchmarks and print the table; exit 1 when a target is missed (but for
    misses judged not worth their cost: ``common.not_pursued_if``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--memory-small", type=int, default=10_000)
    parser.add_argument("--memory-large", type=int, default=100_000)
    parser.add_argument("--skip-memory", action="store_true", help="leave out figure 4")
    parser.add_argument("--parquet-records", type=int, default=20_000,
                        help="records for the Parquet write cost (figure 13)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra -s setting for every project crawl (repeatable)")
    opts = parser.parse_args(argv)
    for item in opts.set:
        name, _, value = item.partition("=")
        common.EXTRA_SETTINGS[name] = value
    t0 = time.perf_counter()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        figures += _guard("1-2. extraction", "", extraction.measure)
        pubmed: list[crawl.CrawlFigures] = []

        def _crawl() -> list[Figure]:
            pubmed.append(crawl.measure(work / "crawl"))
            return pubmed[0].figures

        figures += _guard("3/5. crawl", "", _crawl)
        if not opts.skip_memory:
            figures += _guard("4. memory", "≤ 1.2", lambda: [memory.measure(
                opts.memory_small, opts.memory_large, work / "memory")])
            figures += _guard("4. edge dedupe", "≤ 0.25", lambda: [edges.measure(
                opts.memory_large, work / "edges")])
        figures += _guard("13. Parquet", "reported", lambda: parquet.measure_cost(
            opts.parquet_records, work / "parquet"))
        figures += _guard("6. politeness", "≤ 1", lambda: [politeness.measure(work / "polite")])
        figures += _guard("7. E-utilities", "", lambda: eutils.measure(
            pubmed[0] if pubmed else None, work / "eutils"))
        figures += _guard("8-9. E-utilities throughput", "", throughput.measure)
        figures += _guard("10a. efetch parse, realistic records", "≤ 1.5",
                          lambda: [eutils.parse_figure(realistic=True)])
        figures += _guard("10b-c. E-utilities throughput, realistic records", "",
                          lambda: throughput.measure(realistic=True))
        figures += _guard("12. review facts", "", review_accuracy.measure)
        figures += _guard("14. link sources", "", lambda: icite.measure(work / "icite"))
    log(f"done in {time.perf_counter() - t0:.0f} s")
    figures.sort(key=_figure_order)
    print(markdown_table(figures))
    return 1 if any(f.failed for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
