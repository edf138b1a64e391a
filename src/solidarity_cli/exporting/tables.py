"""Flat tables per record kind (needs, agreements, transactions, reports, indicators), for CSV
files with a Frictionless table schema beside them and for the workbook's sheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from solidarity_cli.exporting.public import Public
from solidarity_cli.models.agreement import (
    AgreementStatus,
    IndicatorPeriod,
    Measure,
    TransactionType,
)
from solidarity_cli.models.report import ReportKind
from solidarity_cli.models.strategy import NeedKind, NeedStatus

Cell = str | int | Decimal | dt.date | None


@dataclass(frozen=True)
class Column:
    """A column: its name, Frictionless type and what it holds."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    """One record kind as rows."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: list[list[Cell]]


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


NEEDS = (
    _c("community", "string", "Community id"),
    _c("strategy", "string", "Strategy id"),
    _c("need", "string", "Need id, unique in its strategy"),
    _c("title", "string", "Title in the network's language"),
    _c("dimension", "string", "Well-being dimension"),
    _c("kind", "string", "Kind of support asked"),
    _c("sectors", "string", "Sector codes (DAC 5-digit or SDG), separated by spaces"),
    _c("priority", "integer", "The community's priority, 1 first"),
    _c("status", "string", "open, met or withdrawn"),
    _c("estimated_cost", "number", "Estimated cost"),
    _c("cost_currency", "string", "ISO 4217 currency of the cost"),
    _c("own_contribution", "number", "What the community contributes itself"),
    _c("contribution_currency", "string", "ISO 4217 currency of the contribution"),
    _c("needed_by", "date", "When the need should be met"),
    _c("beneficiaries", "integer", "People who benefit"),
)
AGREEMENTS = (
    _c("agreement", "string", "Agreement id"),
    _c("title", "string", "Title in the network's language"),
    _c("community", "string", "Community id"),
    _c("strategy", "string", "Strategy id"),
    _c("needs", "string", "Needs covered (<strategy>/<need>), separated by spaces"),
    _c("donor", "string", "Donor id (a pseudonym for anonymous donors)"),
    _c("donor_name", "string", "Donor name, or Anonymous donor"),
    _c("status", "string", "Agreement status"),
    _c("planned_start", "date", "Planned start"),
    _c("planned_end", "date", "Planned end"),
    _c("signed", "date", "Day of signature"),
)
TRANSACTIONS = (
    _c("agreement", "string", "Agreement id"),
    _c("type", "string", "commitment, disbursement, expenditure, ..."),
    _c("date", "date", "Transaction date"),
    _c("amount", "number", "Amount"),
    _c("currency", "string", "ISO 4217 currency"),
    _c("value_date", "date", "Day the value is taken at"),
    _c("description", "string", "Description in the network's language"),
)
REPORTS = (
    _c("agreement", "string", "Agreement id"),
    _c("report", "string", "Report id"),
    _c("kind", "string", "progress, financial, final or co-evaluation"),
    _c("period_start", "date", "Start of the period reported on"),
    _c("period_end", "date", "End of the period reported on"),
    _c("submitted_on", "date", "Day the report was submitted"),
    _c("validated_on", "date", "Day the community validated it"),
    _c("narrative", "string", "Narrative in the network's language"),
)
INDICATORS = (
    _c("agreement", "string", "Agreement id"),
    _c("result", "string", "Result id"),
    _c("indicator", "string", "Indicator id"),
    _c("title", "string", "Indicator title in the network's language"),
    _c("measure", "string", "unit, percentage, nominal, ordinal or qualitative"),
    _c("baseline_year", "integer", "Year of the baseline"),
    _c("baseline", "number", "Baseline value"),
    _c("period_start", "date", "Start of the period"),
    _c("period_end", "date", "End of the period"),
    _c("target", "number", "Target for the period"),
    _c("actual", "number", "Actual value (from the agreement or its reports)"),
)


_CODE: dict[str, str] = {
    m: m.value
    for codes in (NeedKind, NeedStatus, AgreementStatus, TransactionType, ReportKind, Measure)
    for m in codes
}
"""The text of each code a table writes (a look-up, where ``.value`` is a Python call)."""


def tables(public: Public) -> list[Table]:
    """Every table, rows in id order (built once per export view)."""
    if "tables" not in public.cache:
        public.cache["tables"] = _tables(public)
    built: list[Table] = public.cache["tables"]
    return built


def _tables(public: Public) -> list[Table]:
    p, ds = public, public.ds
    needs: list[list[Cell]] = []
    for sid, strategy in sorted(ds.strategies.items()):
        for n in strategy.needs:
            cost, own = n.estimated_cost, n.own_contribution
            needs.append(
                [
                    ds.strategy_owner.get(sid, ""),
                    sid,
                    n.id,
                    p.first(n.title),
                    n.dimension,
                    _CODE[n.kind],
                    " ".join(s.code for s in n.sectors),
                    n.priority,
                    _CODE[n.status],
                    cost.amount if cost else None,
                    cost.currency if cost else None,
                    own.amount if own else None,
                    own.currency if own else None,
                    n.timeframe.end if n.timeframe else None,
                    n.beneficiaries.count if n.beneficiaries else None,
                ]
            )
    agreements: list[list[Cell]] = []
    transactions: list[list[Cell]] = []
    reports: list[list[Cell]] = []
    indicators: list[list[Cell]] = []
    for aid, a in sorted(ds.agreements.items()):
        agreements.append(
            [
                aid,
                p.first(a.title),
                a.community,
                a.strategy,
                " ".join(a.needs),
                p.donor_ref(a.donor),
                p.donor_name(a.donor),
                _CODE[a.status],
                a.dates.planned_start,
                a.dates.planned_end,
                a.dates.signed,
            ]
        )
        for t in a.transactions:
            transactions.append(
                [
                    aid,
                    _CODE[t.type],
                    t.date,
                    t.value.amount,
                    t.value.currency,
                    t.value.value_date,
                    p.first(t.description) or None,
                ]
            )
        measured: dict[tuple[str, str, dt.date, dt.date], Decimal] = {}
        for r in ds.reports_of(aid):
            reports.append(
                [
                    aid,
                    r.id,
                    _CODE[r.kind],
                    r.period.start,
                    r.period.end,
                    r.submitted.on,
                    r.validated.on if r.validated else None,
                    p.first(r.narrative) or None,
                ]
            )
            for v in r.indicator_values:
                measured[(v.result, v.indicator, v.period.start, v.period.end)] = v.value
        for result in a.results:
            for ind in result.indicators:
                base = ind.baseline
                periods: list[IndicatorPeriod | None] = [*ind.periods] or [None]
                for period in periods:
                    start = period.period.start if period else None
                    end = period.period.end if period else None
                    actual = period.actual if period else None
                    if actual is None and start is not None and end is not None:
                        actual = measured.get((result.id, ind.id, start, end))
                    indicators.append(
                        [
                            aid,
                            result.id,
                            ind.id,
                            p.first(ind.title),
                            _CODE[ind.measure],
                            base.year if base else None,
                            base.value if base else None,
                            start,
                            end,
                            period.target if period else None,
                            actual,
                        ]
                    )
    return [
        Table("needs", "Needs the communities wrote in their strategies", NEEDS, needs),
        Table("agreements", "Partnership agreements", AGREEMENTS, agreements),
        Table("transactions", "Money committed, disbursed and spent", TRANSACTIONS, transactions),
        Table("reports", "Monitoring reports", REPORTS, reports),
        Table(
            "indicators", "Indicators with baselines, targets and actuals", INDICATORS, indicators
        ),
    ]


def text_of(cell: Cell) -> str:
    """A cell as CSV writes it: ISO dates, plain decimals, empty for nothing."""
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f") if cell == cell.to_integral_value() else str(cell)
    return str(cell)


def table_csv(table: Table) -> bytes:
    """One table as UTF-8 CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    # The csv module already writes None as nothing and texts, whole numbers and dates (ISO)
    # as ``text_of`` does: only decimals, in the number columns, need ``text_of``'s spelling.
    numbers = [i for i, c in enumerate(table.columns) if c.type == "number"]
    if not numbers:
        writer.writerows(table.rows)
    else:
        rows = []
        for row in table.rows:
            spelled = row.copy()
            for i in numbers:
                spelled[i] = text_of(row[i])
            rows.append(spelled)
        writer.writerows(rows)
    return out.getvalue().encode()


def datapackage(all_tables: list[Table]) -> dict[str, Any]:
    """A Frictionless data package describing the CSV files."""
    return {
        "profile": "tabular-data-package",
        "name": "solidarity-network",
        "resources": [
            {
                "name": t.name,
                "path": f"{t.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": t.description,
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description}
                        for c in t.columns
                    ],
                    "missingValues": [""],
                },
            }
            for t in all_tables
        ],
    }


def csv_files(public: Public) -> dict[str, bytes]:
    """One CSV per record kind and ``datapackage.json`` describing them."""
    all_tables = tables(public)
    files = {f"{t.name}.csv": table_csv(t) for t in all_tables}
    text = json.dumps(datapackage(all_tables), ensure_ascii=False, indent=2) + "\n"
    files["datapackage.json"] = text.encode()
    return files
