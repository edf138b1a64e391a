"""The library call behind ``solidarity check``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from solidarity_cli.checking import CheckReport, check_repository
from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, Location, Severity
from solidarity_cli.rules.base import EXAMPLE_AS_OF
from tests.conftest import EXAMPLE_REPO, copy_repository


def _report(*severities: Severity) -> CheckReport:
    diagnostics = [Diagnostic("XX001", s, "m", Location("a.yaml", 1, 1)) for s in severities]
    return CheckReport(Dataset(root=Path()), diagnostics, dt.date(2026, 1, 1))


def test_exit_codes() -> None:
    assert _report().exit_code() == 0
    assert _report(Severity.INFO, Severity.WARNING).exit_code() == 0
    assert _report(Severity.WARNING).exit_code(strict=True) == 1
    assert _report(Severity.INFO).exit_code(strict=True) == 0
    assert _report(Severity.ERROR).exit_code() == 1


def test_minimal_repository_is_clean(minimal: Path) -> None:
    report = check_repository(minimal, as_of=EXAMPLE_AS_OF)
    assert report.diagnostics == []
    assert report.dataset.counts()["needs"] == 2
    assert report.dataset.need("cruzinha-2025-2028/cisterna") is not None
    assert report.dataset.strategies_of("cruzinha")[0].id == "cruzinha-2025-2028"


def test_findings_are_sorted_and_deterministic(minimal: Path) -> None:
    (minimal / "data" / "donors" / "b.yaml").write_text("- x\n")
    (minimal / "data" / "donors" / "a.yaml").write_text("")
    first = check_repository(minimal, as_of=EXAMPLE_AS_OF).diagnostics
    assert [d.path for d in first] == ["data/donors/a.yaml", "data/donors/b.yaml"]
    assert first == check_repository(minimal, as_of=EXAMPLE_AS_OF).diagnostics


def test_a_broken_record_is_not_reported_again_as_missing(minimal: Path) -> None:
    path = minimal / "data" / "donors" / "fundacao-mar-aberto.yaml"
    path.write_text(path.read_text().replace("kind: foundation", "kind: fundation"))
    codes = [d.code for d in check_repository(minimal, as_of=EXAMPLE_AS_OF).diagnostics]
    assert codes == ["SC003"]


def test_findings_made_beside_a_report_freeze_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made here in the middle of a report (no second process, or a failed one), the check
    freezes nothing: the pages' garbage of that moment would stay for the process's life."""
    import gc

    from solidarity_cli import beside, checking
    from solidarity_cli.checking import checking_beside

    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    day = dt.date(2027, 3, 1)
    frozen: list[int] = []
    read = checking.load_repository

    def load(root: Path, **options: Any) -> checking.LoadResult:
        loaded = read(root, **options)  # reading freezes its records, as ever
        monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
        return loaded

    monkeypatch.setattr(checking, "load_repository", load)
    monkeypatch.setattr(beside, "FORK_LIMIT", 0)
    with checking_beside(repo, as_of=day) as (_, findings):
        found = findings.result()
    assert frozen == []
    monkeypatch.undo()
    assert found == check_repository(repo, as_of=day).diagnostics
