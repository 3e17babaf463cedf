"""The record tables built from fixed record dicts, against rows written out by hand.

The expected rows below were checked by hand against the README's rules and against the
per-cell builder this project had before the columnar one (``Column.value`` per cell, one
row dict per child row): both give exactly these tables. Records are built two per batch,
so the third starts a new batch (positions restart, order is kept across batches).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow.parquet as pq
import pytest

import aggregator.exports.datasets as datasets
from aggregator.exports.tables import RECORD_TABLES, TABLES

A: dict[str, Any] = {
    "pmid": "11", "title": "T1", "year": "2020",
    "journal": {"title": "J", "abbreviation": "J Abbr"},
    "authors": [
        {"name": "Ann Lee", "last_name": "Lee", "fore_name": "Ann", "collective": False,
         "affiliations": ["Univ A", "Univ B"], "orcid": None},
        {"name": "Group X", "collective": True, "affiliations": []},
    ],
    "mesh_terms": [
        {"descriptor": "Humans", "qualifiers": [], "major": False, "major_qualifiers": []},
        {"descriptor": "Asthma", "qualifiers": ["therapy", "diagnosis"], "major": False,
         "major_qualifiers": ["therapy"]},
    ],
    "references": [{"citation": "Ref one", "pmid": "5"},
                   {"citation": "Ref two", "doi": "10.1/x"}],
    "fetched_at": "2026-01-02T03:04:05Z",
    "provenance": {"seed": "11", "parent": None, "relation": "seed", "depth": 0},
    "is_review": True, "is_systematic_review": True,
    "review": {"type": "meta-analysis", "studies_included": 12, "databases": ["MEDLINE"],
               "evidence": {"studies_included": "12 RCTs"}},
    "links_by_source": {"references": {"pubmed": 2}},
    "citation_metrics": {"b": 1, "a": [2]},
}
# no journal, no authors key, null lists, not a review
B: dict[str, Any] = {"pmid": "7", "journal": None, "mesh_terms": None, "references": [],
                     "is_review": False, "provenance": None}
# third record: a second batch
C: dict[str, Any] = {"pmid": "12", "authors": [{"name": "Bo", "affiliations": ["Lab"]}],
                     "mesh_terms": [{"descriptor": "Mice", "major": True}],
                     "is_review": True, "review": None, "year": "2021"}


AUTHORS = [
    {"pmid": "11", "position": 1, "name": "Ann Lee", "last_name": "Lee",
     "fore_name": "Ann", "collective": False, "affiliations": ["Univ A", "Univ B"],
     "orcid": None},
    {"pmid": "11", "position": 2, "name": "Group X", "last_name": None,
     "fore_name": None, "collective": True, "affiliations": [], "orcid": None},
    {"pmid": "12", "position": 1, "name": "Bo", "last_name": None, "fore_name": None,
     "collective": None, "affiliations": ["Lab"], "orcid": None},
]
REFERENCES = [
    {"pmid": "11", "position": 1, "citation": "Ref one", "reference_pmid": "5",
     "reference_pmcid": None, "reference_doi": None},
    {"pmid": "11", "position": 2, "citation": "Ref two", "reference_pmid": None,
     "reference_pmcid": None, "reference_doi": "10.1/x"},
]

AFFILIATIONS = [
    {"pmid": "11", "author_position": 1, "position": 1, "affiliation": "Univ A"},
    {"pmid": "11", "author_position": 1, "position": 2, "affiliation": "Univ B"},
    {"pmid": "12", "author_position": 1, "position": 1, "affiliation": "Lab"},
]


def _mesh(pmid, pos, descriptor, qualifier, major, descriptor_major):
    return {"pmid": pmid, "position": pos, "descriptor": descriptor,
            "qualifier": qualifier, "major": major, "descriptor_major": descriptor_major}


MESH = [
    _mesh("11", 1, "Humans", None, False, False),
    _mesh("11", 2, "Asthma", "therapy", True, False),  # the starred qualifier
    _mesh("11", 2, "Asthma", "diagnosis", False, False),
    _mesh("12", 1, "Mice", None, True, True),  # the descriptor itself starred
]


@pytest.fixture
def tables(tmp_path, monkeypatch) -> dict[str, list[dict[str, Any]]]:
    monkeypatch.setattr(datasets, "ROW_GROUP_RECORDS", 2)
    paths = {name: tmp_path / f"{name}.parquet" for name in RECORD_TABLES}
    counts = datasets.build_datasets(iter([A, B, C]), paths, None, None)
    assert counts["records"] == 3
    out = {}
    for name, path in paths.items():
        table = pq.read_table(path)
        assert table.schema.equals(TABLES[name].schema)
        out[name] = table.to_pylist()
    return out


def test_records_table(tables):
    rows = tables["records"]
    assert [r["pmid"] for r in rows] == ["11", "7", "12"]
    a, b, c = rows
    assert (a["journal_title"], a["journal_abbreviation"], a["journal_volume"]) == (
        "J", "J Abbr", None)
    assert (b["journal_title"], b["journal_abbreviation"]) == (None, None)
    assert a["fetched_at"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert b["fetched_at"] is None
    assert (a["provenance_seed"], a["provenance_parent"], a["provenance_depth"]) == (
        "11", None, 0)
    assert (b["provenance_seed"], b["provenance_depth"]) == (None, None)
    assert a["review_type"] == "meta-analysis" and a["review_studies_included"] == 12
    assert a["review_databases"] == ["MEDLINE"] and a["review_study_designs"] is None
    assert a["review_evidence"] == [("studies_included", "12 RCTs")]
    assert c["review_type"] is None and c["review_evidence"] is None
    assert a["links_by_source"] == [("references", [("pubmed", 2)])]
    assert a["citation_metrics"] == '{"a": [2], "b": 1}'  # JSON text, keys sorted
    assert b["citation_metrics"] is None and b["links_by_source"] is None
    assert a["authors"] == [
        {"name": "Ann Lee", "last_name": "Lee", "fore_name": "Ann", "collective": False,
         "affiliations": ["Univ A", "Univ B"], "orcid": None},
        {"name": "Group X", "last_name": None, "fore_name": None, "collective": True,
         "affiliations": [], "orcid": None}]
    assert b["authors"] is None and b["references"] == [] and b["mesh_terms"] is None
    assert a["references"] == [
        {"citation": "Ref one", "pmid": "5", "pmcid": None, "doi": None},
        {"citation": "Ref two", "pmid": None, "pmcid": None, "doi": "10.1/x"}]
    assert (a["is_review"], b["is_review"], c["is_systematic_review"]) == (True, False, None)
    assert c["title"] is None and c["year"] == "2021"


def test_authors_table(tables):
    assert tables["authors"] == AUTHORS


def test_affiliations_table(tables):
    assert tables["affiliations"] == AFFILIATIONS


def test_mesh_table(tables):
    assert tables["mesh"] == MESH


def test_references_table(tables):
    assert tables["references"] == REFERENCES


def test_review_table(tables):
    # a row per record with is_review true: C has no review facts, so nulls
    none = dict.fromkeys(["type", "studies_included", "participants", "study_designs",
                          "databases", "search_period", "registration", "guideline",
                          "evidence"])
    assert tables["review"] == [
        {"pmid": "11", "year": "2020", "is_systematic_review": True, **none,
         "type": "meta-analysis", "studies_included": 12, "databases": ["MEDLINE"],
         "evidence": [("studies_included", "12 RCTs")]},
        {"pmid": "12", "year": "2021", "is_systematic_review": None, **none},
    ]


def test_columnar_batch_equals_the_per_cell_rule():
    """``Table.batch`` (one conversion per batch) gives what ``Column.value`` gives per
    cell, for every column of the records table."""
    import pyarrow as pa
    table = TABLES["records"]
    batch = table.batch([A, B, C])
    for i, column in enumerate(table.columns):
        cells = pa.array([column.value(r) for r in (A, B, C)], type=column.type)
        assert batch.column(i).equals(cells), column.name


def test_child_tables_without_the_records_table(tmp_path, monkeypatch):
    """Without ``records`` to reuse, the child tables convert the lists themselves."""
    monkeypatch.setattr(datasets, "ROW_GROUP_RECORDS", 2)
    expected = {"affiliations": AFFILIATIONS, "references": REFERENCES, "mesh": MESH}
    paths = {name: tmp_path / f"{name}.parquet" for name in expected}
    datasets.build_datasets(iter([A, B, C]), paths, None, None)
    for name, rows in expected.items():
        assert pq.read_table(paths[name]).to_pylist() == rows, name


def test_row_groups_fill_to_their_size_across_batches(tmp_path, monkeypatch):
    """Rows built per batch of records are written in whole row groups (memory bounded,
    and the file laid out as when rows were written one by one)."""
    monkeypatch.setattr(datasets, "ROW_GROUP_RECORDS", 1)  # a batch per record
    monkeypatch.setattr(datasets, "ROW_GROUP_ROWS", 3)
    paths = {name: tmp_path / f"{name}.parquet" for name in ("records", "mesh")}
    datasets.build_datasets(iter([A, B, C]), paths, None, None)

    def groups(name):
        meta = pq.ParquetFile(paths[name]).metadata
        return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert groups("records") == [1, 1, 1]  # ROW_GROUP_RECORDS records a group
    assert groups("mesh") == [3, 1]  # A's 3 rows, then C's 1 (B has none)
    assert pq.read_table(paths["mesh"]).to_pylist() == MESH
