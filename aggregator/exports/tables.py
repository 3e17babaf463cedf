"""The analysts' tables, derived from the record model (``aggregator.records``).

One place holds the schema: the dataclasses' type hints. This module turns them into
Arrow types and columns, so a field added to a dataclass becomes a column (or a child
table column) with no edit here:

- ``str`` → string, ``int`` → int64, ``bool`` → bool, ``float`` → float64,
  ``IsoInstant`` → timestamp (µs, UTC); ``X | None`` → the same, nullable;
  ``list[X]`` → list of X; ``dict[K, V]`` → map; a nested dataclass → struct;
  ``Any`` (or anything else) → a string holding its JSON.
- In ``records``, a top-level dataclass field (``journal``, ``provenance``, ``review``…)
  is flattened into ``<field>_<sub>`` columns, so pandas gets plain columns, not dicts.
- Child tables, keyed by ``pmid``: ``authors``, ``references`` (one row per list item,
  ``position`` from 1, the item's own fields), ``affiliations``, ``mesh``, ``review``.

Rows are built from a record's JSON form (``to_dict()``), the same dict the JSONL holds,
so a JSONL file converts exactly as a live crawl does. Edges and nodes are the graph's
tables (``aggregator.exports.graph``); their columns are fixed here too.

Building is columnar (``Table.batch``): a column is a key path into a row dict, and the
columns whose values need no conversion are read by one ``pa.array`` call over the whole
batch of rows (a struct type made of those paths, then split into its fields), in C++
rather than one Python call per cell; only the few converted columns (timestamps, maps,
JSON text) go through Python, one list per column. ``Column.value`` is the same rule for
one row. The child tables ``authors``, ``references`` and ``affiliations`` take apart the
records table's own Arrow lists (``columnar.explode``), and ``mesh`` fills its column
lists in one pass over the terms, so no row dict is made for them.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from aggregator.exports.columnar import Paths, explode
from aggregator.records import (
    NOT_EXPORTED,
    ArticleRecord,
    Author,
    IsoInstant,
    MeshTerm,
    Reference,
    Review,
    data_fields,
)

__all__ = ["TABLES", "Column", "Table", "record_columns", "schema_markdown"]

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _instant(value: Any) -> datetime | None:
    # ISO 8601 UTC as the record writes it ("2026-11-25T19:25:18Z"); an unreadable one
    # would raise here, which a record written by this project never is.
    return None if value is None else datetime.fromisoformat(str(value))


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _optional(hint: Any) -> Any:
    """``X | None`` → ``X``; anything else unchanged."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def arrow_type(hint: Any) -> tuple[pa.DataType, Convert]:
    """The Arrow type of a type hint, and how a JSON value becomes an Arrow value."""
    hint = _optional(hint)
    if hint is IsoInstant:
        return pa.timestamp("us", tz="UTC"), _instant
    simple = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}
    if hint in simple:
        return simple[hint], _identity
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and len(args) == 1:
        inner, conv = arrow_type(args[0])
        if conv is _identity:
            return pa.list_(inner), _identity
        return pa.list_(inner), lambda v: None if v is None else [conv(x) for x in v]
    if origin is dict and len(args) == 2 and _optional(args[1]) is not Any:
        key, _ = arrow_type(args[0])
        value, conv = arrow_type(args[1])
        if conv is _identity:  # Arrow reads a dict as a map itself
            return pa.map_(key, value), _identity
        return pa.map_(key, value), (
            lambda v: None if v is None else [(k, conv(x)) for k, x in v.items()])
    if dataclasses.is_dataclass(hint):
        parts = [(f.name, *arrow_type(t)) for f, t in _fields(hint)]
        struct = pa.struct([(name, typ) for name, typ, _ in parts])
        if all(conv is _identity for _, _, conv in parts):
            return struct, _identity
        return struct, lambda v: None if v is None else {
            name: conv(v.get(name)) for name, _, conv in parts}
    return pa.string(), _json


def _fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name]) for f in data_fields(cls) if f.name not in NOT_EXPORTED]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, Arrow type, where its value comes from, how it converts."""

    name: str
    type: pa.DataType
    origin: str  # the record path it comes from, for the README
    path: tuple[str, ...]  # the keys leading to the value in a row dict
    convert: Convert = _identity

    def get(self, row: dict[str, Any]) -> Any:
        """The value at ``path`` in ``row`` (None where a step is missing)."""
        value: Any = row
        for key in self.path:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value

    def value(self, row: dict[str, Any]) -> Any:
        """The Arrow-ready value of this column in one row."""
        return self.convert(self.get(row))


def native_paths(columns: list[Column]) -> Paths | None:
    """The paths of the columns needing no conversion (read by one ``pa.array`` call)."""
    return Paths.of((c.path, c.type) for c in columns if c.convert is _identity)


def arrays_of(columns: list[Column], rows: list[dict[str, Any]],
              native: Paths | None) -> list[pa.Array]:
    """The Arrow arrays of ``columns`` over ``rows`` (``native``: ``native_paths``)."""
    leaves = native.leaves(rows) if native is not None else {}
    return [leaves[c.path] if c.convert is _identity else
            pa.array([c.convert(c.get(row)) for row in rows], type=c.type) for c in columns]


def _columns_of(cls: type, prefix: tuple[str, ...] = (), flatten: bool = True,
                rename: dict[str, str] | None = None) -> list[Column]:
    """Columns for the fields of a dataclass; nested dataclasses flattened as ``a_b``."""
    columns = []
    for f, hint in _fields(cls):
        path = (*prefix, f.name)
        inner = _optional(hint)
        if flatten and dataclasses.is_dataclass(inner):
            columns += _columns_of(inner, path, flatten, rename)
            continue
        typ, conv = arrow_type(hint)
        name = "_".join(path)
        name = (rename or {}).get(name, name)
        columns.append(Column(name, typ, ".".join(path), path, conv))
    return columns


def record_columns() -> list[Column]:
    """The ``records`` table: one column per record field, dataclasses flattened."""
    return _columns_of(ArticleRecord)


# --- tables --------------------------------------------------------------------------

Rows = Callable[[dict[str, Any]], Iterator[dict[str, Any]]]
Memo = dict[tuple[str, ...], pa.Array]
#: records -> the table's arrays, columnar (``memo``: the batch's record columns so far)
Build = Callable[[list[dict[str, Any]], Memo], list[pa.Array]]


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its columns and how what is added to it gives its rows.

    Added items are records for the record tables, rows for ``edges``/``nodes``.
    ``build`` makes the arrays from records directly (columnar); otherwise ``rows``
    turns an item into row dicts (None: the item is the row) that the columns read.
    """

    name: str
    columns: list[Column]
    doc: str
    rows: Rows | None = None
    build: Build | None = None
    native: Paths | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.build is None:
            object.__setattr__(self, "native", native_paths(self.columns))

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(c.name, c.type) for c in self.columns])

    def batch(self, added: list[dict[str, Any]], memo: Memo | None = None
              ) -> pa.RecordBatch:
        """The rows of ``added`` (records, or rows: see the class doc), in order.

        ``memo``: the arrays of record columns by path, shared by the record tables of
        one batch of records, so a list the ``records`` table converted (``authors``…)
        is not converted again for its own table.
        """
        memo = {} if memo is None else memo
        if self.build is not None:
            arrays = self.build(added, memo)
        else:
            rows = added if self.rows is None else [
                row for item in added for row in self.rows(item)]
            arrays = arrays_of(self.columns, rows, self.native)
            if self.rows is None:
                memo.update((c.path, a) for c, a in zip(self.columns, arrays, strict=True))
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def _record_array(column: Column, records: list[dict[str, Any]], memo: Memo) -> pa.Array:
    """A record column over the batch: the ``records`` table's array, or converted now."""
    array = memo.get(column.path)
    if array is None or array.type != column.type:
        array = memo[column.path] = arrays_of([column], records, native_paths([column]))[0]
    return array


def _key(name: str, typ: pa.DataType, origin: str) -> Column:
    return Column(name, typ, origin, (name,))


_PMID = _key("pmid", pa.string(), "pmid")
_POSITION = _key("position", pa.int64(), "index in the list, from 1")


def _child_columns(cls: type, field_name: str, rename: dict[str, str]) -> list[Column]:
    cols = []
    for c in _columns_of(cls, flatten=False):
        name = rename.get(c.name, c.name)
        cols.append(Column(name, c.type, f"{field_name}[].{c.origin}", c.path, c.convert))
    return cols


def _keyed(columns: list[Column]) -> list[Column]:
    """The child's own columns read their item; ``pmid`` and ``position`` the key."""
    return [_PMID, _POSITION, *columns]


_RECORD = {c.name: c for c in record_columns()}


def _items_of(own: list[Column], field_name: str) -> Build:
    """A child table of a record list: a row per item, keyed by pmid and position; its
    own columns are the item's fields (the list column's Arrow array, flattened)."""
    def build(records: list[dict[str, Any]], memo: Memo) -> list[pa.Array]:
        parents, positions, items = explode(_record_array(_RECORD[field_name], records, memo))
        fields = dict(zip((f.name for f in items.type), items.flatten(), strict=True))
        pmids = _record_array(_RECORD["pmid"], records, memo)
        return [pc.take(pmids, parents), positions, *[fields[c.path[0]] for c in own]]
    return build


def _affiliation_arrays(records: list[dict[str, Any]], memo: Memo) -> list[pa.Array]:
    """Two levels of items: each author's, then each of their affiliations."""
    authors_of, author_positions, authors = explode(
        _record_array(_RECORD["authors"], records, memo))
    fields = dict(zip((f.name for f in authors.type), authors.flatten(), strict=True))
    author_of, positions, texts = explode(fields["affiliations"])
    pmids = _record_array(_RECORD["pmid"], records, memo)
    return [pc.take(pmids, pc.take(authors_of, author_of)),
            pc.take(author_positions, author_of), positions, texts]


def _mesh_arrays(records: list[dict[str, Any]], memo: Memo) -> list[pa.Array]:
    """A row per (descriptor, qualifier), qualifier null when it has none: the column
    lists in one pass over the terms (no row dicts)."""
    pmid: list[Any] = []
    position: list[int] = []
    descriptor: list[Any] = []
    qualifier: list[Any] = []
    major: list[bool] = []
    descriptor_major: list[bool] = []
    for record in records:
        key = record["pmid"]
        for i, term in enumerate(record.get("mesh_terms") or [], 1):
            name, starred_term = term["descriptor"], bool(term.get("major"))
            starred = term.get("major_qualifiers") or ()
            for q in term.get("qualifiers") or [None]:
                pmid.append(key)
                position.append(i)
                descriptor.append(name)
                qualifier.append(q)
                major.append(starred_term or (q is not None and q in starred))
                descriptor_major.append(starred_term)
    values = (pmid, position, descriptor, qualifier, major, descriptor_major)
    return [pa.array(v, type=c.type)
            for v, c in zip(values, _MESH_COLUMNS, strict=True)]


def _review_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if record.get("is_review"):
        yield {"pmid": record["pmid"], "year": record.get("year"),
               "is_systematic_review": record.get("is_systematic_review"),
               **(record.get("review") or {})}


_REF_RENAME = {"pmid": "reference_pmid", "pmcid": "reference_pmcid", "doi": "reference_doi"}
_MESH_HINTS = {f.name: hint for f, hint in _fields(MeshTerm)}
#: The mesh table's columns, in the order ``_mesh_arrays`` fills them.
_MESH_COLUMNS = [
    _PMID, _key("position", pa.int64(), "index of the descriptor, from 1"),
    _key("descriptor", arrow_type(_MESH_HINTS["descriptor"])[0], "mesh_terms[].descriptor"),
    _key("qualifier", pa.string(), "one of mesh_terms[].qualifiers, or null"),
    _key("major", pa.bool_(), "a major topic: the descriptor starred, or this qualifier starred"),
    _key("descriptor_major", pa.bool_(), "mesh_terms[].major"),
]

#: Edge and node columns (the graph's tables; see aggregator.exports.graph).
EDGE_COLUMNS = [
    _key("source_pmid", pa.string(), "the citing (or lower, for similar) PMID"),
    _key("target_pmid", pa.string(), "the cited (or higher, for similar) PMID"),
    _key("relation", pa.string(), "`cites` or `similar`"),
    _key("depth", pa.int64(), "smallest depth of a record whose list holds the link"),
    _key("sources", pa.list_(pa.string()), "where the link came from (`pubmed`, `icite`)"),
    _key("source_in_records", pa.bool_(), "the source PMID is a record of this crawl"),
    _key("target_in_records", pa.bool_(), "the target PMID is a record of this crawl"),
]
NODE_COLUMNS = [
    _key("pmid", pa.string(), "pmid (every record, and every edge end)"),
    _key("in_records", pa.bool_(), "a record of this crawl (else only an edge end)"),
    _key("title", pa.string(), "title"),
    _key("year", pa.string(), "year"),
    _key("journal", pa.string(), "journal.abbreviation"),
    _key("first_author", pa.string(), "authors[0].name"),
    _key("is_review", pa.bool_(), "is_review"),
    _key("is_systematic_review", pa.bool_(), "is_systematic_review"),
    _key("review_type", pa.string(), "review.type"),
    _key("depth", pa.int64(), "provenance.depth"),
    _key("relation", pa.string(), "provenance.relation"),
]


def node_row(record: dict[str, Any]) -> dict[str, Any]:
    """The node attributes of a record."""
    authors = record.get("authors") or []
    prov = record.get("provenance") or {}
    return {"pmid": record["pmid"], "in_records": True, "title": record.get("title"),
            "year": record.get("year"),
            "journal": (record.get("journal") or {}).get("abbreviation"),
            "first_author": authors[0].get("name") if authors else None,
            "is_review": record.get("is_review"),
            "is_systematic_review": record.get("is_systematic_review"),
            "review_type": (record.get("review") or {}).get("type"),
            "depth": prov.get("depth"), "relation": prov.get("relation")}


def _tables() -> dict[str, Table]:
    review = _columns_of(Review, flatten=False)
    authors = _child_columns(Author, "authors", {})
    references = _child_columns(Reference, "references", _REF_RENAME)
    return {t.name: t for t in [
        Table("records", record_columns(),
              "one row per article; nested objects flattened as `<field>_<key>`"),
        Table("authors", _keyed(authors), "one row per author, `position` its rank",
              build=_items_of(authors, "authors")),
        Table("affiliations", [
            _PMID, _key("author_position", pa.int64(), "the author's `position`"),
            _key("position", pa.int64(), "index in the author's affiliations, from 1"),
            _key("affiliation", pa.string(), "authors[].affiliations[]")],
            "one row per (author, affiliation)", build=_affiliation_arrays),
        Table("mesh", _MESH_COLUMNS,
              "one row per descriptor/qualifier pair (qualifier null when none)",
              build=_mesh_arrays),
        Table("references", _keyed(references), "one row per reference, in the article's order",
              build=_items_of(references, "references")),
        Table("review", [
            _PMID, _key("year", pa.string(), "year"),
            _key("is_systematic_review", pa.bool_(), "is_systematic_review"),
            *[Column(c.name, c.type, f"review.{c.origin}", c.path, c.convert) for c in review]],
            "one row per review (`is_review` true) with its facts", rows=_review_rows),
        Table("edges", EDGE_COLUMNS,
              "the citation/similarity graph, deduplicated (see below)"),
        Table("nodes", NODE_COLUMNS,
              "every record and every edge end, with attributes for networkx/Gephi"),
    ]}


#: Every table by name, in file order. ``edges``/``nodes`` rows come from the graph pass.
TABLES: dict[str, Table] = _tables()
#: Tables whose rows come from each record as it is read.
RECORD_TABLES = ("records", "authors", "affiliations", "mesh", "references", "review")


def _type_name(typ: pa.DataType) -> str:
    return str(typ).replace("<item: ", "<").replace("timestamp[us, tz=UTC]", "timestamp (UTC)")


def schema_markdown() -> str:
    """The README's table of every Parquet table and column (generated, not written)."""
    lines = ["| table | column | Arrow type | from the record |", "|---|---|---|---|"]
    for table in TABLES.values():
        for i, column in enumerate(table.columns):
            label = f"`{table.name}`" if i == 0 else ""
            origin = column.origin if " " in column.origin else f"`{column.origin}`"
            lines.append(f"| {label} | `{column.name}` | `{_type_name(column.type)}` "
                         f"| {origin} |")
    return "\n".join(lines)


SCHEMA_BEGIN = "<!-- parquet-schema:begin (generated: python -m aggregator.exports.tables) -->"
SCHEMA_END = "<!-- parquet-schema:end -->"


def main(argv: list[str] | None = None) -> int:
    """Rewrite the README's schema table from the record model (``--check``: compare)."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m aggregator.exports.tables")
    parser.add_argument("readme", nargs="?", default="README.md")
    parser.add_argument("--check", action="store_true", help="exit 1 if the README differs")
    opts = parser.parse_args(argv)
    path = Path(opts.readme)
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(SCHEMA_BEGIN)
    _, _, tail = rest.partition(SCHEMA_END)
    new = f"{head}{SCHEMA_BEGIN}\n{schema_markdown()}\n{SCHEMA_END}{tail}"
    if opts.check:
        return 0 if new == text else 1
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
