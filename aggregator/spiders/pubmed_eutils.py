"""``pubmed_eutils``: the same crawl through NCBI E-utilities (esearch, elink, efetch).

Per level of the snowball: efetch the articles 200 at a time (POST, parsed
streaming), then one elink per batch for all three relations (repeated ``id=``
so each id gets its own link set). About 0.01 requests per record.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

from scrapy import FormRequest, Request
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from aggregator.crawl.outcome import report_no_results
from aggregator.records import ArticleRecord, Provenance, Relation
from aggregator.sources.eutils.parse import (
    check_api_error,
    iter_efetch_records,
    parse_elink,
    parse_esearch,
    split_date_range,
)
from aggregator.spiders.base import STATS, SnowballSpider, utc_now

BATCH = 200  # efetch's documented maximum per request
ESEARCH_CAP = 10_000  # esearch cannot page past 10,000 results of one query
ESEARCH_PAGE = 9_999
LINKNAMES = {
    "pubmed_pubmed": Relation.SIMILAR,
    "pubmed_pubmed_refs": Relation.REFERENCES,
    "pubmed_pubmed_citedin": Relation.CITED_BY,
}


class PubmedEutilsSpider(SnowballSpider):
    """Same arguments, records, provenance and pipelines as ``pubmed``."""

    name = "pubmed_eutils"
    source = "eutils"
    base_url_setting = "EUTILS_BASE_URL"
    # E-utilities is an API governed by NCBI's usage rules (rate, tool, email,
    # api_key); its host's robots.txt disallows all crawling, so it is not consulted.
    custom_settings = {"ROBOTSTXT_OBEY": False}

    @classmethod
    def slot_delay(cls, settings: BaseSettings) -> float:
        """3 requests/s without an API key, 10 with one (NCBI's published limits)."""
        if settings.get("NCBI_API_KEY") or os.environ.get("NCBI_API_KEY"):
            return settings.getfloat("EUTILS_DELAY_WITH_KEY", 0.11)
        return settings.getfloat("EUTILS_DELAY", 0.35)

    async def start(self) -> AsyncIterator[Request]:
        if self.args.query:
            yield self._esearch(None, 0)
        for request in self.requests_for(self.seed_batch(self.args.seeds)):
            yield request

    # --- requests -------------------------------------------------------------
    def _call(self, tool: str, data: dict[str, Any], callback: Any, **kwargs: Any) -> Request:
        """A POST to E-utilities (the key never appears in a logged URL)."""
        form: dict[str, Any] = {"db": "pubmed", **data, "tool": self.settings.get("NCBI_TOOL")}
        email, key = self.settings.get("NCBI_EMAIL"), self.settings.get("NCBI_API_KEY")
        if email:
            form["email"] = str(email)
        if key:
            form["api_key"] = str(key)
        return FormRequest(f"{self.base_url}/{tool}.fcgi", formdata=form, callback=callback,
                           errback=self.call_failed, cb_kwargs=kwargs, dont_filter=True)

    def requests_for(self, batch: list[tuple[str, Provenance]]) -> Iterator[Request]:
        new, known = self.split_known(batch)
        for start in range(0, len(new), BATCH):
            provs = dict(new[start:start + BATCH])
            yield self._call("efetch", {"retmode": "xml", "id": ",".join(provs)},
                             self.parse_efetch, provs=provs)
        # emitted by an earlier run: only re-read their link sets
        for start in range(0, len(known), BATCH):
            yield self._elink(known[start:start + BATCH])

    def _esearch(self, dates: tuple[str, str] | None, retstart: int) -> Request:
        data: dict[str, Any] = {"term": self.args.query, "retstart": str(retstart),
                                "retmax": str(ESEARCH_PAGE)}
        if dates:
            data.update(datetype="pdat", mindate=dates[0], maxdate=dates[1])
        return self._call("esearch", data, self.parse_esearch, dates=dates, retstart=retstart)

    # --- answers --------------------------------------------------------------
    def _api_error(self, response: Response) -> Iterator[Request] | None:
        """NCBI's error answers (e.g. rate limit): retry with back-off, or record them."""
        message = check_api_error(response.body)
        if message is None:
            return None
        self.crawler.stats.inc_value(f"{STATS}/eutils_api_errors")
        retry = get_retry_request(response.request, spider=self, reason=f"eutils: {message}")
        if retry is None:
            self.record_error(response.url, None, f"E-utilities error: {message}",
                              response.status, "eutils_error")
            return iter(())
        return iter((retry,))

    def parse_efetch(self, response: Response, provs: dict[str, Provenance]) -> Iterator[Any]:
        if (failed := self._api_error(response)) is not None:
            yield from failed
            return
        self.crawler.stats.inc_value(f"{STATS}/pages/efetch")
        records: list[ArticleRecord] = []
        now = utc_now()
        for record in iter_efetch_records(response.body, base_url=self.pubmed_base_url):
            prov = provs.get(record.pmid)
            if prov is None:  # not asked for (NCBI answers merged PMIDs under the new id)
                continue
            record.provenance, record.fetched_at = prov, now
            records.append(record)
        found = {r.pmid for r in records}
        for pmid in provs:
            if pmid not in found:
                self.record_error(f"{self.pubmed_base_url}/{pmid}/", pmid,
                                  "PMID not in the efetch answer (unknown or withdrawn)",
                                  response.status, "not_found")
        if records and self.args.follow:
            yield self._elink(records)
        else:
            yield from self._finish_all(records)

    def _elink(self, records: list[ArticleRecord]) -> Request:
        """One elink for all relations of these records (repeated ``id=``)."""
        ids = [r.pmid for r in records]
        return self._call("elink", {"dbfrom": "pubmed", "cmd": "neighbor", "id": ids},
                          self.parse_elink, records=records)

    def parse_elink(self, response: Response, records: list[ArticleRecord]) -> Iterator[Any]:
        if (failed := self._api_error(response)) is not None:
            yield from failed
            return
        self.crawler.stats.inc_value(f"{STATS}/pages/elink")
        links = parse_elink(response.body)
        for record in records:
            for linkname, pmids in links.get(record.pmid, {}).items():
                relation = LINKNAMES.get(linkname)
                if relation is Relation.SIMILAR:
                    record.similar_pmids = pmids
                elif relation is Relation.CITED_BY:
                    record.cited_by_pmids = pmids
                elif relation is Relation.REFERENCES:
                    record.reference_pmids = list(dict.fromkeys(record.reference_pmids + pmids))
        yield from self._finish_all(records)

    def _finish_all(self, records: list[ArticleRecord]) -> Iterator[ArticleRecord]:
        for record in records:
            links = {Relation.SIMILAR: record.similar_pmids,
                     Relation.REFERENCES: record.reference_pmids,
                     Relation.CITED_BY: record.cited_by_pmids}
            out = self.finish(record, links)
            if out is not None:
                yield out

    def parse_esearch(self, response: Response, dates: tuple[str, str] | None,
                      retstart: int) -> Iterator[Any]:
        if (failed := self._api_error(response)) is not None:
            yield from failed
            return
        result = parse_esearch(response.body)
        if retstart == 0 and dates is None and not result.count:
            report_no_results(self.crawler, self.args.query or "")
        cap = self.args.max_results
        if retstart == 0 and result.count >= ESEARCH_CAP and (cap is None or cap >= ESEARCH_CAP):
            # Past 10,000 hits esearch cannot page: split the publication-date range.
            lo, hi = dates or ("1800/01/01", f"{date.today().year + 1}/12/31")
            if lo != hi:
                self.crawler.stats.inc_value(f"{STATS}/esearch_splits")
                for part in split_date_range(lo, hi):
                    yield self._esearch(part, 0)
                return
            self.crawler.stats.set_value(f"{STATS}/query_truncated", True)
            self.logger.warning("%d results published on %s alone: only %d are reachable",
                                result.count, lo, ESEARCH_CAP)
        room = None if cap is None else cap - self._query_hits
        ids = result.ids if room is None else result.ids[: max(room, 0)]
        self._query_hits += len(ids)
        yield from self.requests_for(self.seed_batch(ids))
        nxt = retstart + len(result.ids)
        more = room is None or room > len(ids)
        if result.ids and nxt < min(result.count, ESEARCH_CAP) and more:
            yield self._esearch(dates, nxt)

    _query_hits = 0

    def call_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        kw = request.cb_kwargs
        reason = (f"HTTP {status}" if status
                  else f"{failure.type.__name__}: {failure.getErrorMessage()}")
        if "provs" in kw:  # efetch: these articles got no record
            for pmid in kw["provs"]:
                self.record_error(f"{self.pubmed_base_url}/{pmid}/", pmid,
                                  f"efetch failed: {reason}", status, "download_error")
        elif "records" in kw:  # elink: keep the records, say which lists are missing
            self.record_error(request.url, None, f"elink failed: {reason}", status, "list_failed")
            for record in kw["records"]:
                record.incomplete_lists = [r.value for r in self.args.follow]
            yield from self._finish_all(kw["records"])
        else:
            self.record_error(request.url, None, f"esearch failed: {reason}", status,
                              "search_failed")
