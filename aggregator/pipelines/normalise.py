"""Normalise text, identifiers and dates of a record, whichever source built it."""

from __future__ import annotations

import re

from aggregator.records import ArticleRecord
from aggregator.text import bare_doi, bare_orcid, bare_pmcid, clean

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def normalise(record: ArticleRecord) -> ArticleRecord:
    """Collapse whitespace everywhere, strip id prefixes, derive years; in place."""
    record.pmid = (record.pmid or "").strip()
    record.title = clean(record.title)
    record.doi = bare_doi(record.doi)
    record.pmcid = bare_pmcid(record.pmcid)
    for author in record.authors:
        author.name = clean(author.name) or ""
        author.affiliations = _unique(clean(a) for a in author.affiliations)
        author.orcid = bare_orcid(author.orcid)
    journal = record.journal
    for name in ("title", "abbreviation", "volume", "issue", "pages", "issn"):
        setattr(journal, name, clean(getattr(journal, name)))
    date = record.publication_date
    date.printed, date.epub = clean(date.printed), clean(date.epub)
    if not date.year:
        found = _YEAR.search(date.printed or date.epub or "")
        date.year = found.group(1) if found else None
    record.year = record.year or date.year
    for section in record.abstract:
        section.label = clean(section.label)
        section.text = clean(section.text) or ""
    record.abstract = [s for s in record.abstract if s.text]
    record.keywords = _unique(clean(k) for k in record.keywords)
    record.publication_types = _unique(clean(t) for t in record.publication_types)
    record.conflict_of_interest = clean(record.conflict_of_interest)
    for ref in record.references:
        ref.citation = clean(ref.citation) or ""
        ref.doi, ref.pmcid = bare_doi(ref.doi), bare_pmcid(ref.pmcid)
    for name in ("reference_pmids", "similar_pmids", "cited_by_pmids"):
        pmids = [p for p in getattr(record, name) if p and p != record.pmid]
        setattr(record, name, list(dict.fromkeys(pmids)))
    return record


def _unique(values: object) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))  # type: ignore[attr-defined]


class NormalisePipeline:
    """Pipeline 100: :func:`normalise`."""

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        return normalise(item)
