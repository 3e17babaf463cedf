"""The local PubMed mirror: graph, oracle, pages, E-utilities and the HTTP server."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
import tracemalloc
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import fixture_path

from aggregator.sources.page import parse_article, parse_results
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph() -> MirrorGraph:
    return MirrorGraph(400, seed=3)


@pytest.fixture(scope="module")
def server(graph, tmp_path_factory):
    log = tmp_path_factory.mktemp("mirror") / "requests.log"
    with MirrorServer(graph, request_log=str(log)) as srv:
        srv.log_path = log
        yield srv


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(server: MirrorServer, path: str, data: bytes | None = None):
    """``(status, headers, text)`` of a request to the mirror (redirects not followed)."""
    try:
        with _OPENER.open(server.base_url + path, data=data, timeout=10) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def existing(graph: MirrorGraph, start: int = 0) -> str:
    return next(p for p in graph.pmids()[start:] if graph.exists(p))


def missing(graph: MirrorGraph) -> str:
    return next(p for p in graph.pmids() if not graph.exists(p))


# --------------------------------------------------------------------------- graph


def test_graph_is_deterministic_for_a_seed():
    a, b, other = MirrorGraph(300, seed=5), MirrorGraph(300, seed=5), MirrorGraph(300, seed=6)
    pmid = existing(a, 150)
    assert a.article(pmid) == b.article(pmid)
    assert [a.exists(p) for p in a.pmids()] == [b.exists(p) for p in b.pmids()]
    assert a.similar(pmid) == b.similar(pmid)
    assert (a.references(pmid), a.title_of(150)) != (other.references(pmid), other.title_of(150))


def test_graph_lists_are_consistent_inverses(graph):
    for pmid in graph.pmids()[100:200]:
        if not graph.exists(pmid):
            assert graph.references(pmid) == graph.similar(pmid) == graph.cited_by(pmid) == []
            continue
        for ref in graph.references(pmid):
            assert int(ref) < int(pmid)
            assert (pmid in graph.cited_by(ref)) == graph.exists(ref)
        for citing in graph.cited_by(pmid):
            assert graph.exists(citing) and pmid in graph.references(citing)
        for sim in graph.similar(pmid):
            assert sim != pmid
            if graph.exists(sim):
                assert pmid in graph.similar(sim)


def test_graph_has_the_variety_the_features_need(graph):
    pmids = [p for p in graph.pmids()[50:350] if graph.exists(p)]
    articles = [graph.article(p) for p in pmids]
    refs = sorted(len(graph.references(p)) for p in pmids)
    sims = sorted(len(graph.similar(p)) for p in pmids)
    assert 5 <= refs[len(refs) // 2] <= 15
    assert 5 <= sims[len(sims) // 2] <= 30 and sims[-1] > 10  # list pages need paging
    assert sum(not graph.exists(p) for p in graph.pmids()) > 0  # some missing ids
    assert any(graph.cited_by(p) for p in pmids)
    assert any(a.abstract and a.abstract[0].label for a in articles)  # structured
    assert any(a.abstract and a.abstract[0].label is None for a in articles)  # unstructured
    assert any(not a.abstract for a in articles)
    assert any("Systematic Review" in a.publication_types for a in articles)
    assert any("PROSPERO (CRD42" in s.text for a in articles for s in a.abstract)
    assert any("studies with" in s.text for a in articles for s in a.abstract)
    assert any(au.orcid for a in articles for au in a.authors)
    assert any(a.pmcid for a in articles) and any(a.pmcid is None for a in articles)
    assert any(r.pmid is None and r.doi for a in articles for r in a.references)
    assert any(m.major for a in articles for m in a.mesh_terms)
    assert any(m.major_qualifiers for a in articles for m in a.mesh_terms)


def test_a_huge_graph_costs_nothing_until_asked():
    # Laziness shown by memory, not by a clock: 5 million articles built eagerly would take
    # gigabytes; computed on demand, asking for one costs a few kilobytes.
    tracemalloc.start()
    try:
        big = MirrorGraph(5_000_000, seed=2)
        pmid = existing(big, 4_000_000)
        big.article(pmid)
        assert len(big.pmids()) == 5_000_000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_missing_ids_are_not_articles(graph):
    gone = missing(graph)
    assert not graph.exists(gone)
    assert not graph.exists("123") and not graph.exists("abc")
    with pytest.raises(KeyError):
        graph.article(gone)


# -------------------------------------------------------------------------- oracle


class TinyGraph:
    """A hand-built graph for the oracle: ids are strings of digits."""

    def __init__(self, edges: dict[str, dict[str, list[str]]], missing: set[str] = frozenset()):
        self.edges, self.missing = edges, missing

    def exists(self, pmid: str) -> bool:
        return pmid not in self.missing

    def linked(self, pmid: str, relation: str) -> list[str]:
        return self.edges.get(pmid, {}).get(relation, [])


TINY = TinyGraph(
    {
        "10": {"references": ["20"], "similar": ["30", "99"]},
        "20": {"references": ["40"], "cited_by": ["50"]},
        "30": {"similar": ["40", "10"], "references": ["60"]},
        "50": {"similar": ["70"]},
        "99": {"references": ["80"]},
        "60": {"similar": ["20"]},
    },
    missing={"99"},
)


def test_reachable_on_a_hand_built_graph():
    got = reachable(TINY, ["10"], 2, ("similar", "references", "cited_by"))
    assert got == {
        "10": (0, "seed", None, "10"),
        "20": (1, "references", "10", "10"),
        "30": (1, "similar", "10", "10"),
        # 40 is met from 20 (references) and from 30 (similar): references wins
        "40": (2, "references", "20", "10"),
        "50": (2, "cited_by", "20", "10"),
        "60": (2, "references", "30", "10"),
        # 99 is missing: no record, and 80 behind it is never reached
    }


def test_reachable_ties_go_to_the_lowest_parent_and_depth_and_follow_limit():
    graph = TinyGraph({"5": {"references": ["7"]}, "3": {"references": ["7"]}})
    assert reachable(graph, ["5", "3"], 1, ("references",))["7"] == (1, "references", "3", "3")
    assert reachable(TINY, ["10"], 0, ("similar",)) == {"10": (0, "seed", None, "10")}
    only_refs = reachable(TINY, ["10"], 3, ("references",))
    assert only_refs == {
        "10": (0, "seed", None, "10"),
        "20": (1, "references", "10", "10"),
        "40": (2, "references", "20", "10"),
    }
    assert reachable(TINY, ["99"], 2, ("references",)) == {}


def test_reachable_on_the_mirror_graph_takes_shortest_paths(graph):
    seed = existing(graph, 200)
    got = reachable(graph, [seed], 2, ("similar", "references", "cited_by"))
    assert all(graph.exists(p) for p in got)
    for pmid, (depth, relation, parent, seed_of) in got.items():
        assert seed_of == seed
        if depth:
            assert pmid in graph.linked(parent, relation)
            assert got[parent][0] == depth - 1
    level1 = {p for rel in ("similar", "references", "cited_by")
              for p in graph.linked(seed, rel) if graph.exists(p)}
    assert {p for p, v in got.items() if v[0] == 1} == level1


# ---------------------------------------------------------------------- the server


def test_robots_txt_is_pubmeds(server):
    status, headers, text = fetch(server, "/robots.txt")
    assert status == 200
    assert text == fixture_path("pubmed", "robots.txt").read_text(encoding="utf-8")


def test_article_page_and_redirect_and_404(graph, server):
    pmid = existing(graph, 100)
    status, headers, text = fetch(server, f"/{pmid}/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Content-Length"]) == len(text.encode("utf-8"))
    assert f'<strong class="current-id" title="PubMed ID">{pmid}</strong>' in text
    assert len(text) < 60_000
    status, headers, _ = fetch(server, f"/{pmid}")
    assert (status, headers["Location"]) == (301, f"/{pmid}/")
    for gone in (missing(graph), "29999999", "99999999"):
        status, _, text = fetch(server, f"/{gone}/")
        assert status == 404 and "Page not available" in text


def test_article_page_parses_to_the_graphs_article(graph, server):
    """Every field the project's parser reads comes out as the graph says."""
    checked = 0
    for pmid in graph.pmids()[100:160]:
        if not graph.exists(pmid):
            continue
        a = graph.article(pmid)
        _, _, text = fetch(server, f"/{pmid}/")
        rec = parse_article(text, f"{server.base_url}/{pmid}/")
        assert rec.pmid == a.pmid
        assert rec.title == a.title
        assert rec.doi == a.doi
        assert rec.pmcid == a.pmcid
        assert rec.authors == a.authors
        assert rec.journal == a.journal
        assert rec.publication_date == a.publication_date
        assert rec.year == a.year
        assert rec.publication_types == a.publication_types
        assert rec.abstract == a.abstract
        assert rec.keywords == a.keywords
        assert rec.mesh_terms == a.mesh_terms
        assert rec.conflict_of_interest == a.conflict_of_interest
        assert rec.references == a.references[:5]
        assert rec.references_total == len(a.references)
        assert rec.similar_pmids == a.similar_pmids[:5]
        assert rec.cited_by_pmids == a.cited_by_pmids[:5]
        checked += 1
    assert checked > 50


def test_list_pages_page_through_the_whole_list(graph, server):
    pmid = next(p for p in graph.pmids() if graph.exists(p) and len(graph.similar(p)) > 12)
    url = f"/?linkname=pubmed_pubmed&from_uid={pmid}&size=5"
    pages = []
    for page in (1, 2, 3, 4):
        status, _, text = fetch(server, f"{url}&page={page}")
        assert status == 200
        pages.append(parse_results(text, server.base_url + url))
    assert pages[0].total == len(graph.similar(pmid))
    assert pages[0].pmids != pages[1].pmids
    assert pages[1].page == 2 and pages[1].displayed_pmids == pages[1].pmids
    assert [p for r in pages for p in r.pmids][:20] == graph.similar(pmid)[:20]
    assert pmid not in graph.similar(pmid)
    for linkname, expected in (("pubmed_pubmed_citedin", graph.cited_by(pmid)),
                               ("pubmed_pubmed_refs", graph.references(pmid))):
        _, _, text = fetch(server, f"/?linkname={linkname}&from_uid={pmid}&size=200")
        got = parse_results(text, server.base_url)
        assert (got.total, got.pmids) == (len(expected), expected)


def test_search_redirects_one_hit_and_lists_many(graph, server):
    # a made-up drug name that is in exactly one title
    words = {}
    for i in range(graph.n):
        for w in graph.title_of(i).lower().replace(":", " ").replace(".", " ").split():
            words.setdefault(w, set()).add(i)
    single = next(w for w, ids in words.items()
                  if len(ids) == 1 and graph.exists(graph.pmid(next(iter(ids)))))
    status, headers, _ = fetch(server, f"/?term={single}")
    assert (status, headers["Location"]) == (302, f"/{graph.pmid(words[single].pop())}/")
    common = max(words, key=lambda w: len(words[w]) if w.isalpha() and len(w) > 6 else 0)
    _, _, text = fetch(server, f"/?term={common}&size=20")
    res = parse_results(text, server.base_url)
    assert res.total == sum(graph.exists(graph.pmid(i)) for i in words[common])
    assert res.query == common and len(res.pmids) == min(20, res.total)
    _, _, text = fetch(server, "/?term=nosuchwordanywhere")
    assert parse_results(text, server.base_url).total == 0


def test_bad_search_parameters_answer_invalid_form(server):
    for query in ("/?term=", "/?term=aspirin&size=500", "/?term=aspirin&format=bogus",
                  "/?linkname=pubmed_pubmed&from_uid=abc", "/?page=2"):
        status, _, text = fetch(server, query)
        assert status == 200
        assert "<title>[Invalid form] - Search Results - PubMed</title>" in text, query
        assert parse_results(text, server.base_url).invalid


def test_efetch_xml_matches_the_graph(graph, server):
    ids = [existing(graph, 120), existing(graph, 300), missing(graph)]
    for data, query in ((None, f"?db=pubmed&retmode=xml&id={','.join(ids)}"),
                        (f"db=pubmed&retmode=xml&id={','.join(ids)}".encode(), "")):
        status, headers, text = fetch(server, f"/entrez/eutils/efetch.fcgi{query}", data)
        assert status == 200 and headers["Content-Type"].startswith("text/xml")
        root = ET.fromstring(text)
        arts = root.findall("PubmedArticle")
        assert [a.findtext("MedlineCitation/PMID") for a in arts] == ids[:2]
        for node, pmid in zip(arts, ids[:2], strict=True):
            a = graph.article(pmid)
            art = node.find("MedlineCitation/Article")
            assert art.findtext("ArticleTitle") == a.title
            assert art.findtext("Journal/ISOAbbreviation") == a.journal.abbreviation
            names = [au.findtext("CollectiveName") or
                     f"{au.findtext('ForeName')} {au.findtext('LastName')}"
                     for au in art.findall("AuthorList/Author")]
            assert names == [au.name for au in a.authors]
            orcids = [i.text for i in art.iter("Identifier") if i.get("Source") == "ORCID"]
            assert orcids == [f"https://orcid.org/{au.orcid}" for au in a.authors if au.orcid]
            texts = [(t.get("Label"), t.text) for t in art.findall("Abstract/AbstractText")]
            assert texts == [(s.label, s.text) for s in a.abstract]
            ids_ = {i.get("IdType"): i.text for i in node.findall("PubmedData/ArticleIdList/"
                                                                  "ArticleId")}
            assert ids_.get("doi") == a.doi and ids_.get("pmc") == a.pmcid
            refs = node.findall("PubmedData/ReferenceList/Reference")
            assert len(refs) == len(a.references)  # the full list, not the page's 5
            ref_pmids = [r.findtext("ArticleIdList/ArticleId[@IdType='pubmed']") for r in refs]
            assert [p for p in ref_pmids if p] == graph.references(pmid)


def test_elink_one_linkset_per_repeated_id_and_merged_for_comma_ids(graph, server):
    a, b = existing(graph, 150), existing(graph, 250)
    base = "/entrez/eutils/elink.fcgi?dbfrom=pubmed&cmd=neighbor"
    _, _, text = fetch(server, f"{base}&linkname=pubmed_pubmed&id={a}&id={b}")
    sets = ET.fromstring(text).findall("LinkSet")
    assert [s.findtext("IdList/Id") for s in sets] == [a, b]
    links = [i.text for i in sets[0].findall("LinkSetDb/Link/Id")]
    assert links == [a, *graph.similar(a)]  # elink's similar list holds the article itself
    _, _, text = fetch(server, f"{base}&id={a},{b}")
    (merged,) = ET.fromstring(text).findall("LinkSet")
    assert [i.text for i in merged.findall("IdList/Id")] == [a, b]
    dbs = {d.findtext("LinkName"): [i.text for i in d.findall("Link/Id")]
           for d in merged.findall("LinkSetDb")}
    assert dbs["pubmed_pubmed"] == list(dict.fromkeys([a, *graph.similar(a),
                                                       b, *graph.similar(b)]))
    assert dbs["pubmed_pubmed_refs"] == graph.references(a) + graph.references(b)
    _, _, text = fetch(server, f"{base}&linkname=pubmed_pubmed_citedin&id={a}")
    cited = [i.text for i in ET.fromstring(text).findall("LinkSet/LinkSetDb/Link/Id")]
    assert cited == graph.cited_by(a)


def test_esearch_counts_pages_dates_and_the_10000_cap(server):
    big = MirrorGraph(12_000, seed=1)
    with MirrorServer(big) as srv:
        path = "/entrez/eutils/esearch.fcgi?db=pubmed&term=all[sb]"
        root = ET.fromstring(fetch(srv, f"{path}&retmax=5&retstart=10")[2])
        count = int(root.findtext("Count"))
        assert count == sum(big.exists(p) for p in big.pmids())
        ids = [i.text for i in root.findall("IdList/Id")]
        assert len(ids) == 5 and ids == sorted(ids, reverse=True)
        root = ET.fromstring(fetch(srv, f"{path}&retstart=9990&retmax=100")[2])
        assert len(root.findall("IdList/Id")) == 10
        root = ET.fromstring(fetch(srv, f"{path}&retstart=10000")[2])
        assert "retstart" in root.findtext("ERROR") and not root.findall("IdList/Id")
        query = f"{path}&datetype=pdat&mindate=2000&maxdate=2001&retmax=10000"
        root = ET.fromstring(fetch(srv, query)[2])
        got = [i.text for i in root.findall("IdList/Id")]
        want = [p for p in big.pmids() if big.exists(p)
                and 2000 <= big.year_of(big.index(p)) <= 2001]
        assert int(root.findtext("Count")) == len(want) and sorted(got) == want


def test_esearch_date_window_cuts_a_year_by_the_printed_date():
    # The crawl halves a date window until it holds under 10,000 hits, so windows cut
    # years; the mirror reads each article's printed date as NCBI's pdat does (a missing
    # day is the 1st, a missing month January, "Mar-Apr" March).
    from tests.mirror import eutils
    from tests.mirror.vocab import MONTHS
    big = MirrorGraph(3000, seed=2)

    def pdat(pmid: str) -> tuple[int, int, int]:
        year, month, day, medline = big.article(pmid).pub_date_parts
        if medline:  # "2001 Mar-Apr"
            month = medline.split()[1].split("-")[0]
        return (int(year), MONTHS.index(month) + 1 if month else 1, int(day) if day else 1)

    params = {"term": ["all[sb]"], "datetype": ["pdat"], "mindate": ["2001/03/15"],
              "maxdate": ["2001/08"], "retmax": ["10000"]}
    root = ET.fromstring(eutils.esearch(big, params)[1])
    got = [i.text for i in root.findall("IdList/Id")]
    want = [p for p in big.pmids()
            if big.exists(p) and (2001, 3, 15) <= pdat(p) <= (2001, 8, 31)]
    assert got == sorted(want, reverse=True) and int(root.findtext("Count")) == len(want)
    assert 0 < len(want) < sum(big.year_of(big.index(p)) == 2001 for p in big.pmids())
    # the halves of a split window hold each article once
    halves = [{"mindate": ["2001/01/01"], "maxdate": ["2001/07/02"]},
              {"mindate": ["2001/07/03"], "maxdate": ["2001/12/31"]}]
    parts = [[i.text for i in ET.fromstring(eutils.esearch(
        big, {"term": ["all[sb]"], "retmax": ["10000"], **h})[1]).findall("IdList/Id")]
        for h in halves]
    whole = [p for p in big.pmids() if big.exists(p) and big.year_of(big.index(p)) == 2001]
    assert sorted(parts[0] + parts[1]) == whole and not set(parts[0]) & set(parts[1])


def test_keep_alive_and_request_log(graph, server):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    pmid = existing(graph, 10)
    for path in ("/robots.txt", f"/{pmid}/", "/nope/"):
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        assert resp.getheader("Connection") != "close"
    assert resp.status == 404
    conn.close()
    lines = server.log_path.read_text().splitlines()
    stamp, method, path, status = lines[-1].split(" ")
    assert (method, path, status) == ("GET", "/nope/", "404")
    assert abs(float(stamp) - time.time()) < 60


def test_command_line_prints_the_base_url_and_serves(tmp_path):
    log = tmp_path / "req.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.mirror", "--articles", "50", "--seed", "2",
         "--port", "0", "--request-log", str(log)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "/robots.txt", timeout=10) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert log.read_text().split()[1:] == ["GET", "/robots.txt", "200"]
