"""Fill the ``review`` part of a record and keep the review flags consistent with it."""

from __future__ import annotations

from aggregator.records import ArticleRecord
from aggregator.review_facts import extract_review
from aggregator.review_types import flags_with_kind


class ReviewPipeline:
    """Pipeline 200: what a review says about itself (see aggregator/review_facts.py)."""

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        item.review = extract_review(item.title, item.abstract, item.publication_types)
        item.is_review, item.is_systematic_review = flags_with_kind(
            item.is_review, item.is_systematic_review, item.review.type)
        return item
