"""Nothing personal reaches any export: planted markers in private fields, anonymous donors,
maintainers, report authors and text with an e-mail address are searched in every format."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from solidarity_cli.exporting import ExportFormat, export
from tests.exporting.conftest import AS_OF

MARKERS = (
    "PLANTED-ASSOCIATION",
    "PLANTED-MAINTAINER",
    "PLANTED-DONOR",
    "planted-donor.example",
    "PLANTED-SUBMITTER",
    "planted.person@example.org",
    "-12.6789",
    "987654",
    "mutirao-digital",
)


def _edit(path: Path, change: Any) -> None:
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


@pytest.fixture
def planted(shipped: Path) -> Path:
    """The shipped data with personal data planted where it must never be published."""

    def community(data: Any) -> None:
        data["association"]["name"] = "PLANTED-ASSOCIATION"
        data["location"]["lat"] = -12.67891
        data["population"] = {"count": 987654, "year": 2024, "source": "census"}
        data["maintainers"][0]["name"] = "PLANTED-MAINTAINER"
        data["private"] = ["association", "location", "population"]

    def donor(data: Any) -> None:
        data["name"] = "PLANTED-DONOR"
        data["anonymous"] = True
        data["website"] = "https://planted-donor.example/"

    def agreement(data: Any) -> None:
        data["description"] = {"pt": "Contacto: planted.person@example.org"}

    def report(data: Any) -> None:
        data["submitted"]["by"] = "PLANTED-SUBMITTER"

    _edit(shipped / "data" / "communities" / "kaonge" / "community.yaml", community)
    _edit(shipped / "data" / "donors" / "mutirao-digital.yaml", donor)
    partnership = shipped / "data" / "partnerships" / "kaonge-casa-de-farinha"
    _edit(partnership / "agreement.yaml", agreement)
    for path in sorted((partnership / "reports").glob("*.yaml")):
        _edit(path, report)
    return shipped


def _readable(name: str, data: bytes) -> str:
    """The text of an exported file; a workbook's parts unzipped."""
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(book.read(n).decode() for n in book.namelist())
    return data.decode()


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_no_personal_data_in_any_format(planted: Path, fmt: ExportFormat) -> None:
    files = export(planted, fmt, AS_OF)
    text = "\n".join(_readable(name, data) for name, data in files.items())
    assert "Kaonge" in text or fmt is ExportFormat.GEOJSON  # the community itself is published
    found = [m for m in MARKERS if m in text]
    assert found == []


def test_markers_are_in_the_data(planted: Path) -> None:
    """The markers searched above are really in the repository, where they belong."""
    everything = "\n".join(p.read_text(encoding="utf-8") for p in planted.rglob("*.yaml"))
    assert all(m in everything for m in MARKERS if m != "-12.6789")
    assert "-12.67891" in everything


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_same_data_same_bytes(shipped: Path, fmt: ExportFormat) -> None:
    assert export(shipped, fmt, AS_OF) == export(shipped, fmt, AS_OF)


SHARED_MARK = "SHARED-WITHHOLDING-MARK"


@pytest.fixture
def flagged(shipped: Path) -> Path:
    """The shipped data with an e-mail address in a community's name and an agreement's title."""

    def community(data: Any) -> None:
        data["name"] = "Kaonge, write to planted.person@example.org"

    def agreement(data: Any) -> None:
        data["title"] = dict.fromkeys(data["title"], "Call +238 991 23 45")

    _edit(shipped / "data" / "communities" / "kaonge" / "community.yaml", community)
    partnership = shipped / "data" / "partnerships" / "kaonge-casa-de-farinha"
    _edit(partnership / "agreement.yaml", agreement)
    return shipped


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_goes_through_the_shared_withholding(
    flagged: Path, fmt: ExportFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The texts are withheld by ``withholding.make_public``, as in every other output: with its
    mark changed, the changed mark is what every format shows (a format with its own
    withholding, or none, would show another mark or the text itself)."""
    from solidarity_cli import withholding

    monkeypatch.setattr(withholding, "withheld_mark", lambda language: SHARED_MARK)
    files = export(flagged, fmt, AS_OF)
    text = "\n".join(_readable(name, data) for name, data in files.items())
    assert "planted.person@example.org" not in text and "991 23 45" not in text
    assert SHARED_MARK in text
