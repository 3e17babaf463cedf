"""Run a crawl against the local mirror (used by the demo, the tests and benchmarks)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: Settings for crawling the local mirror fast: no politeness delays (the mirror
#: is ours), no robots.txt round-trip cost worth keeping, no telnet port.
FAST_LOCAL = {
    "AGGREGATOR_POLITE_SLOTS": "0",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "TELNETCONSOLE_ENABLED": "0",
    "LOG_LEVEL": "INFO",
}


def mirror_defaults(args: Mapping[str, object],
                    settings: Mapping[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """A mirror crawl never asks the live iCite: ``ICITE_BASE_URL`` follows
    ``PUBMED_BASE_URL`` onto the mirror's ``/icite/api``; ``links`` defaults to ``pubmed``
    here (the project's default is ``pubmed,icite``) so that the PubMed-graph oracles of
    the tests hold; crawls that test iCite pass ``links`` themselves."""
    args, settings = dict(args), dict(settings)
    args.setdefault("links", "pubmed")
    base = settings.get("PUBMED_BASE_URL")
    if base and "ICITE_BASE_URL" not in settings:
        settings["ICITE_BASE_URL"] = f"{str(base).rstrip('/')}/icite/api"
    return args, settings


def crawl_command(spider: str, args: Mapping[str, object], settings: Mapping[str, object],
                  out: Path | None = None) -> list[str]:
    """The ``scrapy crawl`` command line for these spider arguments and settings
    (with :func:`mirror_defaults`)."""
    args, settings = mirror_defaults(args, settings)
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    if out is not None:
        cmd += ["-O", f"{out}:jsonlines"]
    return cmd


def run_crawl(spider: str, args: Mapping[str, object], settings: Mapping[str, object],
              out: Path | None = None, cwd: Path | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy crawl`` in a subprocess from the project root; output captured."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    return subprocess.run(
        crawl_command(spider, args, settings, out), cwd=cwd or root, env=env,
        capture_output=True, text=True, timeout=timeout, check=False,
    )
