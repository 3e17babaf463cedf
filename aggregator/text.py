"""Small text helpers shared by every parser (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_DOI_PREFIX = re.compile(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)


def _invisible_table() -> dict[int, None]:
    """Control and invisible format characters that no record text may carry.

    C0 and C1 controls (those that are whitespace, such as TAB, LF or U+0085, are
    collapsed into a space by :func:`clean` instead), zero-width characters
    (U+200B-U+200D, U+2060-U+2064, U+FEFF), every bidirectional control (U+061C,
    U+200E/U+200F, U+202A-U+202E, U+2066-U+2069), the deprecated format characters
    U+206A-U+206F, U+180E and the interlinear annotation marks U+FFF9-U+FFFB. The soft
    hyphen U+00AD goes too: it is invisible unless a line breaks there, and it would make
    "hydro\u00adchloride" differ from "hydrochloride" in every search and comparison.
    Letters, symbols and combining marks are all kept.
    """
    chars = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0xAD, 0x061C, 0x180E,
             *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
             *range(0x2066, 0x2070), 0xFEFF, *range(0xFFF9, 0xFFFC)]
    return dict.fromkeys(chars)


#: ``str.translate`` table removing what :func:`_invisible_table` lists
INVISIBLE = _invisible_table()


def clean(text: str | None) -> str | None:
    """Collapse whitespace, drop control and invisible characters, strip; ``None`` for empty.

    Both parsers route every text field through here (the page parser directly, the
    efetch parser through its ``_text``), so this is the one place for both sources. A
    character reference (``&#x202E;``) is decoded by the parser first, so it goes too.
    """
    if not text:
        return None
    # str.split() without arguments splits on the same Unicode whitespace as \s+,
    # several times faster than a regex substitution on long text.
    out = " ".join(text.split())
    # isprintable() is one C scan: only text that holds a control or format character
    # (after the join, the only whitespace left is the printable space) pays for translate.
    if not out.isprintable():
        out = " ".join(out.translate(INVISIBLE).split())
    return out or None


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
