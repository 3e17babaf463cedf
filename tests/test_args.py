"""Spider arguments: every real seed form accepted, bad input refused before any request."""

from __future__ import annotations

import pytest

from aggregator.crawl.seeds import SeedError, parse_crawl_args, pmid_from_url
from tests.mirror.localrun import run_crawl

SEED_TEXT_LINE = "Link to original content: http://pubmed.ncbi.nlm.nih.gov/34984054/"


@pytest.mark.parametrize("url", [
    "https://pubmed.ncbi.nlm.nih.gov/34984054/",
    "http://pubmed.ncbi.nlm.nih.gov/34984054/",
    "https://pubmed.ncbi.nlm.nih.gov/34984054",
    "https://pubmed.ncbi.nlm.nih.gov/34984054/?from_single_result=1",
    "https://www.ncbi.nlm.nih.gov/pubmed/34984054",
    "http://ncbi.nlm.nih.gov/pubmed/34984054/",
    SEED_TEXT_LINE,
])
def test_every_real_url_form_gives_the_pmid(url):
    assert pmid_from_url(url) == "34984054"


def test_mirror_urls_are_accepted_when_they_are_the_base_url():
    assert pmid_from_url("http://127.0.0.1:8123/42/", "http://127.0.0.1:8123") == "42"


def test_seeds_mix_and_duplicates_merge(tmp_path):
    listing = tmp_path / "seeds.txt"
    listing.write_text("# my seeds\n37882686\n\nhttps://pubmed.ncbi.nlm.nih.gov/111/  # a url\n")
    args = parse_crawl_args(pmids="34984054,37882686", pmids_file=str(listing),
                            urls=SEED_TEXT_LINE)
    assert args.seeds == ("34984054", "37882686", "111")
    assert args.depth == 1
    assert [r.value for r in args.follow] == ["similar", "references", "cited_by"]


def test_follow_and_booleans():
    args = parse_crawl_args(pmids="1", follow="cited_by,similar", reviews_only="yes", render="0")
    assert [r.value for r in args.follow] == ["similar", "cited_by"]
    assert args.reviews_only is True
    assert args.render is False


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"pmids": "abc"}, "invalid PMID 'abc'"),
    ({"pmids": "0"}, "invalid PMID '0'"),
    ({"pmids": "-5"}, "invalid PMID '-5'"),
    ({"urls": "https://example.com/34984054/"}, "not a PubMed article URL"),
    ({"pmids": "1", "depth": "-1"}, "depth='-1' is not valid"),
    ({"pmids": "1", "depth": "1.5"}, "depth='1.5' is not valid"),
    ({"pmids": "1", "follow": "siblings"}, "unknown value 'siblings'"),
    ({"query": "  "}, "query is empty"),
    ({"pmids_file": ""}, "pmids_file is empty"),
    ({"pmids_file": "/nonexistent/seeds.txt"}, "does not exist"),
    ({}, "no seeds"),
    ({"pmids": "1", "max_articles": "0"}, "max_articles='0' is not valid"),
    ({"pmids": "1", "reviews_only": "maybe"}, "expected 1/0"),
])
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(SeedError, match=message.replace("(", r"\(")):
        parse_crawl_args(**kwargs)


def test_empty_pmids_file_is_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n\n")
    with pytest.raises(SeedError, match="holds no PMID"):
        parse_crawl_args(pmids_file=str(empty))


@pytest.mark.parametrize("spider", ["pubmed", "pubmed_eutils"])
def test_scrapy_crawl_exits_non_zero_with_one_line_and_no_request(spider):
    # The base URL points at a closed port: any request would be a visible error.
    done = run_crawl(spider, {"pmids": "12x"}, {
        "PUBMED_BASE_URL": "http://127.0.0.1:9", "EUTILS_BASE_URL": "http://127.0.0.1:9",
        "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": "0",
    }, timeout=60)
    assert done.returncode == 2
    assert "error: invalid PMID '12x'" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Crawled (" not in done.stderr


# --- bad input, the rest of it (reliability issue) ---------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    # full-width and Arabic-Indic digits pass str.isdigit() and Python's \d
    ({"pmids": "3７８８２６８６"}, "invalid PMID"),
    ({"pmids": "1٣٧"}, "invalid PMID"),
    ({"pmids": "1", "depth": "２"}, "depth='２' is not valid"),
    ({"pmids": "1", "follow": "none,similar"}, "'none' cannot be combined"),
    ({"pmids": "1", "max_results": "5"}, "max_results caps the hits of a query"),
    ({"pmids": "378 82686"}, "holds a space"),
])
def test_more_bad_input_is_refused(kwargs, message):
    with pytest.raises(SeedError, match=message):
        parse_crawl_args(**kwargs)


def test_comma_lists_with_spaces_after_commas_still_work():
    assert parse_crawl_args(pmids="1, 2 ,3").seeds == ("1", "2", "3")
    assert parse_crawl_args(query="x", max_results="5").max_results == 5


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    listing = tmp_path / "seeds.txt"
    listing.write_bytes("\ufeff37882686\r\n34984054\r\n".encode())  # as Notepad saves it
    assert parse_crawl_args(pmids_file=str(listing)).seeds == ("37882686", "34984054")


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00", "37882686 # Müller\n"
                                     .encode("latin-1")])
def test_a_pmids_file_that_is_not_utf8_is_one_clear_error(tmp_path, content):
    listing = tmp_path / "seeds.txt"
    listing.write_bytes(content)
    with pytest.raises(SeedError, match="is not UTF-8 text"):
        parse_crawl_args(pmids_file=str(listing))


def test_a_latin1_pmids_file_exits_2_with_one_line_and_no_request(tmp_path):
    listing = tmp_path / "seeds.txt"
    listing.write_bytes("37882686 # Müller\n".encode("latin-1"))
    done = run_crawl("pubmed", {"pmids_file": listing}, {
        "PUBMED_BASE_URL": "http://127.0.0.1:9", "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": "0", "OUTPUT_DIR": tmp_path / "side",
    }, timeout=60)
    assert done.returncode == 2
    assert [line for line in done.stderr.splitlines() if line.startswith("error:")] == [
        f"error: pmids_file {str(listing)!r} is not UTF-8 text (byte 12 cannot be read): "
        "save it as UTF-8, one PMID or PubMed URL a line"]
    assert "Traceback" not in done.stderr and "Crawled (" not in done.stderr
