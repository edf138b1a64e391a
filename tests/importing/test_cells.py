"""Values as people type them: read strictly, guesses said, ambiguity refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.importing.cells import (
    CellAt,
    Raw,
    read_country,
    read_currency,
    read_date,
    read_number,
)


def _at(value: Raw) -> CellAt:
    return CellAt(value, "in.csv", 3, 2, "column x")


@pytest.mark.parametrize(
    ("typed", "value", "codes"),
    [
        ("1234.5", Decimal("1234.5"), []),
        (1234.5, Decimal("1234.5"), []),
        (0.1, Decimal("0.1"), []),
        (12, Decimal(12), []),
        ("1.234,50", Decimal("1234.50"), ["IM006"]),
        ("1,234.50", Decimal("1234.50"), ["IM006"]),
        ("1 234,5", Decimal("1234.5"), ["IM006"]),
        ("1.234.567", Decimal("1234567"), ["IM006"]),
        ("12,5", Decimal("12.5"), ["IM006"]),
        ("1,234", None, ["IM005"]),
        ("12.34,5", None, ["IM005"]),
        ("about 30", None, ["IM005"]),
        ("", None, []),
    ],
)
def test_numbers(typed: Raw, value: Decimal | None, codes: list[str]) -> None:
    out: list[Diagnostic] = []
    assert read_number(_at(typed), out) == value
    assert [d.code for d in out] == codes
    assert all((d.line, d.column) == (3, 2) for d in out)


@pytest.mark.parametrize(
    ("typed", "value", "codes"),
    [
        ("2026-03-31", dt.date(2026, 3, 31), []),
        (dt.datetime(2026, 3, 31, 0, 0), dt.date(2026, 3, 31), []),
        ("2026-03-31 00:00", dt.date(2026, 3, 31), ["IM006"]),
        ("2026-03-31T10:00:00Z", dt.date(2026, 3, 31), ["IM006"]),
        ("26/03/2001 00:00", dt.date(2001, 3, 26), ["IM006"]),
        ("26.03.2001", dt.date(2001, 3, 26), ["IM006"]),
        ("03/26/2001", dt.date(2001, 3, 26), ["IM006"]),
        ("03/04/2001", None, ["IM005"]),
        ("04/04/2001", dt.date(2001, 4, 4), ["IM006"]),
        ("2026-02-30", None, ["IM005"]),
        (46112, dt.date(2026, 3, 31), ["IM006"]),
        ("soon", None, ["IM005"]),
    ],
)
def test_dates(typed: Raw, value: dt.date | None, codes: list[str]) -> None:
    out: list[Diagnostic] = []
    assert read_date(_at(typed), out) == value
    assert [d.code for d in out] == codes


def test_currencies_and_countries() -> None:
    out: list[Diagnostic] = []
    assert read_currency(_at(" eur "), out) == "EUR"
    assert read_currency(_at("€"), out) is None
    assert read_country(_at("CV"), out) == "CV"
    assert read_country(_at("Cabo Verde"), out) == "CV"
    assert read_country(_at("Portugal"), out) == "PT"
    assert read_country(_at("Atlantis"), out) is None
    assert [d.code for d in out] == ["IM005", "IM006", "IM006", "IM009"]


def test_what_the_record_says_settles_an_ambiguity() -> None:
    out: list[Diagnostic] = []
    assert read_date(_at("03/04/2027"), out, {dt.date(2027, 4, 3)}) == dt.date(2027, 4, 3)
    assert read_date(_at("03/04/2027"), out, {dt.date(2027, 3, 4)}) == dt.date(2027, 3, 4)
    assert read_date(_at("26/03/2027 00:00"), out, {dt.date(2027, 3, 26)}) == dt.date(2027, 3, 26)
    assert read_number(_at("1,234"), out, {Decimal(1234)}) == Decimal(1234)
    assert read_number(_at("1.234"), out, {Decimal(1234)}) == Decimal(1234)
    assert read_number(_at("1.234,00"), out, {Decimal(1234)}) == Decimal(1234)
    assert out == []
    assert read_date(_at("03/04/2027"), out, {dt.date(2026, 1, 1)}) is None
    assert [d.code for d in out] == ["IM005"]
