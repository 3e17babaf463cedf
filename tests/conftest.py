"""Shared test helpers."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Let `pytest` (not only `python -m pytest`) import the project without installing it.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

#: Real saved answers, carried in the repository (see tests/fixtures/README.md).
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_path(*parts: str) -> Path:
    """Path of a fixture file, e.g. ``fixture_path("pubmed", "robots.txt")``."""
    return FIXTURES.joinpath(*parts)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# --- the mirror and crawls against it (plumbing, not fidelity to PubMed) ------------------

@pytest.fixture(scope="module")
def mirror(request: pytest.FixtureRequest):
    """``(graph, server)``: one mirror for the test module, on 127.0.0.1.

    A module sets ``MIRROR = (articles, seed)`` to choose its graph (default 400, 3), and
    ``MIRROR_REALISTIC = True`` for records of real size (``tests/mirror/realistic.py``).
    """
    from tests.mirror.graph import MirrorGraph
    from tests.mirror.server import MirrorServer

    articles, seed = getattr(request.module, "MIRROR", (400, 3))
    graph = MirrorGraph(articles, seed=seed,
                        realistic=getattr(request.module, "MIRROR_REALISTIC", False))
    with MirrorServer(graph) as server:
        yield graph, server


@dataclass
class Crawl:
    """What one ``scrapy crawl`` against the mirror left behind."""

    records: list[dict]
    errors: list[dict]
    log: str
    returncode: int
    out: Path
    side: Path

    @property
    def triple(self) -> tuple[list[dict], list[dict], str]:
        """``(records, errors, log)``."""
        return self.records, self.errors, self.log


def mirror_settings(server: Any, side: Path, **settings: Any) -> dict[str, Any]:
    """Settings that point a crawl at this mirror (both sources), fast, outputs in ``side``."""
    from tests.mirror.localrun import FAST_LOCAL

    return {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url,
            "EUTILS_BASE_URL": f"{server.base_url}/entrez/eutils", "OUTPUT_DIR": side,
            "IDCONV_BASE_URL": f"{server.base_url}/pmc/tools/idconv/api/v1/articles/",
            **settings}


def crawl(tmp_path: Path, server: Any, spider: str = "pubmed", settings: dict | None = None,
          *, timeout: float = 300, check: bool = True, name: str = "out",
          **args: Any) -> Crawl:
    """Run ``scrapy crawl`` on the mirror; records, error entries and the log.

    ``check`` asserts exit status 0 (with the log's tail as the message).
    """
    from tests.mirror.localrun import run_crawl

    out, side = tmp_path / f"{name}.jsonl", tmp_path / f"{name}-side"
    done = run_crawl(spider, args, mirror_settings(server, side, **(settings or {})), out=out,
                     timeout=timeout)
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return Crawl(records_in(out), errors_in(side), done.stderr, done.returncode, out, side)


def records_in(out: Path) -> list[dict]:
    """The JSON Lines records of a feed (none if it was not written)."""
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def errors_in(side: Path) -> list[dict]:
    """Every error entry a crawl wrote to its side-output folder."""
    return [json.loads(line) for p in sorted(side.glob("*-errors.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()]


def stat(log: str, name: str, default: int | None = 0) -> int | None:
    """An integer from the stats dump at the end of a crawl log (``default`` if absent)."""
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else default
