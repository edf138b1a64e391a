"""One rule shares an agreement's money among its needs: for the check, the match and the report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from solidarity_cli.checking import CheckReport, check_repository
from solidarity_cli.commitments import required, shares
from solidarity_cli.matching.problem import committed_by_need, open_needs
from solidarity_cli.models import Agreement
from solidarity_cli.models.agreement import AgreementStatus, TransactionType
from solidarity_cli.money import Converter
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.views import _Builder

AS_OF = dt.date(2026, 11, 1)
ACTIVE = "bairro-da-paz-cozinha-comunitaria"


def _widened(root: Path) -> tuple[CheckReport, Agreement, list[str]]:
    """The shipped data with one active agreement also covering two other money needs of its
    strategy, each with its own cost and contribution."""
    report = check_repository(root, as_of=AS_OF)
    ds = report.dataset
    agreement = ds.agreements[ACTIVE]
    sid = agreement.strategy
    others = [
        f"{sid}/{n.id}"
        for n in ds.strategies[sid].needs
        if n.estimated_cost is not None and f"{sid}/{n.id}" not in agreement.needs
    ][:2]
    assert len(others) == 2, "the strategy should have two more needs with a cost"
    widened = agreement.model_copy(update={"needs": [*agreement.needs, *others]})
    ds.agreements[ACTIVE] = widened
    return report, widened, list(widened.needs)


def test_required_is_cost_less_own_contribution_in_base_currency(shipped: Path) -> None:
    ds = check_repository(shipped, as_of=AS_OF).dataset
    conv = Converter(ds.settings)
    need = ds.need(ds.agreements[ACTIVE].needs[0])
    assert need is not None and need.estimated_cost and need.own_contribution
    expected = conv.to_base(need.estimated_cost, AS_OF) - conv.to_base(need.own_contribution, AS_OF)
    assert required(need, conv, AS_OF) == expected
    free = need.model_copy(update={"own_contribution": need.estimated_cost})
    assert required(free, conv, AS_OF) == 0
    assert required(need.model_copy(update={"estimated_cost": None}), conv, AS_OF) is None


def test_shares_follow_what_each_need_still_requires(shipped: Path) -> None:
    report, agreement, refs = _widened(shipped)
    ds = report.dataset
    conv = Converter(ds.settings)
    parts = shares(ds, conv, agreement, AS_OF)
    assert list(parts) == refs
    assert sum(parts.values()) == 1
    wanted: dict[str, Decimal] = {}
    for ref in refs:
        need = ds.need(ref)
        assert need is not None
        found = required(need, conv, AS_OF)
        assert found is not None
        wanted[ref] = found
    total = sum(wanted.values(), Decimal(0))
    assert parts == {ref: wanted[ref] / total for ref in refs}
    # a need the data does not hold takes no part
    ghost = agreement.model_copy(update={"needs": [*refs, f"{agreement.strategy}/ghost"]})
    assert shares(ds, conv, ghost, AS_OF) == parts


def test_check_match_and_report_share_an_agreement_alike(shipped: Path) -> None:
    report, agreement, refs = _widened(shipped)
    ds = report.dataset
    conv = Converter(ds.settings)
    assert agreement.status is AgreementStatus.ACTIVE
    amount = conv.total(
        (t.value for t in agreement.transactions if t.type is TransactionType.COMMITMENT), AS_OF
    )
    parts = shares(ds, conv, agreement, AS_OF)
    matched = committed_by_need(ds, conv, AS_OF)
    coverage = _Builder(ds, report, Locale("en"), AS_OF).need_coverage()
    for ref in refs:
        # only this agreement binds these needs in the shipped data
        assert matched[ref] == amount * parts[ref]
        assert coverage[ref][1] == amount * parts[ref]
    # what the match leaves open is what remains after that same share
    needs, _ = open_needs(ds, conv, AS_OF)
    for need in needs:
        if need.ref in refs:
            left = required(need.need, conv, AS_OF)
            assert left is not None
            expected = max(left - amount * parts[need.ref], Decimal(0))
            assert abs(Decimal(need.remaining) / 100 - expected) <= Decimal("0.005")
