"""A new report from a spreadsheet: a reports row with a report id its agreement does not have,
and the import-only column ``submitted_by`` (the export withholds who submitted a report)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import yaml_rs

from solidarity_cli.formatting import format_text
from solidarity_cli.reading.layout import RecordKind
from tests.conftest import Run

Cli = Callable[..., Run]
AS_OF = "2026-06-01"
AGREEMENT = "kaonge-casa-de-farinha"
NEW = f"data/partnerships/{AGREEMENT}/reports/2026-s1.yaml"
ROW = {
    "agreement": AGREEMENT,
    "report": "2026-s1",
    "kind": "progress",
    "period_start": "2025-10-10",
    "period_end": "2026-02-27",
    "submitted_on": "2026-03-10",
    "validated_on": "",
    "narrative": "Produção estável; o forno novo funciona bem.",
    "submitted_by": "Tesoureiro da associação",
}
RECORD = {
    "id": "2026-s1",
    "partnership": AGREEMENT,
    "kind": "progress",
    "period": {"start": dt.date(2025, 10, 10), "end": dt.date(2026, 2, 27)},
    "submitted": {"by": "Tesoureiro da associação", "on": dt.date(2026, 3, 10)},
    "narrative": {"pt": "Produção estável; o forno novo funciona bem."},
}


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*.yaml"))}


def _export(cli: Cli, repo: Path, fmt: str, out: Path) -> None:
    run = cli(["export", "--repo", str(repo), "--format", fmt, "--out", str(out), "--as-of", AS_OF])
    assert run.exit_code == 0, run.stderr


def _import(cli: Cli, repo: Path, fmt: str, file: Path, *extra: str) -> Run:
    return cli(["import", fmt, str(file), "--repo", str(repo), "--as-of", AS_OF, *extra])


def _reports_csv(cli: Cli, repo: Path, tmp_path: Path, *rows: dict[str, str]) -> Path:
    """The exported reports.csv with the column submitted_by and ``rows`` added."""
    tables = tmp_path / "tables"
    _export(cli, repo, "csv", tables)
    path = tables / "reports.csv"
    with path.open(newline="") as handle:
        exported = list(csv.DictReader(handle))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*exported[0], "submitted_by"], restval="")
        writer.writeheader()
        writer.writerows([*exported, *rows])
    return path


def _found(run: Run) -> list[tuple[int, int, str, str]]:
    return [(d["line"], d["column"], d["severity"], d["code"]) for d in run.json()["diagnostics"]]


def test_new_report_from_csv(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    sheet = _reports_csv(cli, shipped, tmp_path, ROW)
    before = _snapshot(shipped)
    dry = _import(cli, shipped, "csv", sheet, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "1 added" in dry.stdout and NEW in dry.stdout
    assert _snapshot(shipped) == before

    run = _import(cli, shipped, "csv", sheet)
    assert run.exit_code == 0, run.stderr
    after = _snapshot(shipped)
    assert sorted(set(after) - set(before)) == [NEW]
    assert all(after[rel] == before[rel] for rel in before)  # nothing else moves
    text = after[NEW].decode()
    assert yaml_rs.loads(text) == RECORD
    assert format_text(text, RecordKind.REPORT) == text  # the canonical form
    checked = cli(["check", "--repo", str(shipped), "--format", "json", "--as-of", AS_OF])
    on_new = [d for d in checked.json()["diagnostics"] if d["path"] == NEW]
    assert [d["code"] for d in on_new] == ["ME007"]  # the community's validation is to add

    again = _import(cli, shipped, "csv", sheet)
    assert again.exit_code == 0
    assert "nothing to change" in again.stdout
    assert _snapshot(shipped) == after


def test_new_report_from_xlsx(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    path = tmp_path / "network.xlsx"
    _export(cli, shipped, "xlsx", path)
    book = openpyxl.load_workbook(path)
    reports = book["reports"]
    header = [c.value for c in reports[1]]
    reports.cell(1, len(header) + 1, "submitted_by")
    values = {
        **ROW,
        "period_start": dt.date(2025, 10, 10),  # typed as dates by a spreadsheet program
        "period_end": dt.date(2026, 2, 27),
        "submitted_on": dt.datetime(2026, 3, 10),
    }
    reports.append([values[name] or None for name in [*header, "submitted_by"]])
    book.save(path)
    before = _snapshot(shipped)

    run = _import(cli, shipped, "xlsx", path)
    assert run.exit_code == 0, run.stderr
    assert "IM0" not in run.stderr
    after = _snapshot(shipped)
    assert sorted(set(after) - set(before)) == [NEW]
    assert yaml_rs.loads(after[NEW].decode()) == RECORD
    again = _import(cli, shipped, "xlsx", path)
    assert again.exit_code == 0 and "nothing to change" in again.stdout
    assert _snapshot(shipped) == after


def test_new_report_problems_row_by_row(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    sheet = _reports_csv(
        cli,
        shipped,
        tmp_path,
        {**ROW, "submitted_by": ""},
        {**ROW, "report": "../../escape"},
        {**ROW, "report": "2026-s2", "kind": ""},
        {**ROW, "report": "2026-s3", "validated_on": "2026-03-12"},
        {**ROW, "report": "2026-s3"},
        {**ROW, "agreement": "no-such-agreement"},
    )
    first = len(sheet.read_text().splitlines()) - 5  # the line of the first added row
    before = _snapshot(shipped)
    run = _import(cli, shipped, "csv", sheet, "--format", "json")
    assert run.exit_code == 1
    assert _found(run) == [
        (first, 9, "error", "IM012"),  # no submitted_by
        (first + 1, 2, "error", "IM005"),  # an id that cannot name a file
        (first + 2, 3, "error", "IM012"),  # no kind
        (first + 3, 7, "warning", "IM010"),  # a validation is not taken from a sheet
        (first + 4, 2, "error", "IM012"),  # the same new report twice
        (first + 5, 1, "error", "IM004"),  # an agreement the repository does not have
    ]
    said = {d["line"]: d["message"] for d in run.json()["diagnostics"]}
    assert "submitted_by" in said[first] and "2026-s1" in said[first]
    assert _snapshot(shipped) == before
    assert not (shipped / "escape.yaml").exists()


def test_a_new_report_without_the_column_says_to_add_it(
    cli: Cli, shipped: Path, tmp_path: Path
) -> None:
    tables = tmp_path / "tables"
    _export(cli, shipped, "csv", tables)
    path = tables / "reports.csv"
    with path.open("a", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [ROW[k] for k in ROW if k != "submitted_by"]
        )
    before = _snapshot(shipped)
    run = _import(cli, shipped, "csv", path, "--format", "json")
    assert run.exit_code == 1
    [problem] = run.json()["diagnostics"]
    assert (problem["code"], problem["column"]) == ("IM012", 0)
    assert "add the column submitted_by" in problem["hint"]
    assert _snapshot(shipped) == before
