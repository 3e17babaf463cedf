"""A killed and resumed crawl ends with complete, readable Parquet tables (and edges),
equal to an uninterrupted run's (contract: "Side outputs of a resumed crawl")."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from aggregator.exports.datasets import PARQUET_TABLES
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import crawl_command
from tests.mirror.server import MirrorServer
from tests.test_resume import FOLLOW, ROOT, SLOW, finish, kill_mid_crawl

#: columns that differ between two runs by nature (when fetched)
RUN_COLUMNS = {"fetched_at"}


@pytest.fixture(scope="module")
def mirror():
    graph = MirrorGraph(200, seed=9)
    with MirrorServer(graph) as server:
        yield graph, server


def start(server: MirrorServer, tmp: Path, seed: str) -> subprocess.Popen[str]:
    """The crawl with a JSONL feed (appended) and ``-O found.parquet``."""
    feeds = {str(tmp / "out.jsonl"): {"format": "jsonlines"},
             str(tmp / "found.parquet"): {"format": "parquet", "overwrite": True}}
    settings = {**SLOW, "PUBMED_BASE_URL": server.base_url, "OUTPUT_DIR": tmp / "side",
                "FEEDS": json.dumps(feeds)}
    cmd = crawl_command("pubmed", {"pmids": seed, "depth": 2, "follow": ",".join(FOLLOW)},
                        settings)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    log = (tmp / "log.txt").open("a")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, text=True)


def tables(tmp: Path) -> dict[str, list[dict]]:
    """The tables of the run that finished, each sorted, run-specific columns dropped."""
    finished = [m for m in (tmp / "side").glob("pubmed-*-manifest.json")
                if json.loads(m.read_text())["finish_reason"] == "finished"]
    (manifest,) = finished
    prefix = manifest.name.removesuffix("-manifest.json")
    out = {}
    for name in PARQUET_TABLES:
        rows = pq.read_table(tmp / "side" / f"{prefix}-{name}.parquet").to_pylist()
        out[name] = sorted(({k: v for k, v in r.items() if k not in RUN_COLUMNS} for r in rows),
                           key=lambda r: json.dumps(r, sort_keys=True, default=str))
    out["edges.jsonl"] = sorted((tmp / "side" / f"{prefix}-edges.jsonl").read_text().splitlines())
    out["feed"] = sorted(r["pmid"] for r in pq.read_table(tmp / "found.parquet").to_pylist())
    return out


def test_killed_then_resumed_crawl_has_the_tables_of_an_uninterrupted_one(tmp_path, mirror):
    graph, server = mirror
    seed = next(p for p in graph.pmids()[60:] if graph.exists(p))
    expected = reachable(graph, [seed], 2, FOLLOW)
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    whole.mkdir()
    cut.mkdir()
    assert finish(start(server, whole, seed)) == 0

    written = kill_mid_crawl(start(server, cut, seed), cut / "out.jsonl")
    assert 10 <= written < len(expected), "the kill did not land mid-crawl"
    # a killed crawl leaves no Parquet file without a footer: none at all yet
    assert not list(cut.rglob("*.parquet"))
    (store,) = (cut / "side").glob("pubmed-*-store.jsonl")
    with store.open("a") as handle:  # as if the kill had cut a write in half
        handle.write('r\t3')

    assert finish(start(server, cut, seed)) == 0
    assert not store.exists()  # finished: the store is closed as *.done
    resumed, uninterrupted = tables(cut), tables(whole)
    assert sorted(r["pmid"] for r in resumed["records"]) == sorted(expected)
    assert resumed["feed"] == sorted(expected)
    for name, rows in uninterrupted.items():
        assert resumed[name] == rows, name
