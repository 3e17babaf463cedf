"""The link step: records wait here for iCite before the core finishes them.

Both adapters hand finished records to ``core.finish_all``, which passes them through
:class:`LinkStep`. With ``links=pubmed`` the step only counts each relation's links and
hands the records on. When ``links`` includes ``icite``, records are held until
``ICITE_BATCH`` of them (1,000) are waiting, or the level is done (the core calls
:meth:`LinkStep.flush` on ``spider_idle``): one ``GET {ICITE_BASE_URL}/pubs?pmids=…&fl=…``
per 1,000 PMIDs of a level. The answer sets references / cited-by (iCite's alone, or
PubMed's first then iCite's additions), ``citation_metrics``, ``links_by_source`` and the
per-link sources, and only then are the records finished, so the next level is built
from the complete lists.

What a failure means: after Scrapy's retries (5xx, timeouts), or an answer that is not
iCite JSON, one ``icite_failed`` error entry per PMID; the records are still written with
PubMed's lists, ``citation_metrics`` null and the two relations in ``incomplete_lists``.
An article iCite does not know keeps PubMed's lists, ``citation_metrics`` null (counted in
``aggregator/icite/unknown``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.http import Response
from twisted.python.failure import Failure

from aggregator.records import LINKS, ArticleRecord, Relation
from aggregator.sources.icite.parse import FIELDS, IciteError, IcitePub, parse_pubs

if TYPE_CHECKING:
    from aggregator.spiders.core import SnowballSpider

__all__ = ["ICITE_RELATIONS", "LinkStep"]

#: the relations iCite serves (similar articles stay PubMed's)
ICITE_RELATIONS = (Relation.REFERENCES, Relation.CITED_BY)
#: iCite answers go before new articles so held records complete early
ICITE_PRIORITY = 20
_STATS = "aggregator/icite"


class LinkStep:
    """Counts each relation's links by source; asks iCite when ``links`` includes it."""

    def __init__(self, core: SnowballSpider, links: tuple[str, ...]) -> None:
        self.core = core
        self.use_pubmed = "pubmed" in links
        self.use_icite = "icite" in links
        self.base_url = core.config.icite_base_url
        self.batch = core.config.icite_batch
        self.pending: list[ArticleRecord] = []
        core.crawler.signals.connect(self._closed, signal=signals.spider_closed)

    # --- what the core calls --------------------------------------------------
    def hold(self, records: Iterable[ArticleRecord]) -> Iterator[Any]:
        """Records whose lists are done at their source: requests or finished records."""
        records = list(records)
        if not self.use_icite:
            for record in records:
                count_pubmed(record)
            yield from self.core.hand_on(records)
            return
        self.pending.extend(records)
        while len(self.pending) >= self.batch:
            chunk, self.pending = self.pending[:self.batch], self.pending[self.batch:]
            yield self._request(chunk)

    def flush(self) -> list[Request]:
        """The level is done: ask iCite for every record still waiting."""
        chunks = [self.pending[i:i + self.batch] for i in range(0, len(self.pending), self.batch)]
        self.pending = []
        return [self._request(chunk) for chunk in chunks]

    def _closed(self) -> None:
        """A crawl stopped early (a block, Ctrl-C) leaves held records unwritten: say so
        (they are not journaled, so a resumed run fetches them again)."""
        if self.pending:
            self.core.crawler.stats.set_value(f"{_STATS}/held_at_close", len(self.pending))
            self.core.logger.warning("%d records waiting for iCite were not written (the "
                                     "crawl stopped early; a resumed run fetches them again)",
                                     len(self.pending))

    def _request(self, records: list[ArticleRecord]) -> Request:
        pmids = ",".join(dict.fromkeys(r.pmid for r in records))
        url = f"{self.base_url}/pubs?pmids={pmids}&fl={','.join(FIELDS)}"
        request = self.core.request(url, "icite", priority=ICITE_PRIORITY, records=records)
        # an API governed by its usage rules (contract), never rendered in a browser
        request.meta["dont_obey_robotstxt"] = True
        request.meta.pop("playwright", None)
        self.core.crawler.stats.inc_value(f"{_STATS}/requests")
        return request

    # --- answers ----------------------------------------------------------------
    def answered(self, response: Response, records: list[ArticleRecord]) -> Iterator[Any]:
        """iCite's answer: merge it into each record, then finish them."""
        try:
            pubs = parse_pubs(response.body)
        except IciteError as exc:
            yield from self._without(records, response.url, f"unparseable iCite answer: {exc}",
                                     response.status)
            return
        from aggregator.spiders.core import utc_now  # the core imports this module

        now = utc_now()
        unknown = 0
        for record in records:
            pub = pubs.get(record.pmid)
            if pub is None:
                unknown += 1
                count_pubmed(record)
            else:
                self._merge(record, pub, now)
        if unknown:
            self.core.crawler.stats.inc_value(f"{_STATS}/unknown", unknown)
            self.core.logger.info("iCite has no entry for %d of %d articles: PubMed's lists "
                                  "kept for those (citation_metrics null)", unknown, len(records))
        yield from self.core.hand_on(records)

    def failed(self, failure: Failure, records: list[ArticleRecord]) -> Iterator[Any]:
        """iCite failed after Scrapy's retries: an error entry per PMID, records kept."""
        from aggregator.spiders.core import failure_reason, failure_status

        yield from self._without(records, failure.request.url, failure_reason(failure),
                                 failure_status(failure))

    def _without(self, records: list[ArticleRecord], url: str, reason: str,
                 status: int | None) -> Iterator[Any]:
        for record in records:
            self.core.record_error(f"{self.base_url}/pubs/{record.pmid}", record.pmid,
                                   f"iCite failed ({reason}): PubMed's lists kept", status,
                                   "icite_failed")
            for relation in ICITE_RELATIONS:
                if relation.value not in record.incomplete_lists:
                    record.incomplete_lists.append(relation.value)
            count_pubmed(record)
        yield from self.core.hand_on(records)

    def _merge(self, record: ArticleRecord, pub: IcitePub, now: str) -> None:
        """iCite's lists into the record: alone, or after PubMed's (its additions only)."""
        links = record.links()
        count_pubmed(record)
        for relation, given in ((Relation.REFERENCES, pub.references),
                                (Relation.CITED_BY, pub.cited_by)):
            icite = [p for p in given if p != record.pmid]
            pubmed = links[relation] if self.use_pubmed else []
            in_pubmed, in_icite = set(pubmed), set(icite)
            added = [p for p in icite if p not in in_pubmed]
            record.set_links(relation, pubmed + added)
            counts = {"pubmed": len(pubmed)} if self.use_pubmed else {}
            counts["icite"] = len(icite)
            record.links_by_source[relation.value] = counts
            only = {"pubmed": [p for p in pubmed if p not in in_icite], "icite": added}
            only = {source: pmids for source, pmids in only.items() if pmids}
            if self.use_pubmed and only:
                record.link_only[relation.value] = only
            else:
                record.link_only.pop(relation.value, None)
            self.core.crawler.stats.inc_value(f"{_STATS}/links_added/{relation.value}",
                                              len(added) if self.use_pubmed else 0)
        record.citation_metrics = {
            "citation_count": pub.citation_count,
            "relative_citation_ratio": pub.relative_citation_ratio,
            "nih_percentile": pub.nih_percentile,
            "apt": pub.apt,
            "cited_by_clinical_count": pub.cited_by_clinical_count,
            "provisional": pub.provisional,
            "source": "icite",
            "fetched_at": now,
        }


def count_pubmed(record: ArticleRecord) -> None:
    """``links_by_source`` of a record whose lists are all PubMed's."""
    for link in LINKS:
        pmids = getattr(record, link.field)
        record.links_by_source[link.relation.value] = {
            "pubmed": sum(1 for p in pmids if p != record.pmid)}
