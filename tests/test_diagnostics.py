"""How a finding names its place."""

from __future__ import annotations

from solidarity_cli.diagnostics import Diagnostic, Location, Severity


def test_a_place_leaves_out_what_is_not_known() -> None:
    assert Location("a.yaml", 3, 7).where() == "a.yaml:3:7"
    assert Location("a.yaml", 3, 0).where() == "a.yaml:3"  # a row of a table
    assert Location("book.xlsx", 0, 0).where() == "book.xlsx"  # the whole file
    finding = Diagnostic("IM001", Severity.ERROR, "unreadable", Location("book.xlsx"))
    assert str(finding) == "book.xlsx: error IM001 unreadable"
