"""``solidarity export`` from the command line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import Run

Cli = Callable[..., Run]


def test_iati_to_stdout(cli: Cli, shipped: Path) -> None:
    run = cli(["export", "--format", "iati", "--as-of", "2026-11-01", "--repo", str(shipped)])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("<?xml")
    assert "<iati-identifier>XI-IATI-EXAMPLE-kaonge-casa-de-farinha</iati-identifier>" in run.stdout


def test_iati_without_organisation_says_what_to_add(cli: Cli, minimal: Path) -> None:
    run = cli(["export", "--format", "iati", "--repo", str(minimal)])
    assert run.exit_code == 2
    assert "organisation identifier" in run.stderr
    assert "iati:" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stdout == ""


def test_csv_needs_a_folder(cli: Cli, shipped: Path) -> None:
    run = cli(["export", "--format", "csv", "--repo", str(shipped)])
    assert run.exit_code == 2
    assert "--out tables" in run.stderr


@pytest.mark.parametrize("formats", [["csv"], ["csv", "json"], ["all"]])
def test_a_file_given_for_a_folder_is_named(
    cli: Cli, shipped: Path, tmp_path: Path, formats: list[str]
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("mine\n", encoding="utf-8")
    args = [x for f in formats for x in ("--format", f)]
    run = cli(["export", *args, "--repo", str(shipped), "--out", str(notes)])
    assert run.exit_code == 2
    assert f"{notes} is a file: these files are written into a folder" in run.stderr
    assert "already exists" not in run.stderr
    assert notes.read_text(encoding="utf-8") == "mine\n"


def test_csv_folder_with_its_table_schema(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    run = cli(["export", "--format", "csv", "--out", str(out), "--repo", str(shipped)])
    assert run.exit_code == 0, run.stderr
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in package["resources"]]
    assert names == ["needs", "agreements", "transactions", "reports", "indicators"]
    for resource in package["resources"]:
        with (out / resource["path"]).open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == [f["name"] for f in resource["schema"]["fields"]]
        assert len(rows) > 1, resource["name"]


def test_existing_file_is_kept_unless_forced(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    target = tmp_path / "network.xlsx"
    target.write_text("a contributor's file", encoding="utf-8")
    args = ["export", "--format", "xlsx", "--out", str(target), "--repo", str(shipped)]
    run = cli(args)
    assert run.exit_code == 2
    assert "--force" in run.stderr
    assert target.read_text(encoding="utf-8") == "a contributor's file"
    run = cli([*args, "--force"])
    assert run.exit_code == 0, run.stderr
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == [
        "columns",
        "needs",
        "agreements",
        "transactions",
        "reports",
        "indicators",
    ]
    needs = list(book["needs"].iter_rows(values_only=True))
    assert needs[0][:3] == ("community", "strategy", "need")
    assert len(needs) > 20


def test_hxl_rows_per_agreement(cli: Cli, shipped: Path) -> None:
    run = cli(["export", "--format", "hxl", "--repo", str(shipped)])
    assert run.exit_code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    tags = rows[1]
    for tag in ("#org +funder", "#org +impl", "#sector", "#geo +lat", "#value", "#reached"):
        assert tag in tags
    agreements = len(list((shipped / "data" / "partnerships").iterdir()))
    assert len(rows) == 2 + agreements


def test_scope_cuts_the_export(cli: Cli, shipped: Path) -> None:
    run = cli(["export", "kaonge", "--format", "360giving", "--repo", str(shipped)])
    assert run.exit_code == 0, run.stderr
    grants = json.loads(run.stdout)["grants"]
    assert [g["id"] for g in grants] == ["360G-XI-IATI-EXAMPLE-kaonge-casa-de-farinha"]


def test_geojson_has_coverage(cli: Cli, shipped: Path) -> None:
    run = cli(["export", "--format", "geojson", "--repo", str(shipped)])
    assert run.exit_code == 0, run.stderr
    features = json.loads(run.stdout)["features"]
    assert features
    assert all("coverage" in f["properties"] for f in features)


def test_unreadable_records_are_named_on_stderr(cli: Cli, shipped: Path) -> None:
    donor = shipped / "data" / "donors" / "mutirao-digital.yaml"
    donor.write_text("id: mutirao-digital\nname: [unclosed\n", encoding="utf-8")
    run = cli(["export", "--format", "hxl", "--repo", str(shipped)])
    assert run.exit_code == 0, run.stderr
    assert "1 record could not be read" in run.stderr
    assert "solidarity check" in run.stderr
    assert run.stdout.startswith("Funder,")


def test_format_choices_are_the_export_formats_and_all() -> None:
    from solidarity_cli.cli.export import FormatChoice
    from solidarity_cli.exporting import ExportFormat

    assert [c.value for c in FormatChoice] == [*(f.value for f in ExportFormat), "all"]


def test_every_format_from_one_reading(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    """``--format all`` writes each format under its usual name, the same bytes as one by one."""
    out = tmp_path / "published"
    day = ["--as-of", "2026-11-01", "--repo", str(shipped)]
    run = cli(["export", "--format", "all", "--out", str(out), *day])
    assert run.exit_code == 0, run.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "360giving.json",
        "communities.geojson",
        "iati-activities.xml",
        "network.json",
        "network.xlsx",
        "tables/agreements.csv",
        "tables/datapackage.json",
        "tables/indicators.csv",
        "tables/needs.csv",
        "tables/reports.csv",
        "tables/transactions.csv",
        "who-what-where.csv",
    ]
    single = tmp_path / "single.xml"
    assert cli(["export", "-f", "iati", "--out", str(single), *day]).exit_code == 0
    assert single.read_bytes() == (out / "iati-activities.xml").read_bytes()
    # Twice gives the same files, so nothing is refused; a changed file is kept without --force.
    assert cli(["export", "--format", "all", "--out", str(out), *day]).exit_code == 0
    (out / "network.json").write_text("a contributor's file", encoding="utf-8")
    (out / "iati-activities.xml").unlink()
    run = cli(["export", "--format", "all", "--out", str(out), *day])
    assert run.exit_code == 2 and "--force" in run.stderr
    assert not (out / "iati-activities.xml").exists()  # refused before anything was written
    assert cli(["export", "-f", "all", "--out", str(out), "--force", *day]).exit_code == 0
    assert (out / "network.json").read_bytes() != b"a contributor's file"


def test_two_formats_and_no_folder(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    run = cli(["export", "-f", "hxl", "-f", "geojson", "--repo", str(shipped)])
    assert run.exit_code == 2 and "--out" in run.stderr
    out = tmp_path / "two"
    run = cli(
        [
            "export",
            "-f",
            "hxl",
            "-f",
            "geojson",
            "-f",
            "hxl",
            "--out",
            str(out),
            "--repo",
            str(shipped),
        ]
    )
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["communities.geojson", "who-what-where.csv"]
