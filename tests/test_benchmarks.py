"""The benchmark helpers that decide pass/fail (the benchmarks themselves never run here)."""

from __future__ import annotations

import pytest

from benchmarks import bs4_peer
from benchmarks.common import Figure, at_least, at_most, markdown_table, not_pursued_if
from benchmarks.politeness import max_in_window, min_gap
from tests.conftest import fixture_path


@pytest.fixture(scope="module")
def peer() -> dict:
    return bs4_peer.extract(fixture_path("pubmed", "article-37882686.html").read_bytes())


def test_peer_title(peer):
    assert peer["title"] == ("Aortic Valve Replacement and Repair With or Without Concomitant "
                             "Ascending Aorta Replacement: Impact on Outcomes: A Systematic Review")


def test_peer_authors(peer):
    assert peer["authors"] == ["Chen Zhang", "Sundas Butt", "Hadi Kashif", "Clarissa Rowe",
                               "Amer Harky", "Mohamed Zeinah"]


def test_peer_journal(peer):
    assert peer["journal"] == "Cardiol Rev"


def test_peer_doi(peer):
    assert peer["doi"] == "10.1097/CRD.0000000000000623"


def test_peer_pmid(peer):
    assert peer["pmid"] == "37882686"


def test_peer_keywords(peer):
    assert peer["keywords"] == ["aorta", "mortality", "outcomes", "valve surgery"]


def test_peer_first_mesh_descriptor(peer):
    assert peer["mesh"][0] == "Aorta"  # "Aorta* / surgery"


def test_peer_similar_starts_with_page_order(peer):
    assert peer["similar"][:2] == ["39324444", "24006478"]


def test_peer_references_count(peer):
    assert peer["references_count"] == 26  # "Show all 26 references"


def test_peer_abstract_starts(peer):
    assert peer["abstract"][0].startswith("Aortic valve surgery is a common procedure")


def test_window_counts_requests_closer_than_a_second():
    assert max_in_window([0.0, 1.0, 2.0, 3.0]) == 1
    assert max_in_window([0.0, 0.5, 2.0]) == 2


def test_min_gap():
    assert min_gap([3.0, 0.0, 1.25]) == pytest.approx(1.25)


def test_targets_and_table():
    rows = [at_most("a", 1.3, 1.2, "x"), at_least("b", 6.0, 5.0, "y"),
            Figure("c", None, "≤ 1", None, "not measured")]
    assert [f.passed for f in rows] == [False, True, None]
    table = markdown_table(rows).splitlines()
    assert len(table) == 5
    assert "**FAIL**" in table[2] and "pass" in table[3] and "n/a" in table[4]


def test_a_miss_judged_not_worth_its_cost_keeps_target_value_and_miss():
    row = not_pursued_if(at_most("a", 1.9, 1.5, "x"), True, "CPU is 0.06 % of live time")
    assert row.passed is False and not row.failed
    cells = markdown_table([row]).splitlines()[2].split(" | ")
    assert cells[1:4] == ["1.9", "≤ 1.5", "missed; not pursued: CPU is 0.06 % of live time"]


def test_a_miss_whose_condition_does_not_hold_is_a_failure():
    row = not_pursued_if(at_most("a", 1.9, 1.5, "x"), False, "CPU is 3 % of live time")
    assert row.failed
    assert "**FAIL**" in markdown_table([row]) and "not pursued" not in markdown_table([row])


def test_a_passing_figure_is_left_passing():
    row = not_pursued_if(at_most("a", 1.2, 1.5, "x"), True, "never shown")
    assert row.passed and not row.failed and "never shown" not in markdown_table([row])
