"""Edits a spreadsheet holds that are not taken back, said instead of silently dropped.

The workbook and the CSV files hold more than a person may change from a spreadsheet: titles,
agreements, transactions and reports are copies of what the YAML files say. Each cell is
compared with what ``solidarity export`` writes for the same row; a difference is a warning on
that cell, so that nobody believes a change was recorded when it was not.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal, InvalidOperation

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.exporting.tables import Table, text_of
from solidarity_cli.importing.cells import CellAt, Raw, read_date, read_number
from solidarity_cli.importing.findings import place, warning
from solidarity_cli.importing.sheets import Sheet
from solidarity_cli.words import M_, Words

KEYS: dict[str, tuple[str, ...]] = {
    "needs": ("strategy", "need"),
    "indicators": ("agreement", "result", "indicator", "period_start", "period_end"),
    "agreements": ("agreement",),
    "reports": ("agreement", "report"),
}
TAKEN: dict[str, frozenset[str]] = {
    "needs": frozenset(
        {
            "estimated_cost",
            "cost_currency",
            "own_contribution",
            "contribution_currency",
            "priority",
            "status",
            "needed_by",
            "beneficiaries",
        }
    ),
    "indicators": frozenset({"baseline_year", "baseline", "target", "actual"}),
}
"""Columns taken back, by table (the others are copies)."""
NEW_ROWS = frozenset({"needs", "reports"})
"""Tables whose rows with a new id add a record (``importing.tables`` says what they lack)."""


def cell_text(raw: Raw) -> str:
    """A cell as the CSV export would write it."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float):
        return text_of(Decimal(repr(raw)))
    return str(raw).strip()


def _same(typed: str, exported: str) -> bool:
    """Whether a typed cell says what the export wrote, in whatever form a spreadsheet program
    gave it back (03/04/2027 for 2027-04-03, 1234,5 for 1234.5)."""
    if typed == exported:
        return True
    if not typed or not exported:
        return False
    at = CellAt(typed, "", 0, 0, "")
    try:
        day = dt.date.fromisoformat(exported)
    except ValueError:
        day = None
    if day is not None:
        return read_date(at, [], {day}) == day
    try:
        number = Decimal(exported)
    except InvalidOperation:
        return False
    return read_number(at, [], {number}) == number


def untaken(sheet: Sheet, table: Table) -> list[Diagnostic]:
    """Warnings for the cells of ``sheet`` that differ from the export and are not taken back."""
    names = [c.name for c in table.columns]
    taken = TAKEN.get(table.name, frozenset())
    out: list[Diagnostic] = []
    keys = KEYS.get(table.name)
    if keys is None:
        return _rows_unchanged(sheet, table)
    index = {tuple(text_of(row[names.index(k)]) for k in keys): row for row in table.rows}
    hint = (
        M_(
            "only these columns are taken back: {columns}; change the others in the record's "
            "YAML file",
            columns=", ".join(sorted(taken)),
        )
        if taken
        else M_("this sheet is a copy: change the record's YAML file instead")
    )
    for line, values in sheet.rows:
        typed = {
            name: cell_text(values[i]) if i < len(values) else ""
            for i, name in enumerate(sheet.columns)
        }
        row = index.get(tuple(typed.get(k, "") for k in keys))
        if row is None:
            if not taken and table.name not in NEW_ROWS:
                out.append(_row_warning(sheet, line, hint))
            continue
        for i, name in enumerate(sheet.columns):
            if name in taken or name in keys or name not in names:
                continue
            if not _same(typed[name], text_of(row[names.index(name)])):
                out.append(
                    warning(
                        "IM010",
                        sheet.file,
                        line,
                        i + 1,
                        place(sheet.sheet, name),
                        M_("this change is not taken back"),
                        hint,
                    )
                )
    return out


def _rows_unchanged(sheet: Sheet, table: Table) -> list[Diagnostic]:
    """For a table without row keys: every row that is not one the export writes."""
    names = [c.name for c in table.columns]
    exported = Counter(
        tuple(text_of(row[names.index(n)]) if n in names else "" for n in sheet.columns)
        for row in table.rows
    )
    out: list[Diagnostic] = []
    hint = M_("this sheet is a copy: change the record's YAML file instead")
    for line, values in sheet.rows:
        typed = tuple(
            cell_text(values[i]) if i < len(values) else "" for i in range(len(sheet.columns))
        )
        if exported[typed] > 0:
            exported[typed] -= 1
        else:
            out.append(_row_warning(sheet, line, hint))
    return out


def _row_warning(sheet: Sheet, line: int, hint: Words) -> Diagnostic:
    where = M_("sheet {sheet}", sheet=sheet.sheet) if sheet.sheet else ""
    return warning(
        "IM010",
        sheet.file,
        line,
        0,
        where,
        M_("this row differs from the records and is not taken back"),
        hint,
    )
