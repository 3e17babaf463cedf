"""The reviewer's library: RIS, NBIB, CSV and PMID lists read; bad files one clear line.

The files are written here in each format as its specification and PubMed's export print
them (stack-facts: RIS tags, MEDLINE tags padded to four, continuation lines of six
spaces); the NBIB reader is checked against Biopython's ``Bio.Medline`` as the oracle.
"""

from __future__ import annotations

import pytest

from aggregator.library import LibraryError, load_library, title_key

NBIB = """\
PMID- 37882686
OWN - NLM
STAT- MEDLINE
DP  - 2025 Sep-Oct
TI  - Aortic dissection in pregnancy: a systematic review of outcomes and
      management.
FAU - Zhang, Chen
AU  - Zhang C
LID - 10.1097/CRD.0000000000000623 [doi]
AID - 10.1097/CRD.0000000000000623 [doi]
AID - CRD.0000000000000623 [pii]

PMID- 34984054
DP  - 2022 Jan
TI  - Ketamine for fibromyalgia.
AID - 10.1000/XYZ.123 [doi]
"""

RIS = """\
TY  - JOUR
TI  - Ketamine for Fibromyalgia
PY  - 2022
DO  - 10.1000/xyz.123
ER  -

TY  - JOUR
T1  - A book chapter without identifiers
PY  - 2019///
UR  - https://pubmed.ncbi.nlm.nih.gov/31234567/
ER  -

TY  - JOUR
TI  - Zotero item
AN  - 30000390
ER  -
""".replace("ER  -\n", "ER  - \n")  # the spec's end tag has a trailing space


def test_nbib_matches_biopython_medline(tmp_path):
    Medline = pytest.importorskip("Bio.Medline")
    path = tmp_path / "mine.nbib"
    path.write_text(NBIB)
    lib = load_library(str(path))
    with path.open() as handle:
        oracle = list(Medline.parse(handle))
    assert lib.format == "nbib" and lib.size == len(oracle) == 2
    assert lib.pmids == {r["PMID"] for r in oracle}
    assert lib.dois == {"10.1097/crd.0000000000000623", "10.1000/xyz.123"}
    assert title_key(oracle[0]["TI"], oracle[0]["DP"][:4]) in lib.titles


def test_ris_by_accession_number_url_doi_and_title(tmp_path):
    path = tmp_path / "export.ris"
    path.write_text(RIS)
    lib = load_library(str(path))
    assert (lib.format, lib.size) == ("ris", 3)
    assert lib.pmids == {"31234567", "30000390"}
    assert lib.match("1", "10.1000/XYZ.123", None, None) == "doi"
    assert lib.match("2", None, "Ketamine for fibromyalgia.", "2022") == "title"
    assert lib.match("2", None, "Ketamine for fibromyalgia.", "2021") is None
    assert lib.match("30000390", "10.1000/xyz.123", None, None) == "pmid"


def test_csv_with_pmid_or_doi_column_and_plain_list(tmp_path):
    csv_path = tmp_path / "rayyan.csv"
    csv_path.write_text('key,Title,Year,PMID,DOI\n1,"Ketamine, again",2022,34984054,\n'
                        "2,Other,2020,,doi:10.5/ABC\n")
    lib = load_library(str(csv_path))
    assert lib.pmids == {"34984054"} and lib.dois == {"10.5/abc"}
    assert lib.match(None, None, "KETAMINE AGAIN", "2022") == "title"
    plain = tmp_path / "screened.txt"
    plain.write_text("# screened\n34984054\n\n37882686\n")
    assert load_library(str(plain)).pmids == {"34984054", "37882686"}


@pytest.mark.parametrize(("name", "text", "message"), [
    ("x.ris", "this is not RIS\n", "no RIS record"),
    ("x.nbib", "TI  - a title\n", "an NBIB record without 'PMID- ' line"),
    ("x.nbib", "PMID- 1\nrandom words here\n", "not PubMed (NBIB) format at 'random words"),
    ("x.csv", "title,year\nA,2020\n", "a CSV library needs a PMID or DOI column"),
    ("x.txt", "34984054\nhello\n", "x.txt:2: 'hello' is not a PMID"),
    ("x.txt", "", "no record in it (read as PMIDS)"),
])
def test_malformed_library_is_one_clear_line(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(LibraryError) as err:
        load_library(str(path))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_missing_or_binary_library(tmp_path):
    with pytest.raises(LibraryError, match="does not exist"):
        load_library(str(tmp_path / "nope.ris"))
    binary = tmp_path / "lib.ris"
    binary.write_bytes(b"\xff\xfe\x00TY")
    with pytest.raises(LibraryError, match="not UTF-8 text"):
        load_library(str(binary))
