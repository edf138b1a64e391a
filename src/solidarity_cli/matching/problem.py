"""What is open on each side: needs with what remains of them, donors with what they can still give.

Money is counted in whole cents of the network's base currency, so that the solver works on
exact integers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from solidarity_cli.commitments import binding, required, shares
from solidarity_cli.dataset import Dataset
from solidarity_cli.dates import add_months, months_between
from solidarity_cli.models.agreement import Agreement, AgreementStatus, TransactionType
from solidarity_cli.models.donor import Capacity, Donor, Recurrence, SupportKind
from solidarity_cli.models.strategy import Need, NeedKind, NeedStatus, Strategy, StrategyStatus
from solidarity_cli.money import Converter, MissingRate
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.tranches import timing
from solidarity_cli.words import M_, Words

#: Agreements whose commitments already bind a need and a donor.
BINDING = frozenset(
    {
        AgreementStatus.SIGNED,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
        AgreementStatus.COMPLETED,
    }
)
#: Agreements proposed and not yet decided: they hold the need and the donor's capacity until
#: the community accepts or declines them, so that a second match does not propose them again.
PENDING = frozenset({AgreementStatus.PROPOSED, AgreementStatus.NEGOTIATING})
#: Kinds of support that can meet each kind of need.
SUPPORT_FOR: dict[NeedKind, frozenset[SupportKind]] = {
    NeedKind.FINANCIAL: frozenset({SupportKind.MONEY}),
    NeedKind.MATERIAL: frozenset({SupportKind.MONEY, SupportKind.MATERIAL}),
    NeedKind.TECHNICAL_EXPERTISE: frozenset({SupportKind.TECHNICAL_EXPERTISE}),
    NeedKind.TRAINING: frozenset({SupportKind.TRAINING, SupportKind.TECHNICAL_EXPERTISE}),
    NeedKind.TWINNING: frozenset({SupportKind.TWINNING}),
    NeedKind.VOLUNTEERING: frozenset({SupportKind.VOLUNTEERING}),
    NeedKind.OTHER: frozenset({SupportKind.ADVOCACY}),
}
MONEY_KINDS = frozenset({NeedKind.FINANCIAL, NeedKind.MATERIAL})
CENT = Decimal("0.01")


def cents(amount: Decimal) -> int:
    """A base-currency amount in whole cents."""
    return int((amount / CENT).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class OpenNeed:
    """A need still open, with what remains to be found for it."""

    ref: str
    community: str
    strategy: Strategy
    need: Need
    index: int
    remaining: int
    """Cents of the base currency for money needs; person-days (at least 1) for the others."""

    @property
    def money(self) -> bool:
        """Whether the need is met with money (split across donors) or whole."""
        return self.need.kind in MONEY_KINDS


@dataclass
class DonorSupply:
    """What a donor can still give on the day of the match."""

    donor: Donor
    money: int = 0
    """Cents of the base currency still available in the current capacity windows."""
    declared_money: int = 0
    committed_money: int = 0
    days: dict[SupportKind, int] = field(default_factory=dict)
    """Person-days still available per kind of non-money support."""
    min_per_partnership: int = 0
    max_per_partnership: int | None = None
    windows: list[tuple[SupportKind, dt.date, dt.date]] = field(default_factory=list)

    def offers(self, kinds: frozenset[SupportKind]) -> bool:
        """Whether the donor has current capacity of one of these kinds."""
        return any(kind in kinds for kind, _, _ in self.windows)


def _window(capacity: Capacity, day: dt.date) -> tuple[dt.date, dt.date] | None:
    """The slice of a capacity's period that contains ``day`` (one year of a yearly capacity)."""
    period = capacity.period
    if not period.contains(day):
        return None
    step = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}.get(
        capacity.recurrence
    )
    if step is None:
        return period.start, period.end
    start = add_months(period.start, months_between(period.start, day) // step * step)
    end = min(add_months(start, step) - dt.timedelta(days=1), period.end)
    return start, end


def committed_by_need(ds: Dataset, conv: Converter, as_of: dt.date) -> dict[str, Decimal]:
    """What binding agreements commit to each need, in the base currency.

    An agreement covering several needs is shared among them by ``commitments.shares``.
    """
    out: dict[str, Decimal] = defaultdict(Decimal)
    for agreement in ds.agreements.values():
        if agreement.status not in BINDING and agreement.status is not AgreementStatus.TERMINATED:
            continue
        kind = binding(agreement)
        try:
            total = conv.total((t.value for t in agreement.transactions if t.type is kind), as_of)
        except MissingRate:
            continue
        for ref, share in shares(ds, conv, agreement, as_of).items():
            out[ref] += total * share
    return out


def _held(agreement: Agreement, conv: Converter, as_of: dt.date) -> Decimal | None:
    """What a pending agreement holds, in the base currency: its budget (or its commitments if
    it has no budget); ``None`` when it states no money or a rate is missing."""
    values = [line.value for line in agreement.budget] or [
        t.value for t in agreement.transactions if t.type is TransactionType.COMMITMENT
    ]
    if not values:
        return None
    try:
        return conv.total(values, as_of)
    except MissingRate:
        return None


def held_by_need(ds: Dataset, conv: Converter, as_of: dt.date) -> dict[str, Decimal]:
    """What pending agreements (proposed, negotiating) hold of each need, in the base currency,
    shared among its needs like commitments are."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for agreement in ds.agreements.values():
        if agreement.status not in PENDING:
            continue
        total = _held(agreement, conv, as_of)
        if total is None:
            continue
        for ref, share in shares(ds, conv, agreement, as_of).items():
            out[ref] += total * share
    return out


def open_needs(
    ds: Dataset, conv: Converter, as_of: dt.date, committed: dict[str, Decimal] | None = None
) -> tuple[list[OpenNeed], dict[str, Words]]:
    """Every need still open on ``as_of``, and why each other need is not (ref -> reason).

    ``committed`` is ``committed_by_need`` for the same day, when the caller has it already.
    What pending agreements hold counts as committed until the community decides.
    """
    if committed is None:
        committed = committed_by_need(ds, conv, as_of)
    held = held_by_need(ds, conv, as_of)
    covered = {ref for a in ds.agreements.values() if a.status in BINDING for ref in a.needs}
    awaited = {ref for a in ds.agreements.values() if a.status in PENDING for ref in a.needs}
    needs: list[OpenNeed] = []
    closed: dict[str, Words] = {}
    for sid, strategy in sorted(ds.strategies.items()):
        community = ds.strategy_owner[sid]
        unreadable = community not in ds.communities
        in_force = strategy.status in (StrategyStatus.ADOPTED, StrategyStatus.UNDER_REVISION)
        candidates = []
        for index, need in enumerate(strategy.needs):
            ref = f"{sid}/{need.id}"
            if unreadable:
                # A community whose own file has findings: nothing is proposed to it until
                # `check` passes, rather than guessing what its file says.
                closed[ref] = M_(
                    "the community's file {path} is missing or cannot be read: "
                    "run solidarity check",
                    path=_community_path(community),
                )
            elif not in_force:
                closed[ref] = M_(
                    "the strategy is {status}, not adopted", status=M_(strategy.status.value)
                )
            elif not strategy.period.contains(as_of):
                closed[ref] = M_(
                    "the strategy's period {start} to {end} does not include {day}",
                    start=strategy.period.start,
                    end=strategy.period.end,
                    day=as_of,
                )
            elif need.status is not NeedStatus.OPEN:
                closed[ref] = M_("the need is {status}", status=M_(need.status.value))
            elif need.timeframe is not None and need.timeframe.end < as_of:
                closed[ref] = M_("its timeframe ended on {day}", day=need.timeframe.end)
            else:
                candidates.append((index, need, ref))
        for index, need, ref in candidates:
            if need.kind in MONEY_KINDS:
                taken = committed.get(ref, Decimal(0)) + held.get(ref, Decimal(0))
                remaining = _money_remaining(conv, need, taken, as_of)
                if remaining is None:
                    closed[ref] = M_("its cost cannot be converted to the base currency")
                    continue
                if remaining <= 0:
                    closed[ref] = (
                        M_("what remains after the community's contribution is already committed")
                        if ref not in held
                        else M_(
                            "what remains is committed or held by proposals awaiting the "
                            "community's decision"
                        )
                    )
                    continue
            else:
                if ref in covered:
                    closed[ref] = M_("a signed agreement already covers it")
                    continue
                if ref in awaited:
                    closed[ref] = M_("a proposed agreement for it awaits the community's decision")
                    continue
                remaining = need.days or 1
            needs.append(OpenNeed(ref, community, strategy, need, index, remaining))
    return needs, closed


def _money_remaining(conv: Converter, need: Need, committed: Decimal, as_of: dt.date) -> int | None:
    left = required(need, conv, as_of)
    return None if left is None else cents(max(left - committed, Decimal(0)))


def waits_for_reports(ds: Dataset) -> bool:
    """Whether a binding agreement has a tranche waiting for one of its reports: only then
    does the match need the reports (to know whether the tranche is the donor's yet)."""
    return any(
        t.after is not None and t.after.report is not None
        for a in ds.agreements.values()
        if a.status in BINDING
        for t in a.transactions
    )


def donor_supply(ds: Dataset, conv: Converter, as_of: dt.date) -> dict[str, DonorSupply]:
    """What each donor can still give: declared capacity in the current window less commitments
    and less what pending agreements hold (money on the day of their budget's value, days of
    the kind that meets the need)."""
    commitments: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    pending: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    held_days: dict[str, list[tuple[NeedKind, int]]] = defaultdict(list)
    for agreement in ds.agreements.values():
        if agreement.status in PENDING:
            held = _held(agreement, conv, as_of)
            if held is not None:
                lines = agreement.budget
                day = (lines[0].value.value_date or lines[0].period.start) if lines else as_of
                # Whole cents rounded up, as the match counts what a proposal takes.
                pending[agreement.donor].append((day, math.ceil(held * 100)))
                continue
            for ref in agreement.needs:
                need = ds.need(ref)
                if need is not None and need.kind not in MONEY_KINDS:
                    held_days[agreement.donor].append((need.kind, need.days or 1))
            continue
        if agreement.status not in BINDING:
            continue
        reports = ds.reports_of(agreement.id)
        for t in agreement.transactions:
            if t.type is not TransactionType.COMMITMENT:
                continue
            if t.after is not None and timing(t, reports, as_of).held is not None:
                # A tranche still waiting for a report, a date or a condition is not yet the
                # donor's obligation: its capacity stays free until the hold is met.
                continue
            try:
                commitments[agreement.donor].append((t.date, conv.to_base(t.value, as_of)))
            except MissingRate:
                continue
    supply: dict[str, DonorSupply] = {}
    for did, donor in sorted(ds.donors.items()):
        s = DonorSupply(donor)
        windows: list[_MoneyWindow] = []
        for capacity in donor.capacities:
            window = _window(capacity, as_of)
            if window is None:
                continue
            s.windows.append((capacity.kind, window[0], window[1]))
            if (
                capacity.kind in (SupportKind.MONEY, SupportKind.MATERIAL)
                and capacity.amount is not None
            ):
                try:
                    declared = capacity.amount.max / conv.units_per_base(
                        capacity.amount.currency, as_of
                    )
                except MissingRate:
                    continue
                windows.append(_MoneyWindow(window[0], window[1], declared))
                if capacity.per_partnership is not None:
                    rate = conv.units_per_base(capacity.per_partnership.currency, as_of)
                    s.min_per_partnership = max(
                        s.min_per_partnership, cents(capacity.per_partnership.min / rate)
                    )
                    top = cents(capacity.per_partnership.max / rate)
                    s.max_per_partnership = (
                        top if s.max_per_partnership is None else min(s.max_per_partnership, top)
                    )
            else:
                s.days[capacity.kind] = s.days.get(capacity.kind, 0) + (capacity.days or 1)
        _charge(windows, commitments[did], pending[did])
        for w in windows:
            s.declared_money += cents(w.declared)
            s.committed_money += cents(w.used)
            s.money += max(cents(w.declared - w.used), 0)
        for kind, days in held_days.get(did, ()):
            _hold_days(s, kind, days)
        supply[did] = s
    return supply


@dataclass
class _MoneyWindow:
    """One current money capacity of a donor, and what is charged to it (base currency)."""

    start: dt.date
    end: dt.date
    declared: Decimal
    used: Decimal = Decimal(0)


def _charge(
    windows: list[_MoneyWindow],
    commitments: list[tuple[dt.date, Decimal]],
    pending: list[tuple[dt.date, int]],
) -> None:
    """Charge each commitment and each pending hold once, to the windows that contain its
    day: the one with most room first, what does not fit to the next, and what fits nowhere
    to the first. Overlapping capacities never count the same commitment twice."""
    items = [*commitments, *((day, Decimal(held) / 100) for day, held in pending)]
    for day, amount in sorted(items, key=lambda x: x[0]):
        containing = sorted(
            (w for w in windows if w.start <= day <= w.end),
            key=lambda w: w.used - w.declared,
        )
        left = amount
        for w in containing:
            taken = min(left, max(w.declared - w.used, Decimal(0)))
            w.used += taken
            left -= taken
        if containing and left > 0:
            containing[0].used += left


def _hold_days(supply: DonorSupply, kind: NeedKind, days: int) -> None:
    """Take ``days`` from the first kinds of support (by name) that meet a need of ``kind``."""
    for support in sorted(SUPPORT_FOR[kind] & set(supply.days), key=lambda k: k.value):
        taken = min(days, supply.days[support])
        supply.days[support] -= taken
        days -= taken
        if days == 0:
            return


def _community_path(community: str) -> str:
    """Where a community's own file lives (its record is missing when the file has findings)."""
    return RecordKind.COMMUNITY.where.replace("<id>", community)
