"""Scheduled crawls: deploy to a real Scrapyd with ``scrapyd-deploy`` and run two jobs at once.

Everything is local: Scrapyd on a free 127.0.0.1 port in a temporary directory, the
mirror in-process. Scrapyd and its jobs are stopped even when a test fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, mirror_defaults
from tests.mirror.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FOLLOW_ALL = ("similar", "references", "cited_by")

pytestmark = pytest.mark.skipif(not (BIN / "scrapyd").exists(), reason="scrapyd not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Scrapyd:
    """A Scrapyd process in its own directory; ``api()`` calls its JSON API."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        # The project's sample scrapyd.conf as it is, and ~/.scrapyd.conf (read after it;
        # HOME is this directory, so the user's own file cannot leak in) for what a test
        # must change: a free port, two jobs at once, fast polling.
        shutil.copyfile(ROOT / "scrapyd.conf", home / "scrapyd.conf")
        (home / ".scrapyd.conf").write_text(
            f"[scrapyd]\nhttp_port = {self.port}\nmax_proc = 4\npoll_interval = 0.2\n"
        )
        self.env = {**os.environ, "HOME": str(home)}
        self.log = (home / "scrapyd.out").open("wb")
        self.proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def api(self, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        with urllib.request.urlopen(self.url + endpoint, data=body, timeout=30) as resp:
            answer = json.loads(resp.read())
        assert answer.get("status") == "ok", answer
        return answer

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"scrapyd exited: {self.output()}")
            try:
                self.api("daemonstatus.json")
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"scrapyd did not start: {self.output()}")

    def wait_finished(self, jobs: list[str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            listing = self.api("listjobs.json?project=aggregator")
            if set(jobs) <= {j["id"] for j in listing["finished"]}:
                return
            time.sleep(0.25)
        raise AssertionError(f"jobs not finished in {timeout}s: {listing}")

    def output(self) -> str:
        self.log.flush()
        return (self.home / "scrapyd.out").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()


@pytest.fixture(scope="module")
def mirror() -> Iterator[tuple[MirrorGraph, MirrorServer]]:
    graph = MirrorGraph(300, seed=5)
    with MirrorServer(graph) as server:
        yield graph, server


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    home = tmp_path_factory.mktemp("scrapyd")
    daemon = Scrapyd(home)
    try:
        daemon.wait_ready()
        deploy(daemon, home)
        yield daemon
    finally:
        daemon.stop()


def deploy(daemon: Scrapyd, home: Path) -> None:
    """``scrapyd-deploy pytest`` from the project root, as the README tells users.

    The target comes from a user-level scrapy.cfg (XDG_CONFIG_HOME) that names this
    Scrapyd's port; the project's own scrapy.cfg supplies ``project = aggregator``.
    """
    xdg = home / "xdg"
    xdg.mkdir()
    (xdg / "scrapy.cfg").write_text(f"[deploy:pytest]\nurl = {daemon.url}\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(xdg)}
    done = subprocess.run([str(BIN / "scrapyd-deploy"), "pytest", "--version", "test"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == "ok", done.stdout
    spiders = daemon.api("listspiders.json?project=aggregator")["spiders"]
    assert {"pubmed", "pubmed_eutils"} <= set(spiders)


def schedule(daemon: Scrapyd, settings: dict[str, object], **args: object) -> str:
    args, settings = mirror_defaults(args, settings)  # never the live iCite
    data = [("project", "aggregator"), ("spider", "pubmed")]
    data += [(k, str(v)) for k, v in args.items()]
    data += [("setting", f"{k}={v}") for k, v in settings.items()]
    return daemon.api("schedule.json", data)["jobid"]


def job_settings(server: MirrorServer, outdir: Path) -> dict[str, object]:
    return {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": outdir}


def test_two_jobs_at_once_each_get_their_own_records_and_side_outputs(
        scrapyd: Scrapyd, mirror, tmp_path: Path) -> None:
    graph, server = mirror
    existing = [p for p in graph.pmids() if graph.exists(p)]
    seeds = [existing[40], existing[250]]
    expected = {s: reachable(graph, [s], 1, FOLLOW_ALL) for s in seeds}
    assert set(expected[seeds[0]]) != set(expected[seeds[1]])
    outdir = tmp_path / "side"
    settings = job_settings(server, outdir)
    jobs = [schedule(scrapyd, settings, pmids=s, depth=1) for s in seeds]
    scrapyd.wait_finished(jobs)

    for seed, job in zip(seeds, jobs, strict=True):
        items = scrapyd.home / "items" / "aggregator" / "pubmed" / f"{job}.jl"
        log = (scrapyd.home / "logs" / "aggregator" / "pubmed" / f"{job}.log").read_text()
        assert items.exists(), log[-3000:]
        records = [json.loads(line) for line in items.read_text().splitlines()]
        pmids = [r["pmid"] for r in records]
        assert len(pmids) == len(set(pmids))
        assert set(pmids) == set(expected[seed])
        # kept apart: every record in this job's file comes from this job's seed
        assert {r["provenance"]["seed"] for r in records} == {seed}
        for kind in ("errors.jsonl", "edges.jsonl", "records.csv", "manifest.json"):
            assert (outdir / f"pubmed-{job}-{kind}").exists(), kind
        manifest = json.loads((outdir / f"pubmed-{job}-manifest.json").read_text())
        assert manifest["job"] == job
        assert manifest["counts"]["records"] == len(expected[seed])
        assert manifest["arguments"]["depth"] == 1


def test_bad_arguments_show_as_one_line_in_the_job_log(
        scrapyd: Scrapyd, mirror, tmp_path: Path) -> None:
    _, server = mirror
    job = schedule(scrapyd, job_settings(server, tmp_path), pmids="123", depth="deep")
    scrapyd.wait_finished([job])  # Scrapyd has no "failed" state
    log = (scrapyd.home / "logs" / "aggregator" / "pubmed" / f"{job}.log").read_text()
    errors = [line for line in log.splitlines() if "invalid arguments" in line]
    assert len(errors) == 1, log[-3000:]
    assert "depth" in errors[0]
    assert "Traceback" not in log
    items = scrapyd.home / "items" / "aggregator" / "pubmed" / f"{job}.jl"
    assert not items.exists() or items.read_text() == ""


def test_the_egg_names_the_settings_module_and_carries_no_test_mirror(tmp_path):
    egg = tmp_path / "aggregator.egg"
    done = subprocess.run([str(BIN / "scrapyd-deploy"), f"--build-egg={egg}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "outside of `pyproject.toml` is ignored" not in done.stderr
    with zipfile.ZipFile(egg) as archive:
        names = archive.namelist()
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]" in entry_points
    assert "settings = aggregator.settings" in entry_points
    assert "aggregator/spiders/pubmed.py" in names
    assert not [n for n in names if n.startswith("tests/") or "/mirror/" in n]
