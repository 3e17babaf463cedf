"""Arrow building blocks for the analysts' tables (``aggregator.exports.tables``).

Converting Python values to Arrow one cell at a time costs a Python call per cell; these
helpers convert whole batches in pyarrow's C++ instead:

- ``Paths``: many key paths into row dicts read by one ``pa.array`` call (a struct type
  made of the paths), then split into one array per path;
- ``explode``: the items of a list array as rows, with the index of the list each came
  from and the item's position in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Paths", "explode"]

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Paths:
    """Key paths into row dicts, each with its Arrow type, as one struct type."""

    type: pa.StructType
    tree: dict[str, Any]  # key -> a sub-tree (dict), or the Arrow type of a path (a leaf)

    @classmethod
    def of(cls, typed: Iterable[tuple[Path, pa.DataType]]) -> Paths | None:
        """The struct of these (path, type) pairs (None: no pairs)."""
        tree: dict[str, Any] = {}
        for path, typ in typed:
            node = tree
            for key in path[:-1]:
                node = node.setdefault(key, {})
                if not isinstance(node, dict):
                    raise ValueError(f"{path} goes through another path's value")
            if isinstance(node.get(path[-1]), dict):
                raise ValueError(f"{path} is the start of another path")
            node[path[-1]] = typ

        def struct(node: dict[str, Any]) -> pa.StructType:
            return pa.struct([(key, struct(sub) if isinstance(sub, dict) else sub)
                              for key, sub in node.items()])
        return cls(struct(tree), tree) if tree else None

    def leaves(self, rows: list[dict[str, Any]]) -> dict[Path, pa.Array]:
        """Each path's array over ``rows``: one conversion, then split.

        A missing key gives a null, as does a path under a null (``journal`` null:
        ``journal.title`` null); a value of the wrong type raises, as ``pa.array`` does.
        """
        out: dict[Path, pa.Array] = {}

        def split(array: pa.StructArray, tree: dict[str, Any], path: Path) -> None:
            # flatten() carries a null parent down to its fields (StructArray.field not)
            for (key, sub), child in zip(tree.items(), array.flatten(), strict=True):
                if isinstance(sub, dict):
                    split(child, sub, (*path, key))
                else:
                    out[(*path, key)] = child
        split(pa.array(rows, type=self.type), self.tree, ())
        return out


def explode(lists: pa.ListArray) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Every item of every list, in order, with the index of its list (``parents``) and
    its position in it from 1; a null or empty list gives none."""
    parents = pc.list_parent_indices(lists)
    lengths = pc.fill_null(pc.list_value_length(lists), 0)
    starts = pc.subtract(pc.cumulative_sum(lengths), lengths)
    index = pa.array(range(1, len(parents) + 1), type=pa.int64())
    positions = pc.subtract(index, pc.take(starts, parents))
    return parents, positions, pc.list_flatten(lists)
