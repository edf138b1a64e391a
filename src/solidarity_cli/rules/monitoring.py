"""Rules on monitoring and evaluation, the community's and the donor's obligations alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from solidarity_cli.dates import add_months
from solidarity_cli.diagnostics import Severity
from solidarity_cli.layout import RecordKind
from solidarity_cli.models.agreement import Agreement, AgreementStatus, TransactionType
from solidarity_cli.models.report import Report, ReportKind
from solidarity_cli.models.rule import Family
from solidarity_cli.money import MissingRate, fmt
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import DELETE, Example, Finding, NoOptions, Rule, RuleContext
from solidarity_cli.rules.partnerships import agreements, converter

REPORTING = frozenset({AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED})


def _reports(ctx: RuleContext) -> Iterator[tuple[str, Agreement, Report]]:
    for aid, agreement in ctx.dataset.agreements.items():
        for report in ctx.dataset.reports_of(aid):
            yield ctx.path(RecordKind.REPORT, f"{aid}/{report.id}"), agreement, report


class IndicatorsWithBaseline(Rule[NoOptions]):
    code = "ME001"
    name = "indicators-with-baseline"
    family = Family.MONITORING
    severity = Severity.ERROR
    summary = "An active agreement has at least one indicator with a baseline and a target."
    rationale = (
        "Without a starting point and a goal the community set, results cannot be shown, and "
        "evaluation falls back on the donor's impressions."
    )
    failing = Example(
        "The cistern's indicator has no baseline.",
        edits={paths.AGREEMENT: {"results[0].indicators[0].baseline": DELETE}},
    )
    passing = Example("Storage capacity: baseline 0 m³ in 2024, target 120 m³.")

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
                    f"active agreement '{agreement.id}' has no indicator with both a baseline "
                    "and a target",
                    "add under results an indicator with baseline {year, value} and periods "
                    "with a target, as agreed with the community",
                    anchor="key",
                )


def next_report_due(
    agreement: Agreement, reports: list[Report]
) -> tuple[dt.date, dt.date, str] | None:
    """(period end due, deadline with grace, how it was computed) for the next report."""
    if agreement.reporting is None:
        return None
    months = agreement.reporting.cadence.months
    grace = agreement.reporting.grace_days
    periodic = [r for r in reports if r.kind is not ReportKind.CO_EVALUATION]
    if periodic:
        last = max(periodic, key=lambda r: r.period.end)
        period_end = add_months(last.period.end, months)
        basis = f"last report '{last.id}' covers up to {last.period.end}"
    else:
        start = agreement.dates.actual_start or agreement.dates.signed
        if start is None:
            return None
        period_end = add_months(start, months) - dt.timedelta(days=1)
        basis = f"no report yet; started {start}"
    deadline = period_end + dt.timedelta(days=grace)
    how = (
        f"{basis} + {agreement.reporting.cadence.value} cadence ({months} months) = "
        f"{period_end}, + {grace} days of grace = {deadline}"
    )
    return period_end, deadline, how


class ReportOverdue(Rule[NoOptions]):
    code = "ME002"
    name = "report-overdue"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = "An active agreement's reports keep to its own cadence, plus a grace period."
    rationale = (
        "Reports are the community's account of its own work, on the rhythm it agreed to; an "
        "overdue report is a prompt for the platform to offer help, not a sanction."
    )
    failing = Example(
        "On 2025-11-15 the report for July-September is overdue.",
        as_of=dt.date(2025, 11, 15),
    )
    passing = Example("On 2025-09-15 the next report is not due yet.")

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement in agreements(ctx):
            if agreement.status not in REPORTING:
                continue
            due = next_report_due(agreement, ctx.dataset.reports_of(agreement.id))
            if due is None:
                continue
            _, deadline, how = due
            if deadline < ctx.as_of:
                late = (ctx.as_of - deadline).days
                yield Finding(
                    path,
                    ("reporting", "cadence"),
                    f"a report is overdue by {late} days: {how}, before {ctx.as_of}",
                    "add the report under reports/, or agree a new cadence with the community",
                )


class FinalReports(Rule[NoOptions]):
    code = "ME003"
    name = "final-reports"
    family = Family.MONITORING
    severity = Severity.ERROR
    summary = "A completed agreement has a final report and a co-evaluation."
    rationale = (
        "A partnership ends with the community's own account and an evaluation made together, "
        "so that lessons go back to the network."
    )
    failing = Example(
        "The completed training has no co-evaluation.", files={paths.CO_EVALUATION: None}
    )
    passing = Example("The completed training has its final report and its co-evaluation.")

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
                    f"completed agreement '{agreement.id}' has no "
                    f"{' and no '.join(missing)} report",
                    f"add data/partnerships/{agreement.id}/reports/<id>.yaml with kind: "
                    + " / ".join(missing),
                )


class ReportValuesDefined(Rule[NoOptions]):
    code = "ME004"
    name = "report-values-defined"
    family = Family.MONITORING
    severity = Severity.ERROR
    summary = "Indicator values in a report refer to indicators the agreement defines."
    rationale = "A value for an unknown indicator cannot be compared with any baseline or target."
    failing = Example(
        "The report gives a value for an indicator that does not exist.",
        edits={paths.REPORT: {"indicator_values[0].indicator": "litros"}},
    )
    passing = Example("The report measures the agreement's own indicator, capacidade.")

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, agreement, report in _reports(ctx):
            defined = {(r.id, i.id) for r in agreement.results for i in r.indicators}
            results = {r.id for r in agreement.results}
            for i, value in enumerate(report.indicator_values):
                if value.result not in results:
                    known_results = ", ".join(sorted(results)) or "none"
                    yield Finding(
                        path,
                        ("indicator_values", i, "result"),
                        f"agreement '{agreement.id}' has no result '{value.result}'",
                        f"use one of the agreement's results: {known_results}",
                    )
                elif (value.result, value.indicator) not in defined:
                    known = ", ".join(f"{r}/{ind}" for r, ind in sorted(defined)) or "none"
                    yield Finding(
                        path,
                        ("indicator_values", i, "indicator"),
                        f"agreement '{agreement.id}' has no indicator "
                        f"'{value.result}/{value.indicator}'",
                        f"use one of the agreement's indicators: {known}",
                    )


class ReportPeriodInside(Rule[NoOptions]):
    code = "ME005"
    name = "report-period-inside"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = "A report and its values cover periods inside the agreement's dates."
    rationale = "Values outside the agreement's time belong to another partnership, or to none."
    failing = Example(
        "A report period starting before the agreement.",
        edits={paths.REPORT: {"period.start": "2024-10-01"}},
    )
    passing = Example("The report covers April-June 2025, inside the agreement.")

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
                        f"the period {period.start} to {period.end} is outside agreement "
                        f"'{agreement.id}' ({start} to {end or 'open'})",
                        "correct the period, or file the report under the right agreement",
                    )


class TrancheOverdue(Rule[NoOptions]):
    code = "ME006"
    name = "tranche-overdue"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = "A committed tranche whose due date has passed has been disbursed."
    rationale = (
        "Obligations run both ways: a donor's late payment stalls the community's work as surely "
        "as a missing report stalls monitoring."
    )
    failing = Example(
        "10,000 EUR fell due on 2025-08-01; 6,000 EUR were paid.",
        edits={paths.AGREEMENT: {"transactions[0].due": "2025-08-01"}},
    )
    passing = Example(
        "The commitment falls due on 2026-01-15, after the day of the check.",
        edits={paths.AGREEMENT: {"transactions[0].due": "2026-01-15"}},
    )

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
                for i, t in enumerate(agreement.transactions):
                    if (
                        t.type is not TransactionType.COMMITMENT
                        or t.due is None
                        or t.due > ctx.as_of
                    ):
                        continue
                    owed += conv.to_base(t.value, ctx.as_of)
                    if owed > paid + Decimal("0.005"):
                        yield Finding(
                            path,
                            ("transactions", i, "due"),
                            f"tranches due by {t.due} add up to {fmt(owed, conv.base)}, but "
                            f"{fmt(paid, conv.base)} was disbursed by {ctx.as_of}",
                            "record the disbursement, or the new date agreed with the community",
                        )
                        break
            except MissingRate:
                continue


class ReportValidated(Rule[NoOptions]):
    code = "ME007"
    name = "report-validated"
    family = Family.MONITORING
    severity = Severity.WARNING
    summary = "A report records its validation by the community's body."
    rationale = "A report speaks for the community only once the community has validated it."
    failing = Example("The report is not validated.", edits={paths.REPORT: {"validated": DELETE}})
    passing = Example("Validated by the Assembleia Geral on 2025-07-08.")

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, report in _reports(ctx):
            if report.validated is None:
                yield Finding(
                    path,
                    ("submitted",),
                    f"report '{report.id}' is not validated by the community",
                    "add validated: {body: <the community's body>, on: YYYY-MM-DD}",
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
