"""Rules on monitoring and evaluation, the community's and the donor's obligations alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from solidarity_cli.dates import add_months
from solidarity_cli.diagnostics import Severity
from solidarity_cli.models.agreement import Agreement, AgreementStatus, TransactionType
from solidarity_cli.models.report import Report, ReportKind
from solidarity_cli.models.rule import Family
from solidarity_cli.money import MissingRate, fmt
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import DELETE, Example, Finding, NoOptions, Reads, Rule, RuleContext
from solidarity_cli.rules.partnerships import agreements, converter
from solidarity_cli.tranches import timing
from solidarity_cli.words import M_, N_, Words

REPORTING = frozenset({AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED})


def _reports(ctx: RuleContext) -> list[tuple[str, Agreement, Report]]:
    """Every report with its file and agreement (listed once per run)."""
    return ctx.shared("reports", lambda: list(_all_reports(ctx)))


def _all_reports(ctx: RuleContext) -> Iterator[tuple[str, Agreement, Report]]:
    for aid, agreement in ctx.dataset.agreements.items():
        for report in ctx.dataset.reports_of(aid):
            yield ctx.path(RecordKind.REPORT, f"{aid}/{report.id}"), agreement, report


class IndicatorsWithBaseline(Rule[NoOptions]):
    code = "ME001"
    reads = Reads.OWN_RECORD
    name = "indicators-with-baseline"
    family = Family.MONITORING
    severity = Severity.ERROR
    summary = N_("An active agreement has at least one indicator with a baseline and a target.")
    rationale = N_(
        "Without a starting point and a goal the community set, results cannot be shown, and "
        "evaluation falls back on the donor's impressions."
    )
    failing = Example(
        N_("The cistern's indicator has no baseline."),
        edits={paths.AGREEMENT: {"results[0].indicators[0].baseline": DELETE}},
    )
    passing = Example(N_("Storage capacity: baseline 0 m³ in 2024, target 120 m³."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status is not AgreementStatus.ACTIVE:
                continue
            measured = any(
                indicator.baseline is not None
                and any(p.target is not None for p in indicator.periods)
                for result in agreement.results
                for indicator in result.indicators
            )
            if not measured:
                yield Finding(
                    path,
                    ("results",) if "results" in agreement.model_fields_set else ("status",),
                    M_(
                        "active agreement '{agreement}' has no indicator with both a baseline "
                        "and a target",
                        agreement=agreement.id,
                    ),
                    M_(
                        "add under results an indicator with baseline {year, value} and periods "
                        "with a target, as agreed with the community"
                    ),
                    anchor="key",
                )


#: A reporting cadence in words (the code stays the word in English).
_CADENCES = {
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "semiannual": N_("semiannual"),
    "annual": N_("annual"),
}


class _Due(NamedTuple):
    """When the next report is due, and what that was computed from."""

    last: Report | None  # the last periodic report; None when there is none yet
    since: dt.date  # the end of the last report's period, or the start of the agreement
    cadence: Words  # said in the reader's language
    months: int
    grace: int
    period_end: dt.date
    deadline: dt.date


def _next_due(agreement: Agreement, reports: list[Report]) -> _Due | None:
    if agreement.reporting is None:
        return None
    months = agreement.reporting.cadence.months
    grace = agreement.reporting.grace_days
    periodic = [r for r in reports if r.kind is not ReportKind.CO_EVALUATION]
    last: Report | None = None
    if periodic:
        last = max(periodic, key=lambda r: r.period.end)
        since = last.period.end
        period_end = add_months(since, months)
    else:
        start = agreement.dates.actual_start or agreement.dates.signed
        if start is None:
            return None
        since = start
        period_end = add_months(start, months) - dt.timedelta(days=1)
    deadline = period_end + dt.timedelta(days=grace)
    cadence = M_(_CADENCES[agreement.reporting.cadence.value])
    return _Due(last, since, cadence, months, grace, period_end, deadline)


def next_report_due(
    agreement: Agreement, reports: list[Report]
) -> tuple[dt.date, dt.date, str] | None:
    """(period end due, deadline with grace, how it was computed) for the next report."""
    due = _next_due(agreement, reports)
    if due is None:
        return None
    how = (
        M_(
            "last report '{report}' covers up to {covered_to} + {cadence} cadence "
            "({months} months) = {period_end}, + {grace} days of grace = {deadline}",
            report=due.last.id,
            covered_to=due.since,
            cadence=due.cadence,
            months=due.months,
            period_end=due.period_end,
            grace=due.grace,
            deadline=due.deadline,
        )
        if due.last is not None
        else M_(
            "no report yet; started {started} + {cadence} cadence ({months} months) = "
            "{period_end}, + {grace} days of grace = {deadline}",
            started=due.since,
            cadence=due.cadence,
            months=due.months,
            period_end=due.period_end,
            grace=due.grace,
            deadline=due.deadline,
        )
    )
    return due.period_end, due.deadline, how


class ReportOverdue(Rule[NoOptions]):
    code = "ME002"
    name = "report-overdue"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = N_("An active agreement's reports keep to its own cadence, plus a grace period.")
    rationale = N_(
        "Reports are the community's account of its own work, on the rhythm it agreed to; an "
        "overdue report is a prompt for the platform to offer help, not a sanction."
    )
    failing = Example(
        N_("On 2025-11-15 the report for July-September is overdue."),
        as_of=dt.date(2025, 11, 15),
    )
    passing = Example(N_("On 2025-09-15 the next report is not due yet."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status not in REPORTING:
                continue
            due = _next_due(agreement, ctx.dataset.reports_of(agreement.id))
            if due is None or due.deadline >= ctx.as_of:
                continue
            late = (ctx.as_of - due.deadline).days
            yield Finding(
                path,
                ("reporting", "cadence"),
                M_(
                    "a report is overdue by {late} days: last report '{report}' covers up to "
                    "{covered_to} + {cadence} cadence ({months} months) = {period_end}, "
                    "+ {grace} days of grace = {deadline}, before {as_of}",
                    late=late,
                    report=due.last.id,
                    covered_to=due.since,
                    cadence=due.cadence,
                    months=due.months,
                    period_end=due.period_end,
                    grace=due.grace,
                    deadline=due.deadline,
                    as_of=ctx.as_of,
                )
                if due.last is not None
                else M_(
                    "a report is overdue by {late} days: no report yet; started {started} "
                    "+ {cadence} cadence ({months} months) = {period_end}, "
                    "+ {grace} days of grace = {deadline}, before {as_of}",
                    late=late,
                    started=due.since,
                    cadence=due.cadence,
                    months=due.months,
                    period_end=due.period_end,
                    grace=due.grace,
                    deadline=due.deadline,
                    as_of=ctx.as_of,
                ),
                M_("add the report under reports/, or agree a new cadence with the community"),
            )


class FinalReports(Rule[NoOptions]):
    code = "ME003"
    name = "final-reports"
    family = Family.MONITORING
    severity = Severity.ERROR
    summary = N_("A completed agreement has a final report and a co-evaluation.")
    rationale = N_(
        "A partnership ends with the community's own account and an evaluation made together, "
        "so that lessons go back to the network."
    )
    failing = Example(
        N_("The completed training has no co-evaluation."), files={paths.CO_EVALUATION: None}
    )
    passing = Example(N_("The completed training has its final report and its co-evaluation."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status is not AgreementStatus.COMPLETED:
                continue
            kinds = {r.kind for r in ctx.dataset.reports_of(agreement.id)}
            missing = [
                k.value for k in (ReportKind.FINAL, ReportKind.CO_EVALUATION) if k not in kinds
            ]
            if missing:
                yield Finding(
                    path,
                    ("status",),
                    M_(
                        "completed agreement '{agreement}' has no {kind} and no {other} report",
                        agreement=agreement.id,
                        kind=missing[0],
                        other=missing[1],
                    )
                    if len(missing) > 1
                    else M_(
                        "completed agreement '{agreement}' has no {kind} report",
                        agreement=agreement.id,
                        kind=missing[0],
                    ),
                    M_(
                        "add data/partnerships/{agreement}/reports/<id>.yaml with kind: {kinds}",
                        agreement=agreement.id,
                        kinds=" / ".join(missing),
                    ),
                )


class ReportValuesDefined(Rule[NoOptions]):
    code = "ME004"
    name = "report-values-defined"
    family = Family.MONITORING
    severity = Severity.ERROR
    summary = N_("Indicator values in a report refer to indicators the agreement defines.")
    rationale = N_(
        "A value for an unknown indicator cannot be compared with any baseline or target."
    )
    failing = Example(
        N_("The report gives a value for an indicator that does not exist."),
        edits={paths.REPORT: {"indicator_values[0].indicator": "litros"}},
    )
    passing = Example(N_("The report measures the agreement's own indicator, capacidade."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement, report in _reports(ctx):
            defined = {(r.id, i.id) for r in agreement.results for i in r.indicators}
            results = {r.id for r in agreement.results}
            for i, value in enumerate(report.indicator_values):
                if value.result not in results:
                    yield Finding(
                        path,
                        ("indicator_values", i, "result"),
                        M_(
                            "agreement '{agreement}' has no result '{result}'",
                            agreement=agreement.id,
                            result=value.result,
                        ),
                        M_(
                            "use one of the agreement's results: {results}",
                            results=", ".join(sorted(results)),
                        )
                        if results
                        else M_("use one of the agreement's results: none"),
                    )
                elif (value.result, value.indicator) not in defined:
                    yield Finding(
                        path,
                        ("indicator_values", i, "indicator"),
                        M_(
                            "agreement '{agreement}' has no indicator '{indicator}'",
                            agreement=agreement.id,
                            indicator=f"{value.result}/{value.indicator}",
                        ),
                        M_(
                            "use one of the agreement's indicators: {indicators}",
                            indicators=", ".join(f"{r}/{ind}" for r, ind in sorted(defined)),
                        )
                        if defined
                        else M_("use one of the agreement's indicators: none"),
                    )


class ReportPeriodInside(Rule[NoOptions]):
    code = "ME005"
    name = "report-period-inside"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = N_("A report and its values cover periods inside the agreement's dates.")
    rationale = N_("Values outside the agreement's time belong to another partnership, or to none.")
    failing = Example(
        N_("A report period starting before the agreement."),
        edits={paths.REPORT: {"period.start": "2024-10-01"}},
    )
    passing = Example(N_("The report covers April-June 2025, inside the agreement."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement, report in _reports(ctx):
            dates = agreement.dates
            start = dates.actual_start or dates.planned_start or dates.signed
            end = dates.actual_end or dates.planned_end
            if start is None:
                continue
            periods = [(("period",), report.period)] + [
                (("indicator_values", i, "period"), v.period)
                for i, v in enumerate(report.indicator_values)
            ]
            for key, period in periods:
                if period.start < start or (end is not None and period.end > end):
                    yield Finding(
                        path,
                        key,
                        M_(
                            "the period {start} to {end} is outside agreement '{agreement}' "
                            "({agreement_start} to {agreement_end})",
                            start=period.start,
                            end=period.end,
                            agreement=agreement.id,
                            agreement_start=start,
                            agreement_end=end,
                        )
                        if end is not None
                        else M_(
                            "the period {start} to {end} is outside agreement '{agreement}' "
                            "({agreement_start} to open)",
                            start=period.start,
                            end=period.end,
                            agreement=agreement.id,
                            agreement_start=start,
                        ),
                        M_("correct the period, or file the report under the right agreement"),
                    )


class TrancheOverdue(Rule[NoOptions]):
    code = "ME006"
    name = "tranche-overdue"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = N_("A committed tranche whose due date has passed has been disbursed.")
    rationale = N_(
        "Obligations run both ways: a donor's late payment stalls the community's work as surely "
        "as a missing report stalls monitoring."
    )
    failing = Example(
        N_("10,000 EUR fell due on 2025-08-01; 6,000 EUR were paid."),
        edits={paths.AGREEMENT: {"transactions[0].due": "2025-08-01"}},
    )
    passing = Example(
        N_("The commitment falls due on 2026-01-15, after the day of the check."),
        edits={paths.AGREEMENT: {"transactions[0].due": "2026-01-15"}},
    )
    # A commitment may wait (``after``) for a report received, a date or a condition met: it
    # falls due on the later of its date and that day, and is not owed while it waits.

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        conv = converter(ctx)
        for path, agreement in agreements(ctx):
            if agreement.status not in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
                continue
            try:
                paid = conv.total(
                    (
                        t.value
                        for t in agreement.transactions
                        if t.type is TransactionType.DISBURSEMENT and t.date <= ctx.as_of
                    ),
                    ctx.as_of,
                )
                owed = Decimal(0)
                reports = ctx.dataset.reports_of(agreement.id)
                for i, t in enumerate(agreement.transactions):
                    if t.type is not TransactionType.COMMITMENT:
                        continue
                    # A tranche waiting for a report, a date or a condition is not owed yet.
                    due = timing(t, reports, ctx.as_of).due
                    if due is None or due > ctx.as_of:
                        continue
                    owed += conv.to_base(t.value, ctx.as_of)
                    if owed > paid + Decimal("0.005"):
                        yield Finding(
                            path,
                            ("transactions", i, "due"),
                            M_(
                                "tranches due by {due} add up to {owed}, but {paid} was "
                                "disbursed by {as_of}",
                                due=due,
                                owed=fmt(owed, conv.base),
                                paid=fmt(paid, conv.base),
                                as_of=ctx.as_of,
                            ),
                            M_(
                                "record the disbursement, or the new date agreed with the community"
                            ),
                        )
                        break
            except MissingRate:
                continue


class ReportValidated(Rule[NoOptions]):
    code = "ME007"
    name = "report-validated"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = N_("A report records its validation by the community's body.")
    rationale = N_("A report speaks for the community only once the community has validated it.")
    failing = Example(
        N_("The report is not validated."), edits={paths.REPORT: {"validated": DELETE}}
    )
    passing = Example(N_("Validated by the Assembleia Geral on 2025-07-08."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, report in _reports(ctx):
            if report.validated is None:
                yield Finding(
                    path,
                    ("submitted",),
                    M_("report '{report}' is not validated by the community", report=report.id),
                    M_("add validated: {body: <the community's body>, on: YYYY-MM-DD}"),
                    anchor="key",
                )


RULES: tuple[type[Rule[NoOptions]], ...] = (
    IndicatorsWithBaseline,
    ReportOverdue,
    FinalReports,
    ReportValuesDefined,
    ReportPeriodInside,
    TrancheOverdue,
    ReportValidated,
)
