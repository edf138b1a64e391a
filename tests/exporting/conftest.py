"""Repositories to export: the shipped data with the network's IATI identifier, and a
generated network of 2,000 communities (made once per test session)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import generator

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated network of 2,000 communities and 1,000 donors, with an IATI identifier."""
    root = tmp_path_factory.mktemp("network") / "repo"
    generate = generator()
    generate.generate(root, 2000, 1000)
    with (root / "solidarity.yaml").open("a", encoding="utf-8") as settings:
        settings.write("\niati:\n  organisation: XI-IATI-EXAMPLE\n")
    return root
