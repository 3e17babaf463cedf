"""aggregator: turn PubMed into analysis-ready literature records."""

__version__ = "0.1.0"
