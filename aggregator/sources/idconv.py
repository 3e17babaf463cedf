"""NCBI's PMC ID Converter API: PMCIDs to PMIDs (both sources use it for ``pmcids=``).

Relied on, from NCBI's documentation (https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/):
the service root is ``https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/``;
``ids`` takes up to 200 ids separated by commas (type auto-detected), ``format=json``
gives ``{"status": "ok", "records": [{"pmcid", "pmid", "doi", "requested-id"}, …]}``, an
id it does not know comes back as a record with ``"status": "error"`` and ``errmsg``;
``tool`` and ``email`` identify the client. It answers only for articles in PubMed
Central, which every PMCID is.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from aggregator.text import bare_pmcid, is_pmid

__all__ = ["IDCONV_BATCH", "IdconvError", "idconv_url", "parse_idconv"]

IDCONV_BATCH = 200  # the documented maximum of ids per request


class IdconvError(ValueError):
    """The answer is not the converter's JSON (or says the whole request failed)."""


def idconv_url(base_url: str, pmcids: list[str], tool: str) -> str:
    """The GET URL converting up to 200 PMCIDs.

    The contact e-mail is not put in the URL: URLs appear in error entries and in
    Scrapy's retry log lines, and the e-mail is never logged; it reaches NCBI in the
    User-Agent (``mailto:``) of every request instead.
    """
    query = urlencode({"ids": ",".join(pmcids), "format": "json", "tool": tool})
    return f"{base_url.rstrip('/')}/?{query}"


def parse_idconv(body: bytes) -> dict[str, str | None]:
    """``{requested PMCID: PMID or None}`` for every record of the answer."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise IdconvError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        message = data.get("message") or data.get("errmsg") if isinstance(data, dict) else None
        raise IdconvError(f"no records in the answer{': ' + str(message) if message else ''}")
    out: dict[str, str | None] = {}
    for rec in data["records"]:
        if not isinstance(rec, dict):
            continue
        asked = bare_pmcid(str(rec.get("requested-id") or rec.get("pmcid") or ""))
        if asked is None:
            continue
        pmid = str(rec.get("pmid") or "")  # an int in some answers, a string in others
        out[asked] = pmid if pmid and is_pmid(pmid) and rec.get("status") != "error" else None
    return out
