"""A day written as people write it is answered with how YAML writes it, never with a guess."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from solidarity_cli.models.base import Date, written_day


@pytest.mark.parametrize(
    ("text", "day"),
    [("31/12/2028", "2028-12-31"), ("31.12.2028", "2028-12-31"), ("31-12-2028", "2028-12-31"),
     ("12/31/2028", "2028-12-31"), ("2028-31-12", "2028-12-31"), ("2028/12/05", "2028-12-05"),
     ("1/1/2028", "2028-01-01"), ("04/04/2028", "2028-04-04"), (" 15/3/2026 ", "2026-03-15")],
)  # fmt: skip
def test_a_day_as_people_write_it(text: str, day: str) -> None:
    assert written_day(text) == day


@pytest.mark.parametrize(
    "text",
    ["03/04/2028", "2028-12-31", "2028-02-30", "30/02/2028", "31/12/28", "2028-13-13", "soon",
     "31/12-2028", ""],
)  # fmt: skip
def test_no_guess_where_there_is_no_day_or_two_readings(text: str) -> None:
    assert written_day(text) is None


@given(day=st.dates(min_value=dt.date(1000, 1, 1)), mark=st.sampled_from("/.-"))
def test_a_day_first_date_is_read_back_or_left_alone(day: dt.date, mark: str) -> None:
    """Never a wrong day: the day it was, or nothing when day and month could swap."""
    text = f"{day.day:02d}{mark}{day.month:02d}{mark}{day.year}"
    meant = written_day(text)
    if day.day > 12 or day.day == day.month:
        assert meant == day.isoformat()
    else:
        assert meant is None


class _Plan(BaseModel):
    end: Date


@pytest.mark.parametrize(
    ("written", "said"),
    [("31/12/2028", "is not a date as YAML writes it: write 2028-12-31"),
     ("2028-31-12", "is not a day of the calendar: write 2028-12-31"),
     ("03/04/2028", "is not a date: write it as YYYY-MM-DD"),
     ("2028-02-30", "is not a day of the calendar")],
)  # fmt: skip
def test_the_finding_says_what_to_write(written: str, said: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _Plan.model_validate({"end": written})
    assert said in str(refused.value)
