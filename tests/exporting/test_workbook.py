"""The workbook written as SpreadsheetML: what a spreadsheet program reads back."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl

from solidarity_cli.exporting.tables import Column, Table
from solidarity_cli.exporting.workbook import workbook

DAY = dt.date(2026, 11, 1)


def _book() -> bytes:
    columns = (
        Column("name", "string", "A name"),
        Column("amount", "number", "An amount"),
        Column("count", "integer", "A count"),
        Column("day", "date", "A day"),
    )
    rows: list[list[str | int | Decimal | dt.date | None]] = [
        ["  spaces & <tags> ", Decimal("1234.50"), 7, dt.date(2026, 3, 1)],
        ["bell\x07here", None, None, None],
        ["Água, São Tomé", Decimal("0.1"), 0, dt.date(1900, 3, 1)],
    ]
    return workbook([Table("things", "Things", columns, rows)], DAY)


def test_values_come_back_as_written() -> None:
    book = openpyxl.load_workbook(io.BytesIO(_book()))
    assert book.sheetnames == ["columns", "things"]
    sheet = book["things"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name", "amount", "count", "day")
    assert rows[1] == ("  spaces & <tags> ", 1234.5, 7, dt.datetime(2026, 3, 1))
    # A character XML cannot hold is written as Excel escapes it (which Excel shows as itself).
    assert rows[2][0] == "bell_x0007_here" and rows[2][1:] == (None, None, None)
    assert rows[3] == ("Água, São Tomé", 0.1, 0, dt.datetime(1900, 3, 1))
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    about = list(book["columns"].iter_rows(values_only=True))
    assert about[0] == ("sheet", "column", "type", "description")
    assert about[2] == ("things", "amount", "number", "An amount")


def test_same_tables_same_bytes_and_a_valid_package() -> None:
    first = _book()
    assert first == _book()
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert package.testzip() is None
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2026-11-01T00:00:00Z" in core
