"""Retractions, errata, expressions of concern and updates: one table for every format.

PubMed links an article to its notices in efetch's ``CommentsCorrections RefType``,
on the article page's notice banners, and in MEDLINE format with tags of their own.
The record's ``notices[].type`` names (contract) map to both here.
"""

from __future__ import annotations

from collections.abc import Iterable

from aggregator.records import Notice

#: record ``type`` -> (efetch RefType, MEDLINE/NBIB tag), in the contract's order
NOTICE_TYPES: dict[str, tuple[str, str]] = {
    "retraction_in": ("RetractionIn", "RIN"),
    "retraction_of": ("RetractionOf", "ROF"),
    "erratum_in": ("ErratumIn", "EIN"),
    "erratum_for": ("ErratumFor", "EFR"),
    "expression_of_concern_in": ("ExpressionOfConcernIn", "ECI"),
    "expression_of_concern_for": ("ExpressionOfConcernFor", "ECF"),
    "update_in": ("UpdateIn", "UIN"),
    "update_of": ("UpdateOf", "UOF"),
    # RRI/RRF, not RPI/RPF: those are MEDLINE's "Republished in/from" (RefType RepublishedIn)
    "retracted_and_republished_in": ("RetractedandRepublishedIn", "RRI"),
    "retracted_and_republished_from": ("RetractedandRepublishedFrom", "RRF"),
}
#: efetch RefType -> record type
BY_REFTYPE: dict[str, str] = {ref: kind for kind, (ref, _tag) in NOTICE_TYPES.items()}
#: MEDLINE tag -> record type
BY_TAG: dict[str, str] = {tag: kind for kind, (_ref, tag) in NOTICE_TYPES.items()}

RETRACTED_TYPE = "Retracted Publication"  # PubMed's publication type of a retracted article
#: notice types that mean the article itself is retracted
_RETRACTED_BY = frozenset({"retraction_in", "retracted_and_republished_in"})


def is_retracted(notices: Iterable[Notice], publication_types: Iterable[str]) -> bool:
    """True when a retraction notice points at the article or PubMed typed it retracted."""
    return any(n.type in _RETRACTED_BY for n in notices) or RETRACTED_TYPE in publication_types


def nbib_tag(kind: str) -> str:
    """The MEDLINE tag of a notice type (``retraction_in`` -> ``RIN``)."""
    return NOTICE_TYPES[kind][1]
