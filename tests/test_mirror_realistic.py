"""The mirror's realistic mode (``MirrorGraph(..., realistic=True)``, ``--realistic``).

Plumbing, not fidelity to PubMed: these check that realistic mode gives what
``tests/mirror/realistic.py`` and docs/performance.md ("Realistic records") document, that
its lists agree with each other, and that the default mirror is unchanged. The bounds come
from the documented distributions (log-normal, median 39 and shape 0.55 for reference-list
lengths; 80-100 % of references in PubMed; median 1,500 characters for abstracts), with
room for sampling 800 records, not from the code's output.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from aggregator.sources.eutils.parse import iter_efetch_records
from tests.mirror import eutils, html, icite
from tests.mirror.graph import MirrorGraph

ROOT = Path(__file__).resolve().parents[1]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _efetch(graph: MirrorGraph, ids: list[str]) -> str:
    status, xml = eutils.efetch(graph, {"db": ["pubmed"], "retmode": ["xml"],
                                        "id": [",".join(ids)]})
    assert status == 200
    return xml


# ----------------------------------------------------------------------- the default


def test_default_mirror_answers_are_byte_identical_to_main():
    # Regression guard: these digests were taken ONCE from main at 2e8b8e4 (before realistic
    # mode existed), by running the same calls on that code, and pasted here. They are not
    # produced by the code under test; if the default graph changes on purpose, take them
    # again from the commit before the change and say so in its message.
    graph = MirrorGraph(2000, seed=1)
    ids = list(graph.pmids()[1500:1700])
    assert _sha(_efetch(graph, ids)) == (
        "a61e37351373546ca6e79a2124f8d4d727ccb2ca3b768350088886c1644ca233")
    _, elink = eutils.elink(graph, {"dbfrom": ["pubmed"], "id": ids[:50]})
    assert _sha(elink) == "88c09b6a2d99f83787219af971446f3ebd8c6f5566341d6ae01b9c8259505fb7"
    page = html.article_page(graph, graph.article(ids[3]), "http://127.0.0.1:1")
    assert _sha(page) == "2f14bae21721f6808165ad17d06994e4df87197d621f002c4053b6797c10e7b3"
    _, pubs = icite.pubs(icite.IciteView(graph), {"pmids": [",".join(ids)]})
    assert _sha(pubs) == "b2dce579b2af8881f3239d82c6a2d4aed303bb903d104d393723262ff53d1040"


# ----------------------------------------------------------------------- realistic


@pytest.fixture(scope="module")
def real() -> MirrorGraph:
    return MirrorGraph(1100, seed=4, realistic=True)


@pytest.fixture(scope="module")
def answer(real) -> tuple[list[str], str]:
    """800 records past the graph's first cite window (whose articles have fewer earlier
    ones to cite), as one efetch answer."""
    ids = [p for p in real.pmids()[real.cite_window:] if real.exists(p)][:800]
    return ids, _efetch(real, ids)


@pytest.fixture(scope="module")
def parsed(answer):
    return list(iter_efetch_records(answer[1].encode("utf-8")))


def _quantile(values: list[int], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def test_the_answer_parses_into_one_record_per_id(answer, parsed):
    ids, _ = answer
    assert [r.pmid for r in parsed] == ids


def test_reference_counts_follow_the_documented_distribution(parsed):
    counts = [len(r.references) for r in parsed]
    # log-normal(median 39, sigma 0.55): mean 45, quartiles 27 and 56, 5th/95th 16 and 96
    assert 35 <= statistics.median(counts) <= 43
    assert 41 <= statistics.mean(counts) <= 50
    assert 22 <= _quantile(counts, 0.25) <= 31
    assert 50 <= _quantile(counts, 0.75) <= 63
    assert 10 <= _quantile(counts, 0.05) <= 21
    assert 80 <= _quantile(counts, 0.95) <= 115
    assert min(counts) >= 1 and max(counts) <= 250


def test_about_a_tenth_of_the_references_are_not_in_pubmed(parsed):
    refs = [x for r in parsed for x in r.references]
    without = [x for x in refs if not x.pmid]
    assert 0.07 <= len(without) / len(refs) <= 0.13
    # two in three of them text-only (books, reports), the others DOI-only
    text_only = sum(1 for x in without if not x.doi)
    assert 0.55 <= text_only / len(without) <= 0.78


def test_every_record_has_an_abstract_of_real_length(parsed):
    lengths = [sum(len(s.text) for s in r.abstract) for r in parsed]
    assert min(lengths) > 300  # every record has one
    # median 1,500 characters, each within one sentence (~100-200 characters) below its target
    assert 1250 <= statistics.median(lengths) <= 1550
    assert 2600 <= _quantile(lengths, 0.95) <= 3300
    assert max(lengths) <= 5000
    assert any(r.abstract[0].label for r in parsed)  # structured ones
    assert any(r.abstract[0].label is None for r in parsed)  # and unstructured ones


def _record_sizes(xml: str) -> list[int]:
    return [len(m.group().encode("utf-8"))
            for m in re.finditer(r"<PubmedArticle>.*?</PubmedArticle>", xml)]


def test_records_are_two_to_three_times_the_default_size(real, answer):
    ids, xml = answer
    sizes = _record_sizes(xml)
    assert len(sizes) == len(ids)
    default = statistics.median(_record_sizes(_efetch(MirrorGraph(real.n, seed=real.seed),
                                                      ids)))
    assert 15_000 <= statistics.median(sizes) <= 25_000  # real compact records: 17-37 KB
    assert 2 <= statistics.median(sizes) / default <= 3


def test_lists_agree_between_efetch_elink_pages_and_icite(real, answer, parsed):
    view = icite.IciteView(real)
    for record in parsed[::40]:
        pmid = record.pmid
        refs = real.references(pmid)
        # efetch's ReferenceList PMIDs = elink's pubmed_pubmed_refs = the graph's list
        assert [x.pmid for x in record.references if x.pmid] == refs
        _, text = eutils.elink(real, {"dbfrom": ["pubmed"], "id": [pmid],
                                      "linkname": ["pubmed_pubmed_refs"]})
        assert re.findall(r"<Link>\s*<Id>(\d+)</Id>", text) == refs
        for ref in refs:  # cited-by is the inverse, as in the default graph
            assert (pmid in real.cited_by(ref)) == real.exists(ref)
        page = html.article_page(real, real.article(pmid), "http://127.0.0.1:1")
        assert f"Show all {len(record.references)} references" in page
        # iCite holds PubMed's links (between articles it knows) and about 4 more
        if view.knows(pmid):
            known = [p for p in refs if view.knows(p)]
            mine = view.references(pmid)
            assert set(known) <= set(mine) and len(mine) - len(known) <= 15


def test_other_fields_are_the_default_articles(real):
    default = MirrorGraph(real.n, seed=real.seed)
    for pmid in list(real.pmids())[300:340]:
        if not real.exists(pmid):
            continue
        a, b = real.article(pmid), default.article(pmid)
        assert (a.title, a.authors, a.journal, a.mesh_terms, a.keywords, a.doi, a.pmcid) == (
            b.title, b.authors, b.journal, b.mesh_terms, b.keywords, b.doi, b.pmcid)
        assert a.similar_pmids == b.similar_pmids
        assert len(a.references) > 0 and sum(len(s.text) for s in a.abstract) > 300


def test_realistic_mode_is_deterministic_for_a_seed(real):
    again = MirrorGraph(real.n, seed=real.seed, realistic=True)
    ids = list(real.pmids()[500:520])
    assert _efetch(real, ids) == _efetch(again, ids)


def test_command_line_realistic_flag_serves_the_realistic_graph():
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.mirror", "--articles", "400", "--seed", "2",
         "--port", "0", "--realistic"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    ids = ["30000300", "30000301", "30000302"]
    try:
        base = proc.stdout.readline().strip()
        url = f"{base}/entrez/eutils/efetch.fcgi?db=pubmed&retmode=xml&id={','.join(ids)}"
        with urllib.request.urlopen(url, timeout=30) as r:
            served = r.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert served == _efetch(MirrorGraph(400, seed=2, realistic=True), ids)
    assert served != _efetch(MirrorGraph(400, seed=2), ids)
