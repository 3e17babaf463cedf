"""PubMed's article and results pages: pure parsers, HTML in, typed data out (no Scrapy)."""

from aggregator.sources.page.article import ArticleParseError, parse_article
from aggregator.sources.page.kind import PageKind, classify, is_article_page
from aggregator.sources.page.results import MAX_RESULTS, ResultsPage, parse_results, results_url

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
