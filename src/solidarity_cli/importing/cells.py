"""Values as people type them in spreadsheets and other tools, read strictly.

Each reader takes a :class:`CellAt` (the value and where it is) and a list to add findings to,
and returns the value, or None when the cell is empty or cannot be read (then with a finding).
What is read with a guess (``26/03/2001 00:00``, ``1.234,50``, ``Cabo Verde``) is read, and
a warning says how, so that the reader can check it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.importing.findings import error, place, warning
from solidarity_cli.words import M_, Words

Raw = str | int | float | dt.date | dt.datetime | None

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME)
_CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)


@dataclass(frozen=True)
class CellAt:
    """A value read from an input, and where it is."""

    value: Raw
    file: str
    line: int
    column: int
    where: Words | str

    @property
    def empty(self) -> bool:
        """Whether nothing was written in the cell."""
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def bad(self, code: str, problem: Words, hint: Words) -> Diagnostic:
        """An error about this value."""
        return error(code, self.file, self.line, self.column, self.where, problem, hint)

    def guessed(self, problem: Words, hint: Words) -> Diagnostic:
        """A warning that this value was read with a guess."""
        return warning("IM006", self.file, self.line, self.column, self.where, problem, hint)


def table_cell(
    value: Raw, file: str, sheet: str, column_name: str, line: int, column: int
) -> CellAt:
    """A cell of a table (sheet or CSV file)."""
    return CellAt(value, file, line, column, place(sheet, column_name))


def _shown(value: Raw) -> str:
    return str(value).strip()


def read_date(at: CellAt, out: list[Diagnostic], known: Collection[object] = ()) -> dt.date | None:
    """A day: a spreadsheet date, ``YYYY-MM-DD`` (a time of day is dropped), or ``DD/MM/YYYY``.

    ``known`` holds what the record already says: a spreadsheet program that rewrote
    2027-04-03 as 03/04/2027 is not asked which day it meant, nor warned about.
    """
    found: list[Diagnostic] = []
    day = _read_date(at, found, known)
    out.extend(d for d in found if day is None or day not in known)
    return day


def _read_date(at: CellAt, out: list[Diagnostic], known: Collection[object]) -> dt.date | None:
    value = at.value
    if at.empty:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == int(value)
        and 1 <= value <= 2958465
    ):
        serial = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        out.append(
            at.guessed(
                M_("the number {value} was read as the day {day}", value=value, day=serial),
                M_("format the column as a date, or write dates as YYYY-MM-DD"),
            )
        )
        return serial
    text = _shown(value)
    day: dt.date | None
    if match := _ISO.fullmatch(text):
        day = _day(int(match[1]), int(match[2]), int(match[3]))
        if day is not None:
            if not _ISO_DAY.fullmatch(text):
                out.append(
                    at.guessed(
                        M_("{text} was read as the day {day}", text=text, day=day),
                        M_("write dates as YYYY-MM-DD, without a time"),
                    )
                )
            return day
    if match := _DMY.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day = _day(year, second, first)
        if day is not None and (first > 12 or first == second):
            out.append(
                at.guessed(
                    M_("{text} was read as the day {day} (day/month/year)", text=text, day=day),
                    M_("write dates as YYYY-MM-DD, so that nobody has to guess"),
                )
            )
            return day
        other = _day(year, first, second)
        hits = {d for d in (day, other) if d is not None and d in known}
        if len(hits) == 1:
            return hits.pop()
        if day is not None and other is not None:
            out.append(
                at.bad(
                    "IM005",
                    M_(
                        "{text} could be the day {day} or {other}",
                        text=text,
                        day=day,
                        other=_day(year, first, second),
                    ),
                    M_("write the date as YYYY-MM-DD"),
                )
            )
            return None
        if day is None and (other := _day(year, first, second)) is not None:
            out.append(
                at.guessed(
                    M_("{text} was read as the day {day} (month/day/year)", text=text, day=other),
                    M_("write dates as YYYY-MM-DD, so that nobody has to guess"),
                )
            )
            return other
    out.append(
        at.bad(
            "IM005",
            M_("{text} is not a date", text=text),
            M_("write the date as YYYY-MM-DD, e.g. 2026-03-31"),
        )
    )
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_number(
    at: CellAt, out: list[Diagnostic], known: Collection[object] = ()
) -> Decimal | None:
    """A number: a spreadsheet number, ``1234.5``, or with separators (``1.234,50``, warned).

    ``1,234`` and ``1.234`` are a thousand in one language and one point two in another: when
    one reading is what the record already says (``known``), it is taken without a word.
    """
    if isinstance(at.value, str) and known:
        text = re.sub(r"[\s\u00a0\u202f]", "", at.value)
        if re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", text):
            readings = {
                Decimal(text.replace(",", "").replace(".", "")),
                Decimal(text.replace(",", ".")),
            }
            hits = {r for r in readings if any(_equal(r, k) for k in known)}
            if len(hits) == 1:
                return hits.pop()
    found: list[Diagnostic] = []
    number = _read_number(at, found)
    out.extend(d for d in found if number is None or not any(_equal(number, k) for k in known))
    return number


def _equal(number: Decimal, other: object) -> bool:
    try:
        return number == Decimal(str(other))
    except InvalidOperation:
        return False


def _read_number(at: CellAt, out: list[Diagnostic]) -> Decimal | None:
    value = at.value
    if at.empty:
        return None
    if isinstance(value, bool | dt.date):
        out.append(_not_a_number(at))
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # The float's shortest repr is what the spreadsheet showed (0.1, not 0.1000000000000000055).
        return Decimal(repr(value))
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    number = _separated(text)
    if number is None:
        out.append(_not_a_number(at))
        return None
    if number[1]:
        out.append(
            at.guessed(
                M_("{text} was read as {number}", text=str(value).strip(), number=number[0]),
                M_("write numbers without thousands separators, with a point: 1234.50"),
            )
        )
    return number[0]


def _separated(text: str) -> tuple[Decimal, bool] | None:
    """``text`` as a number, and whether separators had to be guessed."""
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return Decimal(text), False
    dot, comma = text.rfind("."), text.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal_mark, group_mark = (",", ".") if comma > dot else (".", ",")
        whole, _, fraction = text.rpartition(decimal_mark)
        if not re.fullmatch(r"[+-]?\d{1,3}(" + re.escape(group_mark) + r"\d{3})*", whole):
            return None
        plain = whole.replace(group_mark, "") + "." + fraction
    elif comma >= 0:
        whole, _, fraction = text.rpartition(",")
        if "," in whole or len(fraction) == 3 or not fraction.isdigit():
            # 1,234 is a thousand in English and one point two in Portuguese: not guessed.
            return None
        plain = whole + "." + fraction
    elif text.count(".") > 1 and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        plain = text.replace(".", "")
    else:
        return None
    try:
        return Decimal(plain), True
    except InvalidOperation:
        return None


def _not_a_number(at: CellAt) -> Diagnostic:
    return at.bad(
        "IM005",
        M_("{text} is not a number", text=_shown(at.value)),
        M_("write a number with a point for decimals and no thousands separator: 1234.50"),
    )


def read_integer(at: CellAt, out: list[Diagnostic], known: Collection[object] = ()) -> int | None:
    """A whole number."""
    number = read_number(at, out, known)
    if number is None:
        return None
    if number != number.to_integral_value():
        out.append(
            at.bad(
                "IM005",
                M_("{text} is not a whole number", text=_shown(at.value)),
                M_("write a whole number"),
            )
        )
        return None
    return int(number)


def read_currency(at: CellAt, out: list[Diagnostic], known: Collection[object] = ()) -> str | None:
    """An ISO 4217 currency code (any case)."""
    if at.empty:
        return None
    code = _shown(at.value).upper()
    if code in _CURRENCIES:
        return code
    out.append(
        at.bad(
            "IM005",
            M_("{text} is not a currency code", text=_shown(at.value)),
            M_("write the three-letter ISO 4217 code, such as EUR, CVE or USD"),
        )
    )
    return None


def read_text(at: CellAt) -> str | None:
    """Text, trimmed; None when empty."""
    if at.empty:
        return None
    return _shown(at.value)


@functools.cache
def _country_names() -> dict[str, str]:
    """Countries' names in the network's languages (Cape Verde, Cabo Verde, Cap-Vert), folded."""
    from babel import Locale

    names: dict[str, str] = {}
    for language in ("en", "pt", "fr", "es"):
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code):
                names.setdefault(" ".join(name.casefold().split()), code)
    return names


def read_country(at: CellAt, out: list[Diagnostic]) -> str | None:
    """An ISO 3166-1 alpha-2 code, from a code or a country's name (the name warned)."""
    if at.empty:
        return None
    text = _shown(at.value)
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()) is not None:
        return text.upper()
    code = _country_names().get(" ".join(text.casefold().split()))
    if code is None:
        try:
            code = str(pycountry.countries.lookup(text).alpha_2)
        except LookupError:
            code = None
    if code is None:
        out.append(
            at.bad(
                "IM009",
                M_("{text} is not a country this tool knows", text=text),
                M_("write the two-letter ISO 3166-1 code, such as CV, PT or BR"),
            )
        )
        return None
    out.append(
        at.guessed(
            M_("the country {text} was read as {code}", text=text, code=code),
            M_("write the two-letter ISO 3166-1 code, such as CV, PT or BR"),
        )
    )
    return code
