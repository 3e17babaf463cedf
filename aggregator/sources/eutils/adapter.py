"""NCBI E-utilities as a source: efetch for records, elink for links, esearch for queries.

Per batch of a level: one efetch POST of up to 200 PMIDs (parsed streaming), then one
elink for all three relations (repeated ``id=`` so each id gets its own link set). About
0.01 requests per record.

What a failure means here:
- an answer that does not parse (cut short, an HTML error page served with 200, a
  foreign document): records parsed before the cut are kept; the rest are asked again
  once, then in halves, down to single PMIDs; what still fails is one error entry per
  PMID with the reason;
- NCBI's error answers (``{"error":"API rate limit exceeded"}``, ``<ERROR>``): retried
  with an exponentially growing pause, then one error entry per PMID of the batch;
- a transport failure (after Scrapy's retries): one error entry per PMID.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from datetime import date
from typing import Any, TypeVar

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater
from twisted.python.failure import Failure

from aggregator.config import Config
from aggregator.crawl.outcome import report_no_results
from aggregator.crawl.resolve import SeedId
from aggregator.records import BY_ELINK_NAME, ArticleRecord, Provenance, Relation
from aggregator.sources.base import Batch, Source
from aggregator.sources.eutils.parse import (
    EutilsError,
    check_api_error,
    iter_efetch_records,
    parse_elink,
    parse_esearch,
    split_date_range,
)
from aggregator.spiders.core import STATS, failure_reason, failure_status, utc_now

BATCH = 200  # efetch's documented maximum per request
ESEARCH_CAP = 10_000  # esearch cannot page past 10,000 results of one query
ESEARCH_PAGE = 9_999
#: retries of a single PMID whose answer does not parse (a batch is asked again whole
#: once, then split in halves: about 2n requests at most for n PMIDs)
_SINGLE_TRIES = 2

T = TypeVar("T")


def split_again(items: list[T], tries: int,
                ask: Callable[[list[T], int], Request]) -> list[Request]:
    """The requests that ask again for ``items`` after an answer that did not parse
    (efetch's PMIDs, elink's records): the whole batch once, then in halves down to
    single items, each of which gets one more try; [] when a single item is given up.
    ``ask(part, tries)`` builds the request for a part."""
    if tries == 0 or (len(items) == 1 and tries < _SINGLE_TRIES):
        return [ask(items, tries + 1)]
    if len(items) > 1:
        half = len(items) // 2
        return [ask(items[:half], 1), ask(items[half:], 1)]
    return []


class EutilsSource(Source):
    """Same arguments, records, provenance and pipelines as the page source."""

    name = "eutils"
    base_url_field = "eutils_base_url"
    # E-utilities is an API governed by NCBI's usage rules (rate, tool, email,
    # api_key); its host's robots.txt disallows all crawling, so it is not consulted.
    settings = {"ROBOTSTXT_OBEY": False}

    def __init__(self, core: Any, base_url: str) -> None:
        super().__init__(core, base_url)
        #: distinct query hits made seeds so far (``max_results`` counts these)
        self.query_hits = 0

    @classmethod
    def slot_delay(cls, config: Config) -> float:
        """3 requests/s without an API key, 10 with one (NCBI's published limits)."""
        return config.eutils_slot_delay()

    # --- requests -------------------------------------------------------------
    def _call(self, tool: str, data: dict[str, Any], step: str, **kwargs: Any) -> Request:
        """A POST to E-utilities (the key never appears in a logged URL)."""
        form: dict[str, Any] = {"db": "pubmed", **data, "tool": self.config.ncbi_tool}
        if self.config.ncbi_email:
            form["email"] = str(self.config.ncbi_email)
        if self.config.ncbi_api_key:
            form["api_key"] = str(self.config.ncbi_api_key)
        return self.core.request(f"{self.base_url}/{tool}.fcgi", step, formdata=form, **kwargs)

    def query_requests(self) -> Iterator[Request]:
        if self.core.args.query:
            yield self._esearch(None, 0)

    def resolve_requests(self, seeds: list[SeedId]) -> Iterator[Request]:
        """PMCIDs through the ID converter; each DOI by an esearch on ``<doi>[doi]``."""
        yield from super().resolve_requests(seeds)
        for seed in seeds:
            if seed.kind == "doi":
                yield self._doi_search(seed)

    def _doi_search(self, seed: SeedId, tries: int = 0) -> Request:
        return self._call("esearch", {"term": f"{seed.value}[doi]", "retmax": "20"},
                          "doi_esearch", seed=seed, tries=tries)

    def parse_doi_esearch(self, response: Response, seed: SeedId, tries: int = 0) -> Any:
        message = check_api_error(response.body)
        if message is not None:
            waiting = self._retry_later(self._doi_search(seed, tries + 1), tries)
            if waiting is None:
                self.core.unresolved(seed, response.url, f"E-utilities error after "
                                     f"{tries + 1} tries: {message}", response.status, failed=True)
            return waiting
        try:
            ids = parse_esearch(response.body).ids
        except EutilsError as exc:
            self.core.unresolved(seed, response.url, f"unparseable esearch answer: {exc}",
                                 response.status, failed=True)
            return None
        if not ids:
            self.core.unresolved(seed, response.url, "esearch finds no article with this DOI",
                                 response.status)
            return None
        return self.requests_for(self.core.resolved(seed, ids))

    def doi_esearch_failed(self, failure: Failure, seed: SeedId, tries: int = 0) -> None:
        self.core.unresolved(seed, failure.request.url,
                             f"esearch failed: {failure_reason(failure)}",
                             failure_status(failure), failed=True)

    def requests_for(self, batch: Batch) -> Iterator[Request]:
        if self.core.args.estimate:  # a dry run: elink only, level by level, no efetch
            stubs = [ArticleRecord(pmid=p, source=self.name, provenance=prov)
                     for p, prov in batch if prov.depth < self.core.args.depth]
            if self.core.args.follow:
                for start in range(0, len(stubs), BATCH):
                    yield self._elink(stubs[start:start + BATCH])
            return
        new, known = self.core.split_known(batch)
        for start in range(0, len(new), BATCH):
            yield self._efetch(dict(new[start:start + BATCH]))
        # emitted by an earlier crawl: only re-read their link sets
        for start in range(0, len(known), BATCH):
            yield self._elink(known[start:start + BATCH])

    def _efetch(self, provs: dict[str, Provenance], tries: int = 0) -> Request:
        return self._call("efetch", {"retmode": "xml", "id": ",".join(provs)}, "efetch",
                          provs=provs, tries=tries)

    def _elink(self, records: list[ArticleRecord], tries: int = 0) -> Request:
        """One elink for all relations of these records (repeated ``id=``)."""
        ids = [r.pmid for r in records]
        return self._call("elink", {"dbfrom": "pubmed", "cmd": "neighbor", "id": ids},
                          "elink", records=records, tries=tries)

    def _esearch(self, dates: tuple[str, str] | None, retstart: int, tries: int = 0) -> Request:
        data: dict[str, Any] = {"term": self.core.args.query, "retstart": str(retstart),
                                "retmax": str(ESEARCH_PAGE)}
        if dates:
            data.update(datetype="pdat", mindate=dates[0], maxdate=dates[1])
        return self._call("esearch", data, "esearch", dates=dates, retstart=retstart,
                          tries=tries)

    # --- NCBI's error answers ---------------------------------------------------
    def _retry_later(self, retry: Request,
                     tries: int) -> Coroutine[Any, Any, list[Any]] | None:
        """After an NCBI error answer: the retry after a growing pause, or None (give up)."""
        self.stats.inc_value(f"{STATS}/eutils_api_errors")
        if tries < self.config.eutils_api_retries:  # EUTILS_API_RETRIES, EUTILS_API_PAUSE
            return self._after(self.config.eutils_api_pause * 2 ** tries, retry)
        return None

    async def _after(self, seconds: float, request: Request | None) -> list[Any]:
        """The request, after a pause that holds only this answer's callback."""
        if seconds:
            # imported here: importing the reactor at module load would install the
            # default one before Scrapy installs the asyncio reactor it is set to use
            from twisted.internet import reactor

            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))
        return [request] if request is not None else []

    def _give_up(self, url: str, pmids: list[str], reason: str, status: int | None,
                 kind: str) -> None:
        """One error entry per PMID given up (one without a PMID for a query)."""
        if not pmids:
            self.core.record_error(url, None, reason, status, kind)
        for pmid in pmids:
            self.core.record_error(f"{self.config.pubmed_base_url}/{pmid}/", pmid, reason,
                                   status, kind)

    # --- efetch -------------------------------------------------------------------
    def parse_efetch(self, response: Response, provs: dict[str, Provenance],
                     tries: int = 0) -> Any:
        message = check_api_error(response.body)
        if message is None:
            return self._efetched(response, provs, tries)
        waiting = self._retry_later(self._efetch(provs, tries + 1), tries)
        if waiting is None:
            self._give_up(response.url, list(provs), f"E-utilities error after {tries + 1} "
                          f"tries: {message}", response.status, "eutils_error")
        return waiting

    def _efetched(self, response: Response, provs: dict[str, Provenance],
                  tries: int) -> Iterator[Any]:
        self.stats.inc_value(f"{STATS}/pages/efetch")
        records: list[ArticleRecord] = []
        now = utc_now()
        broken: str | None = None
        try:
            for record in iter_efetch_records(response.body,
                                              base_url=self.config.pubmed_base_url):
                prov = provs.get(record.pmid)
                if prov is None:  # not asked for (NCBI answers merged PMIDs under the new id)
                    continue
                record.provenance, record.fetched_at = prov, now
                records.append(record)
        except EutilsError as exc:
            broken = str(exc)
        found = {r.pmid for r in records}
        missing = {p: v for p, v in provs.items() if p not in found}
        if broken is not None and missing:
            self.stats.inc_value(f"{STATS}/eutils_unparseable")
            yield from self._again(response, missing, tries, broken)
        else:
            for pmid in missing:
                self.core.record_error(f"{self.config.pubmed_base_url}/{pmid}/", pmid,
                                       "PMID not in the efetch answer (unknown or withdrawn)",
                                       response.status, "not_found")
        if records and self.core.args.follow:
            yield self._elink(records)
        else:
            yield from self.core.finish_all(records)

    def _again(self, response: Response, missing: dict[str, Provenance], tries: int,
               reason: str) -> Iterator[Request]:
        """Ask again for what an unparseable answer lost (``split_again``'s policy)."""
        again = split_again(list(missing.items()), tries,
                            lambda part, n: self._efetch(dict(part), n))
        if not again:
            self._give_up(response.url, list(missing), f"unparseable efetch answer: {reason}",
                          response.status, "parse_error")
        yield from again

    def efetch_failed(self, failure: Failure, provs: dict[str, Provenance],
                      tries: int = 0) -> None:
        self._give_up(failure.request.url, list(provs),
                      f"efetch failed: {failure_reason(failure)}", failure_status(failure),
                      "download_error")

    # --- elink --------------------------------------------------------------------
    def parse_elink(self, response: Response, records: list[ArticleRecord],
                    tries: int = 0) -> Any:
        message = check_api_error(response.body)
        if message is None:
            return self._linked(response, records, tries)
        waiting = self._retry_later(self._elink(records, tries + 1), tries)
        if waiting is None:  # given up: the records are kept, their lists marked incomplete
            for record in records:
                self.core.record_error(response.url, record.pmid, f"E-utilities error after "
                                       f"{tries + 1} tries: {message}", response.status,
                                       "list_failed")
            return self._without_links(records)
        return waiting

    def _linked(self, response: Response, records: list[ArticleRecord],
                tries: int) -> Iterator[Any]:
        self.stats.inc_value(f"{STATS}/pages/elink")
        try:
            links = parse_elink(response.body)
        except EutilsError as exc:
            self.stats.inc_value(f"{STATS}/eutils_unparseable")
            again = split_again(records, tries, self._elink)
            yield from again
            if not again:
                self.core.record_error(response.url, records[0].pmid,
                                       f"unparseable elink answer: {exc}", response.status,
                                       "list_failed")
                yield from self._without_links(records)
            return
        for record in records:
            for linkname, pmids in links.get(record.pmid, {}).items():
                link = BY_ELINK_NAME.get(linkname)
                if link is None:
                    continue
                if link.relation is Relation.REFERENCES:  # efetch's list first, then PMC's
                    pmids = list(dict.fromkeys(record.reference_pmids + pmids))
                record.set_links(link.relation, pmids)
        yield from self.core.finish_all(records)

    def _without_links(self, records: list[ArticleRecord]) -> Iterator[ArticleRecord]:
        """Records whose link sets could not be had: kept, their lists marked incomplete."""
        for record in records:
            record.incomplete_lists = [r.value for r in self.core.args.follow]
        return self.core.finish_all(records)

    def elink_failed(self, failure: Failure, records: list[ArticleRecord],
                     tries: int = 0) -> Iterator[Any]:
        self.core.record_error(failure.request.url, None,
                               f"elink failed: {failure_reason(failure)}",
                               failure_status(failure), "list_failed")
        return self._without_links(records)

    # --- esearch ------------------------------------------------------------------
    def parse_esearch(self, response: Response, dates: tuple[str, str] | None,
                      retstart: int, tries: int = 0) -> Any:
        message = check_api_error(response.body)
        if message is not None:
            waiting = self._retry_later(self._esearch(dates, retstart, tries + 1), tries)
            if waiting is None:
                self.core.record_error(response.url, None, f"E-utilities error after "
                                       f"{tries + 1} tries: {message}", response.status,
                                       "search_failed")
            return waiting
        try:
            result = parse_esearch(response.body)
        except EutilsError as exc:
            if tries < 1:
                return [self._esearch(dates, retstart, tries + 1)]
            self.core.record_error(response.url, None, f"unparseable esearch answer: {exc}",
                                   response.status, "search_failed")
            return None
        return self._searched(result, dates, retstart)

    def _searched(self, result: Any, dates: tuple[str, str] | None,
                  retstart: int) -> Iterator[Any]:
        if retstart == 0 and dates is None and not result.count:
            report_no_results(self.core.crawler, self.core.args.query or "")
        cap = self.core.args.max_results
        if retstart == 0 and result.count >= ESEARCH_CAP and (cap is None or cap >= ESEARCH_CAP):
            # Past 10,000 hits esearch cannot page: split the publication-date range.
            lo, hi = dates or ("1800/01/01", f"{date.today().year + 1}/12/31")
            if lo != hi:
                self.stats.inc_value(f"{STATS}/esearch_splits")
                for part in split_date_range(lo, hi):
                    yield self._esearch(part, 0)
                return
            self.stats.set_value(f"{STATS}/query_truncated", True)
            self.core.logger.warning("%d results published on %s alone: only %d are reachable",
                                     result.count, lo, ESEARCH_CAP)
        yield from self._seeds_from(result.ids, cap)
        nxt = retstart + len(result.ids)
        more = cap is None or self.query_hits < cap
        if result.ids and nxt < min(result.count, ESEARCH_CAP) and more:
            yield self._esearch(dates, nxt)

    def _seeds_from(self, ids: list[str], cap: int | None) -> Iterator[Request]:
        """Query hits as seeds; ``max_results`` counts distinct hits, so it is exact even
        when the parts of a split query list an article twice."""
        frontier = self.core.frontier
        if cap is not None:
            fresh = [p for p in dict.fromkeys(ids) if not frontier.seen(p)]
            ids = fresh[: max(cap - self.query_hits, 0)]
        before = len(frontier)
        batch = self.core.seed_batch(ids)
        self.query_hits += len(frontier) - before
        yield from self.requests_for(batch)

    def esearch_failed(self, failure: Failure, **_: Any) -> None:
        self.core.record_error(failure.request.url, None,
                               f"esearch failed: {failure_reason(failure)}",
                               failure_status(failure), "search_failed")
