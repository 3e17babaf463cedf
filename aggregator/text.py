"""Small text helpers shared by every parser (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_DOI_PREFIX = re.compile(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)


def clean(text: str | None) -> str | None:
    """Collapse whitespace and strip; ``None`` for empty."""
    if text is None:
        return None
    # str.split() without arguments splits on the same Unicode whitespace as \s+,
    # several times faster than a regex substitution on long text.
    return " ".join(text.split()) or None


def join_clean(parts: Iterable[str]) -> str | None:
    """Join text nodes without inserting spaces, then collapse whitespace."""
    return clean("".join(parts))


def bare_doi(value: str | None) -> str | None:
    """``doi: 10.1/x.`` -> ``10.1/x`` (prefix and trailing punctuation removed)."""
    value = clean(value)
    if not value:
        return None
    value = _DOI_PREFIX.sub("", value).rstrip(".,;")
    return value or None


def find_doi(text: str | None) -> str | None:
    """The first DOI inside free text (e.g. a reference citation), bare."""
    if not text:
        return None
    m = _DOI_IN_TEXT.search(text)
    return bare_doi(m.group(1)) if m else None


def bare_pmcid(value: str | None) -> str | None:
    """``PMC1234567`` from any printed form, else ``None``."""
    value = clean(value)
    if not value:
        return None
    m = re.search(r"PMC\d+", value, re.I)
    return m.group(0).upper() if m else None


def bare_orcid(value: str | None) -> str | None:
    """``0000-0002-1825-0097`` from a bare id or an orcid.org URL."""
    if not value:
        return None
    m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value, re.I)
    return m.group(1).upper() if m else None
