"""The analysts' datasets of one job, built when the crawl closes from its record store.

Three streaming passes, each in bounded memory:

1. the records: every table of ``tables.RECORD_TABLES`` gets its rows (Parquet, in row
   groups), each record's node row goes to ``nodes``, and its edges (``flatten.edges_of``,
   only the relations followed unless ``AGGREGATOR_EDGES_UNFOLLOWED``) to a raw edge file;
2. ``edges.dedupe_edges`` on that file (packed keys, partitioned);
3. the graph: each kept edge gets ``source_in_records`` / ``target_in_records`` (a PMID
   bitmap of the records) and goes to ``edges.jsonl`` and ``edges.parquet``; edge ends
   outside the records become ``nodes`` rows with ``in_records`` false.

Because everything is rebuilt from the record store (exports/store.py, which a resumed
crawl completes), a killed and resumed crawl ends with the same datasets as an
uninterrupted one.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from aggregator.config import Config
from aggregator.crawl.pmidset import PmidTextSet
from aggregator.exports.edges import dedupe_edges
from aggregator.exports.flatten import edges_of
from aggregator.exports.parquet import (
    ROW_GROUP_RECORDS,
    ROW_GROUP_ROWS,
    RecordTablesWriter,
    TableWriter,
)
from aggregator.exports.tables import RECORD_TABLES, TABLES, node_row

__all__ = ["PARQUET_TABLES", "build_datasets"]

#: Parquet tables written per job, in this order (file ``<prefix>-<name>.parquet``).
PARQUET_TABLES = (*RECORD_TABLES, "edges", "nodes")


def build_datasets(records: Iterable[dict[str, Any]], parquet: dict[str, Path] | None,
                   edges_jsonl: Path | None, relations: Collection[str] | None
                   ) -> dict[str, int]:
    """Write the Parquet tables (``parquet``: table name -> path, None for none) and the
    deduplicated ``edges_jsonl`` from ``records``; returns counts for the manifest.

    ``relations``: the lists whose links become edges (None: every list).
    """
    parquet = parquet or {}
    counts: dict[str, int] = {}
    writers: dict[str, TableWriter] = {}
    raw = _raw_path(edges_jsonl, parquet)
    try:
        for name, path in parquet.items():
            # the record tables are fed by record_tables below, edges and nodes row by row;
            # a records row group is 2,000 records (large rows), the others 20,000 rows
            group = ROW_GROUP_RECORDS if name == "records" else ROW_GROUP_ROWS
            writers[name] = TableWriter(TABLES[name], path, ROW_GROUP_ROWS, group)
        record_tables = RecordTablesWriter(
            [writers[name] for name in RECORD_TABLES if name in writers], ROW_GROUP_RECORDS)
        members = PmidTextSet()
        # pass 1: records -> record tables, nodes, raw edges
        with raw.open("w", encoding="utf-8") as raw_edges:
            for record in records:
                members.add(str(record["pmid"]))
                record_tables.add(record)
                if "nodes" in writers:
                    writers["nodes"].add(node_row(record))
                for edge in edges_of(record, relations):
                    raw_edges.write(json.dumps(edge, ensure_ascii=False) + "\n")
        record_tables.flush()
        counts["records"] = len(members)
        # pass 2: dedupe in bounded memory
        kept, removed = dedupe_edges(raw)
        counts.update(kept)
        counts["edges/duplicates_removed"] = removed
        # pass 3: the graph
        outside = array("Q")
        other: set[str] = set()  # non-numeric edge ends (none from PubMed)
        out = edges_jsonl.open("w", encoding="utf-8") if edges_jsonl else None
        try:
            with raw.open("rb") as src:
                for line in src:
                    edge = json.loads(line)
                    edge["source_in_records"] = edge["source_pmid"] in members
                    edge["target_in_records"] = edge["target_pmid"] in members
                    for end in ("source", "target"):
                        if not edge[f"{end}_in_records"]:
                            pmid = edge[f"{end}_pmid"]
                            counts[f"edges/{end}_outside_records"] = counts.get(
                                f"edges/{end}_outside_records", 0) + 1
                            if pmid.isdigit() and int(pmid) < 1 << 63:
                                outside.append(int(pmid))
                            else:
                                other.add(pmid)
                    if out is not None:
                        out.write(json.dumps(edge, ensure_ascii=False) + "\n")
                    if "edges" in writers:
                        writers["edges"].add(edge)
        finally:
            if out is not None:
                out.close()
        if "nodes" in writers:
            nodes = writers["nodes"]
            outside_nodes = _unique_sorted(outside)
            del outside
            for start in range(0, len(outside_nodes), ROW_GROUP_ROWS):
                for pmid in outside_nodes.slice(start, ROW_GROUP_ROWS).to_pylist():
                    nodes.add({"pmid": str(pmid), "in_records": False})
            for pmid in sorted(other):
                nodes.add({"pmid": pmid, "in_records": False})
            counts["nodes/outside_records"] = len(outside_nodes) + len(other)
        for name, writer in writers.items():
            writer.close()
            counts[f"parquet/{name}"] = writer.rows
        writers.clear()
    finally:
        for writer in writers.values():
            writer.abort()
        raw.unlink(missing_ok=True)
    return counts


def _raw_path(edges_jsonl: Path | None, parquet: dict[str, Path]) -> Path:
    """A scratch file beside the outputs for the raw (repeated) edges."""
    base = edges_jsonl or next(iter(parquet.values()), None) or Path("edges")
    return base.with_name(base.name + ".raw")


def _unique_sorted(values: array) -> pa.Array:
    """Sorted distinct values, deduplicated in Arrow (8-16 bytes a value, no Python set)."""
    column = pa.Array.from_buffers(pa.uint64(), len(values), [None, pa.py_buffer(values)])
    unique = pc.unique(column)
    return pc.take(unique, pc.sort_indices(unique))



class JobDatasets:
    """The datasets of one job for the side-output extension, built at close.

    ``AGGREGATOR_WRITE_PARQUET`` (default on) writes the Parquet tables;
    ``AGGREGATOR_WRITE_EDGES`` the edge list; ``AGGREGATOR_EDGES_UNFOLLOWED`` (default
    off) keeps the links of lists the crawl did not follow (e.g. ``similar`` edges of a
    ``follow=references,cited_by`` crawl): off by default, since such edges describe a
    graph the crawl did not explore and would mislead a network analysis.
    """

    def __init__(self, config: Config, spider: Any, outdir: Path, prefix: str,
                 edges: bool) -> None:
        self.parquet = {name: outdir / f"{prefix}-{name}.parquet" for name in PARQUET_TABLES
                        } if config.write_parquet else {}
        self.edges = outdir / f"{prefix}-edges.jsonl" if edges else None
        follow = [getattr(r, "value", r) for r in getattr(getattr(spider, "args", None),
                                                           "follow", ()) or ()]
        self.unfollowed = config.edges_unfollowed
        every = ("references", "cited_by", "similar")
        self.relations = None if self.unfollowed else [r for r in every if r in follow]

    @property
    def files(self) -> dict[str, Path]:
        """The outputs, keyed as in the manifest."""
        out = {f"parquet/{name}": path for name, path in self.parquet.items()}
        if self.edges is not None:
            out["edges"] = self.edges
        return out

    def build(self, records: Iterable[dict[str, Any]]) -> dict[str, int]:
        """Build everything from every record of the crawl (``spool_dict`` form)."""
        return build_datasets(records, self.parquet, self.edges, self.relations)

    def manifest(self) -> dict[str, Any]:
        """Which lists gave edges, and which were left out."""
        every = ["references", "cited_by", "similar"]
        kept = every if self.relations is None else self.relations
        return {"from_lists": kept, "left_out": [r for r in every if r not in kept],
                "unfollowed_kept": self.unfollowed}
