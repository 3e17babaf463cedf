"""Precision and recall of ``extract_review`` on the labelled snippets (tests/review_cases.py).

Usage: ``python benchmarks/review_accuracy.py`` — prints, for the labelled set and for the
hold-out set, a Markdown table per field and overall, the trap score (tempting wording
correctly left null) and the misses; then the CPU time per call.

Scoring: scalar fields score one true positive when the value read equals the label, one
false positive when a value is read that differs from the label (or where the label is
null), one false negative when a labelled value is not read exactly. List fields
(study_designs, databases) are scored item by item.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import timeit
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aggregator.records import AbstractSection, Review  # noqa: E402
from aggregator.review_facts import extract_review  # noqa: E402


def load_cases() -> ModuleType:
    """tests/review_cases.py, loaded by path (tests/ need not be a package)."""
    path = ROOT / "tests" / "review_cases.py"
    spec = importlib.util.spec_from_file_location("review_cases", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("review_cases", module)
    spec.loader.exec_module(module)
    return module


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def run_case(case: Any) -> Review:
    """``extract_review`` on one labelled case (a ``review_cases.Case``)."""
    section = AbstractSection(case.label, case.text)
    return extract_review(case.title, [section], list(case.publication_types))


def score(
    cases: list[Any], scalar_fields: tuple[str, ...], list_fields: tuple[str, ...]
) -> dict[str, Any]:
    """Per-field :class:`Counts`, the overall counts, trap results and the misses."""
    per_field = {f: Counts() for f in (*scalar_fields, *list_fields)}
    traps_ok = traps_total = 0
    misses: list[str] = []
    for case in cases:
        got = run_case(case)
        for f in scalar_fields:
            want, have = getattr(case, f), getattr(got, f)
            c = per_field[f]
            if have == want:
                c.tp += have is not None
            else:
                if have is not None:
                    c.fp += 1
                if want is not None:
                    c.fn += 1
                misses.append(f"{case.name}.{f}: expected {want!r}, got {have!r}")
        for f in list_fields:
            want, have = set(getattr(case, f)), set(getattr(got, f))
            c = per_field[f]
            c.tp += len(want & have)
            c.fp += len(have - want)
            c.fn += len(want - have)
            if want != have:
                misses.append(f"{case.name}.{f}: expected {sorted(want)}, got {sorted(have)}")
        for f in case.traps:
            traps_total += 1
            traps_ok += getattr(got, f) in (None, [])
    overall = Counts(sum(c.tp for c in per_field.values()),
                     sum(c.fp for c in per_field.values()),
                     sum(c.fn for c in per_field.values()))
    return {"fields": per_field, "overall": overall, "traps": (traps_ok, traps_total),
            "misses": misses}


def markdown(result: dict[str, Any]) -> str:
    """The per-field and overall table, in Markdown."""
    rows = ["| field | TP | FP | FN | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for name, c in [*result["fields"].items(), ("**overall**", result["overall"])]:
        rows.append(f"| {name} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.3f} | "
                    f"{c.recall:.3f} |")
    return "\n".join(rows)


def report(title: str, cases: list[Any], module: ModuleType) -> None:
    """Print one labelled set's table, trap score and misses."""
    result = score(cases, module.SCALAR_FIELDS, module.LIST_FIELDS)
    ok, total = result["traps"]
    n_trap_cases = sum(1 for c in cases if c.traps)
    print(f"### {title}: {len(cases)} cases, {n_trap_cases} with traps\n")
    print(markdown(result))
    print(f"\nTraps left null: {ok}/{total}")
    for line in result["misses"]:
        print(f"- miss: {line}")
    print()


def main() -> None:
    module = load_cases()
    report("Labelled set (tests/review_cases.py CASES)", module.CASES, module)
    report("Hold-out set (HOLDOUT)", module.HOLDOUT, module)
    cases = module.CASES + module.HOLDOUT
    seconds = min(timeit.repeat(lambda: [run_case(c) for c in cases], number=20, repeat=5,
                                timer=time.process_time))
    print(f"Time: {seconds / 20 / len(cases) * 1e6:.1f} µs CPU per snippet (min of 5 runs)")


if __name__ == "__main__":
    main()
