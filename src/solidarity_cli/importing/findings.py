"""Findings about an input file: where in the file (sheet, row, column, or XML line) and what to do.

Codes (documented in the README):

- IM001 the input cannot be read at all (not a workbook, not XML, not JSON, not UTF-8 text);
- IM002 a header row with merged cells; IM003 a header the tool does not know;
- IM004 a row or element names a record the repository does not have;
- IM005 a value that cannot be read; IM006 a value read with a guess (said how);
- IM007 an amount without its currency; IM008 an unknown organisation;
- IM009 a country that is not known; IM010 a column that is not taken back, changed;
- IM012 a new record's row without a field its schema requires (or a new report twice); IM013
  an activity written as a proposed agreement.
"""

from __future__ import annotations

from solidarity_cli.diagnostics import Diagnostic, Location, Severity
from solidarity_cli.words import M_, Words

UNREADABLE = "IM001"


def place(sheet: str, column: str) -> Words:
    """Where in a table a value is: the sheet (workbooks only) and the column."""
    if sheet:
        return M_("sheet {sheet}, column {column}", sheet=sheet, column=column)
    return M_("column {column}", column=column)


def finding(
    code: str,
    severity: Severity,
    file: str,
    line: int,
    column: int,
    where: Words | str,
    problem: Words,
    hint: Words,
) -> Diagnostic:
    """A finding at ``line``/``column`` of ``file`` (a row of a table, or a line of XML)."""
    message = M_("{where}: {problem}", where=where, problem=problem) if where else problem
    return Diagnostic(
        code=code,
        severity=severity,
        message=message,
        hint=hint,
        rule="import",
        location=Location(file, line, column),
    )


def error(
    code: str, file: str, line: int, column: int, where: Words | str, problem: Words, hint: Words
) -> Diagnostic:
    """An error: nothing is written while one remains."""
    return finding(code, Severity.ERROR, file, line, column, where, problem, hint)


def warning(
    code: str, file: str, line: int, column: int, where: Words | str, problem: Words, hint: Words
) -> Diagnostic:
    """A warning: the value was read, and the reader should check how."""
    return finding(code, Severity.WARNING, file, line, column, where, problem, hint)
