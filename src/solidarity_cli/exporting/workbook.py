"""The tables as one workbook, one sheet per record kind, with a sheet describing the columns.

XlsxWriter writes the file: it streams rows without keeping a cell model in memory (several
times faster than openpyxl for writing), and with the document's creation date fixed and its
zip entries stamped with a fixed time the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from solidarity_cli.exporting.public import Public
from solidarity_cli.exporting.tables import tables, text_of


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
        for r, row in enumerate(t.rows, 1):
            for col, (cell, column) in enumerate(zip(row, t.columns, strict=True)):
                if cell is None:
                    continue
                if column.type == "date" and isinstance(cell, dt.date):
                    sheet.write_datetime(r, col, dt.datetime.combine(cell, dt.time()), date)
                elif isinstance(cell, int | Decimal):
                    sheet.write_number(r, col, cell if isinstance(cell, int) else float(cell))
                else:
                    sheet.write_string(r, col, text_of(cell))
    book.close()
