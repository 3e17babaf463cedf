"""The labelled corpus of real PubMed abstracts for ``aggregator.review.extract_review``.

``tests/fixtures/review_corpus/`` holds the records (``corpus.jsonl``: pmid, title, publication
types, abstract sections, provenance), the hand-written labels (``labels.jsonl``: every Review
field, its supporting sentence, ``is_control``, ``note``) and the parts (``split.json``: a
seeded dev / hold-out split, and a second, a third and a fourth hold-out part added later).
See that folder's README for the sources and the labelling conventions.

``load_corpus(part)`` joins records with their labels, for ``review_accuracy.py`` to score later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "tests" / "fixtures" / "review_corpus"

SCALAR_FIELDS = ("type", "studies_included", "participants", "search_period", "registration",
                 "guideline")
LIST_FIELDS = ("study_designs", "databases")
FIELDS = SCALAR_FIELDS + LIST_FIELDS
# "dev" may be tuned on; "holdout" was scored once after the fixes (spent); "holdout2",
# "holdout3" and "holdout4" were added later by labellers, unseen by whoever changes the
# extractor, each for a fresh final score (each has had it, once, see the project README:
# every part is now spent).
PARTS = ("dev", "holdout", "holdout2", "holdout3", "holdout4")


@dataclass(frozen=True)
class CorpusItem:
    """One real PubMed record and what a careful reader takes from its abstract."""

    pmid: str
    title: str | None
    publication_types: tuple[str, ...]
    abstract: tuple[tuple[str | None, str], ...]  # (label, text) per section, as in the source
    provenance: dict[str, Any]
    is_control: bool
    expected: dict[str, Any]  # every field of FIELDS (None / [] where the abstract states none)
    evidence: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    part: str = ""


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_split(directory: Path = CORPUS_DIR) -> dict[str, list[str]]:
    with (directory / "split.json").open(encoding="utf-8") as f:
        return json.load(f)


def load_corpus(part: str | None = None, directory: Path = CORPUS_DIR) -> list[CorpusItem]:
    """Records joined with their labels: ``part`` one of PARTS or None (all), corpus order."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be one of {PARTS} or None, not {part!r}")
    labels = {lab["pmid"]: lab for lab in _read_jsonl(directory / "labels.jsonl")}
    split = load_split(directory)
    part_of = {pmid: name for name in PARTS for pmid in split[name]}
    items: list[CorpusItem] = []
    for rec in _read_jsonl(directory / "corpus.jsonl"):
        pmid = rec["pmid"]
        lab = labels[pmid]
        if part is not None and part_of.get(pmid) != part:
            continue
        items.append(CorpusItem(
            pmid=pmid,
            title=rec.get("title"),
            publication_types=tuple(rec.get("publication_types") or ()),
            abstract=tuple((s.get("label"), s["text"]) for s in rec["abstract"]),
            provenance=rec.get("provenance") or {},
            is_control=bool(lab["is_control"]),
            expected={f: lab[f] for f in FIELDS},
            evidence=lab.get("evidence") or {},
            note=lab.get("note"),
            part=part_of.get(pmid, ""),
        ))
    return items
