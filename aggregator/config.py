"""One typed view of the project's settings, read once per crawl.

Modelled on scrapy-playwright's ``Config.from_settings``: every project setting is read
here, with its default, and handed to whoever needs it (``config_of(crawler)``). What
each setting means, and why its default is what it is, is written in
:mod:`aggregator.settings`; this module only gives the values types.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

__all__ = ["Config", "config_of"]


def _optional_float(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


@dataclass(frozen=True, slots=True)
class Config:
    """The project's settings, typed (names as in settings.py, lower case)."""

    # where to crawl
    pubmed_base_url: str
    eutils_base_url: str
    idconv_base_url: str
    icite_base_url: str
    # politeness
    polite_slots: bool
    pubmed_delay: float
    eutils_delay: float
    eutils_delay_with_key: float
    eutils_api_retries: int
    eutils_api_pause: float
    idconv_delay: float
    icite_delay: float
    icite_batch: int
    # NCBI blocks and challenges (middlewares/blocks.py)
    block_backoff: float
    block_backoff_max: float
    block_retries: int
    max_consecutive_blocks: int
    retry_after_max: float
    retry_times: int
    # identity (values masked by aggregator.contact; never logged)
    ncbi_tool: str
    ncbi_email: str | None
    ncbi_api_key: str | None
    # crawl shape
    level_batch: int
    page_size: int
    list_pages_at_max_depth: bool
    skip_lists_shown_whole: bool
    render: bool
    # resume and incremental state
    journal_enabled: bool
    journal_path: str
    journal_flush_secs: float
    state_path: str | None
    refresh_days: float | None
    # outputs
    output_dir: Path
    write_edges: bool
    write_csv: bool
    write_outside_references: bool
    write_citations: bool
    write_parquet: bool
    edges_unfollowed: bool
    prisma_per_seed_max: int
    # scope
    progress_secs: float
    estimate_sample: int

    @classmethod
    def from_settings(cls, s: BaseSettings) -> Config:
        """Read every project setting once (frozen or not)."""
        return cls(
            pubmed_base_url=str(s.get("PUBMED_BASE_URL")).rstrip("/"),
            eutils_base_url=str(s.get("EUTILS_BASE_URL")).rstrip("/"),
            idconv_base_url=str(s.get("IDCONV_BASE_URL")),
            icite_base_url=str(s.get("ICITE_BASE_URL")).rstrip("/"),
            polite_slots=s.getbool("AGGREGATOR_POLITE_SLOTS", True),
            pubmed_delay=s.getfloat("PUBMED_DELAY", 1.05),
            eutils_delay=s.getfloat("EUTILS_DELAY", 0.35),
            eutils_delay_with_key=s.getfloat("EUTILS_DELAY_WITH_KEY", 0.11),
            eutils_api_retries=s.getint("EUTILS_API_RETRIES", 5),
            eutils_api_pause=s.getfloat("EUTILS_API_PAUSE", 1.0),
            idconv_delay=s.getfloat("IDCONV_DELAY", 0.35),
            icite_delay=s.getfloat("ICITE_DELAY", 1.05),
            icite_batch=max(1, min(s.getint("ICITE_BATCH", 1000), 1000)),
            block_backoff=s.getfloat("AGGREGATOR_BLOCK_BACKOFF", 30.0),
            block_backoff_max=s.getfloat("AGGREGATOR_BLOCK_BACKOFF_MAX", 300.0),
            block_retries=s.getint("AGGREGATOR_BLOCK_RETRIES", 4),
            max_consecutive_blocks=s.getint("AGGREGATOR_MAX_CONSECUTIVE_BLOCKS", 5),
            retry_after_max=s.getfloat("AGGREGATOR_RETRY_AFTER_MAX", 300.0),
            retry_times=s.getint("RETRY_TIMES", 2),
            ncbi_tool=str(s.get("NCBI_TOOL") or "aggregator"),
            ncbi_email=s.get("NCBI_EMAIL") or os.environ.get("NCBI_EMAIL") or None,
            ncbi_api_key=s.get("NCBI_API_KEY") or os.environ.get("NCBI_API_KEY") or None,
            level_batch=s.getint("AGGREGATOR_LEVEL_BATCH", 1000),
            page_size=s.getint("PUBMED_PAGE_SIZE", 200),
            list_pages_at_max_depth=s.getbool("PUBMED_LIST_PAGES_AT_MAX_DEPTH", True),
            skip_lists_shown_whole=s.getbool("PUBMED_SKIP_LISTS_SHOWN_WHOLE", True),
            render=s.getbool("AGGREGATOR_RENDER", False),
            journal_enabled=s.getbool("AGGREGATOR_JOURNAL_ENABLED", True),
            journal_path=str(s.get("AGGREGATOR_JOURNAL") or ""),
            journal_flush_secs=s.getfloat("AGGREGATOR_JOURNAL_FLUSH_SECS", 1.0),
            state_path=s.get("AGGREGATOR_STATE") or None,
            refresh_days=_optional_float(s.get("AGGREGATOR_REFRESH_DAYS")),
            output_dir=Path(s.get("OUTPUT_DIR") or "output"),
            write_edges=s.getbool("AGGREGATOR_WRITE_EDGES", True),
            write_csv=s.getbool("AGGREGATOR_WRITE_CSV", True),
            write_outside_references=s.getbool("AGGREGATOR_WRITE_OUTSIDE_REFERENCES", True),
            write_citations=s.getbool("AGGREGATOR_WRITE_CITATIONS", True),
            write_parquet=s.getbool("AGGREGATOR_WRITE_PARQUET", True),
            edges_unfollowed=s.getbool("AGGREGATOR_EDGES_UNFOLLOWED", False),
            prisma_per_seed_max=s.getint("AGGREGATOR_PRISMA_PER_SEED_MAX", 200),
            progress_secs=s.getfloat("AGGREGATOR_PROGRESS_SECS", 60.0),
            estimate_sample=s.getint("AGGREGATOR_ESTIMATE_SAMPLE", 20),
        )

    def base_urls(self) -> tuple[str, ...]:
        """Every host the crawl may ask (contract "Hosts")."""
        return (self.pubmed_base_url, self.eutils_base_url, self.idconv_base_url,
                self.icite_base_url)

    def eutils_slot_delay(self) -> float:
        """Seconds between E-utilities requests: 3/s without an API key, 10/s with one."""
        return self.eutils_delay_with_key if self.ncbi_api_key else self.eutils_delay


def config_of(crawler: Crawler) -> Config:
    """The crawl's config, read from its settings the first time it is asked for."""
    config = getattr(crawler, "_aggregator_config", None)
    if config is None:
        config = Config.from_settings(crawler.settings)
        crawler._aggregator_config = config  # type: ignore[attr-defined]
    return config
