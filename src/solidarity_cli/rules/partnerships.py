"""Rules on partnership agreements: the community decides, the donor supports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from solidarity_cli.commitments import binding, required, shares
from solidarity_cli.dates import one_year_after
from solidarity_cli.diagnostics import KeyPath, Severity
from solidarity_cli.models.agreement import (
    Agreement,
    AgreementStatus,
    DecisionOutcome,
    TransactionType,
)
from solidarity_cli.models.base import Money
from solidarity_cli.models.codes import ConditionType
from solidarity_cli.models.donor import Recurrence, SupportKind
from solidarity_cli.models.rule import Family
from solidarity_cli.money import Converter, MissingRate, fmt
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import DELETE, Example, Finding, NoOptions, Reads, Rule, RuleContext
from solidarity_cli.rules.strategies import IN_FORCE
from solidarity_cli.words import M_, N_

SIGNED = frozenset(
    {
        AgreementStatus.SIGNED,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
        AgreementStatus.COMPLETED,
        AgreementStatus.TERMINATED,
    }
)
CLOSED = frozenset(
    {
        AgreementStatus.COMPLETED,
        AgreementStatus.TERMINATED,
        AgreementStatus.CANCELLED,
        AgreementStatus.DECLINED,
    }
)


def agreements(ctx: RuleContext) -> list[tuple[str, Agreement]]:
    """Every agreement with its file (listed once per run)."""
    return ctx.with_files(RecordKind.AGREEMENT)


def converter(ctx: RuleContext) -> Converter:
    """One converter per run, shared by the rules that compare money."""
    return ctx.shared("converter", lambda: Converter(ctx.dataset.settings))


def _sum(ctx: RuleContext, agreement: Agreement, kind: TransactionType) -> Decimal | None:
    """Sum of one type of transaction in the base currency; None if a rate is missing.

    Each sum is made once per run: several rules compare the same ones."""
    sums: dict[tuple[str, TransactionType], Decimal | None] = ctx.shared("sums", dict)
    key = (agreement.id, kind)
    if key in sums:
        return sums[key]
    try:
        found: Decimal | None = converter(ctx).total(
            (t.value for t in agreement.transactions if t.type is kind), ctx.as_of
        )
    except MissingRate:
        found = None
    sums[key] = found
    return found


def committed(ctx: RuleContext, agreement: Agreement) -> Decimal | None:
    """What an agreement binds the donor to, in the base currency.

    A terminated agreement binds only what was disbursed before it ended.
    """
    return _sum(ctx, agreement, binding(agreement))


class NeedsFromOwnStrategy(Rule[NoOptions]):
    code = "PA001"
    name = "needs-from-own-strategy"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("Every need an agreement covers comes from that community's own adopted strategy.")
    rationale = N_(
        "Nothing enters through the donor's door: an agreement may only support needs the "
        "community itself identified and adopted, never a donor's own project."
    )
    failing = Example(
        N_("The strategy the need comes from is still a draft."),
        edits={paths.STRATEGY: {"status": "draft", "adoption": DELETE}},
    )
    passing = Example(N_("The cistern comes from Cruzinha's adopted 2025-2028 strategy."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        ds = ctx.dataset
        for path, agreement in agreements(ctx):
            for i, ref in enumerate(agreement.needs):
                strategy_id = ref.partition("/")[0]
                strategy = ds.strategies.get(strategy_id)
                if strategy is None or agreement.community not in ds.communities:
                    continue  # reported as an unknown reference
                owner = ds.strategy_owner[strategy_id]
                if owner != agreement.community:
                    yield Finding(
                        path,
                        ("needs", i),
                        M_(
                            "need '{need}' belongs to community '{owner}', not to '{community}'",
                            need=ref,
                            owner=owner,
                            community=agreement.community,
                        ),
                        M_("an agreement only covers needs of its own community's strategy"),
                    )
                elif strategy.status not in IN_FORCE and agreement.status not in CLOSED:
                    yield Finding(
                        path,
                        ("needs", i),
                        M_(
                            "need '{need}' comes from strategy '{strategy}', which is "
                            "{status}, not adopted by the community",
                            need=ref,
                            strategy=strategy_id,
                            status=strategy.status.value,
                        ),
                        M_("wait until the community adopts its strategy in its assembly"),
                    )


class DecisionBeforeSignature(Rule[NoOptions]):
    code = "PA002"
    reads = Reads.OWN_RECORD
    name = "decision-before-signature"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_(
        "A signed agreement rests on the community's own decision, taken on or before signing."
    )
    rationale = N_(
        "The community decides its agenda: an agreement is signed only after the community's "
        "body accepted it, and the record shows which body and when."
    )
    failing = Example(
        N_("The community accepted two days after signature."),
        edits={paths.AGREEMENT: {"decisions[0].date": "2025-03-22"}},
    )
    passing = Example(N_("Accepted by the Assembleia Geral on 2025-03-15, signed on 2025-03-20."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status not in SIGNED:
                continue
            acceptance = agreement.acceptance()
            if acceptance is None:
                yield Finding(
                    path,
                    ("status",),
                    M_(
                        "agreement '{agreement}' is {status} but records no "
                        "decision of the community accepting it",
                        agreement=agreement.id,
                        status=agreement.status.value,
                    ),
                    M_("add under decisions: outcome accepted, the body, the date and the minutes"),
                )
                continue
            signed = agreement.dates.signed
            if signed is not None and acceptance.date > signed:
                index = agreement.decisions.index(acceptance)
                yield Finding(
                    path,
                    ("decisions", index, "date"),
                    M_(
                        "the community accepted on {accepted}, after the signature on {signed}",
                        accepted=acceptance.date,
                        signed=signed,
                    ),
                    M_("an agreement is signed after the community's decision; correct the dates"),
                )


class ConditionsAccepted(Rule[NoOptions]):
    code = "PA003"
    reads = Reads.OWN_RECORD
    name = "conditions-accepted"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("Every condition attached to a signed agreement was accepted by the community.")
    rationale = N_(
        "A donor may propose conditions; none applies unless the community accepted it. A "
        "signed agreement carrying a refused or undecided condition imposes it."
    )
    failing = Example(
        N_("The community refused the condition, yet the agreement is active."),
        edits={paths.AGREEMENT: {"conditions[0].accepted": False}},
    )
    passing = Example(N_("The reporting condition was accepted on 2025-03-15."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status not in SIGNED:
                continue
            for i, condition in enumerate(agreement.conditions):
                if condition.accepted is not True:
                    yield Finding(
                        path,
                        ("conditions", i, "accepted"),
                        M_(
                            "a {kind} condition is refused by the community, but "
                            "the agreement is {status}",
                            kind=condition.type.value,
                            status=agreement.status.value,
                        )
                        if condition.accepted is False
                        else M_(
                            "a {kind} condition is not yet decided by the community, but "
                            "the agreement is {status}",
                            kind=condition.type.value,
                            status=agreement.status.value,
                        ),
                        M_(
                            "remove the condition, or record the community's acceptance "
                            "(accepted: true, decided_on)"
                        ),
                    )


class PolicyCondition(Rule[NoOptions]):
    code = "PA004"
    reads = Reads.OWN_RECORD
    name = "policy-condition"
    family = Family.PARTNERSHIPS
    severity = Severity.WARNING
    summary = N_(
        "A policy condition (IATI condition type 1) is flagged for the network's attention."
    )
    rationale = N_(
        "Policy conditions ask the community or its public partners to change a policy: the "
        "clearest way an external framework can be imposed. Each is shown so the platform can "
        "confirm the community chose it freely."
    )
    failing = Example(
        N_("The donor attached a policy condition."),
        edits={paths.AGREEMENT: {"conditions[0].type": "policy"}},
    )
    passing = Example(N_("The only condition is a performance condition (quarterly report)."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status in (AgreementStatus.DECLINED, AgreementStatus.CANCELLED):
                continue
            for i, condition in enumerate(agreement.conditions):
                if condition.type is ConditionType.POLICY:
                    yield Finding(
                        path,
                        ("conditions", i, "type"),
                        M_(
                            "agreement '{agreement}' carries a policy condition proposed by "
                            "'{donor}'",
                            agreement=agreement.id,
                            donor=condition.proposed_by or agreement.donor,
                        ),
                        M_(
                            "the platform confirms with the community that it accepted it freely; "
                            "ignore this rule for the file once confirmed"
                        ),
                    )


class OverfundingOptions(BaseModel):
    """Options of need-not-overfunded."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tolerance_percent: Annotated[Decimal, Field(ge=0, le=50)] = Decimal(0)
    """How far above its remaining cost a need may be funded (exchange-rate moves)."""


class NeedNotOverfunded(Rule[OverfundingOptions]):
    code = "PA005"
    name = "need-not-overfunded"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    options = OverfundingOptions
    summary = N_("No need is funded beyond its cost less the community's own contribution.")
    rationale = N_(
        "Money beyond what a need still requires is money another community lacks; commitments "
        "are compared in the base currency with the network's own dated rates."
    )
    failing = Example(
        N_("The foundation commits 15,000 EUR to a need that still requires about 10,883 EUR."),
        edits={paths.AGREEMENT: {"transactions[0].value.amount": 15000}},
    )
    passing = Example(N_("10,000 EUR committed against 1,200,000 CVE (10,882.87 EUR) remaining."))

    def check(self, ctx: RuleContext, options: OverfundingOptions) -> Iterator[Finding]:
        ds, conv = ctx.dataset, converter(ctx)
        # What each need still requires, worked out only for the needs signed agreements cover.
        needs = {
            f"{sid}/{need.id}": need
            for sid, strategy in ds.strategies.items()
            for need in strategy.needs
        }
        remaining: dict[str, Decimal] = {}
        known: set[str] = set()

        def still_required(ref: str) -> bool:
            if ref not in known:
                known.add(ref)
                need = needs.get(ref)
                left = None if need is None else required(need, conv, ctx.as_of)
                if left is not None:
                    remaining[ref] = left
            return ref in remaining

        funded: dict[str, Decimal] = defaultdict(Decimal)
        tolerance = 1 + options.tolerance_percent / 100
        over: dict[str, tuple[str, int]] = {}
        # In the order the agreements were signed, so the finding lands on the one that
        # pushed the need over.
        signed = sorted(
            (a.dates.signed or ctx.as_of, a.id, path, a)
            for path, a in agreements(ctx)
            if a.status in SIGNED
        )
        for _, _, path, agreement in signed:
            amount = committed(ctx, agreement)
            if not amount:
                continue
            for ref, share in shares(ds, conv, agreement, ctx.as_of).items():
                if not still_required(ref):
                    continue
                funded[ref] += amount * share
                limit = remaining[ref] * tolerance + Decimal("0.005")
                if funded[ref] > limit and ref not in over:
                    over[ref] = (path, agreement.needs.index(ref))
        for ref in sorted(over):
            amount = funded[ref]
            if amount > remaining[ref] * tolerance + Decimal("0.005"):
                path, index = over[ref]
                yield Finding(
                    path,
                    ("needs", index),
                    M_(
                        "need '{need}' is funded {funded} by signed agreements, "
                        "above the {required} it still requires (cost less "
                        "the community's own contribution)",
                        need=ref,
                        funded=fmt(amount, conv.base),
                        required=fmt(remaining[ref], conv.base),
                    ),
                    M_("lower the commitment, or have the community revise the need's cost"),
                )


def capacity_total(ctx: RuleContext, donor_id: str) -> Decimal | None:
    """A donor's declared money capacity over all its periods, in the base currency."""
    donor = ctx.dataset.donors[donor_id]
    conv = converter(ctx)
    total = Decimal(0)
    for capacity in donor.capacities:
        if capacity.kind is not SupportKind.MONEY or capacity.amount is None:
            continue
        amount = capacity.amount
        try:
            per_period = amount.max / conv.units_per_base(amount.currency, capacity.period.start)
        except MissingRate:
            return None
        total += per_period * _occurrences(
            capacity.recurrence, capacity.period.start, capacity.period.end
        )
    return total


def _occurrences(recurrence: Recurrence, start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = {
        Recurrence.ONCE: 0,
        Recurrence.MONTHLY: 1,
        Recurrence.QUARTERLY: 3,
        Recurrence.YEARLY: 12,
    }
    if step[recurrence] == 0:
        return 1
    return max(1, -(-months // step[recurrence]))


class DonorWithinCapacity(Rule[NoOptions]):
    code = "PA006"
    name = "donor-within-capacity"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("No donor is committed beyond the money capacity it declared.")
    rationale = N_(
        "A promise a donor cannot keep leaves a community halfway through its work; what donors "
        "commit stays within what they said they can give."
    )
    failing = Example(
        N_(
            "The foundation declared 4,000 EUR a year (8,000 EUR over 2025-2026), committed 10,000."
        ),
        edits={paths.DONOR: {"capacities[0].amount.max": 4000, "capacities[0].amount.min": 1000}},
    )
    passing = Example(N_("10,000 EUR committed within 40,000 EUR a year for two years."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        ds, conv = ctx.dataset, converter(ctx)
        by_donor: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for _, agreement in agreements(ctx):
            if agreement.status in SIGNED and agreement.donor in ds.donors:
                amount = committed(ctx, agreement)
                if amount:
                    by_donor[agreement.donor].append((agreement.id, amount))
        for donor_id, commitments in sorted(by_donor.items()):
            capacity = capacity_total(ctx, donor_id)
            total = sum((a for _, a in commitments), Decimal(0))
            if capacity is not None and total > capacity + Decimal("0.005"):
                listed = ", ".join(f"{aid} {fmt(a, conv.base)}" for aid, a in commitments)
                yield Finding(
                    ds.path_of(RecordKind.DONOR, donor_id),
                    ("capacities",),
                    M_(
                        "donor '{donor}' is committed {total} ({agreements}), above "
                        "its declared capacity of {capacity}",
                        donor=donor_id,
                        total=fmt(total, conv.base),
                        agreements=listed,
                        capacity=fmt(capacity, conv.base),
                    ),
                    M_("update the donor's capacities, or reduce what the agreements commit"),
                    anchor="key",
                )


class LifecycleDates(Rule[NoOptions]):
    code = "PA007"
    reads = Reads.OWN_RECORD
    name = "lifecycle-dates"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("An agreement's dates fit its status: signed, started and ended when it says so.")
    rationale = N_(
        "Monitoring, overdue reports and obligations are all computed from these dates; a "
        "status without its dates makes them silently wrong."
    )
    failing = Example(
        N_("A completed agreement with no actual end date."),
        edits={paths.COMPLETED: {"dates.actual_end": DELETE}},
    )
    passing = Example(N_("Signed, started and ended on the days the status requires."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            yield from self._problems(ctx, path, agreement)

    def _problems(self, ctx: RuleContext, path: str, agreement: Agreement) -> Iterator[Finding]:
        dates, status = agreement.dates, agreement.status
        started = {
            AgreementStatus.ACTIVE,
            AgreementStatus.SUSPENDED,
            AgreementStatus.COMPLETED,
            AgreementStatus.TERMINATED,
        }
        ended = {AgreementStatus.COMPLETED, AgreementStatus.TERMINATED}
        required = [
            ("signed", dates.signed, status in SIGNED),
            ("actual_start", dates.actual_start, status in started),
            ("actual_end", dates.actual_end, status in ended),
        ]
        for field, value, needed in required:
            if needed and value is None:
                yield Finding(
                    path,
                    ("dates",),
                    M_(
                        "agreement '{agreement}' is {status} but has no dates.{field}",
                        agreement=agreement.id,
                        status=status.value,
                        field=field,
                    ),
                    M_("add dates.{field} (YYYY-MM-DD)", field=field),
                    anchor="key",
                )
        if status in (
            AgreementStatus.PROPOSED,
            AgreementStatus.NEGOTIATING,
            AgreementStatus.DECLINED,
        ):
            for field, value in (("signed", dates.signed), ("actual_start", dates.actual_start)):
                if value is not None:
                    yield Finding(
                        path,
                        ("dates", field),
                        M_(
                            "agreement '{agreement}' is {status} yet has dates.{field}",
                            agreement=agreement.id,
                            status=status.value,
                            field=field,
                        ),
                        M_("update the status, or remove the date"),
                    )
        pairs = [
            ("planned_start", dates.planned_start, "planned_end", dates.planned_end),
            ("actual_start", dates.actual_start, "actual_end", dates.actual_end),
        ]
        for first, start, second, end in pairs:
            if start is not None and end is not None and end < start:
                yield Finding(
                    path,
                    ("dates", second),
                    M_(
                        "dates.{second} ({end}) is before dates.{first} ({start})",
                        second=second,
                        end=end,
                        first=first,
                        start=start,
                    ),
                    M_("correct one of the two dates"),
                )
        for field, value in (
            ("signed", dates.signed),
            ("actual_start", dates.actual_start),
            ("actual_end", dates.actual_end),
        ):
            if value is not None and value > ctx.as_of:
                yield Finding(
                    path,
                    ("dates", field),
                    M_(
                        "dates.{field} is {day}, after {today}: it has not happened yet",
                        field=field,
                        day=value,
                        today=ctx.as_of,
                    ),
                    M_(
                        "record actual dates once they happen; use planned_start/planned_end before"
                    ),
                )
        if (
            status is AgreementStatus.ACTIVE
            and dates.actual_end is not None
            and dates.actual_end <= ctx.as_of
        ):
            yield Finding(
                path,
                ("status",),
                M_(
                    "agreement '{agreement}' ended on {day} but is still active",
                    agreement=agreement.id,
                    day=dates.actual_end,
                ),
                M_("set status: completed (or terminated) and add the final report"),
            )


class DisbursedWithinCommitted(Rule[NoOptions]):
    code = "PA008"
    reads = Reads.OWN_RECORD
    name = "disbursed-within-committed"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("An agreement never disburses more than was committed.")
    rationale = N_(
        "Money paid without a commitment escapes the community's decision on the agreement."
    )
    failing = Example(
        N_("12,000 EUR disbursed against 10,000 EUR committed."),
        edits={paths.AGREEMENT: {"transactions[1].value.amount": 12000}},
    )
    passing = Example(N_("6,000 EUR disbursed of 10,000 EUR committed."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        base = converter(ctx).base
        for path, agreement in agreements(ctx):
            paid = _sum(ctx, agreement, TransactionType.DISBURSEMENT)
            promised = _sum(ctx, agreement, TransactionType.COMMITMENT)
            if paid is not None and promised is not None and paid > promised + Decimal("0.005"):
                yield Finding(
                    path,
                    ("transactions",),
                    M_(
                        "disbursed {paid} is more than committed {committed}",
                        paid=fmt(paid, base),
                        committed=fmt(promised, base),
                    ),
                    M_("record the commitment that covers the payment, or correct the amounts"),
                    anchor="key",
                )


class SpentWithinDisbursed(Rule[NoOptions]):
    code = "PA009"
    reads = Reads.OWN_RECORD
    name = "spent-within-disbursed"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("An agreement never records more spent than was disbursed.")
    rationale = N_(
        "Expenditure beyond what arrived means a missing disbursement or a typing mistake."
    )
    failing = Example(
        N_("7,000 EUR spent of 6,000 EUR received."),
        edits={paths.AGREEMENT: {"transactions[2].value.amount": 7000}},
    )
    passing = Example(N_("4,000 EUR spent of 6,000 EUR received."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        base = converter(ctx).base
        for path, agreement in agreements(ctx):
            spent = _sum(ctx, agreement, TransactionType.EXPENDITURE)
            paid = _sum(ctx, agreement, TransactionType.DISBURSEMENT)
            if spent is not None and paid is not None and spent > paid + Decimal("0.005"):
                yield Finding(
                    path,
                    ("transactions",),
                    M_(
                        "spent {spent} is more than disbursed {paid}",
                        spent=fmt(spent, base),
                        paid=fmt(paid, base),
                    ),
                    M_("record the missing disbursement, or correct the expenditure"),
                    anchor="key",
                )


class BudgetPeriodOneYear(Rule[NoOptions]):
    code = "PA010"
    reads = Reads.OWN_RECORD
    name = "budget-period-one-year"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("Each budget line covers at most one year (IATI budget rule).")
    rationale = N_(
        "IATI requires budget periods of a year or less so budgets can be compared and published."
    )
    failing = Example(
        N_("A budget line of two years."),
        edits={paths.AGREEMENT: {"budget[0].period.end": "2027-03-31"}},
    )
    passing = Example(N_("One budget line from 2025-04-01 to 2026-03-31."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            for i, line in enumerate(agreement.budget):
                if line.period.end >= one_year_after(line.period.start):
                    yield Finding(
                        path,
                        ("budget", i, "period", "end"),
                        M_(
                            "this budget line runs from {start} to {end}, more than one year",
                            start=line.period.start,
                            end=line.period.end,
                        ),
                        M_("split it into lines of a year or less"),
                    )


class AmountHasValueDate(Rule[NoOptions]):
    code = "PA011"
    reads = Reads.OWN_RECORD
    name = "amount-has-value-date"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("Every budget and transaction amount has a currency and a value date (IATI).")
    rationale = N_(
        "The value date fixes the exchange rate; without it, amounts in several currencies "
        "cannot be added up."
    )
    failing = Example(
        N_("A disbursement without value date."),
        edits={paths.AGREEMENT: {"transactions[1].value.value_date": DELETE}},
    )
    passing = Example(N_("Every amount has its value date."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            places: list[tuple[KeyPath, Money]] = []
            places += [(("budget", i, "value"), b.value) for i, b in enumerate(agreement.budget)]
            places += [
                (("transactions", i, "value"), t.value)
                for i, t in enumerate(agreement.transactions)
            ]
            for key, money in places:
                if money.value_date is None:
                    yield Finding(
                        path,
                        key,
                        M_("this amount has no value_date"),
                        M_("add value_date: the day the amount was agreed or paid (YYYY-MM-DD)"),
                    )


class CurrencyConvertible(Rule[NoOptions]):
    code = "PA012"
    name = "currency-convertible"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_(
        "Every currency used has an exchange rate to the base currency in solidarity.yaml."
    )
    rationale = N_(
        "Needs, capacities and commitments are compared in one base currency through the "
        "network's own dated rates, never fetched at run time."
    )
    failing = Example(
        N_("The donor's capacity is in Japanese yen, with no rate."),
        edits={paths.DONOR: {"capacities[0].amount.currency": "JPY"}},
    )
    passing = Example(N_("EUR is the base currency; CVE has its fixed peg."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        conv, ds = converter(ctx), ctx.dataset
        hint = M_(
            "add the currency under exchange_rates in solidarity.yaml "
            "(units_per_base, valid_from, source)"
        )
        for sid, strategy in ds.strategies.items():
            for i, need in enumerate(strategy.needs):
                for field in ("estimated_cost", "own_contribution"):
                    money = getattr(need, field)
                    if money is not None and not conv.knows(money.currency):
                        yield Finding(
                            ds.path_of(RecordKind.STRATEGY, sid),
                            ("needs", i, field, "currency"),
                            M_(
                                "no exchange rate for {currency} to {base}",
                                currency=money.currency,
                                base=conv.base,
                            ),
                            hint,
                        )
        for did, donor in ds.donors.items():
            for i, capacity in enumerate(donor.capacities):
                if capacity.amount is not None and not conv.knows(capacity.amount.currency):
                    yield Finding(
                        ds.path_of(RecordKind.DONOR, did),
                        ("capacities", i, "amount", "currency"),
                        M_(
                            "no exchange rate for {currency} to {base}",
                            currency=capacity.amount.currency,
                            base=conv.base,
                        ),
                        hint,
                    )
        for path, agreement in agreements(ctx):
            for i, line in enumerate(agreement.budget):
                if not conv.knows(line.value.currency):
                    yield Finding(
                        path,
                        ("budget", i, "value", "currency"),
                        M_(
                            "no exchange rate for {currency} to {base}",
                            currency=line.value.currency,
                            base=conv.base,
                        ),
                        hint,
                    )
            for rid, report in ds.reports.get(agreement.id, {}).items():
                report_path = ds.path_of(RecordKind.REPORT, f"{agreement.id}/{rid}")
                for i, spent in enumerate(report.expenditures):
                    if not conv.knows(spent.value.currency):
                        yield Finding(
                            report_path,
                            ("expenditures", i, "value", "currency"),
                            M_(
                                "no exchange rate for {currency} to {base}",
                                currency=spent.value.currency,
                                base=conv.base,
                            ),
                            hint,
                        )
            for i, transaction in enumerate(agreement.transactions):
                if not conv.knows(transaction.value.currency):
                    yield Finding(
                        path,
                        ("transactions", i, "value", "currency"),
                        M_(
                            "no exchange rate for {currency} to {base}",
                            currency=transaction.value.currency,
                            base=conv.base,
                        ),
                        hint,
                    )


class DecisionRespected(Rule[NoOptions]):
    code = "PA013"
    reads = Reads.OWN_RECORD
    name = "decision-respected"
    family = Family.PARTNERSHIPS
    severity = Severity.ERROR
    summary = N_("An agreement's status follows the community's latest decision on it.")
    rationale = N_(
        "When the community declines, suspends or ends a partnership, that decision holds: the "
        "agreement cannot stay signed or active against it."
    )
    failing = Example(
        N_("The community declined, yet the agreement is active."),
        edits={paths.AGREEMENT: {"decisions[0].outcome": "declined"}},
    )
    passing = Example(N_("The community accepted and the agreement is active."))

    _ALLOWED: ClassVar[dict[DecisionOutcome, set[AgreementStatus]]] = {
        DecisionOutcome.DECLINED: {AgreementStatus.DECLINED, AgreementStatus.CANCELLED},
        DecisionOutcome.SUSPENDED: {
            AgreementStatus.SUSPENDED,
            AgreementStatus.TERMINATED,
            AgreementStatus.CANCELLED,
        },
        DecisionOutcome.TERMINATED: {AgreementStatus.TERMINATED, AgreementStatus.CANCELLED},
    }

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if not agreement.decisions:
                continue
            latest = max(range(len(agreement.decisions)), key=lambda i: agreement.decisions[i].date)
            decision = agreement.decisions[latest]
            allowed = self._ALLOWED.get(decision.outcome)
            if allowed is not None and agreement.status not in allowed:
                yield Finding(
                    path,
                    ("status",),
                    M_(
                        "the community's latest decision ({day}, {body}) is "
                        "'{outcome}', but the agreement is {status}",
                        day=decision.date,
                        body=decision.body,
                        outcome=decision.outcome.value,
                        status=agreement.status.value,
                    ),
                    M_(
                        "set the status that follows the community's decision, or record its new "
                        "decision (e.g. resumed or accepted) with the date and minutes"
                    ),
                )


RULES: tuple[type[Rule], ...] = (  # type: ignore[type-arg]
    NeedsFromOwnStrategy,
    DecisionBeforeSignature,
    ConditionsAccepted,
    PolicyCondition,
    NeedNotOverfunded,
    DonorWithinCapacity,
    LifecycleDates,
    DisbursedWithinCommitted,
    SpentWithinDisbursed,
    BudgetPeriodOneYear,
    AmountHasValueDate,
    CurrencyConvertible,
    DecisionRespected,
)
