"""Packaging shim for ``scrapyd-deploy``, which builds the egg with ``setup.py bdist_egg``.

Everything (name, version, packages, the ``scrapy`` entry point naming the settings
module) is in pyproject.toml; eggs carry no dependencies, so a Scrapyd host installs the
project's dependencies itself (see README "Scrapyd"). The test mirror lives in tests/ and
is not part of the egg.
"""

from setuptools import setup

setup()
