"""``pubmed``: the crawl core driving PubMed's article and list pages."""

from aggregator.sources.page.adapter import PageSource
from aggregator.spiders.core import SnowballSpider


class PubmedSpider(SnowballSpider):
    """Article pages → records; similar / references / cited-by from list pages."""

    name = "pubmed"
    source_class = PageSource
