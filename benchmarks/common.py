"""Shared benchmark plumbing: figures and the table, a mirror in its own process,
crawls in a subprocess with their CPU time and RSS measured from outside."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from aggregator import settings as project_settings
from tests.mirror.graph import PMID_BASE
from tests.mirror.localrun import FAST_LOCAL, crawl_command

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass
class Figure:
    """One row of the result table."""

    name: str
    value: float | None  # None: not measured (see note)
    target: str  # e.g. "≤ 1.5"
    passed: bool | None
    absolute: str
    note: str = ""
    #: why a missed target is not worth its cost, with the numbers of this run ("": it is
    #: a plain miss). Set only through :func:`not_pursued_if`; ``passed`` stays False.
    not_pursued: str = ""

    @property
    def failed(self) -> bool:
        """A missed target still to act on: ``make bench`` exits 1 when any row is one."""
        return self.passed is False and not self.not_pursued

    def cells(self) -> list[str]:
        value = "—" if self.value is None else f"{self.value:.3g}"
        verdict = {True: "pass", False: "**FAIL**", None: "n/a"}[self.passed]
        if self.passed is False and self.not_pursued:
            verdict = f"missed; not pursued: {self.not_pursued}"
        detail = f"{self.absolute}; {self.note}" if self.note else self.absolute
        return [self.name, value, self.target, verdict, detail]


def not_pursued_if(figure: Figure, holds: bool, why: str) -> Figure:
    """Judge a missed target not worth its cost while ``holds``, a condition measured in the
    same run (say, the CPU at stake is a negligible share of live wall time).

    The target, the measured value and the miss stay in the row; only ``make bench``'s exit
    status ignores it. When ``holds`` is false (the cost grew) the row is a FAIL again, so
    the judgement cannot hide a regression. A passing figure is left as it is."""
    if figure.passed is False and holds:
        figure.not_pursued = why
    return figure


def at_most(name: str, value: float, limit: float, absolute: str, note: str = "") -> Figure:
    """A figure whose target is ``value ≤ limit``."""
    return Figure(name, value, f"≤ {limit:g}", value <= limit, absolute, note)


def at_least(name: str, value: float, limit: float, absolute: str, note: str = "") -> Figure:
    """A figure whose target is ``value ≥ limit``."""
    return Figure(name, value, f"≥ {limit:g}", value >= limit, absolute, note)


def skipped(name: str, target: str, why: str) -> Figure:
    """A figure that could not be measured in this run."""
    return Figure(name, None, target, None, "not measured", why)


def markdown_table(figures: Iterable[Figure]) -> str:
    """The figures as one Markdown table."""
    rows = [["figure", "measured", "target", "result", "absolute numbers"],
            ["---", "---:", "---", "---", "---"]]
    rows += [f.cells() for f in figures]
    return "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows)


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------- the mirror


class MirrorProcess:
    """``python -m tests.mirror`` in its own process (its CPU is not the crawl's)."""

    def __init__(self, articles: int, seed: int = 1, request_log: Path | None = None,
                 realistic: bool = False) -> None:
        self.articles, self.seed, self.request_log = articles, seed, request_log
        self.realistic = realistic  # ``--realistic``: records of real size (figure 10)
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> MirrorProcess:
        cmd = [sys.executable, "-m", "tests.mirror", "--articles", str(self.articles),
               "--seed", str(self.seed), "--port", "0"]
        if self.request_log is not None:
            cmd += ["--request-log", str(self.request_log)]
        if self.realistic:
            cmd.append("--realistic")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        if not self.base_url.startswith("http://"):
            self.__exit__()
            raise RuntimeError("the mirror did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@dataclass
class LogLine:
    """One line of the mirror's request log."""

    time: float
    method: str
    target: str
    status: int

    @property
    def is_article(self) -> bool:
        parts = self.target.split("?")[0].strip("/").split("/")
        return len(parts) == 1 and parts[0].isdigit()

    @property
    def is_list(self) -> bool:
        return self.target.startswith("/?") and "linkname=" in self.target


def read_request_log(path: Path) -> list[LogLine]:
    """The mirror's request log (``time method target status`` per line)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        t, method, target, status = line.split(" ", 3)
        out.append(LogLine(float(t), method, target, int(status)))
    return out


def spread_seeds(first: int, count: int, step: int) -> list[str]:
    """``count`` graph PMIDs ``step`` indices apart, from index ``first``."""
    return [str(PMID_BASE + first + k * step) for k in range(count)]


# ------------------------------------------------------------------------ crawls


def fresh(path: Path) -> Path:
    """An empty directory at ``path`` (a crawl's journal there would make it resume)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def fast_settings(base_url: str, out_dir: Path, **extra: object) -> dict[str, object]:
    """FAST_LOCAL plus the mirror URLs and a fresh scratch OUTPUT_DIR (benchmark -s only)."""
    fresh(out_dir)
    return {**FAST_LOCAL, "PUBMED_BASE_URL": base_url,
            "EUTILS_BASE_URL": f"{base_url}/entrez/eutils", "OUTPUT_DIR": str(out_dir),
            "LOG_LEVEL": "WARNING", **extra}


def probe_settings(probe_file: Path, base_extensions: Mapping[str, Any] | None = None
                   ) -> dict[str, object]:
    """Settings adding :class:`benchmarks.probe.BenchProbe` to the project's extensions."""
    exts = dict(project_settings.EXTENSIONS if base_extensions is None else base_extensions)
    exts["benchmarks.probe.BenchProbe"] = 999
    return {"EXTENSIONS": json.dumps(exts), "BENCH_PROBE_FILE": str(probe_file)}


#: extra ``-s`` settings for every project crawl (``python -m benchmarks.run --set K=V``)
EXTRA_SETTINGS: dict[str, str] = {}


@dataclass
class CrawlRun:
    """What one crawl subprocess cost, measured from outside (and by the probe)."""

    returncode: int
    cpu_s: float  # whole process, user + system (wait4 rusage), start-up included
    wall_s: float
    max_rss_mb: float
    probe: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""

    @property
    def stats(self) -> dict[str, Any]:
        return self.probe.get("stats", {})

    @property
    def window_cpu_s(self) -> float:
        """CPU from spider_opened to spider_closed (no interpreter start-up)."""
        return float(self.probe.get("cpu_s", self.cpu_s))


def run_subprocess(cmd: list[str], cwd: Path, env: Mapping[str, str] | None = None,
                   sample: Callable[[psutil.Process], bool] | None = None,
                   interval: float = 0.2, timeout: float = 1800) -> CrawlRun:
    """Run ``cmd`` and measure it from outside: CPU (user + system) and peak RSS from
    ``wait4`` (this child only), wall time, and the stderr tail.

    ``sample(process)`` is called every ``interval`` seconds while it runs; returning
    True stops sampling."""
    t0 = time.perf_counter()
    with open(os.devnull, "w") as devnull, _Tail() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=dict(env or os.environ),
                                stdout=devnull, stderr=err.file)
        ps = psutil.Process(proc.pid)
        deadline = t0 + timeout
        while True:
            if sample is not None:
                try:
                    if sample(ps):
                        sample = None
                except psutil.Error:
                    sample = None
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(interval)
        proc.returncode = os.waitstatus_to_exitcode(status)
        return CrawlRun(proc.returncode, usage.ru_utime + usage.ru_stime,
                        time.perf_counter() - t0, usage.ru_maxrss / 1024, stderr=err.text())


class _Tail:
    """A scratch file for a child's stderr; ``text()`` is its last 4,000 characters."""

    def __enter__(self) -> _Tail:
        import tempfile
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        return self

    def text(self) -> str:
        self.file.seek(0)
        return self.file.read()[-4000:]

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def run_crawl(spider: str, args: Mapping[str, object], settings: Mapping[str, object],
              workdir: Path, out: Path | None = None, probe: bool = True,
              sample: Callable[[psutil.Process], bool] | None = None,
              interval: float = 0.2, timeout: float = 1800) -> CrawlRun:
    """``scrapy crawl`` in the project (its real settings + these -s), measured."""
    probe_file = workdir / f"probe-{spider}-{time.monotonic_ns()}.json"
    all_settings = {**settings, **EXTRA_SETTINGS,
                    **(probe_settings(probe_file) if probe else {})}
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    run = run_subprocess(crawl_command(spider, args, all_settings, out), ROOT, env, sample,
                         interval, timeout)
    if probe and probe_file.exists():
        run.probe = json.loads(probe_file.read_text(encoding="utf-8"))
    if run.returncode != 0:
        raise RuntimeError(f"crawl {spider} failed ({run.returncode}):\n{run.stderr}")
    return run


def run_fetch_only(urls_file: Path, settings: Mapping[str, object], workdir: Path) -> CrawlRun:
    """The fetch-only baseline spider, outside the project (bare Scrapy settings)."""
    probe_file = workdir / "probe-fetch-only.json"
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "benchmarks" / "fetch_only.py"),
           "-a", f"urls_file={urls_file}"]
    all_settings = {**settings, **probe_settings(probe_file, {})}
    for key, value in all_settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = run_subprocess(cmd, workdir, env)
    if probe_file.exists():
        run.probe = json.loads(probe_file.read_text(encoding="utf-8"))
    if run.returncode != 0 or run.probe.get("reason") != "finished":
        raise RuntimeError(f"fetch-only crawl failed ({run.returncode}):\n{run.stderr}")
    return run
