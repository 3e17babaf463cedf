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
one row.
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


@dataclass(frozen=True, slots=True)
class Native:
    """The unconverted columns of a table as one struct type over its row dicts."""

    type: pa.StructType
    tree: dict[str, Any]  # key -> a sub-tree (dict), or a column's Arrow type (a leaf)

    @classmethod
    def of(cls, columns: list[Column]) -> Native | None:
        """The struct of the paths of ``columns`` needing no conversion (None: none)."""
        tree: dict[str, Any] = {}
        for column in columns:
            if column.convert is not _identity:
                continue
            node = tree
            for key in column.path[:-1]:
                node = node.setdefault(key, {})
                if not isinstance(node, dict):
                    raise ValueError(f"{column.name}: {column.path} crosses another column")
            if isinstance(node.get(column.path[-1]), dict):
                raise ValueError(f"{column.name}: {column.path} is another column's prefix")
            node[column.path[-1]] = column.type

        def struct(node: dict[str, Any]) -> pa.StructType:
            return pa.struct([(key, struct(sub) if isinstance(sub, dict) else sub)
                              for key, sub in node.items()])
        return cls(struct(tree), tree) if tree else None

    def leaves(self, rows: list[dict[str, Any]]) -> dict[tuple[str, ...], pa.Array]:
        """Each column's array by its path: one conversion of the rows, then split."""
        out: dict[tuple[str, ...], pa.Array] = {}

        def split(array: pa.StructArray, tree: dict[str, Any], path: tuple[str, ...]) -> None:
            # flatten() carries a null parent (``journal`` null) down to its fields
            for (key, sub), child in zip(tree.items(), array.flatten(), strict=True):
                if isinstance(sub, dict):
                    split(child, sub, (*path, key))
                else:
                    out[(*path, key)] = child
        split(pa.array(rows, type=self.type), self.tree, ())
        return out


def arrays_of(columns: list[Column], rows: list[dict[str, Any]],
              native: Native | None) -> list[pa.Array]:
    """The Arrow arrays of ``columns`` over ``rows`` (``native``: ``Native.of(columns)``)."""
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


#: The first columns of a table of list items (``Table.items``): ``pmid``, ``position``.
_KEYS = 2


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its columns (over row dicts) and how what is added gives its rows.

    Added items are records for the record tables, rows for ``edges``/``nodes``:
    ``rows`` turns an item into its rows (None: the item is the row); ``items`` is the
    record's list column whose items are the rows, keyed by the record's ``pmid`` and a
    ``position`` from 1 (the first two columns; the others are the item's fields, taken
    from that column's Arrow array).
    """

    name: str
    columns: list[Column]
    rows: Rows | None
    doc: str
    items: Column | None = None  # the record's list column whose items are the rows
    native: Native | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.items is None:
            object.__setattr__(self, "native", Native.of(self.columns))

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(c.name, c.type) for c in self.columns])

    def batch(self, added: list[dict[str, Any]],
              memo: dict[tuple[str, ...], pa.Array] | None = None) -> pa.RecordBatch:
        """The rows of ``added`` (records, or rows: see the class doc), in order.

        ``memo``: arrays of record columns by path, shared by the record tables of one
        batch of records, so a list the ``records`` table converted (``authors``…) is
        not converted again for its own table.
        """
        if self.items is not None:
            arrays = self._item_arrays(added, {} if memo is None else memo)
        else:
            rows = added if self.rows is None else [
                row for item in added for row in self.rows(item)]
            arrays = arrays_of(self.columns, rows, self.native)
            if memo is not None and self.rows is None:
                memo.update((c.path, a) for c, a in zip(self.columns, arrays, strict=True))
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def _item_arrays(self, records: list[dict[str, Any]],
                     memo: dict[tuple[str, ...], pa.Array]) -> list[pa.Array]:
        source = self.items
        assert source is not None
        lists = memo.get(source.path)
        if lists is None or lists.type != source.type:
            lists = pa.array([source.value(r) for r in records], type=source.type)
        pmids = memo.get(("pmid",))
        if pmids is None or pmids.type != pa.string():
            pmids = pa.array([r["pmid"] for r in records], type=pa.string())
        # one row per item of every non-empty list, in order; the key from its record
        parents = pc.list_parent_indices(lists)
        lengths = pc.fill_null(pc.list_value_length(lists), 0)
        starts = pc.subtract(pc.cumulative_sum(lengths), lengths)
        index = pa.array(range(1, len(parents) + 1), type=pa.int64())
        positions = pc.subtract(index, pc.take(starts, parents))
        items = pc.list_flatten(lists)
        fields = dict(zip((f.name for f in items.type), items.flatten(), strict=True))
        return [pc.take(pmids, parents), positions,
                *[fields[c.path[0]] for c in self.columns[_KEYS:]]]


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


def _affiliation_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for a, author in enumerate(record.get("authors") or [], 1):
        for i, text in enumerate(author.get("affiliations") or [], 1):
            yield {"pmid": record["pmid"], "author_position": a, "position": i,
                   "affiliation": text}


def _mesh_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for i, term in enumerate(record.get("mesh_terms") or [], 1):
        base = {"pmid": record["pmid"], "position": i, "descriptor": term["descriptor"],
                "descriptor_major": bool(term.get("major"))}
        qualifiers = term.get("qualifiers") or []
        starred = set(term.get("major_qualifiers") or [])
        if not qualifiers:
            yield {**base, "qualifier": None, "major": base["descriptor_major"]}
        for q in qualifiers:
            yield {**base, "qualifier": q, "major": base["descriptor_major"] or q in starred}


def _review_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if record.get("is_review"):
        yield {"pmid": record["pmid"], "year": record.get("year"),
               "is_systematic_review": record.get("is_systematic_review"),
               **(record.get("review") or {})}


_REF_RENAME = {"pmid": "reference_pmid", "pmcid": "reference_pmcid", "doi": "reference_doi"}

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
    mesh_hints = {f.name: hint for f, hint in _fields(MeshTerm)}
    lists = {c.name: c for c in record_columns()}
    return {t.name: t for t in [
        Table("records", record_columns(), None,
              "one row per article; nested objects flattened as `<field>_<key>`"),
        Table("authors", _keyed(_child_columns(Author, "authors", {})), None,
              "one row per author, `position` its rank", items=lists["authors"]),
        Table("affiliations", [
            _PMID, _key("author_position", pa.int64(), "the author's `position`"),
            _key("position", pa.int64(), "index in the author's affiliations, from 1"),
            _key("affiliation", pa.string(), "authors[].affiliations[]")],
            _affiliation_rows, "one row per (author, affiliation)"),
        Table("mesh", [
            _PMID, _key("position", pa.int64(), "index of the descriptor, from 1"),
            _key("descriptor", arrow_type(mesh_hints["descriptor"])[0],
                 "mesh_terms[].descriptor"),
            _key("qualifier", pa.string(), "one of mesh_terms[].qualifiers, or null"),
            _key("major", pa.bool_(),
                 "a major topic: the descriptor starred, or this qualifier starred"),
            _key("descriptor_major", pa.bool_(), "mesh_terms[].major")],
            _mesh_rows, "one row per descriptor/qualifier pair (qualifier null when none)"),
        Table("references", _keyed(_child_columns(Reference, "references", _REF_RENAME)),
              None, "one row per reference, in the article's order",
              items=lists["references"]),
        Table("review", [
            _PMID, _key("year", pa.string(), "year"),
            _key("is_systematic_review", pa.bool_(), "is_systematic_review"),
            *[Column(c.name, c.type, f"review.{c.origin}", c.path, c.convert) for c in review]],
            _review_rows, "one row per review (`is_review` true) with its facts"),
        Table("edges", EDGE_COLUMNS, None,
              "the citation/similarity graph, deduplicated (see below)"),
        Table("nodes", NODE_COLUMNS, None,
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
