"""What a need still requires from donors, and how an agreement's money is shared among the
needs it covers: one rule for the check, the match and the report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from solidarity_cli.dataset import Dataset
from solidarity_cli.models.agreement import Agreement, AgreementStatus, TransactionType
from solidarity_cli.models.strategy import Need
from solidarity_cli.money import Converter, MissingRate


def binding(agreement: Agreement) -> TransactionType:
    """The transactions that say what an agreement binds: its commitments, or, once it is
    terminated, only what was disbursed before it ended."""
    if agreement.status is AgreementStatus.TERMINATED:
        return TransactionType.DISBURSEMENT
    return TransactionType.COMMITMENT


def required(need: Need, conv: Converter, day: dt.date) -> Decimal | None:
    """The need's cost less the community's own contribution, in the base currency (never
    below zero); ``None`` when it has no cost or a rate is missing."""
    if need.estimated_cost is None:
        return None
    try:
        left = conv.to_base(need.estimated_cost, day)
        if need.own_contribution is not None:
            left -= conv.to_base(need.own_contribution, day)
    except MissingRate:
        return None
    return max(left, Decimal(0))


def shares(ds: Dataset, conv: Converter, agreement: Agreement, day: dt.date) -> dict[str, Decimal]:
    """Each need's part of what the agreement gives: in proportion to what each still requires,
    equally when none requires anything known. Needs missing from the data take no part."""
    weights: dict[str, Decimal] = {}
    for ref in agreement.needs:
        need = ds.need(ref)
        if need is not None and ref not in weights:
            weights[ref] = required(need, conv, day) or Decimal(0)
    if not weights:
        return {}
    total = sum(weights.values(), Decimal(0))
    if total == 0:
        return {ref: Decimal(1) / len(weights) for ref in weights}
    return {ref: weight / total for ref, weight in weights.items()}
