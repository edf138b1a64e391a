"""A tranche that waits for a report is shown on the donor's page as held, with its reason,
and is not counted as the donor's overdue payment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solidarity_cli.reporting.report import render

AS_OF = dt.date(2025, 9, 15)
AGREEMENT = "data/partnerships/cruzinha-cisterna/agreement.yaml"
COMMITMENT = "  - type: commitment\n    date: 2025-03-20\n"


def _hold(repo: Path, after: str) -> None:
    path = repo / AGREEMENT
    text = path.read_text(encoding="utf-8")
    assert COMMITMENT in text
    path.write_text(
        text.replace(COMMITMENT, f"{COMMITMENT}    due: 2025-08-01\n    after: {after}\n"),
        encoding="utf-8",
    )


def _donor_page(repo: Path, language: str = "en") -> str:
    files = render(repo, AS_OF, language, "md", "fundacao-mar-aberto").files
    return "".join(files.values())


def test_a_tranche_waiting_for_a_report_is_held_with_its_reason(minimal: Path) -> None:
    _hold(minimal, "{report: 2025-q3}")
    page = _donor_page(minimal)
    assert "held" in page
    assert "waits for report '2025-q3', not received yet" in page
    assert "**overdue**" not in page


@pytest.mark.parametrize("language", ["pt"])
def test_the_reason_is_said_in_the_readers_language(minimal: Path, language: str) -> None:
    _hold(minimal, "{report: 2025-q3}")
    page = _donor_page(minimal, language)
    assert "2025-q3" in page
    assert "waits for report" not in page


def test_once_the_report_is_in_the_tranche_is_overdue(minimal: Path) -> None:
    _hold(minimal, "{report: 2025-q2}")
    page = _donor_page(minimal)
    assert "**overdue**" in page
    assert "commitments due by 2025-08-01" in page
