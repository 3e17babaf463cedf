"""Per-host politeness from the config: live slots, or none at all for your own mirror."""

from __future__ import annotations

from scrapy.settings import Settings

from aggregator import settings as project_settings
from aggregator.config import Config
from aggregator.spiders.pubmed import PubmedSpider
from aggregator.spiders.pubmed_eutils import PubmedEutilsSpider


def _settings(**overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def test_live_defaults_give_each_host_its_published_rate_without_jitter():
    settings = _settings()
    PubmedSpider.update_settings(settings)
    slot = settings.getdict("DOWNLOAD_SLOTS")["pubmed.ncbi.nlm.nih.gov"]
    assert slot == {"concurrency": 1, "delay": 1.05, "jitter": 0}
    settings = _settings()
    PubmedEutilsSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")["eutils.ncbi.nlm.nih.gov"]["delay"] == 0.35
    assert settings.getbool("AUTOTHROTTLE_ENABLED")


def test_a_mirror_host_gets_the_same_slot_when_polite():
    settings = _settings(PUBMED_BASE_URL="http://127.0.0.1:8080")
    PubmedSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")["127.0.0.1"]["delay"] == 1.05


def test_polite_slots_off_alone_is_enough_to_crawl_your_own_mirror_fast():
    settings = _settings(PUBMED_BASE_URL="http://127.0.0.1:8080", AGGREGATOR_POLITE_SLOTS=0)
    PubmedSpider.update_settings(settings)
    assert "127.0.0.1" not in settings.getdict("DOWNLOAD_SLOTS")
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert not settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == settings.getint(
        "CONCURRENT_REQUESTS")


def test_what_the_user_sets_on_the_command_line_still_wins():
    settings = _settings(AGGREGATOR_POLITE_SLOTS=0, DOWNLOAD_DELAY=0.5)
    PubmedSpider.update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5


def test_an_api_key_raises_the_eutils_rate_to_ten_a_second():
    assert Config.from_settings(_settings(NCBI_API_KEY="k")).eutils_slot_delay() == 0.11
    assert Config.from_settings(_settings()).eutils_slot_delay() == 0.35


def test_icite_gets_its_own_conservative_slot_and_polite_slots_off_covers_it():
    settings = _settings()
    PubmedEutilsSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")["icite.od.nih.gov"] == {
        "concurrency": 1, "delay": 1.05, "jitter": 0}
    mirror = {"EUTILS_BASE_URL": "http://127.0.0.1:8080/entrez/eutils",
              "ICITE_BASE_URL": "http://localhost:8081/icite/api"}
    settings = _settings(**mirror)
    PubmedEutilsSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")["localhost"]["delay"] == 1.05
    settings = _settings(**mirror, AGGREGATOR_POLITE_SLOTS=0)
    PubmedEutilsSpider.update_settings(settings)
    assert "localhost" not in settings.getdict("DOWNLOAD_SLOTS")


def test_icite_served_by_the_crawled_host_keeps_that_hosts_slot():
    settings = _settings(EUTILS_BASE_URL="http://127.0.0.1:8080/entrez/eutils",
                         ICITE_BASE_URL="http://127.0.0.1:8080/icite/api")
    PubmedEutilsSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")["127.0.0.1"]["delay"] == 0.35
