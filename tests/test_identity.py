"""The contact e-mail and API key are used but never logged."""

from __future__ import annotations

import os

from conftest import crawl
from scrapy import Request
from scrapy.settings import Settings

from aggregator.contact import Secret, hide_secrets, user_agent
from aggregator.middlewares.identity import IdentityMiddleware
from tests.mirror.graph import MirrorGraph
from tests.mirror.server import MirrorServer

EMAIL = "reviewer-7731@example.org"
KEY = "k3y0123456789abcdef0123456789abcdef"


def test_secrets_are_masked_in_settings_reprs(monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    settings = Settings({"NCBI_EMAIL": EMAIL})
    hide_secrets(settings)
    assert settings["NCBI_EMAIL"] == EMAIL
    assert isinstance(settings["NCBI_API_KEY"], Secret)
    assert EMAIL not in repr(settings.copy_to_dict())
    assert KEY not in repr(settings.copy_to_dict())


def test_user_agent_names_the_project_and_the_contact():
    agent = user_agent(Settings({"NCBI_EMAIL": EMAIL, "NCBI_TOOL": "aggregator",
                                 "PROJECT_URL": "https://example.org/aggregator"}))
    assert agent.startswith("aggregator/")
    assert f"mailto:{EMAIL}" in agent
    request = Request("https://pubmed.ncbi.nlm.nih.gov/1/")
    IdentityMiddleware(agent).process_request(request)
    assert request.headers[b"User-Agent"].decode() == agent


def test_a_debug_log_of_both_spiders_holds_neither_email_nor_key(tmp_path, monkeypatch):
    graph = MirrorGraph(120, seed=2)
    seed = next(p for p in graph.pmids()[50:] if graph.exists(p))
    monkeypatch.setitem(os.environ, "NCBI_API_KEY", KEY)
    with MirrorServer(graph) as server:
        for spider in ("pubmed", "pubmed_eutils"):
            records, _, log = crawl(tmp_path / spider, server, spider=spider,
                                    settings={"NCBI_EMAIL": EMAIL, "LOG_LEVEL": "DEBUG"},
                                    pmids=seed, depth=0).triple
            assert [r["pmid"] for r in records] == [seed]
            assert "Overridden settings" in log
            assert EMAIL not in log
            assert KEY not in log
