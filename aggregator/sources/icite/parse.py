"""NIH iCite's ``/api/pubs`` answer (JSON) → one :class:`IcitePub` per PMID. Pure.

The shape relied on (README, "iCite: what the API answers"): a JSON object whose ``data``
is a list of publications, in no particular order, with no entry for a PMID iCite does
not know. Each publication has ``pmid`` (a number), ``citation_count``,
``relative_citation_ratio``, ``nih_percentile``, ``apt``, ``provisional``,
``cited_by_clin``, ``cited_by`` and ``references`` (lists of PMIDs as numbers). iCite's
documentation shows ``provisional`` both as ``"Yes"``/``"No"`` (icite.od.nih.gov/api) and
as a boolean (support.icite.nih.gov), and lists may be ``null``: both are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FIELDS", "IciteError", "IcitePub", "parse_pubs"]

#: the ``fl=`` of every request: what the crawl uses, nothing more (smaller answers)
FIELDS = ("pmid", "citation_count", "relative_citation_ratio", "nih_percentile", "apt",
          "cited_by_clin", "provisional", "cited_by", "references")


class IciteError(ValueError):
    """The answer is not an iCite ``/api/pubs`` answer (cut, HTML, another document)."""


@dataclass(slots=True)
class IcitePub:
    """What iCite says about one article."""

    pmid: str
    citation_count: int | None = None
    relative_citation_ratio: float | None = None
    nih_percentile: float | None = None
    apt: float | None = None
    cited_by_clinical_count: int | None = None
    provisional: bool | None = None
    cited_by: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def parse_pubs(body: bytes | str) -> dict[str, IcitePub]:
    """The publications of an answer, by PMID (string). Raises :class:`IciteError`."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IciteError(f"not JSON: {exc}") from None
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        raise IciteError("no 'data' list in the answer")
    pubs: dict[str, IcitePub] = {}
    for entry in data:
        pmid = _pmid(entry.get("pmid")) if isinstance(entry, dict) else None
        if pmid is None:
            raise IciteError(f"a publication without a PMID: {str(entry)[:80]}")
        clinical = entry.get("cited_by_clin")
        pubs[pmid] = IcitePub(
            pmid=pmid,
            citation_count=_int(entry.get("citation_count")),
            relative_citation_ratio=_float(entry.get("relative_citation_ratio")),
            nih_percentile=_float(entry.get("nih_percentile")),
            apt=_float(entry.get("apt")),
            cited_by_clinical_count=len(_pmids(clinical)) if clinical is not None else None,
            provisional=_yes(entry.get("provisional")),
            cited_by=_pmids(entry.get("cited_by")),
            references=_pmids(entry.get("references")),
        )
    return pubs


def _pmid(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text.isdigit() and int(text) > 0 else None


def _pmids(value: Any) -> list[str]:
    """A PMID list (numbers or strings; null is empty), repeats dropped, order kept."""
    if value is None:
        return []
    if isinstance(value, str):  # CSV-style "1 2 3", seen in bulk files
        value = value.split()
    if not isinstance(value, list):
        raise IciteError(f"expected a list of PMIDs, got {type(value).__name__}")
    return list(dict.fromkeys(p for p in map(_pmid, value) if p is not None))


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def _yes(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    return True if text in ("yes", "true", "1") else False if text in ("no", "false", "0") \
        else None
