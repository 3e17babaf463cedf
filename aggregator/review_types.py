"""Which records are reviews: one place for the publication types and review kinds.

Both parsers set ``is_review`` / ``is_systematic_review`` from PubMed's publication types;
the review pipeline adds what ``review_facts`` reads in the text (a systematic review or
meta-analysis is also a review, as the record contract says).
"""

from __future__ import annotations

from collections.abc import Iterable

#: PubMed publication types (lower case) that make a record a review / a systematic one
REVIEW_PUBLICATION_TYPES = frozenset({"review", "systematic review", "meta-analysis"})
SYSTEMATIC_PUBLICATION_TYPES = frozenset({"systematic review", "meta-analysis"})
#: ``review.type`` values (aggregator.review_facts) that are systematic
SYSTEMATIC_KINDS = frozenset({"systematic_review", "meta_analysis",
                              "systematic_review_and_meta_analysis", "umbrella_review"})


def review_flags(publication_types: Iterable[str]) -> tuple[bool, bool]:
    """``(is_review, is_systematic_review)`` from publication types."""
    types = {t.lower() for t in publication_types}
    return bool(types & REVIEW_PUBLICATION_TYPES), bool(types & SYSTEMATIC_PUBLICATION_TYPES)


def flags_with_kind(is_review: bool, is_systematic: bool,
                    kind: str | None) -> tuple[bool, bool]:
    """The flags once the text's review kind is known (flags only ever gain)."""
    is_systematic = is_systematic or kind in SYSTEMATIC_KINDS
    return is_review or is_systematic or kind is not None, is_systematic
