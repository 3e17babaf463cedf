"""Pure parsers for PubMed pages: HTML in, typed data out (no Scrapy needed)."""

from aggregator.pages.article import ArticleParseError, parse_article
from aggregator.pages.kind import PageKind, classify, is_article_page
from aggregator.pages.results import MAX_RESULTS, ResultsPage, parse_results, results_url

__all__ = [
    "MAX_RESULTS",
    "ArticleParseError",
    "PageKind",
    "ResultsPage",
    "classify",
    "is_article_page",
    "parse_article",
    "parse_results",
    "results_url",
]
