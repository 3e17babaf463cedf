"""NCBI E-utilities answers (efetch, elink, esearch): pure parsers (no Scrapy)."""
