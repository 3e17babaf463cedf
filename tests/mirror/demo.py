"""``make demo``: start the mirror with a sample graph, crawl it, print a summary."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tests.mirror.graph import MirrorGraph
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer


def main(argv: list[str] | None = None) -> int:
    """Crawl a 300-article mirror from one seed to depth 2; print one summary line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="demo.jsonl")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--output-dir", default="output", help="side outputs (CSV, edges, …)")
    opts = parser.parse_args(argv)
    graph = MirrorGraph(opts.articles, seed=1)
    seed = graph.pmids()[len(graph.pmids()) // 2]
    out = Path(opts.out).resolve()
    outdir = Path(opts.output_dir).resolve()
    with MirrorServer(graph) as mirror:
        settings = {**FAST_LOCAL, "PUBMED_BASE_URL": mirror.base_url, "OUTPUT_DIR": outdir,
                    "LOG_LEVEL": "WARNING"}
        done = run_crawl("pubmed", {"pmids": seed, "depth": opts.depth}, settings, out=out)
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-3000:])
            return done.returncode
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    depths = Counter(r["provenance"]["depth"] for r in records)
    reviews = sum(1 for r in records if r["review"]["type"])
    print(f"demo: {len(records)} records from seed {seed} "
          f"(depth 0/1/2: {depths[0]}/{depths[1]}/{depths[2]}; {reviews} reviews) -> {out}; "
          f"CSV, RIS, NBIB, Parquet tables, edges, PRISMA box, errors, manifest in {outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
