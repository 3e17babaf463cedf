"""Turn user input (PMIDs, PubMed URLs in their real forms, files) into PMIDs.

Everything here raises :class:`SeedError` with one line saying what was wrong
and what is accepted; the spider turns that into a clean non-zero exit before
any request is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aggregator.records import FOLLOWABLE, Relation
from aggregator.text import is_pmid


class SeedError(ValueError):
    """Bad spider input; the message is shown to the user as it is."""


# PubMed article URLs as people paste them: current site, http or https, with
# or without trailing slash / query, the legacy www.ncbi.nlm.nih.gov/pubmed/N
# form, and the same URL quoted inside other text ("Link to original content: …").
_PUBMED_URL = re.compile(
    r"https?://(?:pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed)/(\d+)(?=[/?#\s\"'<>)]|$)",
    re.I,
)
_ANY_URL = re.compile(r"https?://\S+", re.I)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def parse_pmid(text: str) -> str:
    """A PMID as a canonical digit string; zero, signs and non-digits are refused."""
    value = text.strip()
    # is_pmid: ASCII digits only (str.isdigit() and \d accept "３７８"); no leading zero
    if not is_pmid(value) or value[0] == "0" or len(value) > 10:
        raise SeedError(
            f"invalid PMID {text!r}: a PMID is a positive whole number such as 34984054"
        )
    return value


def pmid_from_url(text: str, base_url: str | None = None) -> str:
    """The PMID of a PubMed article URL, or of the PubMed URL quoted in ``text``.

    ``base_url`` (the configured mirror) is accepted too, so URLs copied from a
    mirror work. Any other site is refused: it is never fetched.
    """
    match = _PUBMED_URL.search(text)
    if match:
        return parse_pmid(match.group(1))
    if base_url:
        base = urlsplit(base_url)
        for url in _ANY_URL.findall(text):
            parts = urlsplit(url.rstrip(".,;)"))
            if parts.netloc == base.netloc:
                m = re.fullmatch(r"/(\d+)/?", parts.path[len(base.path.rstrip("/")) :])
                if m:
                    return parse_pmid(m.group(1))
    raise SeedError(
        f"not a PubMed article URL: {text.strip()!r}; accepted: "
        "https://pubmed.ncbi.nlm.nih.gov/<PMID>/ (http, with or without trailing slash), "
        "https://www.ncbi.nlm.nih.gov/pubmed/<PMID>, or text quoting such a URL"
    )


def parse_seed_token(token: str, base_url: str | None = None) -> str:
    """One seed: a PMID or anything :func:`pmid_from_url` accepts."""
    token = token.strip()
    if not re.search(r"[/:.]", token):
        return parse_pmid(token)
    return pmid_from_url(token, base_url)


def read_pmids_file(path: str, base_url: str | None = None) -> list[str]:
    """PMIDs or URLs, one a line; blank lines and ``#`` comments are skipped."""
    file = Path(path)
    if not file.is_file():
        raise SeedError(f"pmids_file {path!r} does not exist (one PMID or PubMed URL a line)")
    pmids: list[str] = []
    try:
        # utf-8-sig: Notepad and Excel start a UTF-8 file with a byte order mark
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SeedError(
            f"pmids_file {path!r} is not UTF-8 text (byte {exc.start} cannot be read): "
            "save it as UTF-8, one PMID or PubMed URL a line"
        ) from None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()  # a URL's own "#frag" has no space
        if not line:
            continue
        try:
            pmids.append(parse_seed_token(line, base_url))
        except SeedError as exc:
            raise SeedError(f"{path}:{lineno}: {exc}") from None
    if not pmids:
        raise SeedError(f"pmids_file {path!r} holds no PMID (one PMID or PubMed URL a line)")
    return pmids


def split_pmids(value: str | None) -> list[str]:
    """Items of ``pmids=``: comma (or newline) separated; a space inside an item is refused.

    "378 82686" is more likely one PMID with a stray space than two PMIDs: guessing
    either way could crawl the wrong article, so it is refused.
    """
    if not value:
        return []
    items = [t.strip() for t in re.split(r"[,\n]", value)]
    for item in items:
        if re.search(r"\s", item):
            raise SeedError(
                f"pmids={value!r}: {item!r} holds a space; separate PMIDs with commas "
                "(pmids=34984054,37882686)"
            )
    return [t for t in items if t]


def split_list(value: str | None) -> list[str]:
    """Comma or whitespace separated tokens; URLs may contain neither."""
    if not value:
        return []
    return [t for t in re.split(r"[,\s]+", value.strip()) if t]


def split_urls(value: str | None) -> list[str]:
    """Items of ``urls=``: comma/newline separated; pasted text stays whole per line."""
    if not value:
        return []
    if "\n" in value:
        return [line for line in value.splitlines() if line.strip()]
    if _ANY_URL.search(value) and not value.count("http") > 1:
        return [value]
    return [t for t in re.split(r",\s*(?=https?://)|\s+(?=https?://)", value.strip()) if t]


def parse_int(name: str, value: str | int | None, default: int | None, minimum: int) -> int | None:
    """A whole-number argument ≥ ``minimum``, or ``default`` when absent."""
    if value is None or value == "":
        return default
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?[0-9]+", text) or int(text) < minimum:
        raise SeedError(f"{name}={value!r} is not valid: expected a whole number >= {minimum}")
    return int(text)


def parse_bool(name: str, value: str | bool | None) -> bool:
    """1/0, true/false, yes/no, on/off."""
    if isinstance(value, bool):
        return value
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SeedError(f"{name}={value!r} is not valid: expected 1/0, true/false or yes/no")


def parse_follow(value: str | None) -> tuple[Relation, ...]:
    """``follow=`` as relations, in the canonical order; empty means follow nothing."""
    if value is None:
        return FOLLOWABLE
    names = split_list(value.replace("-", "_"))
    allowed = {r.value: r for r in FOLLOWABLE}
    if "none" in names and len(names) > 1:
        raise SeedError(f"follow={value!r}: 'none' cannot be combined with other relations")
    unknown = [n for n in names if n not in allowed and n != "none"]
    if unknown:
        raise SeedError(
            f"follow={value!r}: unknown value {unknown[0]!r}; accepted: "
            "any of similar,references,cited_by (comma separated) or none"
        )
    return tuple(r for r in FOLLOWABLE if r.value in names)


#: ``links=``: where references / cited-by come from. Default: both (README, "Citation
#: links: PubMed, iCite or both").
LINK_SOURCES = ("pubmed", "icite")
DEFAULT_LINKS = ("pubmed", "icite")


def parse_links(value: str | None) -> tuple[str, ...]:
    """``links=pubmed|icite|pubmed,icite`` as sources in canonical order."""
    if value is None:
        return DEFAULT_LINKS
    names = split_list(value.lower())
    unknown = [n for n in names if n not in LINK_SOURCES]
    if unknown or not names:
        raise SeedError(f"links={value!r} is not valid: expected pubmed, icite or pubmed,icite")
    return tuple(s for s in LINK_SOURCES if s in names)


@dataclass(frozen=True, slots=True)
class CrawlArgs:
    """Validated spider arguments, shared by both spiders."""

    seeds: tuple[str, ...]
    query: str | None
    depth: int
    follow: tuple[Relation, ...]
    max_articles: int | None
    max_results: int | None
    reviews_only: bool
    render: bool
    links: tuple[str, ...] = DEFAULT_LINKS


def parse_crawl_args(
    *,
    pmids: str | None = None,
    pmids_file: str | None = None,
    urls: str | None = None,
    query: str | None = None,
    depth: str | int | None = None,
    follow: str | None = None,
    max_articles: str | int | None = None,
    max_results: str | int | None = None,
    reviews_only: str | bool | None = None,
    render: str | bool | None = None,
    links: str | None = None,
    base_url: str | None = None,
) -> CrawlArgs:
    """Validate every argument before any request; duplicate seeds merge silently."""
    seeds: list[str] = [parse_seed_token(t, base_url) for t in split_pmids(pmids)]
    if pmids_file is not None:
        if not pmids_file.strip():
            raise SeedError("pmids_file is empty: give the path of a file with one PMID a line")
        seeds += read_pmids_file(pmids_file, base_url)
    seeds += [pmid_from_url(u, base_url) for u in split_urls(urls)]
    if query is not None and not query.strip():
        raise SeedError(
            "query is empty: give a PubMed search, e.g. -a query='ketamine fibromyalgia'"
        )
    query = query.strip() if query else None
    if max_results not in (None, "") and not query:
        raise SeedError("max_results caps the hits of a query: give -a query=SEARCH with it")
    if not seeds and not query:
        raise SeedError(
            "no seeds: give -a pmids=1,2 and/or -a pmids_file=FILE, -a urls=URL, -a query=SEARCH"
        )
    return CrawlArgs(
        seeds=tuple(dict.fromkeys(seeds)),
        query=query,
        depth=parse_int("depth", depth, 1, 0),  # type: ignore[arg-type]
        follow=parse_follow(follow),
        max_articles=parse_int("max_articles", max_articles, None, 1),
        max_results=parse_int("max_results", max_results, None, 1),
        reviews_only=parse_bool("reviews_only", reviews_only),
        render=parse_bool("render", render),
        links=parse_links(links),
    )
