"""Figures 1 and 2: extraction cost against bare lxml, and against a BeautifulSoup peer."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable, Sequence

import lxml.html

from aggregator.settings import PUBMED_DELAY
from aggregator.sources.page.article import parse_article, parse_html
from benchmarks import bs4_peer
from benchmarks.common import (
    FIXTURES,
    Figure,
    at_least,
    at_most,
    log,
    markdown_table,
    not_pursued_if,
)
from tests.mirror import html as mirror_html
from tests.mirror.graph import MirrorGraph

FIXTURE = FIXTURES / "pubmed" / "article-37882686.html"


def mirror_pages(count: int, articles: int = 5000, seed: int = 7) -> list[bytes]:
    """``count`` article pages rendered by the mirror's html module (no server)."""
    graph = MirrorGraph(articles, seed=seed)
    step = max(1, articles // (count + count // 10 + 1))
    pages: list[bytes] = []
    for pmid in graph.pmids()[::step]:
        if graph.exists(pmid):
            pages.append(mirror_html.article_page(graph, graph.article(pmid)).encode("utf-8"))
        if len(pages) == count:
            break
    return pages


def best_times(fns: Sequence[Callable[[bytes], object]], pages: Sequence[bytes],
               repeats: int) -> list[float]:
    """Best CPU time (s) of each function over all pages, out of ``repeats`` passes;
    passes are interleaved so that load from other processes hits all alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for k, fn in enumerate(fns):
            t0 = time.process_time()
            for page in pages:
                fn(page)
            best[k] = min(best[k], time.process_time() - t0)
    return best


def _ours(page: bytes) -> object:
    return parse_article(page, "https://pubmed.ncbi.nlm.nih.gov/")


def _floor(page: bytes) -> object:
    """The least any Python extractor over an lxml tree does: parse, then read one
    attribute of every element (reported beside figure 1 to show what is left)."""
    root = parse_html(page)
    for el in root.iter():
        el.get("class")
    return root


#: figure 1's target: extraction ÷ bare parse
TARGET = 1.5
#: a missed figure 1 is not pursued while the page's whole extraction CPU stays below this
#: share of the live interval between page requests (PUBMED_DELAY)
LIVE_SHARE_LIMIT = 0.01


def live_judgement(figure: Figure, ours: float, bare: float) -> Figure:
    """Figure 1 beside what it costs live: one page arrives every ``PUBMED_DELAY`` seconds,
    so a miss is not pursued while the extraction's CPU is a negligible share of that."""
    share = ours / PUBMED_DELAY
    saving = max(0.0, ours - TARGET * bare)
    return not_pursued_if(
        figure, share < LIVE_SHARE_LIMIT,
        f"{ours * 1e3:.2f} ms of CPU a page is {share:.2%} of the {PUBMED_DELAY:g} s between "
        f"page requests live; reaching {TARGET:g} would save {saving * 1e3:.2f} ms "
        f"(judged while < {LIVE_SHARE_LIMIT:.0%})")


def measure(n_mirror: int = 300, repeats: int = 5) -> list[Figure]:
    """Figure 1 (time ratio to lxml.html.fromstring) and figure 2 (BeautifulSoup peer)."""
    log(f"extraction: fixture + {n_mirror} mirror pages")
    fixture = FIXTURE.read_bytes()
    mirror = mirror_pages(n_mirror)
    sets = {"fixture": [fixture], "mirror": mirror}
    figures: list[Figure] = []
    for label, pages in sets.items():
        reps = repeats * (40 if len(pages) == 1 else 1)
        ours, bare, floor = (t / len(pages) for t in
                             best_times((_ours, lxml.html.fromstring, _floor), pages, reps))
        figures.append(live_judgement(at_most(
            f"1. extraction ÷ bare lxml.html.fromstring ({label}, {len(pages)} page(s))",
            ours / bare, TARGET,
            f"parse_article {ours * 1e3:.3f} ms/page, fromstring {bare * 1e3:.3f} ms/page, "
            f"{sum(map(len, pages)) / len(pages) / 1024:.0f} KB/page; floor of a Python "
            f"extractor (parse + one attribute read per element) {floor / bare:.2f}"),
            ours, bare))

    pages = [fixture, *mirror]
    ours, peer = best_times((_ours, bs4_peer.extract), pages, 2)
    mismatches: dict[str, int] = {}
    for page in pages:
        a, b = bs4_peer.ours(page), bs4_peer.extract(page)
        for name in bs4_peer.COMPARED_FIELDS:
            if a[name] != b[name]:
                mismatches[name] = mismatches.get(name, 0) + 1
    agree = ("all compared fields equal on every page" if not mismatches else
             "MISMATCHES: " + ", ".join(f"{k} on {v} pages" for k, v in mismatches.items()))
    speed = at_least(
        f"2. speed vs requests+BeautifulSoup(html.parser) peer ({len(pages)} pages)",
        peer / ours, 5.0,
        f"ours {ours / len(pages) * 1e3:.2f} ms/page, peer {peer / len(pages) * 1e3:.2f} "
        f"ms/page; {agree} ({', '.join(bs4_peer.COMPARED_FIELDS)})")
    if mismatches:
        speed.passed = False
    figures.append(speed)
    return figures


def profile(n_mirror: int = 300, top: int = 30) -> str:
    """Where ``parse_article`` spends its time on mirror pages (cProfile, cumulative,
    project functions only): the profile behind figure 1."""
    pages = mirror_pages(n_mirror)
    prof = cProfile.Profile()
    prof.enable()
    for page in pages:
        _ours(page)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats(r"aggregator", top)
    return f"{len(pages)} mirror pages (divide times by the page count)\n" + out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """CLI: figures 1 and 2 as a table, or ``--profile`` for the per-function profile."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extraction",
                                     description=__doc__)
    parser.add_argument("--profile", action="store_true",
                        help="print where parse_article spends its time instead")
    opts = parser.parse_args(argv)
    if opts.profile:
        print(profile())
        return 0
    figures = measure()
    print(markdown_table(figures))
    return 0 if not any(f.failed for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
