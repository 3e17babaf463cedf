"""What the parsers cannot know: link-list hygiene and the convenience ``year``.

Both parsers already return clean text and bare identifiers (every string through
:mod:`aggregator.text`; ``tests/test_parser_guarantees.py`` proves it on the real fixtures
and the mirror), so nothing is cleaned twice here. What remains is what only a whole
record shows: an article listed among its own links (efetch's reference list of 38147649
holds the article itself; elink's similar list always does) and repeated links.
"""

from __future__ import annotations

from aggregator.records import LINKS, ArticleRecord


def normalise(record: ArticleRecord) -> ArticleRecord:
    """Drop self-links and repeated links, fill ``year``; in place."""
    pmid = record.pmid
    for link in LINKS:
        pmids = getattr(record, link.field)
        if pmids:
            setattr(record, link.field, list(dict.fromkeys(p for p in pmids if p and p != pmid)))
    record.year = record.year or record.publication_date.year
    return record


class NormalisePipeline:
    """Pipeline 100: :func:`normalise`."""

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        return normalise(item)
