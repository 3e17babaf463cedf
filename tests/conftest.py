"""Shared test helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Let `pytest` (not only `python -m pytest`) import the project without installing it.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

#: Real saved answers, carried in the repository (see tests/fixtures/README.md).
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_path(*parts: str) -> Path:
    """Path of a fixture file, e.g. ``fixture_path("pubmed", "robots.txt")``."""
    return FIXTURES.joinpath(*parts)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
