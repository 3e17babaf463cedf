"""The README's analyst section: its schema table is the generated one, and every
snippet, run on a fresh demo crawl, prints exactly the output the README shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.exports.tables import SCHEMA_BEGIN, SCHEMA_END, schema_markdown
from tests.readme_snippets import README, demo_crawl, run_snippet, snippets

TEXT = README.read_text(encoding="utf-8")
SNIPPETS = snippets(TEXT)


def test_readme_schema_table_is_the_one_generated_from_the_record_model():
    shown = TEXT[TEXT.index(SCHEMA_BEGIN) + len(SCHEMA_BEGIN):TEXT.index(SCHEMA_END)]
    assert shown.strip() == schema_markdown(), "run: python -m aggregator.exports.tables"


def test_the_section_has_the_promised_snippets():
    code = "\n".join(c for c, _ in SNIPPETS)
    for needle in ("dtype={\"schema_version\": str", "read_parquet", "duckdb.sql",
                   "-review.parquet", "-mesh.parquet", "from_pandas_edgelist",
                   "set_node_attributes", "write_graphml", "write_gexf"):
        assert needle in code, needle


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("demo")
    demo_crawl(where)
    return where


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_snippet_prints_what_the_readme_shows(demo, index):
    code, shown = SNIPPETS[index]
    assert run_snippet(code, demo) == shown, "run: python -m tests.readme_snippets"
