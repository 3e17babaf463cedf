"""Figures 3 and 5 (and the ``pubmed`` side of 7): crawl CPU overhead and requests per
record, from one depth-2 crawl of a cyclic mirror graph (mirror in its own process)."""

from __future__ import annotations

import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from aggregator.sources.page.article import parse_article
from aggregator.sources.page.kind import classify
from aggregator.sources.page.results import parse_results
from benchmarks.common import (
    CrawlRun,
    Figure,
    MirrorProcess,
    at_most,
    fast_settings,
    log,
    read_request_log,
    run_crawl,
    run_fetch_only,
    spread_seeds,
)

#: Graph and seeds of the overhead crawl: 10 seeds 160 apart, depth 2 (~1,700 records).
GRAPH_ARTICLES, GRAPH_SEED = 20_000, 11
SEEDS = dict(first=5_000, count=10, step=160)
DEPTH = 2


@dataclass
class CrawlFigures:
    """The crawl figures plus the counts figure 7 compares against."""

    figures: list[Figure]
    records: int
    requests: int
    seeds_file: Path


def extraction_cpu(base_url: str, targets: list[str]) -> float:
    """CPU seconds of classify + parse over the same pages (bodies fetched first)."""
    total = 0.0
    for target in targets:
        url = base_url + target
        with urllib.request.urlopen(url, timeout=30) as answer:  # the local mirror only
            body = answer.read()
        t0 = time.process_time()
        kind = classify(body, url, 200)
        if kind.value == "article":
            parse_article(body, url)
        else:
            parse_results(body, url)
        total += time.process_time() - t0
    return total


def measure(workdir: Path) -> CrawlFigures:
    """Run the crawl, the fetch-only baseline on its URLs, and the extraction alone."""
    workdir.mkdir(parents=True, exist_ok=True)
    seeds_file = workdir / "seeds.txt"
    seeds_file.write_text("\n".join(spread_seeds(**SEEDS)) + "\n", encoding="utf-8")
    request_log = workdir / "crawl-requests.log"
    request_log.unlink(missing_ok=True)
    with MirrorProcess(GRAPH_ARTICLES, GRAPH_SEED, request_log) as mirror:
        log(f"crawl: pubmed depth {DEPTH}, {SEEDS['count']} seeds (FAST_LOCAL)")
        crawl = run_crawl("pubmed", {"pmids_file": seeds_file, "depth": DEPTH},
                          fast_settings(mirror.base_url, workdir / "out-crawl"), workdir,
                          out=workdir / "crawl.jsonl")
        lines = read_request_log(request_log)
        ok = [line.target for line in lines if line.status == 200 and line.method == "GET"
              and (line.is_article or line.is_list)]
        urls_file = workdir / "urls.txt"
        urls_file.write_text("".join(f"{mirror.base_url}{t}\n" for t in ok), encoding="utf-8")
        log(f"crawl: fetch-only baseline over the same {len(ok)} URLs")
        fetch = run_fetch_only(urls_file, fast_settings(mirror.base_url, workdir / "out-fetch"),
                               workdir)
        log("crawl: extraction alone over the same pages")
        extract_s = extraction_cpu(mirror.base_url, ok)
    figures = [overhead_figure(crawl, fetch, extract_s, len(ok))]
    figures += request_figures(crawl, lines)
    records = int(crawl.stats.get("item_scraped_count", 0))
    return CrawlFigures(figures, records, len(lines), seeds_file)


def overhead_figure(crawl: CrawlRun, fetch: CrawlRun, extract_s: float, pages: int) -> Figure:
    """Figure 3: crawl CPU/page ÷ (fetch-only CPU/page + extraction CPU/page)."""
    crawl_pp = crawl.window_cpu_s / pages
    fetch_pp = fetch.window_cpu_s / pages
    extract_pp = extract_s / pages
    return at_most(
        "3. crawl CPU ÷ (fetch-only CPU + extraction CPU), per page",
        crawl_pp / (fetch_pp + extract_pp), 1.2,
        f"{pages} pages: crawl {crawl_pp * 1e3:.2f} ms/page ({crawl.window_cpu_s:.1f} s; "
        f"whole process incl. start-up {crawl.cpu_s:.1f} s), fetch-only {fetch_pp * 1e3:.2f} "
        f"ms/page ({fetch.window_cpu_s:.1f} s), extraction {extract_pp * 1e3:.2f} ms/page "
        f"({extract_s:.1f} s)")


def request_figures(crawl: CrawlRun, lines: list) -> list[Figure]:
    """Figure 5: article-page requests per record and list-page requests per record."""
    stats = crawl.stats
    records = int(stats.get("item_scraped_count", 0))
    articles = [line for line in lines if line.is_article]
    article_ok = sum(1 for line in articles if line.status == 200)
    missing = sum(1 for line in articles if line.status == 404)
    lists = sum(1 for line in lines if line.is_list)
    distinct = len({line.target for line in articles})
    return [
        at_most(
            "5. article-page requests ÷ unique records (cyclic graph)",
            article_ok / records, 1.02,
            f"{article_ok} article pages answered 200, {records} unique records, "
            f"{distinct} distinct article URLs of {len(articles)} article requests; "
            f"plus {missing} requests for linked-but-missing PMIDs (404 in the mirror, "
            f"{len(articles) / records:.3f} incl. them); stats aggregator/pages/article = "
            f"{stats.get('aggregator/pages/article')}"),
        Figure("5. list-page requests per record", lists / records, "reported", None,
               f"{lists} list pages (stats aggregator/pages/list = "
               f"{stats.get('aggregator/pages/list')}) for {records} records, page size 200"),
    ]
