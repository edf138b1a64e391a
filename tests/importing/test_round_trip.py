"""The spreadsheet round trip: export, edit one cost and one indicator value, import back."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml_rs

from tests.conftest import Run

Cli = Callable[..., Run]
AS_OF = "2026-06-01"
STRATEGY = "data/communities/praia-branca/strategies/praia-branca-2025-2028.yaml"
AGREEMENT = "data/partnerships/monte-sossego-reservatorio/agreement.yaml"
COST_LINE = "    estimated_cost: {amount: 4200000, currency: CVE, value_date: 2024-12-21}"
ACTUAL_LINE = "            actual: 4"


def _annotate(repo: Path) -> None:
    """Comments a person might have written next to the very values edited."""
    strategy = repo / STRATEGY
    text = strategy.read_text()
    assert COST_LINE + "\n" in text
    text = text.replace(
        COST_LINE + "\n",
        "    # the quote from the desalination workshop\n" + COST_LINE + "  # quote of 2024\n",
    )
    strategy.write_text(text)
    agreement = repo / AGREEMENT
    text = agreement.read_text()
    assert text.count(ACTUAL_LINE + "\n") == 1
    agreement.write_text(
        text.replace(
            ACTUAL_LINE + "\n",
            "            # measured by the water committee\n" + ACTUAL_LINE + "\n",
        )
    )


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "#" in line]


def _snapshot(repo: Path) -> dict[str, str]:
    return {p.relative_to(repo).as_posix(): p.read_text() for p in sorted(repo.rglob("*.yaml"))}


def _changed_values(before: Any, after: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Every leaf that differs between two parsed YAML documents."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after), key=str):
            out += _changed_values(before.get(key), after.get(key), f"{path}.{key}")
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            c
            for i, (b, a) in enumerate(zip(before, after, strict=True))
            for c in _changed_values(b, a, f"{path}[{i}]")
        ]
    return [] if before == after else [(path, before, after)]


def _assert_exactly_two_changes(repo: Path, before: dict[str, str]) -> None:
    after = _snapshot(repo)
    touched = sorted(rel for rel in after if after[rel] != before[rel])
    assert touched == sorted([STRATEGY, AGREEMENT])
    strategy = _changed_values(yaml_rs.loads(before[STRATEGY]), yaml_rs.loads(after[STRATEGY]))
    assert strategy == [(".needs[0].estimated_cost.amount", 4200000, 4350000)]
    agreement = _changed_values(yaml_rs.loads(before[AGREEMENT]), yaml_rs.loads(after[AGREEMENT]))
    assert agreement == [(".results[1].indicators[0].periods[0].actual", 4, 3)]
    for rel in touched:
        assert _comments(after[rel]) == [
            c.replace("4200000", "4350000") for c in _comments(before[rel])
        ]
        lines = list(difflib.ndiff(before[rel].splitlines(), after[rel].splitlines()))
        moved = [line for line in lines if line.startswith(("- ", "+ "))]
        assert len(moved) == 2, moved  # one line out, one line in: nothing else moves
    assert "# quote of 2024" in after[STRATEGY].split("4350000", 1)[1].splitlines()[0]


def _export(cli: Cli, repo: Path, fmt: str, out: Path) -> None:
    run = cli(["export", "--repo", str(repo), "--format", fmt, "--out", str(out), "--as-of", AS_OF])
    assert run.exit_code == 0, run.stderr


def _import(cli: Cli, repo: Path, fmt: str, file: Path, *extra: str) -> Run:
    return cli(["import", fmt, str(file), "--repo", str(repo), "--as-of", AS_OF, *extra])


def _fmt_and_check_clean(cli: Cli, repo: Path, checked_before: dict[str, Any]) -> None:
    assert cli(["fmt", "--check", "--repo", str(repo)]).exit_code == 0
    run = cli(["check", "--repo", str(repo), "--format", "json", "--as-of", AS_OF])
    found = [(d["path"], d["code"]) for d in run.json()["diagnostics"]]
    assert found == checked_before["found"]


def _check(cli: Cli, repo: Path) -> dict[str, Any]:
    run = cli(["check", "--repo", str(repo), "--format", "json", "--as-of", AS_OF])
    return {"found": [(d["path"], d["code"]) for d in run.json()["diagnostics"]]}


def test_xlsx_round_trip(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    _annotate(shipped)
    checked = _check(cli, shipped)
    book_path = tmp_path / "network.xlsx"
    _export(cli, shipped, "xlsx", book_path)
    book = openpyxl.load_workbook(book_path)
    needs = book["needs"]
    header = [c.value for c in needs[1]]
    for row in needs.iter_rows(min_row=2):
        if row[header.index("need")].value == "dessalinizacao-solar":
            row[header.index("estimated_cost")].value = 4350000
    indicators = book["indicators"]
    header = [c.value for c in indicators[1]]
    for row in indicators.iter_rows(min_row=2):
        if (row[0].value, row[header.index("indicator")].value) == (
            "monte-sossego-reservatorio",
            "perdas",
        ):
            row[header.index("actual")].value = 3
    book.save(book_path)
    before = _snapshot(shipped)

    dry = _import(cli, shipped, "xlsx", book_path, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert _snapshot(shipped) == before
    assert "Changes that importing" in dry.stdout and "2 changed" in dry.stdout
    assert "re-costed from 4,200,000.00\N{NO-BREAK SPACE}CVE" in dry.stdout
    assert "perdas].periods[0].actual: 4 → 3" in dry.stdout

    run = _import(cli, shipped, "xlsx", book_path)
    assert run.exit_code == 0, run.stderr
    assert "2 files written" in run.stderr
    assert "IM0" not in run.stderr
    _assert_exactly_two_changes(shipped, before)
    _fmt_and_check_clean(cli, shipped, checked)

    again = _import(cli, shipped, "xlsx", book_path)
    assert again.exit_code == 0
    assert "nothing to change" in again.stdout
    assert _snapshot(shipped) != before  # still the imported values, not rewritten


def test_csv_round_trip_in_portuguese(
    cli: Cli, shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _annotate(shipped)
    checked = _check(cli, shipped)
    tables = tmp_path / "tables"
    _export(cli, shipped, "csv", tables)
    for name, match, column, value in (
        ("needs.csv", ("need", "dessalinizacao-solar"), "estimated_cost", "4350000"),
        ("indicators.csv", ("indicator", "perdas"), "actual", "3"),
    ):
        with (tables / name).open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            if row[match[0]] == match[1] and row.get("agreement", "monte-sossego-reservatorio") == (
                "monte-sossego-reservatorio"
            ):
                row[column] = value
        with (tables / name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    before = _snapshot(shipped)
    monkeypatch.setenv("SOLIDARITY_LANG", "pt")
    dry = _import(cli, shipped, "csv", tables, "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.stderr
    document = dry.json()
    assert document["written"] is False and document["files"] == sorted([AGREEMENT, STRATEGY])
    said = json.dumps(document["changes"], ensure_ascii=False)
    assert "reorçada de 4\N{NO-BREAK SPACE}200\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}CVE" in said
    assert _snapshot(shipped) == before

    run = _import(cli, shipped, "csv", tables)
    assert run.exit_code == 0, run.stderr
    _assert_exactly_two_changes(shipped, before)
    _fmt_and_check_clean(cli, shipped, checked)
    written = _snapshot(shipped)
    again = _import(cli, shipped, "csv", tables)
    assert again.exit_code == 0
    assert _snapshot(shipped) == written


def test_an_actual_measured_in_a_report_goes_back_to_the_report(
    cli: Cli, minimal: Path, tmp_path: Path
) -> None:
    agreement = minimal / "data/partnerships/cruzinha-horta/agreement.yaml"
    text = agreement.read_text()
    assert text.count("            actual: 18\n") == 1
    agreement.write_text(text.replace("            actual: 18\n", ""))
    tables = tmp_path / "tables"
    _export(cli, minimal, "csv", tables)
    indicators = tables / "indicators.csv"
    with indicators.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    [row] = [r for r in rows if r["agreement"] == "cruzinha-horta"]
    assert row["actual"] == "18"  # the export took it from the final report
    row["actual"] = "20"
    with indicators.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = minimal / "data/partnerships/cruzinha-horta/reports/final.yaml"
    before = _snapshot(minimal)
    run = _import(cli, minimal, "csv", indicators)
    assert run.exit_code == 0, run.stderr
    after = _snapshot(minimal)
    rel = report.relative_to(minimal).as_posix()
    assert [r for r in after if after[r] != before[r]] == [rel]
    assert _changed_values(yaml_rs.loads(before[rel]), yaml_rs.loads(after[rel])) == [
        (".indicator_values[0].value", 18, 20)
    ]


def _day_first(text: str) -> str:
    """A cell as a spreadsheet set to Portuguese writes it back: 2027-04-03 as 03/04/2027."""
    parts = text.split("-")
    if len(parts) == 3 and len(parts[0]) == 4 and text.replace("-", "").isdigit():
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return text


def test_csv_saved_again_by_a_portuguese_spreadsheet(
    cli: Cli, shipped: Path, tmp_path: Path
) -> None:
    tables = tmp_path / "tables"
    _export(cli, shipped, "csv", tables)
    for name in ("needs.csv", "agreements.csv", "indicators.csv"):
        with (tables / name).open(newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows[1:]:
            row[:] = [_day_first(cell) for cell in row]
            if name == "needs.csv" and row[2] == "dessalinizacao-solar":
                row[rows[0].index("estimated_cost")] = "4350000,00"
        with (tables / name).open("w", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    before = _snapshot(shipped)
    run = _import(cli, shipped, "csv", tables, "--format", "json")
    assert run.exit_code == 0, run.stdout
    found = [(d["path"].rsplit("/", 1)[-1], d["code"]) for d in run.json()["diagnostics"]]
    assert found == [("needs.csv", "IM006")]  # 4350000,00 read as 4350000.00; dates say nothing
    after = _snapshot(shipped)
    assert [rel for rel in after if after[rel] != before[rel]] == [STRATEGY]
    assert _changed_values(yaml_rs.loads(before[STRATEGY]), yaml_rs.loads(after[STRATEGY])) == [
        (".needs[0].estimated_cost.amount", 4200000, 4350000)
    ]


def test_a_new_need_row_adds_the_need(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    """A row naming a need its strategy does not have adds it, in canonical form, with every
    comment kept; importing the same workbook again writes nothing."""
    _annotate(shipped)
    checked = _check(cli, shipped)
    book_path = tmp_path / "network.xlsx"
    _export(cli, shipped, "xlsx", book_path)
    book = openpyxl.load_workbook(book_path)
    needs = book["needs"]
    header = [c.value for c in needs[1]]
    new = {
        "community": "praia-branca",
        "strategy": "praia-branca-2025-2028",
        "need": "barco-de-pesca",
        "title": "Barco de pesca comunitário",
        "dimension": "water",
        "kind": "financial",
        "sectors": "31310",
        "priority": 9,
        "status": "open",
        "estimated_cost": 900000,
        "cost_currency": "CVE",
        "needed_by": "2027-06-30",
        "beneficiaries": 40,
    }
    needs.append([new.get(name) for name in header])
    book.save(book_path)
    before = _snapshot(shipped)

    run = _import(cli, shipped, "xlsx", book_path)
    assert run.exit_code == 0, run.stderr + run.stdout
    after = _snapshot(shipped)
    assert sorted(rel for rel in after if after[rel] != before[rel]) == [STRATEGY]
    old, added = yaml_rs.loads(before[STRATEGY]), yaml_rs.loads(after[STRATEGY])
    assert added["needs"][:-1] == old["needs"]
    assert added["needs"][-1] == {
        "id": "barco-de-pesca",
        "title": {"pt": "Barco de pesca comunitário"},
        "dimension": "water",
        "sectors": [{"vocabulary": "dac-5", "code": "31310"}],
        "kind": "financial",
        "estimated_cost": {"amount": 900000, "currency": "CVE"},
        "priority": 9,
        "timeframe": {"end": dt.date(2027, 6, 30)},
        "beneficiaries": {"count": 40},
        "status": "open",
    }
    assert _comments(after[STRATEGY]) == _comments(before[STRATEGY])
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0
    # What the spreadsheet could not say (a description, expected results) is what check now
    # asks of that file, and the import said so before writing.
    new_findings = [f for f in _check(cli, shipped)["found"] if f not in checked["found"]]
    assert {path for path, _code in new_findings} == {STRATEGY}
    assert all(code in run.stdout + run.stderr for _path, code in new_findings)

    again = _import(cli, shipped, "xlsx", book_path)
    assert again.exit_code == 0
    assert "nothing to change" in again.stdout
    assert _snapshot(shipped) == after
