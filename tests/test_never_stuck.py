"""Never stuck: every fault kind, with and without polite slots and AutoThrottle, finishes.

Each crawl runs in a subprocess with a hang guard (``HANG_GUARD`` seconds): the guard turns
a stuck crawl into a failure, it is not a speed assertion. ``reachable()`` is the oracle.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.mirror.faults import ALL_KINDS, FaultInjector, FaultSpec
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, crawl_command, run_crawl
from tests.mirror.server import MirrorServer

HANG_GUARD = 120
FOLLOW_ALL = ("similar", "references", "cited_by")
#: (polite slots, AutoThrottle): the slot delay is kept tiny but non-zero, which is what
#: made the old pause (slot.lastseen on the wrong clock) hang for good
COMBOS = [("1", "1"), ("0", "0"), ("1", "0"), ("0", "1")]
KINDS = [k for k in ALL_KINDS if k != "foreign"]  # a foreign page is a loss, not a stall


def _settings(base_url: str, side: Path, polite: str, throttle: str) -> dict[str, object]:
    return {
        **FAST_LOCAL, "PUBMED_BASE_URL": base_url, "OUTPUT_DIR": side,
        "AGGREGATOR_POLITE_SLOTS": polite, "PUBMED_DELAY": 0.02,
        "AUTOTHROTTLE_ENABLED": throttle, "AUTOTHROTTLE_START_DELAY": 0.02,
        "AUTOTHROTTLE_MAX_DELAY": 0.5, "DOWNLOAD_TIMEOUT": 0.5, "RETRY_TIMES": 8,
        # each 429 still pauses the whole crawl, for 0.1 s instead of its Retry-After: 1
        "AGGREGATOR_RETRY_AFTER_MAX": 0.1,
        "AGGREGATOR_BLOCK_BACKOFF": 0.05, "AGGREGATOR_BLOCK_BACKOFF_MAX": 0.2,
        "AGGREGATOR_BLOCK_RETRIES": 8, "AGGREGATOR_MAX_CONSECUTIVE_BLOCKS": 50,
        "CONCURRENT_REQUESTS": 4,
    }


CASES = [(kind, *COMBOS[i % len(COMBOS)]) for i, kind in enumerate(KINDS)]
CASES += [("429", *combo) for combo in COMBOS if ("429", *combo) not in CASES]


@pytest.mark.parametrize(("kind", "polite", "throttle"), CASES)
def test_each_fault_kind_finishes_with_every_reachable_record_once(tmp_path, kind, polite,
                                                                   throttle):
    graph = MirrorGraph(60, seed=3)
    seed = next(p for p in graph.pmids()[20:] if graph.exists(p) and graph.similar(p))
    expected = reachable(graph, [seed], 1, FOLLOW_ALL)
    spec = FaultSpec(rate=0.3, seed=11, kinds=(kind,), retry_after=1, timeout_secs=1)
    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[FaultInjector(spec)]) as server:
        done = run_crawl("pubmed", {"pmids": seed, "depth": 1},
                         _settings(server.base_url, side, polite, throttle), out=out,
                         timeout=HANG_GUARD)
    assert done.returncode == 0, done.stderr[-3000:]
    pmids = [json.loads(line)["pmid"] for line in out.read_text().splitlines()]
    assert sorted(pmids) == sorted(expected)  # every reachable record, each once


def test_a_sigterm_during_a_pause_ends_the_crawl_cleanly(tmp_path):
    graph = MirrorGraph(60, seed=3)
    seed = next(p for p in graph.pmids()[20:] if graph.exists(p) and graph.similar(p))
    # every article page but the seed's answers 429 with a long Retry-After: the crawl
    # pauses for 60 s, and the SIGTERM must not wait for the pause to end
    spec = FaultSpec(rate=1.0, seed=1, kinds=("429",), retry_after=60)

    class AllButSeed(FaultInjector):
        def choose(self, key: str, attempt: int) -> str | None:
            return None if seed in key or "robots" in key else "429"

    out, side = tmp_path / "out.jsonl", tmp_path / "side"
    with MirrorServer(graph, middlewares=[AllButSeed(spec)]) as server:
        settings = _settings(server.base_url, side, "1", "1")
        settings["AGGREGATOR_RETRY_AFTER_MAX"] = 60
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
        root = Path(__file__).resolve().parents[1]
        log = tmp_path / "log.txt"
        with log.open("w") as handle:
            proc = subprocess.Popen(crawl_command("pubmed", {"pmids": seed, "depth": 1},
                                                  settings, out), cwd=root, env=env,
                                    stdout=handle, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + HANG_GUARD
                while "pausing the crawl" not in log.read_text():
                    assert proc.poll() is None and time.monotonic() < deadline, \
                        log.read_text()[-3000:]
                    time.sleep(0.2)
                proc.send_signal(signal.SIGTERM)  # once: a graceful stop
                proc.wait(timeout=30)  # far less than the 60 s pause
            finally:
                if proc.poll() is None:
                    proc.kill()
    text = log.read_text()
    assert "'finish_reason': 'shutdown'" in text, text[-3000:]
    assert "forcing unclean shutdown" not in text
    lines = out.read_text().splitlines()
    assert [json.loads(line)["pmid"] for line in lines] == [seed]  # what was done is kept
