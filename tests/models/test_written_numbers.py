"""An amount written as people write it is answered with how YAML writes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from solidarity_cli.models.base import NonNegative, written_number


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.800,00", "1800.00"), ("1,800.50", "1800.50"), ("1800 CVE", "1800"), ("2500", "2500"),
     ("1 800,5", "1800.5"), ("CVE 1.800.000", "1800000"), ("0,75", "0.75"),
     ("1.800.000,00 CVE", "1800000.00"), ("€ 300", "300")],
)  # fmt: skip
def test_an_amount_as_people_write_it(text: str, number: str) -> None:
    assert written_number(text) == number


@pytest.mark.parametrize("text", ["1.800", "1,800", "1.2.3", "abc", "yes", "2025-01-01", ""])
def test_no_guess_where_there_is_no_amount_or_two_readings(text: str) -> None:
    assert written_number(text) is None


@given(
    whole=st.integers(min_value=1000, max_value=10**12),
    cents=st.integers(min_value=0, max_value=99),
    style=st.sampled_from([(".", ","), (",", "."), (" ", ","), ("\u00a0", ",")]),
)
def test_grouped_amounts_are_read_back(whole: int, cents: int, style: tuple[str, str]) -> None:
    group, mark = style
    text = f"{whole:,}".replace(",", group) + f"{mark}{cents:02d}"
    assert Decimal(written_number(text) or "nan") == Decimal(whole) + Decimal(cents) / 100


class _Cost(BaseModel):
    amount: NonNegative


def test_the_finding_says_what_to_write() -> None:
    with pytest.raises(ValidationError) as refused:
        _Cost.model_validate({"amount": "1.800,00"})
    assert "write 1800.00 (digits, a point before the decimals" in str(refused.value)
