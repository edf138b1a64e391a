"""Where a new monitoring report starts: the period after the last one and the last values."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.models.agreement import Cadence


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_period(
    dataset: Dataset, agreement_id: str, start: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The period a new report of the agreement covers: from the day after the last report
    (else the agreement's start) for one reporting cadence (quarterly when none is set)."""
    agreement = dataset.agreements[agreement_id]
    cadence = agreement.reporting.cadence if agreement.reporting else Cadence.QUARTERLY
    if start is None:
        reports = dataset.reports_of(agreement_id)
        if reports:
            start = max(r.period.end for r in reports) + dt.timedelta(days=1)
        else:
            dates = agreement.dates
            start = dates.actual_start or dates.planned_start or dates.signed or dt.date.today()
    return start, _add_months(start, cadence.months) - dt.timedelta(days=1)


def indicator_values(
    dataset: Dataset, agreement_id: str, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """One value per indicator of the agreement, starting from its last reported value (else
    its baseline, else 0), for the contributor to update."""
    last: dict[tuple[str, str], tuple[dt.date, Decimal]] = {}
    for report in dataset.reports_of(agreement_id):
        for reported in report.indicator_values:
            key = (reported.result, reported.indicator)
            if key not in last or reported.period.end >= last[key][0]:
                last[key] = (reported.period.end, reported.value)
    out = []
    for result in dataset.agreements[agreement_id].results:
        for indicator in result.indicators:
            known = last.get((result.id, indicator.id))
            if known is not None:
                value = known[1]
            elif indicator.baseline is not None and indicator.baseline.value is not None:
                value = indicator.baseline.value
            else:
                value = Decimal(0)
            out.append(
                {
                    "result": result.id,
                    "indicator": indicator.id,
                    "period": {"start": start, "end": end},
                    "value": value,
                }
            )
    return out
