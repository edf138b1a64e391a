"""Reading tables: the sheets of a workbook (openpyxl) or a CSV file, as rows of cells.

A table is recognised by its header: the first row names the columns, as ``solidarity export``
writes them. Problems with the file as a whole (not a workbook, not UTF-8) make it unreadable;
problems with a header (merged cells, unknown columns) are findings about that sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.importing.cells import CellAt, Raw, table_cell
from solidarity_cli.importing.findings import UNREADABLE, error, place
from solidarity_cli.words import M_, Words

MAX_BYTES = 50_000_000
"""Largest input read (a workbook of the whole network is far smaller)."""


class Unreadable(Exception):
    """The input cannot be read at all; carries the finding that says why."""

    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Sheet:
    """One table: its name (the sheet, or the CSV file's stem), header and rows."""

    file: str
    name: str
    sheet: str
    """The sheet's name as shown in findings ("" for a CSV file)."""
    columns: list[str]
    rows: list[tuple[int, list[Raw]]] = field(default_factory=list)
    """(1-based row number, cells) for every row below the header with something in it."""

    def cell(self, line: int, values: list[Raw], column: str) -> CellAt:
        """The cell of ``column`` in a row (empty when the row is short)."""
        index = self.columns.index(column)
        value = values[index] if index < len(values) else None
        return table_cell(value, self.file, self.sheet, column, line, index + 1)


def unreadable(file: str, problem: Words, hint: Words, line: int = 0) -> Unreadable:
    """The exception for an input that cannot be read."""
    return Unreadable(error(UNREADABLE, file, line, 0, "", problem, hint))


def read_input(path: Path, shown: str) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Unreadable(
            error(
                UNREADABLE,
                shown,
                0,
                0,
                "",
                M_("the file cannot be opened: {reason}", reason=exc.strerror or str(exc)),
                M_("check the file's name and that you may read it"),
            )
        ) from None
    if len(data) > MAX_BYTES:
        raise Unreadable(
            error(
                UNREADABLE,
                shown,
                0,
                0,
                "",
                M_("the file is larger than {n} MB", n=MAX_BYTES // 1_000_000),
                M_("split it, or import the records in several files"),
            )
        )
    return data


def read_workbook(path: Path, shown: str) -> tuple[list[Sheet], list[Diagnostic]]:
    """Every sheet of an XLSX workbook (with a header row), and findings about headers."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    data = read_input(path, shown)
    try:
        # Read-only mode streams the rows (faster, and no cell model kept in memory); merged
        # cells, which it does not give, are read from each sheet's XML.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return _sheets(book, _merged_headers(data, book), shown)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        SyntaxError,  # lxml's XMLSyntaxError, for a sheet whose XML is broken
    ) as exc:
        raise Unreadable(
            error(
                UNREADABLE,
                shown,
                0,
                0,
                "",
                M_("this is not an XLSX workbook that can be read ({reason})", reason=str(exc)),
                M_(
                    "save the file again from the spreadsheet program as Excel workbook (.xlsx), "
                    "or export it again with solidarity export --format xlsx"
                ),
            )
        ) from None


def _sheets(
    book: Any, merges: dict[str, list[tuple[str, int]]], shown: str
) -> tuple[list[Sheet], list[Diagnostic]]:
    sheets: list[Sheet] = []
    findings: list[Diagnostic] = []
    for ws in book.worksheets:
        merged = merges.get(ws.title, [])
        if merged:
            findings.extend(
                error(
                    "IM002",
                    shown,
                    1,
                    column,
                    place(ws.title, coord),
                    M_("the header has merged cells"),
                    M_(
                        "unmerge the cells of the first row so that each column has its own "
                        "name, as solidarity export writes it"
                    ),
                )
                for coord, column in merged
            )
            continue
        rows = ws.iter_rows(min_row=1, values_only=True)
        header = next(rows, None)
        if header is None:
            continue
        columns = [str(v).strip() if v is not None else "" for v in header]
        while columns and not columns[-1]:
            columns.pop()
        sheet = Sheet(shown, ws.title, ws.title, columns)
        for number, values in enumerate(rows, 2):
            cells: list[Raw] = [_raw(v) for v in values]
            if any(c is not None and c != "" for c in cells):
                sheet.rows.append((number, cells))
        sheets.append(sheet)
    book.close()
    return sheets, findings


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_headers(data: bytes, book: Any) -> dict[str, list[tuple[str, int]]]:
    """Merged ranges that touch the first row, by sheet: (range, first column)."""
    from openpyxl.utils.cell import range_boundaries

    out: dict[str, list[tuple[str, int]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for ws in book.worksheets:
            part = getattr(ws, "_worksheet_path", None)
            if not isinstance(part, str) or part not in archive.namelist():
                continue
            for match in _MERGE.finditer(archive.read(part)):
                coord = match[1].decode()
                min_col, min_row, _, _ = range_boundaries(coord)
                if min_row == 1 and min_col is not None:
                    out.setdefault(ws.title, []).append((coord, min_col))
    return out


def _raw(value: object) -> Raw:
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def read_csv(path: Path, shown: str) -> Sheet:
    """A CSV file (UTF-8, with or without a byte-order mark; comma, semicolon or tab)."""
    data = read_input(path, shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise unreadable(
            shown,
            M_("the file is not UTF-8 text"),
            M_("save it again as CSV UTF-8 from the spreadsheet program"),
            line,
        ) from None
    if "\x00" in text:
        raise unreadable(shown, M_("the file is not a CSV text file"), M_("give a .csv file"))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise unreadable(
            shown,
            M_("the CSV cannot be read: {reason}", reason=str(exc)),
            M_("save it again as CSV from the spreadsheet program"),
        ) from None
    if not lines:
        raise unreadable(shown, M_("the file is empty"), M_("export the table again"))
    columns = [c.strip() for c in lines[0]]
    sheet = Sheet(shown, path.stem, "", columns)
    for number, values in enumerate(lines[1:], 2):
        if any(v.strip() for v in values):
            sheet.rows.append((number, list(values)))
    return sheet
