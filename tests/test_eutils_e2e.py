"""``pubmed_eutils`` on the mirror: same records as ``pubmed``, complete references."""

from __future__ import annotations

from conftest import crawl
from test_crawl_e2e import E2E, FOLLOW_ALL, first_existing

from tests.mirror.graph import reachable

# Fields both sources fill from the same facts. Not compared: `source`, `source_url`,
# `fetched_at`; `references` (the page shows the first 5 only); `references_total` (the
# page's "Show all N" vs the XML list).
SHARED_FIELDS = [
    "pmid", "pmcid", "doi", "title", "authors", "journal", "publication_date", "year",
    "publication_types", "is_review", "is_systematic_review", "abstract", "keywords",
    "mesh_terms", "conflict_of_interest", "reference_pmids", "similar_pmids",
    "cited_by_pmids", "provenance", "review",
]




def test_depth2_eutils_crawl_reaches_every_article_once(tmp_path, mirror):
    graph, server = mirror
    seed = first_existing(graph, 200)
    records, errors, log = crawl(tmp_path, server, spider="pubmed_eutils", pmids=seed, depth=2,
                                 settings=E2E).triple
    expected = reachable(graph, [seed], 2, FOLLOW_ALL)
    pmids = [r["pmid"] for r in records]
    assert len(pmids) == len(set(pmids))
    assert set(pmids) == set(expected)
    for record in records:
        depth, relation, parent, seed_of = expected[record["pmid"]]
        assert record["provenance"] == {"seed": seed_of, "parent": parent,
                                        "relation": relation, "depth": depth}
        assert record["source"] == "eutils"
    assert all(e["kind"] == "not_found" for e in errors)
    # requests per record: a level of up to 200 articles costs one efetch and one elink
    requests = sum(int(log.split(f"'aggregator/pages/{kind}': ")[1].split(",")[0])
                   for kind in ("efetch", "elink"))
    print(f"pubmed_eutils depth 2: {requests} requests for {len(records)} records "
          f"= {requests / len(records):.3f} per record")
    assert requests / len(records) < 0.1


def test_both_sources_agree_field_by_field(tmp_path, mirror):
    graph, server = mirror
    seeds = [p for p in graph.pmids()[120:160] if graph.exists(p)][:6]
    page, _, _ = crawl(tmp_path / "page", server, pmids=",".join(seeds), depth=0,
                       settings=E2E).triple
    api, _, _ = crawl(tmp_path / "api", server, spider="pubmed_eutils",
                      pmids=",".join(seeds), depth=0, settings=E2E).triple
    by_pmid = {r["pmid"]: r for r in api}
    assert sorted(by_pmid) == sorted(r["pmid"] for r in page)
    for record in page:
        other = by_pmid[record["pmid"]]
        for field in SHARED_FIELDS:
            assert record[field] == other[field], (record["pmid"], field)


def test_eutils_record_has_the_complete_reference_list(tmp_path, mirror):
    graph, server = mirror
    seed = next(p for p in graph.pmids() if graph.exists(p)
                and len(graph.article(p).references) > 5)
    (page,), _, _ = crawl(tmp_path / "page", server, pmids=seed, depth=0, settings=E2E).triple
    (api,), _, _ = crawl(tmp_path / "api", server, spider="pubmed_eutils", pmids=seed, depth=0,
                         settings=E2E).triple
    full = graph.article(seed).references
    assert len(page["references"]) == 5
    assert len(api["references"]) == len(full) == api["references_total"]
    assert [r["pmid"] for r in api["references"]] == [r.pmid for r in full]
