"""RIS, NBIB and the reviewer CSV, read back by independent readers (rispy, Bio.Medline,
csv) and compared field by field with records parsed from the real fixtures."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import rispy
from Bio import Medline

from aggregator.exports.nbib import WIDTH, write_nbib
from aggregator.exports.rayyan_csv import CSV_COLUMNS, RAYYAN_COLUMNS, write_csv
from aggregator.exports.ris import write_ris
from aggregator.records import ArticleRecord, Notice, Provenance, Review, Way
from aggregator.sources.eutils.parse import iter_efetch_records
from aggregator.sources.page.article import parse_article

FIXTURES = Path(__file__).parent / "fixtures"
EFETCH = ["efetch-erratum-35649368.xml", "efetch-erratum-38147649.xml", "efetch-pubmed1.xml",
          "efetch-pubmed2.xml", "efetch-pubmed4.xml", "efetch-pubmed5.xml",
          "efetch-pubmed6.xml", "efetch-pubmed7.xml"]


def fixture_records() -> list[ArticleRecord]:
    records = []
    for name in EFETCH:
        with (FIXTURES / "eutils" / name).open("rb") as handle:
            records.extend(iter_efetch_records(handle))
    html = (FIXTURES / "pubmed" / "article-37882686.html").read_bytes()
    records.append(parse_article(html, "https://pubmed.ncbi.nlm.nih.gov/37882686/"))
    for i, record in enumerate(records):  # as the crawl leaves them
        record.provenance = Provenance(seed="1", parent="1", relation="cited_by", depth=1)
        record.reached_by = [Way("1", "cited_by", 1), Way(str(100 + i), "similar", 1)]
    records[-1].review = Review(type="systematic review", studies_included=12)
    return records


@pytest.fixture(scope="module")
def records() -> list[ArticleRecord]:
    return fixture_records()


def retracted() -> ArticleRecord:
    record = fixture_records()[0]
    record.publication_types = ["Journal Article", "Retracted Publication"]
    record.notices = [Notice("retraction_in", "40000001", "Cell Rep. 2024;1:1. Retraction.")]
    record.is_retracted = True
    return record


# --- expectations written from the record, without the exporters' helpers -------------
def inverted(a) -> str:
    return f"{a.last_name}, {a.fore_name}" if a.last_name and a.fore_name else (
        a.last_name or a.name)


def mesh(m) -> str:
    return ("*" if m.major else "") + m.descriptor + "".join(
        "/" + ("*" if q in m.major_qualifiers else "") + q for q in m.qualifiers)


def abstract(record) -> str | None:
    text = " ".join(f"{s.label}: {s.text}" if s.label else s.text for s in record.abstract)
    return text or None


def by_pmid(entries: list[dict], key: str) -> dict[str, dict]:
    return {e[key]: e for e in entries}


# --- RIS ---------------------------------------------------------------------------------
def test_ris_read_back_by_rispy_field_by_field(records):
    out = io.StringIO()
    assert write_ris(records, out) == len(records)
    entries = by_pmid(rispy.loads(out.getvalue()), "accession_number")
    assert len(entries) == len(records)
    for r in records:
        e = entries[r.pmid]
        assert e["type_of_reference"] == "JOUR"
        assert e["title"] == r.title
        assert e["authors"] == [inverted(a) for a in r.authors]
        assert e["year"] == r.year
        assert e.get("journal_name") == r.journal.title
        assert e.get("alternate_title1") == r.journal.abbreviation
        assert e.get("volume") == r.journal.volume
        assert e.get("number") == r.journal.issue
        assert e.get("issn") == r.journal.issn
        assert e.get("doi") == r.doi
        assert e.get("custom2") == r.pmcid
        assert e.get("abstract") == abstract(r)
        assert e.get("keywords", []) == r.keywords + [mesh(m) for m in r.mesh_terms]
        assert e.get("type_of_work") == "; ".join(r.publication_types)
        assert e.get("language") == ("; ".join(r.language) or None)
        assert e["urls"] == [f"https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/"]
        assert any(n.startswith("Reached by: cited_by of PMID 1; similar of PMID")
                   for n in e["notes"])
    # pages, read by hand: MEDLINE's "113-25" is 113 to 125
    assert (entries["12091962"]["start_page"], entries["12091962"]["end_page"]) == ("113", "125")
    assert (entries["27797938"]["start_page"], entries["27797938"]["end_page"]) == ("1116", "1122")
    assert entries["38147649"]["start_page"] == "e2308706120"
    assert "end_page" not in entries["38147649"]
    assert entries["37882686"]["date"] == "2025/09//2025 Sep-Oct"
    assert "Review: systematic review; 12 studies" in entries["37882686"]["notes"]
    assert "erratum in: Cell Rep. 2022 Jun 28;39(13):111044. doi: 10.1016/j.celrep.2022.111044." \
           " (PMID 35767954)" in entries["35649368"]["notes"]
    group = [a for a in entries["29963580"]["authors"] if "Network" in a]
    assert group == ["Canadian Respiratory Research Network"]


def test_ris_flags_a_retracted_record():
    out = io.StringIO()
    write_ris([retracted()], out)
    (entry,) = rispy.loads(out.getvalue())
    assert entry["notes"][0] == "RETRACTED (retraction in PMID 40000001)"
    assert "Retracted Publication" in entry["type_of_work"]


# --- NBIB --------------------------------------------------------------------------------
def medline(records) -> tuple[str, dict[str, dict]]:
    out = io.StringIO()
    assert write_nbib(records, out) == len(records)
    text = out.getvalue()
    return text, by_pmid(list(Medline.parse(io.StringIO(text))), "PMID")


def joined(value) -> str:
    """Bio.Medline merges continuation lines only for text tags, MH and AD; for the other
    list tags it keeps a continuation line as its own entry: compare the joined text."""
    return " ".join(value) if isinstance(value, list) else value


def test_nbib_read_back_by_bio_medline_field_by_field(records):
    _text, entries = medline(records)
    assert len(entries) == len(records)
    for r in records:
        e = entries[r.pmid]
        assert e["TI"] == r.title
        assert e.get("AB") == abstract(r)
        people = [a for a in r.authors if a.last_name and not a.collective]
        assert joined(e.get("FAU", [])) == " ".join(inverted(a) for a in people)
        assert len(e.get("AU", [])) == len(people)
        groups = [a.name for a in r.authors if a.collective or not a.last_name]
        assert joined(e.get("CN", [])) == " ".join(groups)
        assert e.get("AD", []) == [aff for a in people for aff in a.affiliations]
        assert e.get("LA", []) == r.language
        assert e.get("PT", []) == r.publication_types
        assert e.get("TA") == r.journal.abbreviation
        assert e.get("JT") == r.journal.title
        assert e.get("VI") == r.journal.volume
        assert e.get("IP") == r.journal.issue
        assert e.get("PG") == r.journal.pages
        assert e.get("IS") == r.journal.issn
        assert e.get("PMC") == r.pmcid
        assert e.get("DP") == r.publication_date.printed
        assert e.get("MH", []) == [mesh(m) for m in r.mesh_terms]
        assert e.get("OT", []) == r.keywords
        if r.doi:
            assert e["LID"] == f"{r.doi} [doi]"
            assert e["AID"] == [f"{r.doi} [doi]"]
        assert joined(e["GN"]).endswith(f"PubMed: https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/")
    # by hand from efetch-erratum-38147649.xml: Initials and the ORCID of the first author
    pnas = entries["38147649"]
    assert pnas["AU"][:4] == ["Ritz NL", "Brocka M", "Butler MI", "Cowan CSM"]
    assert pnas["FAU"][0] == "Ritz, Nathaniel L"
    assert pnas["AUID"][0] == "ORCID: 0000-0002-7367-292X"
    assert pnas["DEP"] == "20231226"
    assert joined(pnas["EIN"]) == ("Proc Natl Acad Sci U S A. 2025 Jan 7;122(1):e2424381121. "
                                   "doi: 10.1073/pnas.2424381121. PMID: 39705317")
    assert pnas["SO"] == ("Proc Natl Acad Sci U S A. 2024 Jan 2;121(1):e2308706120. "
                          "doi: 10.1073/pnas.2308706120.")
    assert entries["37882686"]["MH"][0] == "*Aorta/surgery"


def test_nbib_line_layout(records):
    text, _ = medline(records)
    for line in text.splitlines():
        if not line:
            continue
        assert re.match(r"^([A-Z]{2,4} {0,2}- |      \S)", line), line
        if len(line) > WIDTH:  # only a single word too long for a line
            assert " " not in line[6:], line
    assert "\nAB  - " in text and "\n      " in text  # long abstracts are continued


def test_nbib_flags_a_retracted_record():
    _text, entries = medline([retracted()])
    (entry,) = entries.values()
    assert entry["RIN"] == ["Cell Rep. 2024;1:1. Retraction. PMID: 40000001"]
    assert "Retracted Publication" in entry["PT"]
    assert entry["GN"][0] == "RETRACTED (retraction in PMID 40000001)"


# --- the reviewer CSV -----------------------------------------------------------------------
def test_reviewer_csv_has_rayyans_columns_first(records):
    out = io.StringIO(newline="")
    write_csv([*records, retracted()], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert CSV_COLUMNS[: len(RAYYAN_COLUMNS)] == [
        "key", "title", "authors", "journal", "issn", "volume", "issue", "pages", "year",
        "publisher", "url", "abstract", "notes", "doi", "keywords"]
    assert list(rows[0]) == CSV_COLUMNS
    for r, row in zip(records, rows, strict=False):
        assert row["key"] == r.pmid
        assert row["authors"] == "; ".join(inverted(a) for a in r.authors)
        assert row["journal"] == (r.journal.title or "")
        assert row["url"] == f"https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/"
        assert row["abstract"] == (abstract(r) or "")
        assert row["is_retracted"] == "False"
    assert rows[-1]["is_retracted"] == "True"
    assert rows[-1]["notes"].startswith("RETRACTED (retraction in PMID 40000001)")
    assert rows[-1]["notices"] == "retraction_in:40000001"
