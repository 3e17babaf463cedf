"""Scrapy settings for aggregator. Every non-default value says why it was chosen.

Defaults are right for the live NCBI sites; tests, the demo and benchmarks
override them with ``-s`` (mirror URL, delays) — never by editing this file.
"""

import os

BOT_NAME = "aggregator"
SPIDER_MODULES = ["aggregator.spiders"]
NEWSPIDER_MODULE = "aggregator.spiders"
# Our `crawl` replaces Scrapy's: same command, but it ends the log with the crawl's
# outcome (complete / incomplete: …) and exits 1 when records were lost, so cron jobs
# and scripts notice (Scrapy's exits 0 whatever the spider lost).
COMMANDS_MODULE = "aggregator.commands"

# --- where to crawl ----------------------------------------------------------
PUBMED_BASE_URL = os.environ.get("PUBMED_BASE_URL", "https://pubmed.ncbi.nlm.nih.gov")
EUTILS_BASE_URL = os.environ.get(
    "EUTILS_BASE_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
)
# NCBI's PMC ID Converter and NIH's iCite: the other hosts the crawl may ever request
# (aggregator/middlewares/hosts.py refuses every other host, redirects included).
IDCONV_BASE_URL = os.environ.get(
    "IDCONV_BASE_URL", "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
)
# NIH iCite (the NIH Open Citation Collection), asked for references / cited-by when
# links=icite or links=pubmed,icite: GET {ICITE_BASE_URL}/pubs?pmids=…&fl=…
ICITE_BASE_URL = os.environ.get("ICITE_BASE_URL", "https://icite.od.nih.gov/api")

# --- identity (NCBI asks every client to name itself and give a contact) -------
# NCBI_EMAIL and NCBI_API_KEY are read from settings or the environment at
# start-up and stored masked (see aggregator/contact.py): never put them here.
NCBI_TOOL = "aggregator"
PROJECT_URL = "https://github.com/aggregator-pubmed/aggregator"
# The User-Agent ("aggregator/<version> (+URL; mailto:<NCBI_EMAIL>)") is set
# per request by aggregator.middlewares.IdentityMiddleware so the address is not logged.

# --- politeness ----------------------------------------------------------------
# PubMed's robots.txt disallows /*/references/, /*/similar/, /*/citedby/: the
# spider uses the allowed linkname list pages instead.
ROBOTSTXT_OBEY = True
# Exact per-host rates (robots.txt "Crawl-delay: 1"; NCBI E-utilities: 3 requests/s
# without a key). Scrapy does not apply Crawl-delay itself and jitters
# DOWNLOAD_DELAY by ±50 %, so each host gets a slot with a fixed delay and one
# connection. The spiders add the same slot for a mirror host set by PUBMED_BASE_URL.
# The delays carry a 5 % margin: Scrapy spaces requests from dispatch, and event-loop
# jitter made two requests arrive 0.998 s apart at exactly 1.0 (benchmarks/politeness.py).
PUBMED_DELAY = 1.05
EUTILS_DELAY = 0.35
# The global delay is only a fallback for a host without a slot (there is none: every
# host the crawl may ask has one); no jitter anywhere, the rates are exact.
DOWNLOAD_DELAY = PUBMED_DELAY
DOWNLOAD_DELAY_JITTER = 0
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# iCite publishes no rate limit: be conservative, one request a second and one connection
# (with the same 5 % margin). One request carries up to ICITE_BATCH PMIDs: iCite's API
# page (icite.od.nih.gov/api) allows 1,000 per request; its newer support page says 200,
# so ICITE_BATCH=200 is the setting to use if iCite refuses long requests.
ICITE_DELAY = 1.05
ICITE_BATCH = 1000
DOWNLOAD_SLOTS = {
    "pubmed.ncbi.nlm.nih.gov": {"concurrency": 1, "delay": PUBMED_DELAY, "jitter": 0},
    "eutils.ncbi.nlm.nih.gov": {"concurrency": 1, "delay": EUTILS_DELAY, "jitter": 0},
    "pmc.ncbi.nlm.nih.gov": {"concurrency": 1, "delay": 0.35, "jitter": 0},
    "icite.od.nih.gov": {"concurrency": 1, "delay": ICITE_DELAY, "jitter": 0},
}
# The ID converter publishes no rate of its own: NCBI's general limit for its APIs,
# 3 requests/s, with the same 5 % margin (one call converts up to 200 PMCIDs).
IDCONV_DELAY = 0.35
# AGGREGATOR_POLITE_SLOTS=0 (your own mirror only): no slot, no delay, no AutoThrottle,
# normal concurrency (aggregator/crawl/politeness.py). Never for NCBI's hosts.
AGGREGATOR_POLITE_SLOTS = True
# Delay used for E-utilities when NCBI_API_KEY is set (10 requests/s allowed).
EUTILS_DELAY_WITH_KEY = 0.11
# NCBI's error answers ({"error":"API rate limit exceeded"}, <ERROR>) come with status 200:
# retried EUTILS_API_RETRIES times, the pause doubling from EUTILS_API_PAUSE seconds
# (1, 2, 4, 8, 16 s: half a minute, enough for a per-second limit shared by several
# processes on one key to clear), then one error entry per PMID of the batch.
EUTILS_API_RETRIES = 5
EUTILS_API_PAUSE = 1.0
# AutoThrottle backs off further when NCBI answers slowly; our subclass never
# goes below a slot's configured delay (Scrapy's would go down to DOWNLOAD_DELAY).
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "aggregator.extensions.throttle.SlotFloorAutoThrottle": 0,
    # Before the side outputs, so the manifest sees the outcome (complete / incomplete).
    "aggregator.crawl.outcome.CrawlOutcome": 400,
    "aggregator.exports.outputs.SideOutputs": 500,
    "aggregator.extensions.progress.Progress": 600,
}
# One progress line per level every this many seconds (done / queued / errors, ETA at
# the live rate): a depth-2 page crawl runs for hours. 0 turns it off.
AGGREGATOR_PROGRESS_SECS = 60.0
# estimate=1 on the pages spider: list-page counts of this many articles per batch of
# level 1 (evenly spread) size the deeper levels (about 3 requests per sampled article).
AGGREGATOR_ESTIMATE_SAMPLE = 20
DOWNLOADER_MIDDLEWARES = {
    "aggregator.middlewares.identity.IdentityMiddleware": 400,
    # Before RedirectMiddleware (600) and RetryMiddleware (550) in response order, so it
    # sees the raw redirect to misuse.ncbi.nlm.nih.gov and 200-status block pages.
    "aggregator.middlewares.blocks.BlocksMiddleware": 650,
    # Between the two in response order: a redirect to a host that is not configured is an
    # error entry, never followed (nor its host's robots.txt fetched).
    "aggregator.middlewares.hosts.HostsMiddleware": 625,
}
# Transient NCBI errors are common under load; retry them with back-off.
RETRY_ENABLED = True
RETRY_TIMES = 5
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 60
# NCBI blocks and challenges (aggregator/middlewares/blocks.py): pause the whole crawl
# 30 s, doubling to 5 min, per block answer; stop ("ncbi_blocked") after 5 in a row,
# before a short block turns into a long one. 429's Retry-After is obeyed up to 5 min.
AGGREGATOR_BLOCK_BACKOFF = 30.0
AGGREGATOR_BLOCK_BACKOFF_MAX = 300.0
AGGREGATOR_BLOCK_RETRIES = 4
AGGREGATOR_MAX_CONSECUTIVE_BLOCKS = 5
AGGREGATOR_RETRY_AFTER_MAX = 300.0
# The frontier already schedules each article and list page once per crawl. Scrapy's
# fingerprint filter would only hurt: persisted in JOBDIR, it drops the requests that
# the journal re-issues after a hard kill (their fingerprints were saved, their
# answers never processed).
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

# --- resume (aggregator/crawl/journal.py) ------------------------------------
# A crash-safe journal of finished articles (with their links) lets a re-run with the
# same arguments continue after a hard kill: done articles are neither fetched nor
# written again. Path: this setting, else JOBDIR/<spider>-journal.jsonl, else
# OUTPUT_DIR/<spider>-<hash of the arguments>-journal.jsonl. Renamed *.done when a
# crawl finishes, so the next run with the same arguments starts afresh.
AGGREGATOR_JOURNAL = ""
AGGREGATOR_JOURNAL_ENABLED = True
AGGREGATOR_JOURNAL_FLUSH_SECS = 1.0  # at most this much work is redone after a kill

# --- development ---------------------------------------------------------------
# `-s HTTPCACHE_ENABLED=1` keeps every answer under .scrapy/httpcache so a parser
# change can be re-run without hitting NCBI again.
HTTPCACHE_ENABLED = False
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]

# --- records -------------------------------------------------------------------
# Incremental re-crawls: an SQLite file of the PMIDs emitted so far (absolute path
# under Scrapyd). Known articles are not downloaded or written again; their link
# lists still are, to find new articles. Unset = every run is a full crawl.
AGGREGATOR_STATE = None
# With a state: re-fetch and re-write articles emitted more than N days ago
# (they may have changed: new MeSH indexing, corrections). None = never.
AGGREGATOR_REFRESH_DAYS = None
SPIDER_MIDDLEWARES = {
    "aggregator.middlewares.incremental.IncrementalMiddleware": 950,
}
ITEM_PIPELINES = {
    "aggregator.pipelines.normalise.NormalisePipeline": 100,
    "aggregator.pipelines.review.ReviewPipeline": 200,
    "aggregator.pipelines.validate.ValidatePipeline": 300,
    "aggregator.pipelines.dedupe.DedupePipeline": 400,
    "aggregator.pipelines.library.LibraryPipeline": 450,
    "aggregator.pipelines.reviews_only.ReviewsOnlyPipeline": 500,
    # last: the record store's line is on disk before any feed's (a resumed crawl does not
    # write again what an appended feed holds, so the store must hold it already)
    "aggregator.pipelines.store.RecordStorePipeline": 900,
}
FEED_EXPORT_ENCODING = "utf-8"  # readable non-ASCII names in the JSONL
FEED_EXPORTERS = {
    **{name: "aggregator.exports.feeds.RecordJsonLinesExporter"
       for name in ("jsonlines", "jsonl", "jl")},
    # -O found.parquet: the records table, built at close (a Parquet file needs a footer)
    "parquet": "aggregator.exports.parquet.ParquetRecordExporter",
    # screening tools' formats; "csv" replaces Scrapy's, which writes Python reprs of
    # the nested fields ("[Author(name='Olga Larsen', …")
    "ris": "aggregator.exports.feeds.RisItemExporter",
    "nbib": "aggregator.exports.feeds.NbibItemExporter",
    "csv": "aggregator.exports.feeds.ReviewerCsvItemExporter",
}
# Each callback yields one record or a few requests and every pipeline is
# synchronous, so Scrapy's default of 100 concurrent item workers per response
# only costs task creation (the largest crawl overhead in the profile).
CONCURRENT_ITEMS = 1
# Articles of the next level are handed to the scheduler this many at a time,
# so a level of 100,000 articles never sits in memory as Request objects.
AGGREGATOR_LEVEL_BATCH = 1000
# Fetch the full similar/cited-by/reference lists of articles at the last depth
# too (complete records); False saves up to 3 requests per leaf article.
PUBMED_LIST_PAGES_AT_MAX_DEPTH = True
# An article page prints the first 5 cited-by entries and references: when it shows
# fewer cited-by entries, or all of its references, the list page would repeat them,
# so it is not requested (a request saved per such list; at 1 s a request that is most
# of a live crawl's time). False fetches every list page regardless.
PUBMED_SKIP_LISTS_SHOWN_WHOLE = True
# Results per search / list page: 200 is the most PubMed serves, so the fewest
# requests per list (tests lower it to exercise paging).
PUBMED_PAGE_SIZE = 200
# Side outputs (errors, edges, CSV, manifest), one set per job.
OUTPUT_DIR = "output"
AGGREGATOR_WRITE_EDGES = True
AGGREGATOR_WRITE_CSV = True
# References with a DOI but no PMID (grey literature, books, journals PubMed does not
# index) leave the snowball: listed in …references-not-in-pubmed.jsonl instead.
AGGREGATOR_WRITE_OUTSIDE_REFERENCES = True
# The analysts' Parquet tables (README "Analysts' tables"), built at close from a spool.
AGGREGATOR_WRITE_PARQUET = True
# Edges only from the lists the crawl followed: links of an unfollowed relation describe
# a graph the crawl did not explore (a follow=references,cited_by crawl would otherwise
# still carry every record's similar links). 1 keeps them; the manifest says which.
AGGREGATOR_EDGES_UNFOLLOWED = False
# RIS, NBIB and the PRISMA SVG, rebuilt at close from the record store
# (aggregator/exports/store.py) so that a resumed crawl's files are complete
AGGREGATOR_WRITE_CITATIONS = True
# The manifest's PRISMA block has one block per seed up to this many seeds; past it (a
# query= crawl of thousands of search results) totals only, said in per_seed_omitted: a
# block per search result is no PRISMA box and grew the manifest with the crawl.
AGGREGATOR_PRISMA_PER_SEED_MAX = 200

# --- browser rendering (render=1) ------------------------------------------------
# `-a render=1` (or `-s AGGREGATOR_RENDER=1`) makes the pubmed spider install
# scrapy-playwright's download handlers itself (aggregator/crawl/render.py); they are
# not listed here because they start Playwright's driver even when nothing renders.
AGGREGATOR_RENDER = False
# Debian's Chromium: no browser download is possible on these machines.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
    # --no-sandbox: runs as root in containers; the rest stop Chromium's own
    # background traffic (updates, sync, field trials), refused noisily offline.
    "args": ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
             "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--disable-default-apps",
             "--mute-audio", "--disable-breakpad"],
}
# One context with a bounded number of open pages: pages are closed after each
# response (playwright_include_page is never set), so memory stays flat.
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
# Images, fonts, stylesheets and media are not needed to build the DOM.
PLAYWRIGHT_ABORT_REQUEST = "aggregator.crawl.render.abort_request"
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 60_000  # ms, as DOWNLOAD_TIMEOUT

TELNETCONSOLE_ENABLED = False  # nobody uses it; it only opens a port
# Quiet by default: Scrapy's DEBUG level logs every request and every record's full repr
# (137 records made 951 lines). INFO keeps progress, warnings, errors and the summary;
# -s LOG_LEVEL=DEBUG brings the per-request lines back, records as one short line each.
LOG_LEVEL = "INFO"
LOG_FORMATTER = "aggregator.logformat.ShortItemLogFormatter"
ADDONS = {}
