"""The end-of-crawl edge dedupe: memory and time beside a set of tuples (the obvious way).

``python -m benchmarks.edges --records 100000`` writes an edge file shaped like a crawl's
(35 edges per record, a quarter of them repeats) and dedupes it in two fresh processes;
the figure is the peak-RSS growth of ours ÷ that of the set.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from aggregator.exports.edges import dedupe_edges
from benchmarks.common import Figure, at_most, log, markdown_table

EDGES_PER_RECORD = 35


def write_edges(path: Path, records: int, seed: int = 3) -> int:
    """An edge list like a crawl's: cites and similar edges, a quarter repeating one
    of the last thousand (an edge seen again from its other end)."""
    rng = random.Random(seed)
    recent: deque[str] = deque(maxlen=1000)
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for source in range(30_000_000, 30_000_000 + records):
            for _ in range(EDGES_PER_RECORD):
                if recent and rng.random() < 0.25:
                    line = rng.choice(recent)
                else:
                    line = json.dumps({
                        "source_pmid": str(source), "target_pmid": str(rng.randint(1, 4 * 10**7)),
                        "relation": "cites" if rng.random() < 0.7 else "similar", "depth": 1})
                    recent.append(line)
                out.write(line + "\n")
                lines += 1
    return lines


def _set_of_tuples(path: Path) -> int:
    seen: set[tuple[int, int, str]] = set()
    removed = 0
    with path.open("rb") as src, path.with_suffix(".tmp").open("wb") as dst:
        for line in src:
            edge = json.loads(line)
            key = (int(edge["source_pmid"]), int(edge["target_pmid"]), edge["relation"])
            if key in seen:
                removed += 1
            else:
                seen.add(key)
                dst.write(line)
    return removed


def _status_kb(field: str) -> int:
    """A memory figure of this process in KiB: ``VmRSS`` now, ``VmHWM`` its peak (Linux;
    unlike ``ru_maxrss``, VmHWM does not carry the parent's peak across fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(method: str, path: Path) -> None:
    """Run one dedupe in this (fresh) process and print its cost as JSON."""
    base = _status_kb("VmRSS")
    t0 = time.process_time()
    removed = dedupe_edges(path)[1] if method == "ours" else _set_of_tuples(path)
    peak = _status_kb("VmHWM")
    print(json.dumps({"removed": removed, "cpu_s": time.process_time() - t0,
                      "growth_mb": (peak - base) / 1024}))


def _run(method: str, path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.edges", "--child", method,
                           str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def measure(records: int, workdir: Path) -> Figure:
    """Peak memory growth of ``dedupe_edges`` ÷ that of a set of tuples, same file."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "edges.jsonl"
    log(f"edges: writing {records * EDGES_PER_RECORD:,} edges")
    lines = write_edges(path, records)
    copy = workdir / "edges-copy.jsonl"
    shutil.copyfile(path, copy)
    ours, theirs = _run("ours", path), _run("set", copy)
    if ours["removed"] != theirs["removed"]:
        raise RuntimeError(f"different results: {ours} vs {theirs}")
    return at_most(
        f"4. edge dedupe at close ({lines:,} edges): peak memory ÷ a set of tuples",
        ours["growth_mb"] / theirs["growth_mb"], 0.25,
        f"peak growth {ours['growth_mb']:.0f} MB vs {theirs['growth_mb']:.0f} MB; CPU "
        f"{ours['cpu_s']:.1f} s vs {theirs['cpu_s']:.1f} s; {ours['removed']:,} removed")


def main(argv: list[str] | None = None) -> int:
    """CLI: print the figure as a one-row Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.edges", description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:
        _child(opts.child[0], Path(opts.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-edges-") as tmp:
        figure = measure(opts.records, Path(tmp))
    print(markdown_table([figure]))
    return 0 if figure.passed else 1


if __name__ == "__main__":
    sys.exit(main())
