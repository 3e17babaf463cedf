"""Figure 14: link sources — the same depth-2 mirror crawl with ``links=pubmed``, ``icite``
and ``pubmed,icite``, for both spiders: records reached, edges found, requests per record
and the live wall time at each host's rate.

PLUMBING FIGURES: the mirror's open citation graph is ours (tests/mirror/icite.py: about
4 open-only references per article, 5 % of the articles unknown to iCite), so the gain in
records and edges says only that the extra links are followed; the real coverage argument
is the published one (README, "Citation links: PubMed, iCite or both").

``python -m benchmarks.icite`` prints the table alone.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, MirrorProcess, fast_settings, log, markdown_table, run_crawl

GRAPH_ARTICLES, GRAPH_SEED = 20_000, 11
SEEDS = [str(30_000_000 + 5_000 + k * 400) for k in range(3)]
DEPTH = 2
LINKS = ("pubmed", "icite", "pubmed,icite")
#: requests a second live: PubMed pages (robots.txt), E-utilities without a key, iCite
#: (our own conservative choice: iCite publishes no limit)
RATES = {"pubmed": 1.0, "pubmed_eutils": 3.0, "icite": 1.0}


def _edges(out_dir: Path) -> int:
    return sum(1 for p in out_dir.glob("*-edges.jsonl") for _ in p.open(encoding="utf-8"))


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def measure(workdir: Path) -> list[Figure]:
    """One row per spider and link setting (reported, no target)."""
    figures: list[Figure] = []
    with MirrorProcess(GRAPH_ARTICLES, GRAPH_SEED) as mirror:
        for spider in ("pubmed", "pubmed_eutils"):
            base: tuple[int, int] | None = None
            for links in LINKS:
                log(f"icite: {spider} links={links}, depth {DEPTH}, {len(SEEDS)} seeds")
                out_dir = workdir / f"out-{spider}-{links.replace(',', '+')}"
                run = run_crawl(spider, {"pmids": ",".join(SEEDS), "depth": DEPTH,
                                         "links": links},
                                fast_settings(mirror.base_url, out_dir), workdir,
                                out=workdir / f"{spider}-{links}.jsonl")
                stats = run.stats
                records = int(stats.get("item_scraped_count", 0))
                requests = int(stats.get("downloader/request_count", 0))
                icite = int(stats.get("aggregator/icite/requests", 0))
                edges = _edges(out_dir)
                base = base or (records, edges)
                # iCite is asked once a level is done, so its time adds to the source's
                wall = (requests - icite) / RATES[spider] + icite / RATES["icite"]
                figures.append(Figure(
                    f"14. {spider} links={links}: records reached ÷ links=pubmed (plumbing)",
                    records / max(base[0], 1), "reported", None,
                    f"{records} records, {edges} edges ({edges / max(base[1], 1):.2f}× "
                    f"links=pubmed), {requests} requests ({icite} iCite) = "
                    f"{requests / max(records, 1):.3f} per record; live wall time at each "
                    f"host's rate ≈ {_duration(wall)}"))
    return figures


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-icite-") as tmp:
        print(markdown_table(measure(Path(tmp))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
