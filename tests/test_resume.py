"""Pause and resume: a graceful stop (SIGINT, JOBDIR) and a hard kill (SIGKILL, journal)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from aggregator.crawl.journal import repair_jsonl
from tests.mirror.graph import reachable
from tests.mirror.localrun import FAST_LOCAL, crawl_command
from tests.mirror.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]
#: one list page per article keeps these crawls short (the other relations work alike)
FOLLOW = ("similar",)
#: slow enough (one request at a time, 20 ms apart) that a stop lands mid-crawl
SLOW = {**FAST_LOCAL, "DOWNLOAD_DELAY": 0.02, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY_JITTER": 0, "LOG_LEVEL": "INFO"}


MIRROR = (200, 9)  # articles, seed of the module's mirror (conftest.py)


def start(server: MirrorServer, tmp_path: Path, seed: str, extra: dict | None = None
          ) -> subprocess.Popen[str]:
    """``scrapy crawl pubmed … -o out.jsonl`` (append) as a child process."""
    settings = {**SLOW, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": tmp_path / "side",
                **(extra or {})}
    cmd = crawl_command("pubmed", {"pmids": seed, "depth": 2, "follow": ",".join(FOLLOW)}, settings)
    cmd += ["-o", f"{tmp_path / 'out.jsonl'}:jsonlines"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    log = (tmp_path / "log.txt").open("a")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, text=True)


def wait_for_records(out: Path, proc: subprocess.Popen[str], count: int, limit: float = 60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"crawl wrote fewer than {count} records in {limit} s")


def finish(proc: subprocess.Popen[str], limit: float = 120) -> int:
    try:
        return proc.wait(timeout=limit)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def kill_mid_crawl(proc: subprocess.Popen[str], out: Path, records: int = 10) -> int:
    """SIGKILL the started crawl ``proc`` once ``records`` are in ``out``; the whole lines
    written (the kill may have cut the last one)."""
    try:
        wait_for_records(out, proc, records)
        proc.send_signal(signal.SIGKILL)
    finally:
        finish(proc)
    return out.read_bytes().count(b"\n")


def pmids_in(out: Path) -> list[str]:
    return [json.loads(line)["pmid"] for line in out.read_text().splitlines()]


def test_graceful_stop_with_jobdir_then_resume_completes_the_set(tmp_path, mirror):
    graph, server = mirror
    seed = next(p for p in graph.pmids()[100:] if graph.exists(p))
    expected = reachable(graph, [seed], 2, FOLLOW)
    out, jobdir = tmp_path / "out.jsonl", {"JOBDIR": tmp_path / "job"}
    first = start(server, tmp_path, seed, jobdir)
    try:
        wait_for_records(out, first, 10)
        first.send_signal(signal.SIGINT)  # once: Scrapy stops gracefully
    finally:
        assert finish(first) == 1  # stopped before the end: incomplete
    stopped_at = len(pmids_in(out))
    assert 10 <= stopped_at < len(expected), "the stop did not land mid-crawl"
    assert "crawl stopped (shutdown)" in (tmp_path / "log.txt").read_text()

    assert finish(start(server, tmp_path, seed, jobdir)) == 0
    pmids = pmids_in(out)
    assert len(pmids) == len(set(pmids)), "a record was written twice"
    assert set(pmids) == set(expected)
    assert list((tmp_path / "job").glob("*-journal.jsonl.done"))  # finished: next run afresh


def test_hard_kill_then_rerun_completes_the_set_and_repairs_a_cut_line(tmp_path, mirror):
    graph, server = mirror
    seed = next(p for p in graph.pmids()[40:] if graph.exists(p))
    expected = reachable(graph, [seed], 2, FOLLOW)
    out = tmp_path / "out.jsonl"
    kill_mid_crawl(start(server, tmp_path, seed), out)
    before = pmids_in(out)
    assert 10 <= len(before) < len(expected), "the kill did not land mid-crawl"
    with out.open("a") as handle:  # as if the kill had cut a write in half
        handle.write('{"schema_version": "1", "pmid": "4')

    assert finish(start(server, tmp_path, seed)) == 0
    pmids = pmids_in(out)  # every line parses: the cut line was removed
    assert len(pmids) == len(set(pmids)), "a record was written twice"
    assert set(pmids) == set(expected)
    assert pmids[: len(before)] == before  # earlier records kept, new ones appended
    assert list((tmp_path / "side").glob("pubmed-*-journal.jsonl.done"))


def test_repair_drops_only_a_cut_last_line(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert repair_jsonl(path) == len(b'{"c": ')
    assert path.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert repair_jsonl(path) == 0
    path.write_bytes(b'{"c": ')
    assert repair_jsonl(path) == 6 and path.read_bytes() == b""
