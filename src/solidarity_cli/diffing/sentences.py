"""What people care about in a change, one sentence each, per kind of record."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from solidarity_cli.diffing.context import Context
from solidarity_cli.diffing.values import Day, Label, Named, Number
from solidarity_cli.models import Agreement, Donor, NetworkRule, Report, Strategy
from solidarity_cli.models.agreement import TransactionType
from solidarity_cli.models.rule import RuleStatus
from solidarity_cli.models.strategy import Need, NeedStatus, StrategyStatus
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.words import M_, N_, Words

#: Status words that only the diff shows, listed for the translators.
WORDS = (
    N_("draft"),
    N_("adopted"),
    N_("under-revision"),
    N_("archived"),
    N_("trial"),
    N_("retired"),
    N_("vocabulary"),
    N_("strategy"),
    N_("agreement"),
    N_("rule"),
    N_("commitment"),
    N_("expenditure"),
    N_("incoming-funds"),
    N_("incoming-commitment"),
    N_("outgoing-pledge"),
    N_("incoming-pledge"),
)


def _name(record: Any) -> str:
    """What a record is called in a sentence: its name, else its id."""
    name = getattr(record, "name", None)
    return name if isinstance(name, str) else str(record.id)


def added(kind: RecordKind, record: Any, ctx: Context) -> list[Words]:
    """The sentence for a record that is new."""
    if isinstance(record, Strategy):
        owner = ctx.head.strategy_owner.get(record.id, "")
        return [
            M_(
                "strategy '{title}' of {community} added ({status})",
                title=Named.of(record.title),
                community=ctx.community(owner),
                status=Label(record.status.value),
            )
        ]
    if isinstance(record, Donor):
        return [M_("donor {donor} added", donor=ctx.donor(record.id))]
    if isinstance(record, Agreement):
        return [
            M_(
                "agreement '{title}' between {community} and {donor} added ({status})",
                title=Named.of(record.title),
                community=ctx.community(record.community),
                donor=ctx.donor(record.donor),
                status=Label(record.status.value),
            )
        ]
    if isinstance(record, Report):
        return report_added(record, ctx)
    if isinstance(record, NetworkRule):
        return [
            M_(
                "network rule {code} '{rule}' proposed ({status})",
                code=record.code,
                rule=record.id,
                status=Label(record.governance.status.value),
            )
        ]
    if kind is RecordKind.COMMUNITY:
        return [M_("community {name} added", name=_name(record))]
    if kind is RecordKind.PLATFORM:
        return [M_("platform {name} added", name=_name(record))]
    return [M_("vocabulary {name} added", name=_name(record))]


def removed(kind: RecordKind, record: Any, ctx: Context) -> list[Words]:
    """The sentence for a record that is gone."""
    if isinstance(record, Strategy):
        return [M_("strategy '{title}' removed", title=Named.of(record.title))]
    if isinstance(record, Donor):
        return [M_("donor {donor} removed", donor=ctx.donor(record.id))]
    if isinstance(record, Agreement):
        return [M_("agreement '{title}' removed", title=Named.of(record.title))]
    if isinstance(record, Report):
        return [
            M_(
                "report {report} on agreement {agreement} removed",
                report=record.id,
                agreement=record.partnership,
            )
        ]
    if isinstance(record, NetworkRule):
        return [M_("network rule {code} '{rule}' removed", code=record.code, rule=record.id)]
    return [M_("{kind} {name} removed", kind=Label(kind.value), name=_name(record))]


def _called(kind: RecordKind, key: str, record: Any, ctx: Context) -> str | Words:
    """What a record whose file cannot be read on one side is called: its name where the other
    side gives it, else its id; a donor that is, or may be, anonymous by the id its file is
    shown under."""
    if kind is RecordKind.DONOR:
        if record is None or key in ctx.hidden:
            return ctx.stand_in(kind, key, "")[0]
        return ctx.donor(key)
    return key if record is None or kind is RecordKind.REPORT else _name(record)


#: What is said of a file that cannot be read in one state or both.
NO_LONGER_READ = N_(
    "{kind} {name}: its file changed and can no longer be read; run solidarity check to see why"
)
STILL_UNREAD = N_(
    "{kind} {name}: its file changed and still cannot be read; run solidarity check to see why"
)
NEW_UNREAD = N_("{kind} {name}: a new file that cannot be read; run solidarity check to see why")
READ_AGAIN = N_("{kind} {name}: its file changed and can be read again")
REMOVED_UNREAD = N_("{kind} {name}: its file, which could not be read, was removed")


def about_file(said: str, kind: RecordKind, key: str, record: Any, ctx: Context) -> list[Words]:
    """``said`` (one of the templates above) of the file of a record, which is named by
    ``record`` (its other state, where it has one) or its ``key``."""
    return [M_(said, kind=Label(kind.value), name=_called(kind, key, record, ctx))]


def changed(kind: RecordKind, old: Any, new: Any, ctx: Context) -> list[Words]:
    """The sentences for a record present in both states."""
    if isinstance(old, Strategy) and isinstance(new, Strategy):
        return _strategy(old, new, ctx)
    if isinstance(old, Agreement) and isinstance(new, Agreement):
        return _agreement(old, new, ctx)
    if isinstance(old, Report) and isinstance(new, Report):
        return _report(old, new, ctx)
    if isinstance(old, NetworkRule) and isinstance(new, NetworkRule):
        return _rule(old, new)
    return []


def _strategy(old: Strategy, new: Strategy, ctx: Context) -> list[Words]:
    says: list[Words] = []
    title = Named.of(new.title)
    if old.status is not new.status:
        if new.status is StrategyStatus.ADOPTED and new.adoption is not None:
            says.append(
                M_(
                    "strategy '{title}' adopted by {body} on {date}",
                    title=title,
                    body=new.adoption.body,
                    date=Day(new.adoption.date),
                )
            )
        else:
            says.append(
                M_(
                    "strategy '{title}' moved from {old} to {new}",
                    title=title,
                    old=Label(old.status.value),
                    new=Label(new.status.value),
                )
            )
    before = {n.id: n for n in old.needs}
    for need in new.needs:
        previous = before.pop(need.id, None)
        if previous is None:
            says.append(_need_added(need, title, ctx, new))
        elif previous != need:
            says.extend(_need_changed(previous, need, ctx, new))
    for need in before.values():
        says.append(
            M_(
                "need '{need}' removed from strategy '{title}'",
                need=Named.of(need.title),
                title=title,
            )
        )
    return says


def _cost_day(strategy: Strategy) -> Any:
    return strategy.period.start


def _need_added(need: Need, title: Named, ctx: Context, strategy: Strategy) -> Words:
    if need.estimated_cost is None:
        return M_(
            "need '{need}' added to strategy '{title}' (priority {priority})",
            need=Named.of(need.title),
            title=title,
            priority=need.priority,
        )
    return M_(
        "need '{need}' added to strategy '{title}' (priority {priority}): {cost}",
        need=Named.of(need.title),
        title=title,
        priority=need.priority,
        cost=ctx.amount(need.estimated_cost, _cost_day(strategy)),
    )


def _need_changed(old: Need, new: Need, ctx: Context, strategy: Strategy) -> list[Words]:
    says: list[Words] = []
    name = Named.of(new.title)
    if old.estimated_cost != new.estimated_cost and new.estimated_cost is not None:
        day = _cost_day(strategy)
        if old.estimated_cost is None:
            says.append(
                M_(
                    "need '{need}' costed at {new}",
                    need=name,
                    new=ctx.amount(new.estimated_cost, day),
                )
            )
        else:
            says.append(
                M_(
                    "need '{need}' re-costed from {old} to {new}",
                    need=name,
                    old=ctx.amount(old.estimated_cost, day),
                    new=ctx.amount(new.estimated_cost, day),
                )
            )
    if old.status is not new.status:
        if new.status is NeedStatus.MET:
            says.append(M_("need '{need}' met", need=name))
        elif new.status is NeedStatus.WITHDRAWN:
            says.append(M_("need '{need}' withdrawn by the community", need=name))
        else:
            says.append(M_("need '{need}' open again", need=name))
    if old.priority != new.priority:
        says.append(
            M_(
                "need '{need}' moved from priority {old} to {new}",
                need=name,
                old=old.priority,
                new=new.priority,
            )
        )
    if not says:
        says.append(M_("need '{need}' changed", need=name))
    return says


def _agreement(old: Agreement, new: Agreement, ctx: Context) -> list[Words]:
    says: list[Words] = []
    title = Named.of(new.title)
    if old.status is not new.status:
        says.append(
            M_(
                "agreement '{title}' moved from {old} to {new}",
                title=title,
                old=Label(old.status.value),
                new=Label(new.status.value),
            )
        )
    if new.dates.signed is not None and old.dates.signed != new.dates.signed:
        says.append(
            M_("agreement '{title}' signed on {date}", title=title, date=Day(new.dates.signed))
        )
    for decision in new.decisions[len(old.decisions) :]:
        says.append(
            M_(
                "the community decided: {outcome}, by {body} on {date}",
                outcome=Label(decision.outcome.value),
                body=decision.body,
                date=Day(decision.date),
            )
        )
    says.extend(_conditions(old, new))
    donor = ctx.donor(new.donor)
    known = Counter(tx.model_dump_json() for tx in old.transactions)
    for tx in new.transactions:
        if known[tx.model_dump_json()] > 0:
            known[tx.model_dump_json()] -= 1
            continue
        amount = ctx.amount(tx.value, tx.date)
        if tx.type is TransactionType.COMMITMENT:
            says.append(
                M_(
                    "{amount} committed by {donor} on {date}",
                    amount=amount,
                    donor=donor,
                    date=Day(tx.date),
                )
            )
        elif tx.type is TransactionType.DISBURSEMENT:
            says.append(
                M_(
                    "{amount} disbursed by {donor} on {date}",
                    amount=amount,
                    donor=donor,
                    date=Day(tx.date),
                )
            )
        elif tx.type is TransactionType.EXPENDITURE:
            says.append(M_("{amount} spent on {date}", amount=amount, date=Day(tx.date)))
        else:
            says.append(
                M_(
                    "{amount} recorded as {type} on {date}",
                    amount=amount,
                    type=Label(tx.type.value),
                    date=Day(tx.date),
                )
            )
    for tx in old.transactions:
        if known[tx.model_dump_json()] > 0:
            known[tx.model_dump_json()] -= 1
            says.append(
                M_(
                    "{type} of {amount} on {date} removed",
                    type=Label(tx.type.value),
                    amount=ctx.amount(tx.value, tx.date),
                    date=Day(tx.date),
                )
            )
    return says


def _conditions(old: Agreement, new: Agreement) -> list[Words]:
    says: list[Words] = []
    before = {(c.type, tuple(sorted(c.text.items()))): c for c in old.conditions}
    for condition in new.conditions:
        previous = before.get((condition.type, tuple(sorted(condition.text.items()))))
        text = Named.of(condition.text)
        if previous is None:
            says.append(M_("condition '{condition}' proposed", condition=text))
        if condition.accepted is not None and (
            previous is None or previous.accepted is not condition.accepted
        ):
            if condition.accepted:
                says.append(M_("condition '{condition}' accepted by the community", condition=text))
            else:
                says.append(M_("condition '{condition}' refused by the community", condition=text))
    return says


def _indicator_title(ctx: Context, agreement_id: str, result: str, indicator: str) -> Named | str:
    agreement = ctx.head.agreements.get(agreement_id) or ctx.base.agreements.get(agreement_id)
    for r in agreement.results if agreement is not None else ():
        for i in r.indicators:
            if r.id == result and i.id == indicator:
                return Named.of(i.title)
    return indicator


def _last_value(ctx: Context, report: Report, result: str, indicator: str) -> Decimal | None:
    """The indicator's latest value the base knew (reports, else the agreement's actuals)."""
    found: tuple[Any, Decimal] | None = None
    for other in ctx.base.reports_of(report.partnership):
        for value in other.indicator_values:
            if (value.result, value.indicator) == (result, indicator) and (
                found is None or value.period.end >= found[0]
            ):
                found = (value.period.end, value.value)
    return found[1] if found is not None else None


def _indicator_moves(report: Report, old: Report | None, ctx: Context) -> list[Words]:
    says: list[Words] = []
    known = {v.model_dump_json() for v in old.indicator_values} if old is not None else set()
    for value in report.indicator_values:
        if value.model_dump_json() in known:
            continue
        name = _indicator_title(ctx, report.partnership, value.result, value.indicator)
        previous = _last_value(ctx, report, value.result, value.indicator)
        if previous is None or previous == value.value:
            says.append(
                M_(
                    "indicator '{indicator}' at {value} for the period ending {end}",
                    indicator=name,
                    value=Number(value.value),
                    end=Day(value.period.end),
                )
            )
        else:
            says.append(
                M_(
                    "indicator '{indicator}' moves from {old} to {new} for the period ending {end}",
                    indicator=name,
                    old=Number(previous),
                    new=Number(value.value),
                    end=Day(value.period.end),
                )
            )
    return says


def _filed(report: Report, ctx: Context) -> Words:
    return M_(
        "{kind} report {report} filed on agreement {agreement} for {start} to {end}",
        kind=Label(report.kind.value),
        report=report.id,
        agreement=report.partnership,
        start=Day(report.period.start),
        end=Day(report.period.end),
    )


def report_added(report: Report, ctx: Context) -> list[Words]:
    """A report filed, with the indicator values it moves."""
    return [_filed(report, ctx), *_indicator_moves(report, None, ctx)]


def _report(old: Report, new: Report, ctx: Context) -> list[Words]:
    says: list[Words] = []
    if old.validated is None and new.validated is not None:
        says.append(
            M_(
                "report {report} validated by {body} on {date}",
                report=new.id,
                body=new.validated.body,
                date=Day(new.validated.on),
            )
        )
    says.extend(_indicator_moves(new, old, ctx))
    return says


def _rule(old: NetworkRule, new: NetworkRule) -> list[Words]:
    before, after = old.governance, new.governance
    if before.status is after.status:
        return []
    if after.status is RuleStatus.ADOPTED and after.adopted_by and after.adopted_on:
        return [
            M_(
                "network rule {code} '{rule}' moved from {old} to adopted by {body} on {date}",
                code=new.code,
                rule=new.id,
                old=Label(before.status.value),
                body=after.adopted_by,
                date=Day(after.adopted_on),
            )
        ]
    return [
        M_(
            "network rule {code} '{rule}' moved from {old} to {new}",
            code=new.code,
            rule=new.id,
            old=Label(before.status.value),
            new=Label(after.status.value),
        )
    ]
