"""The tables of ``solidarity export --format csv|xlsx``, read back into changes to the records.

Rows are found by the columns that name them (the row keys): a need by ``strategy`` and
``need``, an indicator by ``agreement``, ``result``, ``indicator`` and its period. Only what a
person is expected to edit in a spreadsheet is taken back: costs, contributions, priority,
status, the day a need is needed by and its beneficiaries; indicators' baselines, targets and
actuals. An empty cell leaves the value as it is (fields withheld from the export, such as
private ones, come back empty and are never erased). A needs row with a need id its strategy
does not have adds that need; a reports row with a report id its agreement does not have adds
that report, as a new file (the export withholds who submitted a report, so the row says it in
a column of its own, ``submitted_by``). The other sheets are read-only copies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, KeyPath
from solidarity_cli.exporting.tables import AGREEMENTS, INDICATORS, NEEDS, REPORTS, TRANSACTIONS
from solidarity_cli.formatting.canonical import dump_record
from solidarity_cli.importing.cells import (
    CellAt,
    Raw,
    read_currency,
    read_date,
    read_integer,
    read_number,
    read_text,
)
from solidarity_cli.importing.edits import Edit, Inline, Value, plain
from solidarity_cli.importing.findings import error, place, warning
from solidarity_cli.importing.sheets import Sheet
from solidarity_cli.models.base import SLUG_PATTERN, Money
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.words import M_, Words

T = TypeVar("T")

COLUMNS: dict[str, tuple[str, ...]] = {
    "needs": tuple(c.name for c in NEEDS),
    "indicators": tuple(c.name for c in INDICATORS),
    "agreements": tuple(c.name for c in AGREEMENTS),
    "transactions": tuple(c.name for c in TRANSACTIONS),
    "reports": (*(c.name for c in REPORTS), "submitted_by"),
}
"""The columns of each table; ``submitted_by`` is read, never exported (it is withheld)."""
KEYS: dict[str, tuple[str, ...]] = {
    "needs": ("strategy", "need"),
    "indicators": ("agreement", "result", "indicator", "period_start", "period_end"),
    "reports": ("agreement", "report"),
}
"""The tables taken back, and the columns that find a row's record."""
ABOUT = ("sheet", "column", "type", "description")
"""The workbook's sheet that describes the columns (read-only)."""


@dataclass
class Row:
    """One row of a sheet, with the changes and findings it gives."""

    sheet: Sheet
    line: int
    values: list[Raw]
    edits: list[Edit]
    out: list[Diagnostic]
    files: dict[str, str] = field(default_factory=dict)
    """New record files the rows add, by path: their canonical text."""

    def at(self, column: str) -> CellAt:
        """The cell of ``column``."""
        return self.sheet.cell(self.line, self.values, column)

    def has(self, column: str) -> bool:
        """Whether the sheet has the column."""
        return column in self.sheet.columns

    def scalar(
        self,
        column: str,
        reader: Callable[[CellAt, list[Diagnostic], Collection[object]], T | None],
        current: Any,
        rel: str,
        path: KeyPath,
    ) -> None:
        """Take a value back when the cell holds one that differs from the record's."""
        if not self.has(column):
            return
        known = () if current is None else (getattr(current, "value", current),)
        value = reader(self.at(column), self.out, known)
        if value is None or _same(value, current):
            return
        self.edits.append(Edit(rel, path, _value(value)))

    def money(
        self, column: str, currency_column: str, current: Money | None, rel: str, path: KeyPath
    ) -> None:
        """An amount and its currency; a new amount must say its currency."""
        if not self.has(column):
            return
        amount = read_number(
            self.at(column), self.out, () if current is None else (current.amount,)
        )
        currency = (
            read_currency(self.at(currency_column), self.out) if self.has(currency_column) else None
        )
        if amount is None:
            return
        if current is None:
            if currency is None:
                self.out.append(
                    self.at(column).bad(
                        "IM007",
                        M_("the amount {amount} has no currency", amount=amount),
                        M_(
                            "write its currency (such as EUR or CVE) in the column {column}",
                            column=currency_column,
                        ),
                    )
                )
                return
            self.edits.append(Edit(rel, path, {"amount": amount, "currency": currency}))
            return
        if amount != current.amount:
            self.edits.append(Edit(rel, (*path, "amount"), amount))
        if currency is not None and currency != current.currency:
            self.edits.append(Edit(rel, (*path, "currency"), currency))


def _same(value: Any, current: Any) -> bool:
    if current is None:
        return False
    if isinstance(value, Decimal) and not isinstance(current, bool | str | dt.date):
        return bool(value == Decimal(str(current)))
    if hasattr(current, "value") and not isinstance(current, Decimal):
        current = current.value
    return bool(value == current)


def _value(value: Any) -> Value:
    return value if isinstance(value, str | int | Decimal | dt.date) else str(value)


def sheet_table(sheet: Sheet) -> str | None:
    """Which export table a sheet with a good header copies (None for the columns sheet)."""
    if tuple(sheet.columns) == ABOUT:
        return None
    present = {n for n in sheet.columns if n}
    return max(COLUMNS, key=lambda t: (len(present & set(COLUMNS[t])), t == sheet.name))


def table_of(sheet: Sheet) -> tuple[str | None, list[Diagnostic]]:
    """Which table a sheet holds (None for read-only ones), or findings about its header."""
    best = sheet_table(sheet)
    if best is None:
        return None, []
    names, expected = sheet.columns, COLUMNS[best]
    present = {n for n in names if n}
    findings: list[Diagnostic] = []
    hint = M_(
        "the first row must name the columns as solidarity export writes them: {columns}",
        columns=", ".join(expected),
    )
    seen: set[str] = set()
    for index, name in enumerate(names, 1):
        if not name:
            problem = M_("the column has no name")
        elif name in seen:
            problem = M_("the column {column} is there twice", column=name)
        elif name not in expected:
            problem = M_("the column {column} is not one this tool knows", column=name)
        else:
            seen.add(name)
            continue
        findings.append(
            error("IM003", sheet.file, 1, index, place(sheet.sheet, name), problem, hint)
        )
    for key in KEYS.get(best, ()):
        if key not in present:
            findings.append(
                error(
                    "IM003",
                    sheet.file,
                    1,
                    0,
                    place(sheet.sheet, key),
                    M_("the column {column} is missing", column=key),
                    hint,
                )
            )
    if findings:
        return None, findings
    return (best if best in KEYS else None), []


def sheet_edits(
    sheet: Sheet, table: str, ds: Dataset, files: dict[str, str] | None = None
) -> tuple[list[Edit], list[Diagnostic]]:
    """The changes the rows of a table make to the records, and findings about the rows; new
    record files go into ``files`` (path: text)."""
    edits: list[Edit] = []
    out: list[Diagnostic] = []
    new = files if files is not None else {}
    take = {"needs": _need, "indicators": _indicator, "reports": _report}[table]
    for line, values in sheet.rows:
        take(Row(sheet, line, values, edits, out, new), ds)
    return edits, out


def _missing(row: Row, column: str, what: Any) -> None:
    row.out.append(
        row.at(column).bad(
            "IM004",
            M_("the repository has no {what}", what=what),
            M_(
                "keep the columns that name the record as solidarity export wrote them; "
                "new records are added in their YAML files, not from a spreadsheet"
            ),
        )
    )


def _need(row: Row, ds: Dataset) -> None:
    sid = read_text(row.at("strategy")) or ""
    nid = read_text(row.at("need")) or ""
    strategy = ds.strategies.get(sid)
    if strategy is None:
        _missing(row, "strategy", M_("strategy {strategy}", strategy=sid))
        return
    found = [i for i, n in enumerate(strategy.needs) if n.id == nid]
    if not found:
        if nid:
            _new_need(row, ds, sid, nid)
        else:
            _missing(row, "need", M_("need {need} in strategy {strategy}", need=nid, strategy=sid))
        return
    index = found[0]
    need, rel = strategy.needs[index], ds.paths[(RecordKind.STRATEGY, sid)]
    base: KeyPath = ("needs", index)
    row.money(
        "estimated_cost", "cost_currency", need.estimated_cost, rel, (*base, "estimated_cost")
    )
    row.money(
        "own_contribution",
        "contribution_currency",
        need.own_contribution,
        rel,
        (*base, "own_contribution"),
    )
    row.scalar("priority", read_integer, need.priority, rel, (*base, "priority"))
    row.scalar("status", _reader_text, need.status, rel, (*base, "status"))
    end = need.timeframe.end if need.timeframe else None
    row.scalar("needed_by", read_date, end, rel, (*base, "timeframe", "end"))
    count = need.beneficiaries.count if need.beneficiaries else None
    row.scalar("beneficiaries", read_integer, count, rel, (*base, "beneficiaries", "count"))


#: What a new need's row must say (the schema's required fields), by column.
NEW_NEED_NEEDS = ("title", "dimension", "kind", "priority")


def _missing_columns(
    row: Row, needed: Sequence[str], said: Callable[[str], Words], hint: Words
) -> bool:
    """IM012 on ``row`` for each column a new record needs and the row leaves empty."""
    missing = [c for c in needed if not row.has(c) or row.at(c).empty]
    for column in missing:
        at = row.at(column) if row.has(column) else None
        row.out.append(
            error(
                "IM012",
                row.sheet.file,
                row.line,
                at.column if at is not None else 0,
                place(row.sheet.sheet, column),
                said(column),
                hint,
            )
        )
    return bool(missing)


def _new_need(row: Row, ds: Dataset, sid: str, nid: str) -> None:
    """A row naming a need its strategy does not have yet: the need is added at the end of the
    strategy's needs, written in the file's canonical form (a second import finds it)."""
    rel = ds.paths[(RecordKind.STRATEGY, sid)]
    before = len(row.out)
    if _missing_columns(
        row,
        NEW_NEED_NEEDS,
        lambda column: M_("the new need {need} has no {column}", need=nid, column=column),
        M_("fill in {columns} for a new need", columns=", ".join(NEW_NEED_NEEDS)),
    ):
        return
    settings = ds.settings
    language = settings.default_language if settings is not None else "en"
    record: dict[str, Any] = {
        "id": nid,
        "title": {language: read_text(row.at("title")) or ""},
        "dimension": read_text(row.at("dimension")),
        "kind": read_text(row.at("kind")),
        "priority": read_integer(row.at("priority"), row.out),
    }
    sectors = read_text(row.at("sectors")) if row.has("sectors") else None
    if sectors:
        record["sectors"] = [
            Inline(vocabulary=_sector_vocabulary(code), code=code) for code in sectors.split()
        ]
    for column, currency, key in (
        ("estimated_cost", "cost_currency", "estimated_cost"),
        ("own_contribution", "contribution_currency", "own_contribution"),
    ):
        pending: list[Edit] = []
        Row(row.sheet, row.line, row.values, pending, row.out).money(
            column, currency, None, rel, (key,)
        )
        if pending and isinstance(money := pending[0].value, dict):
            record[key] = Inline(money)
    if row.has("needed_by") and (end := read_date(row.at("needed_by"), row.out)) is not None:
        record["timeframe"] = {"end": end}
    if row.has("beneficiaries"):
        count = read_integer(row.at("beneficiaries"), row.out)
        if count is not None:
            record["beneficiaries"] = {"count": count}
    status = read_text(row.at("status")) if row.has("status") else None
    if status:
        record["status"] = status
    if any(d.severity.value == "error" for d in row.out[before:]):
        return
    # After the strategy's needs and the ones this import already adds to it.
    added = sum(1 for e in row.edits if e.rel == rel and len(e.path) == 2 and e.path[0] == "needs")
    row.edits.append(Edit(rel, ("needs", len(ds.strategies[sid].needs) + added), record))


def _sector_vocabulary(code: str) -> str:
    """The vocabulary of a sector code as the export writes it: DAC 5-digit, SDG target or
    goal."""
    if len(code) == 5 and code.isdigit():
        return "dac-5"
    return "sdg-target" if "." in code else "sdg-goal"


def _reader_text(at: CellAt, out: list[Diagnostic], known: Collection[object] = ()) -> str | None:
    return read_text(at)


def _indicator(row: Row, ds: Dataset) -> None:
    aid = read_text(row.at("agreement")) or ""
    rid = read_text(row.at("result")) or ""
    iid = read_text(row.at("indicator")) or ""
    agreement = ds.agreements.get(aid)
    if agreement is None:
        _missing(row, "agreement", M_("agreement {agreement}", agreement=aid))
        return
    place_of = [
        (r, i)
        for r, result in enumerate(agreement.results)
        if result.id == rid
        for i, ind in enumerate(result.indicators)
        if ind.id == iid
    ]
    if not place_of:
        _missing(
            row,
            "indicator",
            M_(
                "indicator {indicator} of result {result} in agreement {agreement}",
                indicator=iid,
                result=rid,
                agreement=aid,
            ),
        )
        return
    r, i = place_of[0]
    indicator = agreement.results[r].indicators[i]
    rel = ds.paths[(RecordKind.AGREEMENT, aid)]
    base: KeyPath = ("results", r, "indicators", i)
    _baseline(row, indicator.baseline, rel, (*base, "baseline"))
    errors = len(row.out)
    start = read_date(row.at("period_start"), row.out, {p.period.start for p in indicator.periods})
    end = read_date(row.at("period_end"), row.out, {p.period.end for p in indicator.periods})
    if len(row.out) > errors:
        return
    if start is None and end is None and not indicator.periods:
        return
    periods = [
        k for k, p in enumerate(indicator.periods) if (p.period.start, p.period.end) == (start, end)
    ]
    if not periods:
        _missing(
            row,
            "period_start",
            M_(
                "period from {start} to {end} for indicator {indicator}",
                start=start,
                end=end,
                indicator=iid,
            ),
        )
        return
    k = periods[0]
    period = indicator.periods[k]
    where: KeyPath = (*base, "periods", k)
    row.scalar("target", read_number, period.target, rel, (*where, "target"))
    if period.actual is not None or not row.has("actual"):
        row.scalar("actual", read_number, period.actual, rel, (*where, "actual"))
        return
    # The export shows an actual measured in a report when the agreement has none: it goes
    # back to that report (the last one to measure it, as the export shows).
    measured: tuple[str, int, Decimal] | None = None
    for report in ds.reports_of(aid):
        for v, value in enumerate(report.indicator_values):
            if (value.result, value.indicator, value.period.start, value.period.end) == (
                rid,
                iid,
                start,
                end,
            ):
                measured = (report.id, v, value.value)
    if measured is None:
        row.scalar("actual", read_number, None, rel, (*where, "actual"))
        return
    report_rel = ds.paths[(RecordKind.REPORT, f"{aid}/{measured[0]}")]
    path: KeyPath = ("indicator_values", measured[1], "value")
    row.scalar("actual", read_number, measured[2], report_rel, path)


def _baseline(row: Row, baseline: Any, rel: str, path: KeyPath) -> None:
    if baseline is not None:
        row.scalar("baseline_year", read_integer, baseline.year, rel, (*path, "year"))
        row.scalar("baseline", read_number, baseline.value, rel, (*path, "value"))
        return
    if not row.has("baseline"):
        return
    value = read_number(row.at("baseline"), row.out)
    year = read_integer(row.at("baseline_year"), row.out) if row.has("baseline_year") else None
    if value is None:
        return
    if year is None:
        row.out.append(
            row.at("baseline").bad(
                "IM005",
                M_("the baseline {value} has no year", value=value),
                M_("write the year of the baseline in the column baseline_year"),
            )
        )
        return
    row.edits.append(Edit(rel, path, {"year": year, "value": value}))


#: What a new report's row must say (the schema's required fields), by column.
NEW_REPORT_NEEDS = ("kind", "period_start", "period_end", "submitted_on", "submitted_by")


def _report(row: Row, ds: Dataset) -> None:
    """A reports row: a copy when the agreement has the report (the copy's differences are
    said by ``untaken``); a report the agreement does not have yet is added as a new file."""
    aid = read_text(row.at("agreement")) or ""
    rid = read_text(row.at("report")) or ""
    if aid not in ds.agreements:
        _missing(row, "agreement", M_("agreement {agreement}", agreement=aid))
        return
    if not rid or any(r.id == rid for r in ds.reports_of(aid)):
        return
    if re.fullmatch(SLUG_PATTERN, rid) is None or len(rid) > 80:
        # The id names the new file: only an id the schema accepts can.
        row.out.append(
            row.at("report").bad(
                "IM005",
                M_("{report} cannot be a report id", report=rid),
                M_("write an id of lowercase letters, digits and hyphens, such as 2026-s1"),
            )
        )
        return
    rel = f"data/partnerships/{aid}/reports/{rid}.yaml"
    if rel in row.files:
        row.out.append(
            row.at("report").bad(
                "IM012",
                M_("the new report {report} is in the sheet twice", report=rid),
                M_("keep one row per report"),
            )
        )
        return
    before = len(row.out)
    if _missing_columns(
        row,
        NEW_REPORT_NEEDS,
        lambda column: M_("the new report {report} has no {column}", report=rid, column=column),
        M_(
            "fill in {columns} for a new report (add the column submitted_by: "
            "the export leaves out who submitted a report)",
            columns=", ".join(NEW_REPORT_NEEDS),
        ),
    ):
        return
    settings = ds.settings
    language = settings.default_language if settings is not None else "en"
    start = read_date(row.at("period_start"), row.out)
    end = read_date(row.at("period_end"), row.out)
    record: dict[str, Any] = {
        "id": rid,
        "partnership": aid,
        "kind": read_text(row.at("kind")),
        "period": Inline(start=start, end=end),
        "submitted": {
            "by": read_text(row.at("submitted_by")),
            "on": read_date(row.at("submitted_on"), row.out),
        },
    }
    narrative = read_text(row.at("narrative")) if row.has("narrative") else None
    if narrative:
        record["narrative"] = {language: narrative}
    if row.has("validated_on") and not row.at("validated_on").empty:
        row.out.append(
            warning(
                "IM010",
                row.sheet.file,
                row.line,
                row.at("validated_on").column,
                place(row.sheet.sheet, "validated_on"),
                M_("the validation of a new report is not taken from a spreadsheet"),
                M_(
                    "add validated: with the body that validated it and the day to {file}",
                    file=rel,
                ),
            )
        )
    if any(d.severity.value == "error" for d in row.out[before:]):
        return
    row.files[rel] = dump_record(plain(record), RecordKind.REPORT)
