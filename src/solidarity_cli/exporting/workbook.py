"""The tables as one workbook, one sheet per record kind, with a sheet describing the columns.

XlsxWriter writes the file: it streams rows without keeping a cell model in memory (several
times faster than openpyxl for writing), and with the document's creation date fixed and its
zip entries stamped with a fixed time the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import xlsxwriter

from solidarity_cli.exporting.public import Public
from solidarity_cli.exporting.tables import tables

_EPOCH = dt.date(1899, 12, 30)
"""Day zero of Excel's date numbers (as in the 1900 date system, leap-year quirk included)."""


def xlsx(public: Public) -> bytes:
    """The workbook as bytes."""
    with tempfile.TemporaryDirectory(prefix="solidarity-xlsx-") as tmp:
        target = Path(tmp) / "network.xlsx"
        _write(public, str(target), tmp)
        return target.read_bytes()


def _write(public: Public, target: str, tmp: str) -> None:
    # constant_memory writes each row as it is finished instead of keeping every cell.
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "tmpdir": tmp,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    stamp = dt.datetime.combine(public.as_of, dt.time())
    book.set_properties({"created": stamp, "title": "solidarity network"})
    header = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    all_tables = tables(public)
    about = book.add_worksheet("columns")
    about.write_row(0, 0, ["sheet", "column", "type", "description"], header)
    line = 1
    for t in all_tables:
        for c in t.columns:
            about.write_row(line, 0, [t.name, c.name, c.type, c.description])
            line += 1
    for t in all_tables:
        sheet = book.add_worksheet(t.name)
        sheet.write_row(0, 0, [c.name for c in t.columns], header)
        sheet.freeze_panes(1, 0)
        number, string = sheet.write_number, sheet.write_string
        for r, row in enumerate(t.rows, 1):
            for col, cell in enumerate(row):
                if cell is None:
                    continue
                if isinstance(cell, str):
                    string(r, col, cell)
                elif isinstance(cell, dt.date):
                    # A date is a day count from Excel's epoch, shown with a date format.
                    number(r, col, (cell - _EPOCH).days, date)
                elif isinstance(cell, int):
                    number(r, col, cell)
                else:
                    number(r, col, float(cell))
    book.close()
