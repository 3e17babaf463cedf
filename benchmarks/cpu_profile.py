"""Run a ``scrapy`` command under cProfile timed by CPU, not wall clock.

``scrapy crawl --profile`` times with the wall clock, so on a shared machine the waits of
other processes land in the crawl's functions. ``python -m benchmarks.cpu_profile OUT
crawl pubmed_eutils -a …`` writes the stats of CPU time (``time.process_time``) to OUT.
"""

from __future__ import annotations

import cProfile
import sys
import time


def main(argv: list[str]) -> int:
    """Profile ``scrapy <argv[1:]>``; stats to ``argv[0]``."""
    out, rest = argv[0], argv[1:]
    from scrapy.cmdline import execute

    profiler = cProfile.Profile(time.process_time)
    code = 0
    profiler.enable()
    try:
        execute(["scrapy", *rest])
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        profiler.disable()
        profiler.dump_stats(out)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
