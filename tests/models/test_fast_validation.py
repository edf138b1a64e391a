"""Numbers and dates checked in pydantic's core give what their Python validators give.

``Number``, ``NonNegative`` and ``Date`` try the common case (a YAML integer or float, a date)
in pydantic's core before their Python validator. For any value, the result, or the errors as
``validation_errors`` reports them, must be those of the Python validator alone.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Annotated, Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BeforeValidator, Field, TypeAdapter, ValidationError

from solidarity_cli.models import base
from solidarity_cli.models.base import Date, Model, NonNegative, Number, validation_errors

#: The same types with the Python validator alone.
CHECKED_NUMBER = TypeAdapter(Annotated[Decimal, BeforeValidator(base._number)])
CHECKED_NON_NEGATIVE = TypeAdapter(
    Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4), BeforeValidator(base._number)]
)
CHECKED_DATE = TypeAdapter(Annotated[dt.date, BeforeValidator(base._date)])

_EDGES = [0, 1, -1, 10**13, 10**14 - 1, 10**14, -(10**14), 10**17, 10**18, 10**19]
VALUES = st.one_of(
    st.integers(),
    st.sampled_from(_EDGES),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.dates().map(dt.date.isoformat),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
)


def _outcome(adapter: TypeAdapter[Any], value: Any) -> tuple[str, Any]:
    try:
        result = adapter.validate_python(value)
    except ValidationError as exc:
        return "error", [(e["type"], e["loc"], e["msg"]) for e in validation_errors(exc)]
    return "ok", (type(result), str(result))


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_numbers_and_dates_agree_with_their_python_validators(value: Any) -> None:
    for fast, checked in (
        (TypeAdapter(Number), CHECKED_NUMBER),
        (TypeAdapter(NonNegative), CHECKED_NON_NEGATIVE),
        (TypeAdapter(Date), CHECKED_DATE),
    ):
        assert _outcome(fast, value) == _outcome(checked, value), repr(value)


class _Record(Model):
    amount: NonNegative
    day: Date


def test_errors_name_the_field_alone() -> None:
    try:
        _Record.model_validate({"amount": -5, "day": dt.datetime(2025, 3, 1, 12)})
    except ValidationError as exc:
        found = [(e["loc"], e["type"]) for e in validation_errors(exc)]
    assert found == [(("amount",), "greater_than_equal"), (("day",), "value_error")]


def test_editors_schema_is_the_checked_one() -> None:
    assert _Record.model_json_schema()["properties"]["day"] == {
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "title": "Day",
        "type": "string",
    }


def test_plain_values_never_reach_the_python_validators() -> None:
    called: list[str] = []

    def watch(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in {base._number.__code__, base._date.__code__}:
            called.append(frame.f_code.co_name)

    sys.setprofile(watch)
    try:
        _Record.model_validate({"amount": 12500, "day": dt.date(2025, 1, 1)})
        _Record.model_validate({"amount": 0.5, "day": dt.date(2025, 1, 1)})
        _Record.model_validate({"amount": 1, "day": "2025-01-01"})
    finally:
        sys.setprofile(None)
    assert called == ["_date"]  # only the quoted date
