"""Shared fixtures: the repository's real data, and small catalogues written to a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
DATA = REPOSITORY / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the vocabularies and the Freshsales record, to add or break records in."""
    target = tmp_path / "data"
    (target / "vendors").mkdir(parents=True)
    (target / "organizations").mkdir()
    for name in ("categories.yaml", "industries.yaml", "data-kinds.yaml"):
        shutil.copy(DATA / name, target / name)
    return target
