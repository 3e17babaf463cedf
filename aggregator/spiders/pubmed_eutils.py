"""``pubmed_eutils``: the crawl core driving NCBI E-utilities (esearch, elink, efetch)."""

from aggregator.sources.eutils.adapter import EutilsSource
from aggregator.spiders.core import SnowballSpider


class PubmedEutilsSpider(SnowballSpider):
    """Same arguments, records, provenance and pipelines as ``pubmed``."""

    name = "pubmed_eutils"
    source_class = EutilsSource
