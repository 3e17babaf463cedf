"""Packaging for scrapyd-deploy: the egg must name the project's settings module.

Everything else lives in pyproject.toml; eggs carry no dependencies, so a
Scrapyd host installs the project's dependencies itself (see README "Scrapyd").
"""

from setuptools import find_packages, setup

setup(
    name="aggregator",
    version="0.1.0",
    packages=find_packages(include=["aggregator", "aggregator.*"]),
    entry_points={"scrapy": ["settings = aggregator.settings"]},
)
