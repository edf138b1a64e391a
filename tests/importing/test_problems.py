"""Problems in what is imported, reported row by row; nothing is half-written."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import yaml_rs

from tests.conftest import Run

Cli = Callable[..., Run]
SAMPLES = Path(__file__).parent / "samples"
STRATEGY = "data/communities/praia-branca/strategies/praia-branca-2025-2028.yaml"
OWN = "    own_contribution: {amount: 200000, currency: CVE, value_date: 2024-12-21}\n"


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*.yaml"))}


def _import(cli: Cli, repo: Path, fmt: str, file: Path, *extra: str) -> Run:
    return cli(["import", fmt, str(file), "--repo", str(repo), "--as-of", "2026-06-01", *extra])


def _found(run: Run) -> list[tuple[str, int, int, str, str]]:
    return [
        (d["path"].rsplit("/", 1)[-1], d["line"], d["column"], d["severity"], d["code"])
        for d in run.json()["diagnostics"]
    ]


def test_every_problem_with_its_row_and_column(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    strategy = shipped / STRATEGY
    text = strategy.read_text()
    assert text.count(OWN) == 1
    strategy.write_text(text.replace(OWN, ""))  # transporte-escolar has no contribution now
    before = _snapshot(shipped)
    sample = shutil.copy(SAMPLES / "needs-messy.csv", tmp_path / "needs.csv")
    run = _import(cli, shipped, "csv", Path(sample), "--format", "json")
    assert run.exit_code == 1
    assert _found(run) == [
        ("needs.csv", 2, 4, "warning", "IM006"),
        ("needs.csv", 2, 8, "warning", "IM006"),
        ("needs.csv", 3, 4, "error", "IM005"),
        ("needs.csv", 3, 8, "error", "IM005"),
        ("needs.csv", 4, 6, "error", "IM007"),
        ("needs.csv", 4, 9, "error", "IM005"),
        *[("needs.csv", 5, 0, "error", "IM012")] * 4,
        ("needs.csv", 6, 5, "error", "IM005"),
    ]
    said = {(d["line"], d["column"]): d for d in run.json()["diagnostics"]}
    assert said[(2, 4)]["message"] == "column estimated_cost: 4.350.000,50 was read as 4350000.50"
    assert said[(2, 8)]["message"] == (
        "column needed_by: 26/03/2028 00:00 was read as the day 2028-03-26 (day/month/year)"
    )
    assert said[(3, 4)]["message"] == "column estimated_cost: 1,850 is not a number"
    assert said[(3, 8)]["message"] == (
        "column needed_by: 03/04/2028 could be the day 2028-04-03 or 2028-03-04"
    )
    assert said[(4, 6)]["hint"] == (
        "write its currency (such as EUR or CVE) in the column contribution_currency"
    )
    new_need = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "IM012"]
    assert sorted(new_need) == sorted(
        f"column {c}: the new need barco-novo has no {c}"
        for c in ("title", "dimension", "kind", "priority")
    )
    assert run.json()["written"] is False
    assert _snapshot(shipped) == before

    text_run = _import(cli, shipped, "csv", Path(sample))
    assert text_run.exit_code == 1
    assert "needs.csv:4:6: error IM007 column own_contribution: the amount 250000 has no" in (
        text_run.stderr
    )
    assert "nothing was written: fix the problems above" in text_run.stderr
    assert "Traceback" not in text_run.stdout + text_run.stderr


def test_guessed_values_are_written_and_said(cli: Cli, shipped: Path) -> None:
    run = _import(cli, shipped, "csv", SAMPLES / "needs-guessed.csv")
    assert run.exit_code == 0, run.stderr
    assert "26/03/2028 00:00 was read as the day 2028-03-26 (day/month/year)" in run.stderr
    assert "4.350.000,50 was read as 4350000.50" in run.stderr
    need = yaml_rs.loads((shipped / STRATEGY).read_text())["needs"][0]
    assert need["id"] == "dessalinizacao-solar"
    assert need["estimated_cost"]["amount"] == 4350000.5
    assert need["estimated_cost"]["currency"] == "CVE"
    assert str(need["timeframe"]["end"]) == "2028-03-26"
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0


def test_a_record_that_would_fail_its_schema_writes_nothing(
    cli: Cli, shipped: Path, tmp_path: Path
) -> None:
    sample = tmp_path / "needs.csv"
    sample.write_text(
        "community,strategy,need,status,priority\n"
        "praia-branca,praia-branca-2025-2028,dessalinizacao-solar,finished,1\n"
        "praia-branca,praia-branca-2025-2028,rega-gota-a-gota,,7\n"
    )
    before = _snapshot(shipped)
    run = _import(cli, shipped, "csv", sample, "--format", "json")
    assert run.exit_code == 1
    errors = [d for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert errors and all(d["path"] == STRATEGY for d in errors)
    assert any(d["pointer"] == "/needs/0/status" and d["line"] > 0 for d in errors)
    assert _snapshot(shipped) == before


def test_merged_header_cells(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "needs"
    sheet.append(["Need", None, "estimated_cost"])
    sheet.merge_cells("A1:B1")
    sheet.append(["praia-branca-2025-2028", "dessalinizacao-solar", 10])
    path = tmp_path / "merged.xlsx"
    book.save(path)
    before = _snapshot(shipped)
    run = _import(cli, shipped, "xlsx", path, "--format", "json")
    assert run.exit_code == 1
    [finding] = run.json()["diagnostics"]
    assert (finding["code"], finding["line"], finding["column"]) == ("IM002", 1, 1)
    assert finding["message"] == "sheet needs, column A1:B1: the header has merged cells"
    assert _snapshot(shipped) == before


def test_wrong_header(cli: Cli, shipped: Path) -> None:
    run = _import(cli, shipped, "csv", SAMPLES / "wrong-header.csv", "--format", "json")
    assert run.exit_code == 1
    found = run.json()["diagnostics"]
    assert {d["code"] for d in found} == {"IM003"}
    assert [d["column"] for d in found if d["column"]] == [1, 2, 3]
    assert "the column Cost (EUR) is not one this tool knows" in found[-1]["message"]
    assert found[-1]["hint"].startswith("the first row must name the columns as solidarity")


def test_broken_workbook_cannot_be_read(cli: Cli, shipped: Path) -> None:
    before = _snapshot(shipped)
    run = _import(cli, shipped, "xlsx", SAMPLES / "broken.xlsx")
    assert run.exit_code == 2
    assert "broken.xlsx: error IM001 this is not an XLSX workbook that can be read" in (run.stderr)
    assert "save the file again from the spreadsheet program" in run.stderr
    assert "Traceback" not in run.stderr
    assert _snapshot(shipped) == before


def test_text_that_is_not_utf8(cli: Cli, shipped: Path) -> None:
    run = _import(cli, shipped, "csv", SAMPLES / "latin1.csv", "--format", "json")
    assert run.exit_code == 2
    [finding] = run.json()["diagnostics"]
    assert (finding["code"], finding["line"]) == ("IM001", 2)
    assert finding["hint"] == "save it again as CSV UTF-8 from the spreadsheet program"


def test_missing_file(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    run = _import(cli, shipped, "xlsx", tmp_path / "nowhere.xlsx")
    assert run.exit_code == 2
    assert "IM001 the file cannot be opened" in run.stderr


def test_changes_that_are_not_taken_back_are_said(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    book_path = tmp_path / "network.xlsx"
    exported = cli(["export", "--repo", str(shipped), "--format", "xlsx", "--out", str(book_path)])
    assert exported.exit_code == 0
    book = openpyxl.load_workbook(book_path)
    needs = book["needs"]
    header = [c.value for c in needs[1]]
    needs.cell(2, header.index("title") + 1).value = "A new title"
    transactions = book["transactions"]
    amount = [c.value for c in transactions[1]].index("amount") + 1
    transactions.cell(3, amount).value = 1
    book.save(book_path)
    before = _snapshot(shipped)
    run = _import(cli, shipped, "xlsx", book_path, "--format", "json")
    assert run.exit_code == 0
    found = [(d["line"], d["column"], d["code"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [
        (
            2,
            header.index("title") + 1,
            "IM010",
            "sheet needs, column title: this change is not taken back",
        ),
        (
            3,
            0,
            "IM010",
            "sheet transactions: this row differs from the records and is not taken back",
        ),
    ]
    assert run.json()["files"] == []
    assert _snapshot(shipped) == before


def test_workbook_with_a_broken_sheet(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    assert cli(["export", "--repo", str(shipped), "-f", "xlsx", "--out", str(good)]).exit_code == 0
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]  # cut short, as a failed download leaves it
            target.writestr(item, data)
    before = _snapshot(shipped)
    run = _import(cli, shipped, "xlsx", bad)
    assert run.exit_code == 2
    assert "IM001 this is not an XLSX workbook that can be read" in run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert _snapshot(shipped) == before
