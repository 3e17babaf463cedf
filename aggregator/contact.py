"""Who we are to NCBI: contact e-mail, tool name, API key — never logged.

Scrapy prints every overridden setting at INFO level, so the e-mail and key are
stored as :class:`Secret` values whose ``repr`` is masked.
"""

from __future__ import annotations

import os

from scrapy.settings import BaseSettings

from aggregator import __version__


class Secret(str):
    """A str that prints as ``'***'`` in logs and reprs."""

    def __repr__(self) -> str:
        return "'***'"


SECRET_SETTINGS = ("NCBI_EMAIL", "NCBI_API_KEY")


def hide_secrets(settings: BaseSettings) -> None:
    """Take NCBI_EMAIL / NCBI_API_KEY from settings or environment, stored masked."""
    for name in SECRET_SETTINGS:
        value = settings.get(name) or os.environ.get(name)
        if value and not isinstance(value, Secret):
            priority = settings.getpriority(name) or 0
            settings.set(name, Secret(value), priority=max(priority, 20))


def user_agent(settings: BaseSettings) -> str:
    """``aggregator/0.1 (+project URL; mailto:…)``: names the project and a contact."""
    email = settings.get("NCBI_EMAIL") or os.environ.get("NCBI_EMAIL")
    contact = f"; mailto:{email}" if email else ""
    tool = settings.get("NCBI_TOOL") or "aggregator"
    return f"{tool}/{__version__} (+{settings.get('PROJECT_URL')}{contact})"
