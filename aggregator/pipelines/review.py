"""Fill the ``review`` part of a record and keep the review flags consistent with it."""

from __future__ import annotations

from aggregator.records import ArticleRecord
from aggregator.review_facts import extract_review

_SYSTEMATIC = {"systematic_review", "meta_analysis", "systematic_review_and_meta_analysis",
               "umbrella_review"}


class ReviewPipeline:
    """Pipeline 200: what a review says about itself (see aggregator/review_facts.py)."""

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        item.review = extract_review(item.title, item.abstract, item.publication_types)
        kind = item.review.type
        # A systematic review or meta-analysis is also a review.
        item.is_systematic_review = item.is_systematic_review or kind in _SYSTEMATIC
        item.is_review = item.is_review or item.is_systematic_review or kind is not None
        return item
