"""What whole-PubMed work would cost per core: ``iter_efetch_records`` on baseline-like files.

NLM's annual baseline is a set of ``pubmedYYnNNNN.xml.gz`` files, each a
``PubmedArticleSet`` of up to 30,000 ``PubmedArticle`` entries (the shape of an efetch
answer, which is what our parser reads). Two such files are built here, both of
``--records`` articles (30,000 by default):

- ``mirror``: the mirror's efetch answer for that many articles (~8 KB records, short
  reference lists: the records figures 7-9 use);
- ``real``: the real saved efetch articles of ``tests/fixtures/eutils`` repeated in turn
  (10 articles, 9-44 KB each, most with long reference lists: heavier than the average
  baseline record, so a rate measured on them leans slow).

For each: our parser's CPU per record, bare ``lxml.etree.iterparse`` over the same bytes,
the gzip decompression (``gzip.decompress``), and our parser reading the ``.xml.gz``
stream as a baseline job would; the peak RSS of a fresh process doing the last. These are
the measured inputs of ``docs/scaling.md``. Not part of ``make bench`` (about 3 minutes).

Usage: ``python -m benchmarks.baseline [--records 30000] [--repeats 2]``.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aggregator.sources.eutils.parse import iter_efetch_records
from benchmarks.common import FIXTURES, ROOT, log
from benchmarks.eutils import bare_iterparse, efetch_file

_ARTICLE = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.S)
_HEAD = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
         b'PubMedArticle, 1st January 2025//EN" '
         b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')


def real_file(records: int) -> bytes:
    """A PubmedArticleSet of ``records`` articles, the real fixture articles in turn."""
    articles = [m.group(0) for path in sorted((FIXTURES / "eutils").glob("efetch-*.xml"))
                for m in _ARTICLE.finditer(path.read_bytes())]
    body = b"\n".join(articles[k % len(articles)] for k in range(records))
    return _HEAD + b"<PubmedArticleSet>\n" + body + b"\n</PubmedArticleSet>\n"


def mirror_file(records: int) -> bytes:
    """The mirror's efetch answer for ``records`` articles (graph large enough to hold them)."""
    return efetch_file(records, articles=int(records * 1.5) + 1000)


def _ours(data: bytes) -> int:
    return sum(1 for _ in iter_efetch_records(data))


def _ours_gz(path: str) -> int:
    """Our parser reading the compressed file as a stream (as a baseline job would)."""
    with gzip.open(path, "rb") as stream:
        return sum(1 for _ in iter_efetch_records(stream))


def _best(fn: Callable[[], object], repeats: int) -> float:
    """Best CPU seconds (``process_time``) of ``fn()`` out of ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


# VmHWM, not getrusage's ru_maxrss: Linux carries the parent's peak (this process holds
# the files) into a child's ru_maxrss across fork and exec.
_CHILD = ("import re, sys\n"
          "from benchmarks.baseline import _ours_gz\n"
          "n = _ours_gz(sys.argv[1])\n"
          "status = open('/proc/self/status').read()\n"
          "print(n, re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n")


def peak_rss_mb(gz_path: Path) -> tuple[int, float]:
    """Records and peak RSS (MB) of a fresh process streaming the .xml.gz file."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(gz_path)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    n, kb = done.stdout.split()
    return int(n), int(kb) / 1024


def time_file(kind: str, data: bytes, repeats: int) -> dict[str, float | str]:
    """Sizes, CPU per record of each step, and peak RSS for one baseline-like file."""
    packed = gzip.compress(data, compresslevel=6)
    n = _ours(data)
    ours = _best(lambda: _ours(data), repeats)
    bare = _best(lambda: bare_iterparse(data), repeats)
    unzip = _best(lambda: gzip.decompress(packed), repeats)
    with tempfile.NamedTemporaryFile(suffix=".xml.gz") as tmp:
        tmp.write(packed)
        tmp.flush()
        streamed = _best(lambda: _ours_gz(tmp.name), repeats)
        _, rss = peak_rss_mb(Path(tmp.name))
    return {"kind": kind, "records": n, "xml_mb": len(data) / 2**20,
            "gz_mb": len(packed) / 2**20, "ours_ms": ours / n * 1e3, "bare_ms": bare / n * 1e3,
            "gunzip_ms": unzip / n * 1e3, "streamed_ms": streamed / n * 1e3, "rss_mb": rss}


def measure(records: int = 30_000, repeats: int = 2) -> list[dict[str, float | str]]:
    """One row per file kind (mirror, real), each file of ``records`` articles."""
    rows = []
    for kind, build in (("mirror", mirror_file), ("real", real_file)):
        log(f"baseline: building a {kind} file of {records} articles")
        data = build(records)
        log(f"baseline: {kind}: {len(data) / 2**20:.0f} MB, timing")
        rows.append(time_file(kind, data, repeats))
    return rows


def table(rows: list[dict[str, float | str]]) -> str:
    """The rows as a Markdown table (CPU per record; records/s of one core in brackets)."""
    head = ("| file | records | XML MB | .gz MB | parse ms/record | bare iterparse ms/record "
            "| gunzip ms/record | parse from .xml.gz ms/record (records/s) | peak RSS MB |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['kind']} | {r['records']:,} | {r['xml_mb']:.0f} | {r['gz_mb']:.0f} | "
            f"{r['ours_ms']:.3f} | {r['bare_ms']:.3f} | {r['gunzip_ms']:.3f} | "
            f"{r['streamed_ms']:.3f} ({1e3 / float(r['streamed_ms']):,.0f}) | "
            f"{r['rss_mb']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: build both files, time them, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline", description=__doc__)
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=2)
    opts = parser.parse_args(argv)
    print(table(measure(opts.records, opts.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
