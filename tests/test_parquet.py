"""The analysts' Parquet tables and the graph outputs.

Unit tests pin the schema derivation and the edge semantics; mirror crawls of both
spiders read the tables back with pyarrow and DuckDB and compare them row by row with
the JSONL records (the complete record), computing what each row should be here, from
the JSONL, by the rules the README states.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aggregator.exports.datasets import PARQUET_TABLES, build_datasets
from aggregator.exports.flatten import edges_of
from aggregator.exports.spool import RecordSpool
from aggregator.exports.tables import TABLES, _columns_of, arrow_type
from aggregator.records import IsoInstant
from tests.mirror.graph import MirrorGraph, reachable
from tests.mirror.localrun import FAST_LOCAL, run_crawl
from tests.mirror.server import MirrorServer

FOLLOW_ALL = ("similar", "references", "cited_by")


# --- the schema comes from the record model --------------------------------------------

@dataclass
class _Inner:
    a: int | None = None
    b: list[str] = field(default_factory=list)


@dataclass
class _Metrics:
    count: int = 0
    fetched_at: IsoInstant | None = None


@dataclass
class _Model:
    """Shaped like the keys being added to the record (links_by_source, notices …)."""

    pmid: str = ""
    flag: bool = False
    links_by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    notices: list[_Inner] = field(default_factory=list)
    citation_metrics: _Metrics | None = None
    free: dict[str, Any] = field(default_factory=dict)


def test_hints_map_to_arrow_types():
    assert arrow_type(str | None)[0] == pa.string()
    assert arrow_type(int)[0] == pa.int64()
    assert arrow_type(bool)[0] == pa.bool_()
    assert arrow_type(list[str])[0] == pa.list_(pa.string())
    assert arrow_type(dict[str, dict[str, int]])[0] == pa.map_(
        pa.string(), pa.map_(pa.string(), pa.int64()))
    assert arrow_type(IsoInstant | None)[0] == pa.timestamp("us", tz="UTC")
    assert arrow_type(list[_Inner])[0] == pa.list_(
        pa.struct([("a", pa.int64()), ("b", pa.list_(pa.string()))]))
    typ, convert = arrow_type(Any)
    assert typ == pa.string() and convert({"x": [1]}) == '{"x": [1]}'


def test_new_dataclass_fields_become_columns_without_editing_the_table_code():
    columns = {c.name: c for c in _columns_of(_Model)}
    assert list(columns) == ["pmid", "flag", "links_by_source", "notices",
                             "citation_metrics_count", "citation_metrics_fetched_at", "free"]
    row = {"pmid": "1", "flag": True, "links_by_source": {"cited_by": {"pubmed": 3}},
           "notices": [{"a": 1, "b": ["x"]}],
           "citation_metrics": {"count": 4, "fetched_at": "2026-01-02T03:04:05Z"},
           "free": {"k": 1}}
    arrays = [pa.array([c.value(row)], type=c.type) for c in columns.values()]
    table = pa.Table.from_arrays(arrays, names=list(columns))
    (back,) = table.to_pylist()
    assert back["links_by_source"] == [("cited_by", [("pubmed", 3)])]
    assert back["notices"] == [{"a": 1, "b": ["x"]}]
    assert back["citation_metrics_fetched_at"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert back["free"] == '{"k": 1}'
    # an absent nested object gives nulls, not an error
    assert _columns_of(_Model)[4].value({"citation_metrics": None}) is None


def test_schema_version_is_a_string_column():
    schema = TABLES["records"].schema
    assert schema.field("schema_version").type == pa.string()
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("provenance_depth").type == pa.int64()
    assert schema.field("is_review").type == pa.bool_()


# --- edge semantics --------------------------------------------------------------------

def _record(pmid: str, depth: int, refs=(), citers=(), similar=()) -> dict[str, Any]:
    return {"pmid": pmid, "provenance": {"depth": depth}, "reference_pmids": list(refs),
            "cited_by_pmids": list(citers), "similar_pmids": list(similar)}


def test_edges_of_fixes_direction_and_orders_similar_pairs():
    edges = list(edges_of(_record("50", 1, refs=["7"], citers=["900"], similar=["9", "60"])))
    assert [(e["source_pmid"], e["target_pmid"], e["relation"]) for e in edges] == [
        ("50", "7", "cites"),  # 50's reference: 50 cites 7
        ("900", "50", "cites"),  # 50 is cited by 900: 900 cites 50
        ("9", "50", "similar"),  # lower PMID first (numerically: "9" < "50")
        ("50", "60", "similar"),
    ]
    assert all(e["depth"] == 1 and e["sources"] == ["pubmed"] for e in edges)


def test_edges_of_keeps_only_the_lists_asked_for():
    record = _record("50", 0, refs=["7"], citers=["900"], similar=["9"])
    assert {e["relation"] for e in edges_of(record, ["references", "cited_by"])} == {"cites"}
    assert [e["target_pmid"] for e in edges_of(record, ["references"])] == ["7"]
    assert list(edges_of(record, [])) == []


def test_build_dedupes_pairs_seen_from_both_ends_and_marks_record_ends(tmp_path):
    records = [
        _record("10", 0, refs=["20", "99"], similar=["20"]),
        _record("20", 1, citers=["10"], similar=["10", "5"]),
    ]
    paths = {name: tmp_path / f"{name}.parquet" for name in ("edges", "nodes")}
    counts = build_datasets(iter(records), paths, tmp_path / "edges.jsonl", None)
    rows = [json.loads(line) for line in (tmp_path / "edges.jsonl").read_text().splitlines()]
    got = {(r["source_pmid"], r["target_pmid"], r["relation"]):
           (r["depth"], r["source_in_records"], r["target_in_records"]) for r in rows}
    assert got == {
        ("10", "20", "cites"): (0, True, True),  # from 10's references and 20's cited-by
        ("10", "99", "cites"): (0, True, False),
        ("10", "20", "similar"): (0, True, True),  # one undirected edge, smaller depth
        ("5", "20", "similar"): (1, False, True),
    }
    assert len(rows) == 4 and counts["edges/duplicates_removed"] == 2
    assert pq.read_table(paths["edges"]).to_pylist() == rows
    nodes = pq.read_table(paths["nodes"]).to_pylist()
    assert [(n["pmid"], n["in_records"]) for n in nodes] == [
        ("10", True), ("20", True), ("5", False), ("99", False)]
    assert nodes[0]["depth"] == 0 and nodes[2]["depth"] is None


# --- spool -----------------------------------------------------------------------------

def test_spool_reads_each_pmid_once_and_skips_a_cut_line(tmp_path):
    path = tmp_path / "s.jsonl"
    spool = RecordSpool(path, resuming=False)
    spool.add({"pmid": "1", "v": 1})
    spool.add({"pmid": "2", "v": 1})
    spool.close()
    with path.open("a") as handle:
        handle.write('{"pmid": "3", "v')  # a kill cut this line
    resumed = RecordSpool(path, resuming=True)  # the re-run: cut line dropped, appended to
    resumed.add({"pmid": "1", "v": 2})  # re-emitted (the journal had not seen it): read once
    resumed.add({"pmid": "3", "v": 2})
    assert list(resumed.records()) == [{"pmid": "1", "v": 1}, {"pmid": "2", "v": 1},
                                       {"pmid": "3", "v": 2}]
    fresh = RecordSpool(path, resuming=False)  # not resuming: starts empty
    assert list(fresh.records()) == []


# --- mirror crawls of both spiders -----------------------------------------------------

@pytest.fixture(scope="module")
def mirror():
    graph = MirrorGraph(300, seed=7)
    with MirrorServer(graph) as server:
        yield graph, server


def _settings(server: MirrorServer, outdir: Path, **extra: object) -> dict[str, object]:
    return {**FAST_LOCAL, "PUBMED_BASE_URL": server.base_url,
            "EUTILS_BASE_URL": f"{server.base_url}/entrez/eutils", "OUTPUT_DIR": outdir,
            "PUBMED_PAGE_SIZE": 10, **extra}


def _seed(graph: MirrorGraph) -> str:
    return next(p for p in graph.pmids()[100:] if graph.exists(p) and graph.references(p)
                and graph.cited_by(p) and graph.similar(p))


def crawl_tables(server, graph, tmp: Path, spider: str, args: dict, **extra) -> dict:
    """One crawl writing JSONL and ``-O found.parquet``; its tables and records."""
    out, side, found = tmp / "out.jsonl", tmp / "side", tmp / "found.parquet"
    feeds = {str(out): {"format": "jsonlines"}, str(found): {"format": "parquet"}}
    done = run_crawl(spider, args, _settings(server, side, FEEDS=json.dumps(feeds), **extra),
                     timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (manifest,) = side.glob(f"{spider}-*-manifest.json")
    prefix = manifest.name.removesuffix("-manifest.json")
    return {"records": [json.loads(line) for line in out.read_text().splitlines()],
            "manifest": json.loads(manifest.read_text()), "found": found,
            "paths": {name: side / f"{prefix}-{name}.parquet" for name in PARQUET_TABLES},
            "edges_jsonl": side / f"{prefix}-edges.jsonl", "side": side}


@pytest.fixture(scope="module", params=["pubmed", "pubmed_eutils"])
def crawl(request, mirror, tmp_path_factory):
    graph, server = mirror
    seed = _seed(graph)
    result = crawl_tables(server, graph, tmp_path_factory.mktemp(request.param),
                          request.param, {"pmids": seed, "depth": 1})
    assert sorted(r["pmid"] for r in result["records"]) == sorted(
        reachable(graph, [seed], 1, FOLLOW_ALL))
    return result


def _expected_record_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the README says its ``records`` row is: nested objects flattened as
    ``<field>_<key>``, ``fetched_at`` a UTC timestamp, maps as (key, value) pairs."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        if key == "links_by_source":  # a map of maps, not a struct: stays one column
            row[key] = [(k, list(v.items())) for k, v in value.items()]
        elif isinstance(value, dict) or (value is None and key == "provenance"):
            for sub, inner in (value or {"seed": None, "parent": None, "relation": None,
                                         "depth": None}).items():
                row[f"{key}_{sub}"] = list(inner.items()) if isinstance(inner, dict) else inner
        else:
            row[key] = value
    row["fetched_at"] = datetime.strptime(record["fetched_at"], "%Y-%m-%dT%H:%M:%SZ"
                                          ).replace(tzinfo=UTC)
    return row


def test_records_table_equals_the_jsonl_row_by_row_in_pyarrow(crawl):
    table = pq.read_table(crawl["paths"]["records"])
    rows = {r["pmid"]: r for r in table.to_pylist()}
    assert len(rows) == table.num_rows == len(crawl["records"])
    for record in crawl["records"]:
        assert rows[record["pmid"]] == _expected_record_row(record), record["pmid"]


def test_feed_format_parquet_is_the_records_table(crawl):
    # the feed keeps the crawl's order; the job's table is ordered by depth, then PMID
    feed, table = pq.read_table(crawl["found"]), pq.read_table(crawl["paths"]["records"])
    assert feed.sort_by("pmid").equals(table.sort_by("pmid"))
    depths = [(r["provenance_depth"], int(r["pmid"])) for r in table.to_pylist()]
    assert depths == sorted(depths)
    assert not list(crawl["found"].parent.glob("*.spool.jsonl"))  # finished: spool gone
    assert not list(crawl["side"].glob("*.spool.jsonl"))


def test_duckdb_reads_the_tables_as_the_jsonl_says(crawl):
    duckdb = pytest.importorskip("duckdb")
    paths, records = crawl["paths"], {r["pmid"]: r for r in crawl["records"]}
    got = duckdb.sql(
        f"select pmid, schema_version, title, journal_title, provenance_depth, is_review, "
        f"len(authors), keywords, review_studies_included from '{paths['records']}' "
        f"order by pmid").fetchall()
    assert got == [(p, r["schema_version"], r["title"], r["journal"]["title"],
                    r["provenance"]["depth"], r["is_review"], len(r["authors"]), r["keywords"],
                    r["review"]["studies_included"]) for p, r in sorted(records.items())]
    authors = duckdb.sql(f"select pmid, position, name, orcid, affiliations "
                         f"from '{paths['authors']}' order by pmid, position").fetchall()
    assert authors == [(p, i, a["name"], a["orcid"], a["affiliations"])
                       for p, r in sorted(records.items())
                       for i, a in enumerate(r["authors"], 1)]
    ((count,),) = duckdb.sql(f"select count(*) from '{paths['edges']}'").fetchall()
    assert count == len(crawl["edges_jsonl"].read_text().splitlines())


def test_child_tables_equal_the_jsonl_lists(crawl):
    paths, records = crawl["paths"], crawl["records"]

    def rows(name: str) -> list[dict]:
        return sorted(pq.read_table(paths[name]).to_pylist(),
                      key=lambda r: tuple(str(v) for v in r.values()))

    def expect(items: list[dict]) -> list[dict]:
        return sorted(items, key=lambda r: tuple(str(v) for v in r.values()))

    assert rows("authors") == expect([
        {"pmid": r["pmid"], "position": i, **a}
        for r in records for i, a in enumerate(r["authors"], 1)])
    assert rows("affiliations") == expect([
        {"pmid": r["pmid"], "author_position": i, "position": j, "affiliation": text}
        for r in records for i, a in enumerate(r["authors"], 1)
        for j, text in enumerate(a["affiliations"], 1)])
    assert rows("references") == expect([
        {"pmid": r["pmid"], "position": i, "citation": ref["citation"],
         "reference_pmid": ref["pmid"], "reference_pmcid": ref["pmcid"],
         "reference_doi": ref["doi"]}
        for r in records for i, ref in enumerate(r["references"], 1)])
    mesh = []
    for r in records:
        for i, m in enumerate(r["mesh_terms"], 1):
            for q in m["qualifiers"] or [None]:
                major = m["major"] or (q is not None and q in m["major_qualifiers"])
                mesh.append({"pmid": r["pmid"], "position": i, "descriptor": m["descriptor"],
                             "qualifier": q, "major": major, "descriptor_major": m["major"]})
    assert mesh and rows("mesh") == expect(mesh)
    review = [{"pmid": r["pmid"], "year": r["year"],
               "is_systematic_review": r["is_systematic_review"],
               **{k: list(v.items()) if isinstance(v, dict) else v
                  for k, v in r["review"].items()}}
              for r in records if r["is_review"]]
    assert review and rows("review") == expect(review)


def test_edges_and_nodes_tables_describe_the_graph(crawl):
    records = {r["pmid"] for r in crawl["records"]}
    edges = pq.read_table(crawl["paths"]["edges"]).to_pylist()
    assert edges == [json.loads(line) for line in crawl["edges_jsonl"].read_text().splitlines()]
    keys = [(e["source_pmid"], e["target_pmid"], e["relation"]) for e in edges]
    assert len(keys) == len(set(keys))
    for e in edges:
        assert e["source_in_records"] == (e["source_pmid"] in records)
        assert e["target_in_records"] == (e["target_pmid"] in records)
    similar = {(s, t) for s, t, rel in keys if rel == "similar"}
    assert all(int(s) < int(t) for s, t in similar)
    nodes = pq.read_table(crawl["paths"]["nodes"]).to_pylist()
    ends = {p for s, t, _ in keys for p in (s, t)}
    assert sorted(n["pmid"] for n in nodes) == sorted(records | ends)
    assert {n["pmid"] for n in nodes if n["in_records"]} == records
    manifest = crawl["manifest"]
    assert manifest["edges"] == {"from_lists": ["references", "cited_by", "similar"],
                                 "left_out": [], "unfollowed_kept": False}
    assert manifest["counts"]["parquet/records"] == len(records)
    assert manifest["counts"]["edges/target_outside_records"] == sum(
        not e["target_in_records"] for e in edges)


@pytest.mark.parametrize("keep", [False, True])
def test_edges_of_relations_not_followed_are_left_out_unless_kept(mirror, tmp_path, keep):
    graph, server = mirror
    extra = {"AGGREGATOR_EDGES_UNFOLLOWED": 1} if keep else {}
    result = crawl_tables(server, graph, tmp_path, "pubmed_eutils",
                          {"pmids": _seed(graph), "depth": 1, "follow": "references,cited_by"},
                          **extra)
    relations = {e["relation"] for e in pq.read_table(result["paths"]["edges"]).to_pylist()}
    assert relations == ({"cites", "similar"} if keep else {"cites"})
    assert result["manifest"]["edges"] == {
        "from_lists": ["references", "cited_by", "similar"] if keep
        else ["references", "cited_by"],
        "left_out": [] if keep else ["similar"], "unfollowed_kept": keep}


# --- the feed exporter -----------------------------------------------------------------

def _article(pmid: str) -> Any:
    from aggregator.records import ArticleRecord

    return ArticleRecord(source="page", pmid=pmid, title=f"T{pmid}",
                         fetched_at=IsoInstant("2026-01-02T03:04:05Z"))


def test_feed_exporter_writes_a_table_only_when_closed_and_never_appends(tmp_path):
    from aggregator.exports.parquet import ParquetRecordExporter

    target = tmp_path / "found.parquet"
    with target.open("wb") as handle:
        exporter = ParquetRecordExporter(handle)
        exporter.start_exporting()
        for pmid in ("1", "2"):
            exporter.export_item(_article(pmid))
        assert not target.exists()  # nothing footer-less under the name meanwhile
        exporter.finish_exporting()
    assert [r["pmid"] for r in pq.read_table(target).to_pylist()] == ["1", "2"]
    before = target.read_bytes()
    with target.open("ab") as handle:  # -o onto an existing table: kept, new one beside
        exporter = ParquetRecordExporter(handle)
        exporter.start_exporting()
        exporter.export_item(_article("3"))
        exporter.finish_exporting()
    assert target.read_bytes() == before
    (beside,) = [p for p in tmp_path.glob("found-*.parquet")]
    assert [r["pmid"] for r in pq.read_table(beside).to_pylist()] == ["3"]
