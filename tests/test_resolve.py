"""DOI and PMCID seeds: recognised in every form reviewers paste, parsed in one place."""

from __future__ import annotations

import json

import pytest

from aggregator.crawl.resolve import SeedId, other_id
from aggregator.crawl.seeds import SeedError, parse_crawl_args
from aggregator.sources.idconv import IdconvError, idconv_url, parse_idconv

DOI = "10.1097/CRD.0000000000000623"


@pytest.mark.parametrize("text", [
    DOI, f"doi:{DOI}", f"doi: {DOI}", f"https://doi.org/{DOI}", f"http://dx.doi.org/{DOI}",
    "https://doi.org/10.1097%2FCRD.0000000000000623", f"{DOI}.",
    f"Link to original content: https://doi.org/{DOI}",
])
def test_every_doi_form_gives_the_bare_doi(text):
    assert other_id(text) == SeedId("doi", DOI)


@pytest.mark.parametrize("text", [
    "PMC9727405", "pmc9727405", "https://pmc.ncbi.nlm.nih.gov/articles/PMC9727405/",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9727405/", "ncbi.nlm.nih.gov/pmc/ no",
])
def test_every_pmc_form_gives_the_pmcid(text):
    expected = None if text.endswith(" no") else SeedId("pmcid", "PMC9727405")
    assert other_id(text) == expected


@pytest.mark.parametrize("text", ["34984054", "hello", "10.12/x", "https://example.org/10.1/x"])
def test_other_text_is_not_an_identifier(text):
    assert other_id(text) is None


def test_dois_and_pmcids_arguments_and_mixed_seeds(tmp_path):
    listing = tmp_path / "seeds.txt"
    listing.write_text(f"37882686\nhttps://doi.org/{DOI}\n"
                       "https://pmc.ncbi.nlm.nih.gov/articles/PMC111/  # from a full text\n")
    args = parse_crawl_args(dois=f"doi:{DOI},10.1016/j.x.2020.01.002", pmcids="PMC222,333",
                            pmids="PMC444,34984054", pmids_file=str(listing),
                            urls="https://doi.org/10.1234/abc.def")
    assert args.seeds == ("34984054", "37882686")
    assert [str(s) for s in args.other_ids] == [
        f"doi:{DOI}", "doi:10.1016/j.x.2020.01.002", "pmcid:PMC222", "pmcid:PMC333",
        "pmcid:PMC444", "pmcid:PMC111", "doi:10.1234/abc.def",
    ]


def test_only_identifiers_are_seeds_enough(tmp_path):
    listing = tmp_path / "dois.txt"
    listing.write_text(f"{DOI}\n")
    assert parse_crawl_args(pmids_file=str(listing)).other_ids == (SeedId("doi", DOI),)
    assert parse_crawl_args(dois=DOI).seeds == ()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dois": "34984054"}, "not a DOI: '34984054'"),
    ({"pmcids": "PMCX1"}, "not a PMCID: 'PMCX1'"),
    ({"pmids": "10.1/x"}, "not a PubMed article URL: '10.1/x'"),
    ({"pmids": "1", "library_mode": "drop"}, "library_mode='drop' is not valid"),
    ({"pmids": "1", "max_similar": "-1"}, "max_similar='-1' is not valid"),
    ({"pmids": "1", "estimate": "maybe"}, "estimate='maybe' is not valid"),
])
def test_bad_scope_arguments_are_one_line(kwargs, message):
    with pytest.raises(SeedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_crawl_args(**kwargs)


def test_caps_are_kept_per_relation():
    args = parse_crawl_args(pmids="1", max_similar="5", max_cited_by="0")
    assert {r.value: n for r, n in args.max_links} == {"similar": 5, "cited_by": 0}


# The ID converter's answer, in the shape NCBI documents for format=json
# (https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/): not a saved live answer (this
# machine has no internet); the mirror answers in the same shape.
DOCUMENTED = {
    "status": "ok", "responseDate": "2025-02-10 10:00:00",
    "request": "ids=PMC3531190,PMC0000001;format=json",
    "records": [
        {"pmcid": "PMC3531190", "pmid": "23193287", "doi": "10.1093/nar/gks1195",
         "requested-id": "PMC3531190"},
        {"requested-id": "PMC0000001", "status": "error", "errmsg": "invalid article id"},
    ],
}


def test_idconv_answer_maps_each_requested_pmcid():
    assert parse_idconv(json.dumps(DOCUMENTED).encode()) == {
        "PMC3531190": "23193287", "PMC0000001": None}
    as_int = {"records": [{"pmcid": "PMC1", "pmid": 42, "requested-id": "pmc1"}]}
    assert parse_idconv(json.dumps(as_int).encode()) == {"PMC1": "42"}


@pytest.mark.parametrize("body", [b"<html>busy</html>", b'{"status": "error"}', b"[]"])
def test_idconv_answer_that_is_not_the_api_is_an_error(body):
    with pytest.raises(IdconvError):
        parse_idconv(body)


def test_idconv_url_names_the_tool_but_not_the_email():
    url = idconv_url("https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/",
                     ["PMC1", "PMC2"], "aggregator")
    assert url == ("https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
                   "?ids=PMC1%2CPMC2&format=json&tool=aggregator")
