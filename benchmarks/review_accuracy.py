"""Precision and recall of ``extract_review``: on the real labelled corpus and on the snippets.

Usage: ``python benchmarks/review_accuracy.py [--parts dev,holdout[,holdout2][,holdout3]]
[--no-synthetic] [--compare-with REF]`` — prints

- for each part of the real corpus (``tests/fixtures/review_corpus``: real PubMed abstracts,
  labelled by someone who does not change the extractor; ``dev`` is the part the extractor may
  be tuned on, ``holdout``, ``holdout2`` and ``holdout3`` are scored only to report): a
  Markdown table per field and overall,
  the controls given a count (the target is none) and the misses with their pmid;
- for the synthetic snippets (``tests/review_cases.py``, labelled set and hold-out): the same
  table, the trap score (tempting wording correctly left null) and the misses;
- the CPU time per call, on the real abstracts and on the snippets;
- with ``--compare-with REF`` (a git ref, e.g. ``main``): the CPU per real record and the
  overall precision / recall per part of this tree and of ``aggregator/`` at REF, each measured
  in its own fresh process, alternately, three times (min kept): same conditions for both.

Scoring: scalar fields score one true positive when the value read equals the label, one
false positive when a value is read that differs from the label (or where the label is
null), one false negative when a labelled value is not read exactly. List fields
(study_designs, databases) are scored item by item.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
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
from benchmarks.review_corpus import (  # noqa: E402
    LIST_FIELDS,
    PARTS,
    SCALAR_FIELDS,
    CorpusItem,
    load_corpus,
)


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


# --------------------------------------------------------------------------- real corpus


def run_item(item: CorpusItem) -> Review:
    """``extract_review`` on one real record of the corpus, its sections as in the source."""
    sections = [AbstractSection(label, text) for label, text in item.abstract]
    return extract_review(item.title, sections, list(item.publication_types))


def _same(want: Any, have: Any) -> bool:
    if isinstance(want, str) and isinstance(have, str):
        return " ".join(want.split()) == " ".join(have.split())
    return want == have


def score_corpus(items: list[CorpusItem]) -> dict[str, Any]:
    """Per-field :class:`Counts` on real records, the overall counts, the controls given a
    count (``studies_included`` or ``participants``) and the misses ("pmid.field: …")."""
    per_field = {f: Counts() for f in (*SCALAR_FIELDS, *LIST_FIELDS)}
    misses: list[str] = []
    counted_controls: list[str] = []
    for item in items:
        got = run_item(item)
        for f in SCALAR_FIELDS:
            want, have = item.expected[f], getattr(got, f)
            c = per_field[f]
            if _same(want, have):
                c.tp += have is not None
            else:
                c.fp += have is not None
                c.fn += want is not None
                misses.append(f"{item.pmid}.{f}: expected {want!r}, got {have!r}")
        for f in LIST_FIELDS:
            want, have = set(item.expected[f]), set(getattr(got, f))
            c = per_field[f]
            c.tp += len(want & have)
            c.fp += len(have - want)
            c.fn += len(want - have)
            if want != have:
                misses.append(f"{item.pmid}.{f}: expected {sorted(want)}, got {sorted(have)}")
        if item.is_control and (got.studies_included is not None or got.participants is not None):
            counted_controls.append(
                f"{item.pmid}: studies_included={got.studies_included!r}, "
                f"participants={got.participants!r}")
    overall = Counts(sum(c.tp for c in per_field.values()),
                     sum(c.fp for c in per_field.values()),
                     sum(c.fn for c in per_field.values()))
    return {"fields": per_field, "overall": overall, "misses": misses,
            "counted_controls": counted_controls,
            "records": len(items), "controls": sum(1 for i in items if i.is_control)}


def report_corpus(part: str, items: list[CorpusItem]) -> dict[str, Any]:
    """Print one part's table, the controls given a count and the misses."""
    result = score_corpus(items)
    print(f"### Real corpus, {part}: {result['records']} records "
          f"({result['records'] - result['controls']} reviews, {result['controls']} controls)\n")
    print(markdown(result))
    counted = result["counted_controls"]
    print(f"\nControls given a count: {len(counted)} of {result['controls']}")
    for line in counted:
        print(f"- control with a count: {line}")
    for line in result["misses"]:
        print(f"- miss: {line}")
    print()
    return result


def cpu_per_call(fn: Any, inputs: list[Any], number: int = 20) -> float:
    """Microseconds of CPU per call of ``fn`` over ``inputs`` (min of 5 runs)."""
    seconds = min(timeit.repeat(lambda: [fn(x) for x in inputs], number=number, repeat=5,
                                timer=time.process_time))
    return seconds / number / len(inputs) * 1e6


#: Targets of issue 18 on the real corpus.
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.85
RECALL_FIELDS = ("studies_included", "participants", "databases")


def measure() -> list[Any]:
    """``make bench`` figures (``benchmarks.run``): per corpus part the lowest precision over
    the fields, the lowest recall of studies_included / participants / databases, the
    controls given a count; and the CPU per real record."""
    from benchmarks.common import Figure, at_least, at_most  # the bench-only helpers

    figures: list[Any] = []
    everything: list[CorpusItem] = []
    for part in PARTS:  # every part, each reported apart (PARTS grows as parts are added)
        items = load_corpus(part)
        everything += items
        result = score_corpus(items)
        fields = result["fields"]
        worst = min(fields, key=lambda f: fields[f].precision)
        figures.append(at_least(
            f"12. review facts, real corpus {part}: lowest precision over the fields",
            fields[worst].precision, PRECISION_TARGET,
            f"{worst} lowest; " + ", ".join(f"{f} {c.precision:.2f}" for f, c in fields.items()),
            f"{len(items)} records"))
        worst = min(RECALL_FIELDS, key=lambda f: fields[f].recall)
        figures.append(at_least(
            f"12. review facts, real corpus {part}: lowest recall of "
            "studies_included/participants/databases", fields[worst].recall, RECALL_TARGET,
            ", ".join(f"{f} {fields[f].tp}/{fields[f].tp + fields[f].fn}"
                      for f in RECALL_FIELDS)))
        figures.append(at_most(
            f"12. review facts, real corpus {part}: controls given a count",
            len(result["counted_controls"]), 0, f"of {result['controls']} controls"))
    micros = cpu_per_call(run_item, everything, 5)
    figures.append(Figure("12. review facts: CPU per real record", micros, "reported", None,
                          f"{micros:.0f} µs CPU per call over {len(everything)} records"))
    return figures


def _measure_json(parts: list[str]) -> dict[str, Any]:
    """CPU per real record and overall precision / recall per part, for ``--compare-with``."""
    loaded = {part: load_corpus(part) for part in parts}
    items = [i for part in parts for i in loaded[part]]
    out: dict[str, Any] = {"cpu": cpu_per_call(run_item, items, 10)}
    for part in parts:
        overall = score_corpus(loaded[part])["overall"]
        out[part] = [round(overall.precision, 3), round(overall.recall, 3)]
    return out


def _extract_ref(ref: str, into: str) -> None:
    """``aggregator/`` as it is at git ``ref``, written under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "aggregator"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def compare_with(ref: str, parts: list[str], rounds: int = 3) -> None:
    """Print this tree's and ``ref``'s CPU per real record and overall scores, side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        _extract_ref(ref, tmp)
        trees = {"this tree": str(ROOT), ref: tmp + os.pathsep + str(ROOT)}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for _ in range(rounds):
            for name, path in trees.items():
                env = {**os.environ, "PYTHONPATH": path}
                done = subprocess.run(
                    [sys.executable, __file__, "--parts", ",".join(parts), "--json"],
                    check=True, capture_output=True, text=True, env=env)
                runs[name].append(json.loads(done.stdout))
    print(f"### Compared with {ref} ({'+'.join(parts)}, {rounds} alternate runs each)\n")
    print("| tree | µs CPU per real record (min) | "
          + " | ".join(f"{p} precision / recall" for p in parts) + " |")
    print("|---|---:|" + "---:|" * len(parts))
    for name, results in runs.items():
        cpu = min(r["cpu"] for r in results)
        scores = " | ".join(f"{results[0][p][0]:.3f} / {results[0][p][1]:.3f}" for p in parts)
        print(f"| {name} | {cpu:.1f} | {scores} |")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default="dev,holdout",
                        help=f"comma-separated corpus parts to score ({', '.join(PARTS)}); "
                        "'' for none")
    parser.add_argument("--no-synthetic", action="store_true",
                        help="leave out the synthetic snippets")
    parser.add_argument("--compare-with", metavar="REF",
                        help="also measure aggregator/ at this git ref (CPU, overall scores)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    parts = [p for p in opts.parts.split(",") if p]
    if opts.json:  # one measurement for --compare-with, in a fresh process
        print(json.dumps(_measure_json(parts)))
        return
    scored: list[CorpusItem] = []
    for part in parts:
        items = load_corpus(part)
        report_corpus(part, items)
        scored += items
    cases: list[Any] = []
    if not opts.no_synthetic:
        module = load_cases()
        report("Synthetic labelled set (tests/review_cases.py CASES)", module.CASES, module)
        report("Synthetic hold-out set (HOLDOUT)", module.HOLDOUT, module)
        cases = module.CASES + module.HOLDOUT
    if scored:
        print(f"Time: {cpu_per_call(run_item, scored, 10):.1f} µs CPU per real record "
              f"({'+'.join(parts)}, min of 5 runs)")
    if cases:
        print(f"Time: {cpu_per_call(run_case, cases):.1f} µs CPU per snippet (min of 5 runs)")
    if opts.compare_with and parts:
        print()
        compare_with(opts.compare_with, parts)


if __name__ == "__main__":
    main()
