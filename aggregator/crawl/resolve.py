"""Seeds that are not PMIDs: DOIs, doi.org URLs, PMCIDs and PMC article URLs.

Reviewers copy DOIs from a reference manager and PMC links from full texts. This module
recognises them (the identifier rules themselves are :mod:`aggregator.text`'s) so the
argument parser can set them aside; each source adapter then resolves them to PMIDs
(``resolve_requests``): DOIs by a PubMed search / esearch on the ``[doi]`` field, PMCIDs
through NCBI's PMC ID Converter (:mod:`aggregator.sources.idconv`). A seed that resolves
to nothing is reported (error entry ``unresolved_seed``, log, manifest), never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from aggregator.text import bare_doi, bare_pmcid

__all__ = ["SeedId", "other_id", "parse_dois", "parse_pmcids"]

#: a DOI: "10." + registrant code + "/" + suffix (the DOI Handbook's syntax)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(\S+)", re.I)
#: PMC article URLs, the current site and the legacy one (www.ncbi.nlm.nih.gov/pmc/articles/)
_PMC_URL = re.compile(
    r"https?://(?:pmc\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pmc)/articles/(PMC\d+)",
    re.I,
)
_PMCID = re.compile(r"PMC\d+", re.I)


@dataclass(frozen=True, slots=True)
class SeedId:
    """A seed given as another identifier: ``kind`` "doi" or "pmcid", ``value`` bare."""

    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def _doi(text: str) -> str | None:
    doi = bare_doi(text)
    return doi if doi and _DOI.fullmatch(doi) else None


def other_id(text: str) -> SeedId | None:
    """The DOI or PMCID ``text`` is (or quotes as a doi.org / PMC URL), else None."""
    token = text.strip().strip("<>\"'")
    m = _PMC_URL.search(token)
    if m:
        return SeedId("pmcid", bare_pmcid(m.group(1)) or m.group(1).upper())
    if _PMCID.fullmatch(token):
        return SeedId("pmcid", token.upper())
    m = _DOI_URL.search(token)
    if m:  # a doi.org URL quotes the DOI percent-encoded when it holds / < > #
        doi = _doi(unquote(m.group(1)).rstrip(".,;)"))
        return SeedId("doi", doi) if doi else None
    doi = _doi(token)
    return SeedId("doi", doi) if doi else None


def parse_dois(values: list[str]) -> list[SeedId]:
    """``dois=``: each a DOI, ``doi:`` DOI or doi.org URL; anything else is refused."""
    from aggregator.crawl.seeds import SeedError  # seeds imports this module

    out = []
    for value in values:
        found = other_id(value)
        if found is None or found.kind != "doi":
            raise SeedError(f"not a DOI: {value!r}; accepted: 10.1097/CRD.0000000000000623, "
                            "doi:10.…, https://doi.org/10.…")
        out.append(found)
    return out


def parse_pmcids(values: list[str]) -> list[SeedId]:
    """``pmcids=``: each PMC1234567, its digits alone, or a PMC article URL."""
    from aggregator.crawl.seeds import SeedError

    out = []
    for value in values:
        found = SeedId("pmcid", f"PMC{value}") if value.isascii() and value.isdigit() \
            else other_id(value)
        if found is None or found.kind != "pmcid":
            raise SeedError(f"not a PMCID: {value!r}; accepted: PMC1234567, 1234567, "
                            "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/")
        out.append(found)
    return out
