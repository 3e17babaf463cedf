"""After a hard kill and a re-run, RIS, NBIB, the CSV, the PRISMA block, its SVG and the
references not in PubMed equal an uninterrupted run's (contract: "Side outputs of a resumed
crawl")."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.mirror.graph import MirrorGraph
from tests.mirror.server import MirrorServer
from tests.test_resume import finish, kill_mid_crawl, pmids_in, start


@pytest.fixture(scope="module")
def mirror():
    graph = MirrorGraph(200, seed=9)
    with MirrorServer(graph) as server:
        yield graph, server


def outputs(tmp: Path) -> dict[str, object]:
    """The files of the run that closed last in ``tmp`` (its manifest names them)."""
    manifests = sorted((tmp / "side").glob("pubmed-*-manifest.json"),
                       key=lambda p: p.stat().st_mtime)
    manifest = json.loads(manifests[-1].read_text())
    files = {k: Path(v["path"]) for k, v in manifest["outputs"].items()}
    with files["csv"].open(encoding="utf-8", newline="") as handle:
        rows = [{k: v for k, v in row.items() if k != "fetched_at"}  # differs run to run
                for row in csv.DictReader(handle)]
    return {"ris": files["ris"].read_text(encoding="utf-8"),
            "nbib": files["nbib"].read_text(encoding="utf-8"),
            "csv": rows, "svg": files["prisma_svg"].read_text(encoding="utf-8"),
            "prisma": manifest["prisma"],
            "outside": files["outside_references"].read_text(encoding="utf-8")}


def test_outputs_after_kill_and_resume_equal_an_uninterrupted_run(tmp_path, mirror):
    graph, server = mirror
    seed = next(p for p in graph.pmids()[40:] if graph.exists(p))
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    whole.mkdir()
    cut.mkdir()
    assert finish(start(server, whole, seed)) == 0
    expected = outputs(whole)

    # whole lines only: the kill may have cut the last one (the re-run repairs it)
    n_before = kill_mid_crawl(start(server, cut, seed), cut / "out.jsonl")
    assert 10 <= n_before < len(expected["csv"]), "the kill did not land mid-crawl"
    assert not list((cut / "side").glob("pubmed-*-manifest.json"))  # killed: nothing closed

    assert finish(start(server, cut, seed)) == 0
    resumed = outputs(cut)
    assert len(pmids_in(cut / "out.jsonl")) == len(expected["csv"])  # the run resumed
    assert resumed["prisma"] == expected["prisma"]
    assert resumed["csv"] == expected["csv"]
    assert resumed["ris"] == expected["ris"]
    assert resumed["nbib"] == expected["nbib"]
    assert resumed["svg"] == expected["svg"]
    assert resumed["outside"] == expected["outside"] and expected["outside"]
    # the store was closed as *.done: a next run with these arguments starts afresh
    assert list((cut / "side").glob("pubmed-*-store.jsonl.done"))
