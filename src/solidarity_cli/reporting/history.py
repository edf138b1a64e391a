"""The network's history, rebuilt from the repository's commits: one point per month end.

No database is kept: each point is the data of the last commit on or before a month's end,
read straight from git. Files unchanged between two months are parsed and validated once
(the revisions' cache is keyed by blob id), so a month costs about what changed in it.
The money figures are those the report shows (binding agreements' transactions in the base
currency), so a month's point equals the report of that month's last commit.
"""

from __future__ import annotations

import calendar
import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from solidarity_cli.dataset import Dataset
from solidarity_cli.errors import NoHistory
from solidarity_cli.gitrepo import resolve_commit
from solidarity_cli.models.agreement import TransactionType
from solidarity_cli.models.strategy import NeedStatus
from solidarity_cli.money import Converter, MissingRate
from solidarity_cli.reporting import charts
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.views import BINDING
from solidarity_cli.revisions import revisions
from solidarity_cli.words import N_


@dataclass(frozen=True)
class Point:
    """The network's figures at the end of one month."""

    month_end: dt.date
    commit: str
    committed: Decimal
    disbursed: Decimal
    spent: Decimal
    needs: int
    needs_met: int
    reports: int
    reports_on_time: int
    indicators: dict[str, Decimal] = field(default_factory=dict)
    """Each indicator's latest actual value, by ``<agreement>/<result>/<indicator>``."""


def month_ends(last: dt.date, months: int) -> list[dt.date]:
    """The last days of the ``months`` months ending with the month of ``last``, oldest first."""
    out = []
    year, month = last.year, last.month
    for _ in range(months):
        out.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def commits_by_date(root: Path, rev: str = "HEAD") -> list[tuple[dt.datetime, str]]:
    """The commits of ``rev``'s first-parent line with their commit dates, oldest first (none
    while nothing is saved in the repository's history)."""
    try:
        head = resolve_commit(root, rev)
    except NoHistory:
        return []
    git = shutil.which("git") or "git"
    done = subprocess.run(
        [git, "-C", str(root), "log", "--first-parent", "--format=%ct %H", head],
        capture_output=True,
        text=True,
        check=True,
    )
    out = []
    for line in done.stdout.splitlines():
        stamp, commit = line.split()
        out.append((dt.datetime.fromtimestamp(int(stamp), dt.UTC), commit))
    return sorted(out)


def _base(conv: Converter, amount: Decimal, currency: str, day: dt.date) -> Decimal:
    try:
        return amount / conv.units_per_base(currency, day)
    except MissingRate:
        return Decimal(0)


def figures(ds: Dataset, month_end: dt.date, commit: str = "") -> Point:
    """The figures of one state of the data, judged on ``month_end``."""
    conv = Converter(ds.settings)
    sums: dict[TransactionType, Decimal] = dict.fromkeys(TransactionType, Decimal(0))
    for agreement in ds.agreements.values():
        if agreement.status not in BINDING:
            continue
        for t in agreement.transactions:
            day = t.value.value_date or month_end
            sums[t.type] += _base(conv, t.value.amount, t.value.currency, day)
    needs = [n for s in ds.strategies.values() for n in s.needs]
    reports = on_time = 0
    latest: dict[str, tuple[dt.date, Decimal]] = {}
    for aid, agreement in ds.agreements.items():
        grace = agreement.reporting.grace_days if agreement.reporting is not None else 30
        for report in ds.reports_of(aid):
            reports += 1
            if report.submitted.on <= report.period.end + dt.timedelta(days=grace):
                on_time += 1
            for value in report.indicator_values:
                key = f"{aid}/{value.result}/{value.indicator}"
                if key not in latest or value.period.end >= latest[key][0]:
                    latest[key] = (value.period.end, value.value)
    return Point(
        month_end,
        commit,
        sums[TransactionType.COMMITMENT],
        sums[TransactionType.DISBURSEMENT],
        sums[TransactionType.EXPENDITURE],
        len(needs),
        sum(1 for n in needs if n.status is NeedStatus.MET),
        reports,
        on_time,
        {k: v for k, (_, v) in sorted(latest.items())},
    )


def history(
    root: Path,
    months: int,
    *,
    until: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    rev: str | None = None,
) -> list[Point]:
    """One point per month end over ``months`` months, from the commits of ``rev`` (``HEAD``).

    A month before the first commit has no point. ``until`` is the last day (default: the day
    of the last commit): its month's point is judged on that day, not on a month end still to
    come, so that nothing falls due in it before it has.
    """
    dated = commits_by_date(root, rev or "HEAD")
    if not dated:
        return []
    last = until or dated[-1][0].date()
    points: list[Point] = []
    with revisions(root) as opened:
        ends = [min(end, last) for end in month_ends(last, months)]
        for done, end in enumerate(ends, 1):
            limit = dt.datetime.combine(end, dt.time.max, tzinfo=dt.UTC)
            commit = next((c for when, c in reversed(dated) if when <= limit), None)
            if commit is None:
                continue
            dataset = opened.load(opened.open(commit)).dataset
            points.append(figures(dataset, end, commit))
            if progress is not None:
                progress(done, len(ends))
    return points


_SERIES = (
    (N_("Committed"), "committed"),
    (N_("Disbursed"), "disbursed"),
    (N_("Spent"), "spent"),
)


@dataclass(frozen=True)
class Table:
    """The history as rows of text in the reader's language, for Markdown and the site."""

    heads: list[str]
    rows: list[list[str]]
    indicator_heads: list[str]
    indicators: list[list[str]]


def table(points: list[Point], loc: Locale, base: str) -> Table:
    """One row per month end; one row per indicator with its value at each month end."""
    _ = loc.gettext
    heads = [
        _("Month end"),
        _("Committed"),
        _("Disbursed"),
        _("Spent"),
        _("Needs met"),
        _("Reports on time"),
    ]
    rows = [
        [
            loc.date(p.month_end),
            loc.money(p.committed, base),
            loc.money(p.disbursed, base),
            loc.money(p.spent, base),
            _("{met} of {total}").format(met=loc.number(p.needs_met), total=loc.number(p.needs)),
            _("{met} of {total}").format(
                met=loc.number(p.reports_on_time), total=loc.number(p.reports)
            ),
        ]
        for p in points
    ]
    keys = sorted({k for p in points for k in p.indicators})
    indicators = [
        [key, *(loc.number(p.indicators[key], 2) if key in p.indicators else "" for p in points)]
        for key in keys
    ]
    return Table(
        heads, rows, [_("Indicator"), *(loc.date(p.month_end) for p in points)], indicators
    )


def markdown(points: list[Point], loc: Locale, base: str) -> str:
    """The history as Markdown tables, one row per month end, then the indicators."""
    t = table(points, loc, base)
    lines = ["## " + loc.gettext("The network over time"), ""]
    lines.append("| " + " | ".join(t.heads) + " |")
    lines.append("|" + "---|" * len(t.heads))
    lines.extend("| " + " | ".join(row) + " |" for row in t.rows)
    if t.indicators:
        lines.extend(["", "### " + loc.gettext("Indicators' actual values"), ""])
        lines.append("| " + " | ".join(t.indicator_heads) + " |")
        lines.append("|" + "---|" * len(t.indicator_heads))
        lines.extend("| " + " | ".join([f"`{r[0]}`", *r[1:]]) + " |" for r in t.indicators)
    return "\n".join(lines) + "\n"


def chart(points: list[Point], loc: Locale, base: str) -> str:
    """Money committed, disbursed and spent over time, as an inline SVG line chart."""
    _ = loc.gettext
    return charts.lines(
        [loc.date(p.month_end) for p in points],
        [(_(label), [float(getattr(p, name)) for p in points]) for label, name in _SERIES],
        title=_("Money over time ({currency})").format(currency=base),
    )
