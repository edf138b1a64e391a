"""What is left of a money need: ``match`` (unmet needs) and ``--explain`` (outcome) agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from solidarity_cli.dataset import Dataset
from solidarity_cli.matching.engine import explain, match
from solidarity_cli.models import Donor, Settings
from tests.matching.test_invariants import _community, one_money_need

AS_OF = dt.date(2026, 3, 1)


def _network(cost: int, currency: str, capacity: int) -> Dataset:
    """One community with one money need, one donor with ``capacity`` EUR; steps of 10 EUR
    and 100 CVE."""
    ds = Dataset(root=Path())
    ds.settings = Settings.model_validate(
        {
            "name": {"en": "t"},
            "base_currency": "EUR",
            "exchange_rates": [
                {"currency": "CVE", "units_per_base": 110.265, "valid_from": "1999-01-01"}
            ],
            "matching": {"rounding": {"EUR": 10, "CVE": 100}},
        }
    )
    ds.communities["c0"] = _community(0, ("CV", "CV-PR", "Santiago"))
    ds.strategies["s0"] = one_money_need(cost, currency)
    ds.strategy_owner["s0"] = "c0"
    ds.donors["d0"] = Donor.model_validate(
        {
            "id": "d0",
            "name": "d0",
            "kind": "ngo",
            "country": "PT",
            "capacities": [
                {
                    "kind": "money",
                    "amount": {"max": capacity, "currency": "EUR"},
                    "period": {"start": "2026-01-01", "end": "2026-12-31"},
                }
            ],
        }
    )
    return ds


@pytest.mark.parametrize(
    ("cost", "currency", "capacity", "left"),
    [
        (1010, "EUR", 1000, Decimal(10)),  # exactly one step left
        (1009, "EUR", 1000, Decimal(0)),  # less than one step left: met
        (1019, "EUR", 1000, Decimal(10)),  # one step and a little
        (110_400, "CVE", 1000, Decimal(100)),  # 1000 EUR buy 110,265 CVE
        (110_364, "CVE", 1000, Decimal(100)),  # 1,103 steps asked, 1,102 given
        (110_250, "CVE", 1000, Decimal(0)),  # 50 CVE left: met
    ],
)
def test_match_and_explain_leave_the_same(
    cost: int, currency: str, capacity: int, left: Decimal
) -> None:
    ds = _network(cost, currency, capacity)
    result = match(ds, AS_OF)
    unmet = {u.need: u for u in result.unmet}
    outcome = explain(ds, AS_OF, "s0/n0").outcome
    assert outcome is not None
    assert outcome.left == left
    if left:
        assert unmet["s0/n0"].remaining == left
        assert unmet["s0/n0"].unit == currency
    else:
        assert "s0/n0" not in unmet
    # what was proposed and what is left are whole steps that add up to no more than the need
    given = sum((p.amount or Decimal(0) for p in result.proposals), Decimal(0))
    step = 10 if currency == "EUR" else 100
    assert given % step == 0 and left % step == 0
    assert given + left <= cost
