"""``solidarity match``: propose support for open needs, and explain why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from solidarity_cli.checking import check_repository
from solidarity_cli.cli.common import (
    SENTENCES,
    AsOfOption,
    RepoOption,
    RevOption,
    as_date,
    command,
    print_note,
    print_table,
    repo_root,
    stderr_console,
    stdout_console,
    stdout_write,
    stdout_write_pieces,
)
from solidarity_cli.cli.i18n import _, cli_language, days, ngettext, number, percent, status, text
from solidarity_cli.cli.rules import DocFormat
from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Severity
from solidarity_cli.errors import UsageError
from solidarity_cli.matching.problem import waits_for_reports
from solidarity_cli.matching.result import MatchResult
from solidarity_cli.matching.writer import write_drafts
from solidarity_cli.output import dumps, dumps_in_pieces
from solidarity_cli.reading import load_repository
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reading.loader import collector_paused
from solidarity_cli.revisions import Revision, Revisions, revisions
from solidarity_cli.withholding import make_public
from solidarity_cli.words import M_, did_you_mean, say

if TYPE_CHECKING:
    from solidarity_cli.matching.engine import Outcome


def _filter(
    result: MatchResult, community: str | None, donor: str | None, need: str | None
) -> None:
    def keep(c: str, n: str, d: str | None) -> bool:
        return (
            (community is None or c == community)
            and (need is None or n == need)
            and (donor is None or d is None or d == donor)
        )

    result.proposals = [p for p in result.proposals if keep(p.community, p.need, p.donor)]
    result.unmet = [u for u in result.unmet if keep(u.community, u.need, None)]
    if donor is not None:
        result.donors = [d for d in result.donors if d.donor == donor]


def _check_filters(ds: Dataset, community: str | None, donor: str | None, need: str | None) -> None:
    """An unknown community, donor or need is a mistake to say, not an empty table."""
    for kind, given in ((RecordKind.COMMUNITY, community), (RecordKind.DONOR, donor)):
        if given is not None and (kind, given) in ds.broken:
            raise UsageError(
                M_("the file of '{name}' cannot be read", name=given),
                hint=M_("run solidarity check, fix what it says, then match again"),
            )
    if community is not None and community not in ds.communities:
        raise UsageError(
            M_("there is no community '{community}'", community=community),
            hint=did_you_mean(
                community,
                ds.communities,
                M_("give a community's id, the name of its folder under data/communities"),
            ),
        )
    if donor is not None and donor not in ds.donors:
        raise UsageError(
            M_("there is no donor '{donor}'", donor=donor),
            hint=did_you_mean(
                donor, ds.donors, M_("give a donor's id, the name of its file under data/donors")
            ),
        )
    if need is not None and ds.need(need) is None:
        raise UsageError(
            M_("there is no need '{need}'", need=need),
            hint=did_you_mean(need, _need_refs(ds), M_("write it as <strategy-id>/<need-id>")),
        )


def _need_refs(ds: Dataset) -> list[str]:
    return [f"{sid}/{n.id}" for sid, strategy in ds.strategies.items() for n in strategy.needs]


def _need_cell(ds: Dataset, ref: str) -> str:
    """A need's title in the user's language above its full reference."""
    found = ds.need(ref)
    title = text(found.title) if found is not None else ""
    return f"{escape(title)}\n[dim]{escape(ref)}[/]" if title else escape(ref)


@command
# The output is as many objects again as the proposals; nothing made here lives past the
# command, and the collector would scan everything that does on the way (a few seconds on a
# large network): see ``collector_paused``.
@collector_paused(freeze=False)
def match(
    repo: RepoOption = None,
    as_of: AsOfOption = None,
    community: Annotated[str | None, typer.Option(help="Only show this community.")] = None,
    donor: Annotated[str | None, typer.Option(help="Only show this donor.")] = None,
    need: Annotated[
        str | None, typer.Option(help="Only show this need (<strategy-id>/<need-id>).")
    ] = None,
    output: Annotated[
        DocFormat, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = DocFormat.TEXT,
    candidates: Annotated[
        bool,
        typer.Option(
            "--candidates",
            help="Add the whole problem solved to the JSON, for re-solving elsewhere.",
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="REF",
            help="For one need: every donor considered, why kept or excluded, and the score.",
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Write each proposal as a draft agreement (status proposed) for a pull request.",
        ),
    ] = False,
    rev: RevOption = None,
) -> None:
    """Propose donors for the communities' open needs, respecting every limit.

    The allocation maximises the total weighted support: the community's own priority first,
    then urgency, how specifically the donor's preferences fit, and solidarity with the
    communities that received least. The whole network is always solved; the filters only
    choose what is shown.

    [bold]Examples[/]

      solidarity match

      solidarity match --community praia-branca --format json

      solidarity match --explain praia-branca-2025-2028/dessalinizacao-solar

      solidarity match --write && solidarity check

      solidarity match --rev main --format json
    """
    root = repo_root(repo)
    day = as_date(as_of)
    console = stderr_console()
    if write and rev is not None:
        raise UsageError(
            M_("--write does not go with --rev: drafts are written to the files as they are now"),
            hint=M_("leave out --rev to write drafts, or --write to see what --rev proposes"),
        )
    with console.status(_("Reading the data"), spinner="dots") as progress:

        def reading(done: int, total: int) -> None:
            said = _("Reading the data: {done} of {total} files")
            progress.update(said.format(done=number(done), total=number(total)))

        if write:
            report = check_repository(root, as_of=day, progress=reading)
            if report.errors:
                raise UsageError(
                    ngettext(
                        "the data has {n} error; drafts are only written on clean data",
                        "the data has {n} errors; drafts are only written on clean data",
                        report.errors,
                    ).format(n=number(report.errors)),
                    hint=M_("run solidarity check and fix the errors first"),
                )
            dataset = report.dataset
        else:
            # numpy: only when matching
            from solidarity_cli.matching.engine import MATCH_FIELDS, MATCH_KINDS

            # Screening notes the few files whose text may hold personal data, so that
            # withholding below reads those alone instead of every record.
            with revisions(root) as opened:
                revision = opened.open(rev) if rev is not None else None
                if revision is None:
                    loaded = load_repository(
                        root,
                        reading,
                        kinds=MATCH_KINDS,
                        screen=True,
                        fields=MATCH_FIELDS,
                        split=True,
                    )
                else:
                    loaded = opened.load(
                        revision, reading, kinds=MATCH_KINDS, screen=True, fields=MATCH_FIELDS
                    )
                if waits_for_reports(loaded.dataset):
                    _add_reports(root, loaded.dataset, opened, revision)
            errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
            if errors:
                note = ngettext(
                    "{n} file could not be read and is left out; run solidarity check",
                    "{n} files could not be read and are left out; run solidarity check",
                    len(errors),
                ).format(n=number(len(errors)))
                print_note(console, note)
            dataset = loaded.dataset
        # Whatever is printed or drafted comes from the public copy: personal data is withheld.
        dataset = make_public(dataset, cli_language()).dataset
        if explain is not None:
            progress.update(_("Matching needs and donors"))
            _print_explanation(dataset, day, explain, output)
            return
        _check_filters(dataset, community, donor, need)
        progress.update(_("Matching needs and donors"))
        from solidarity_cli.matching.engine import match as run_match

        result = run_match(dataset, day, candidates=candidates)
    _filter(result, community, donor, need)
    if write:
        written = write_drafts(root, dataset, result.proposals, day)
        for w in written:
            if w.written:
                console.print(_("wrote {path}").format(path=w.path))
            else:
                skipped = _("skipped {path}").format(path=w.path)
                console.print(f"[yellow]{skipped}[/]: {escape(say(w.reason, _))}", markup=True)
        count = sum(w.written for w in written)
        console.print(
            ngettext(
                "{n} draft agreement written with status proposed.",
                "{n} draft agreements written with status proposed.",
                count,
            ).format(n=count)
            + " "
            + _(
                "Next: run solidarity check, then propose the drafts for review (on the "
                "repository's GitHub page: Add file, Upload files, Propose changes), so that "
                "each community decides on them."
            )
        )
    if output is DocFormat.JSON:
        stdout_write_pieces(dumps_in_pieces(result.to_dict()))
    elif not write:
        _print_result(dataset, result)


def _add_reports(
    root: Path, dataset: Dataset, opened: Revisions, revision: Revision | None
) -> None:
    """Read the monitoring reports too (of the same revision): a tranche waits for one of them."""
    kinds = {RecordKind.REPORT}
    if revision is None:
        reports = load_repository(root, kinds=kinds, screen=True).dataset
    else:
        reports = opened.load(revision, kinds=kinds, screen=True).dataset
    dataset.reports = reports.reports
    dataset.paths.update(reports.paths)
    if dataset.personal is not None and reports.personal is not None:
        dataset.personal |= reports.personal


def _decimals(amount: Decimal) -> int:
    """Whole amounts are written without decimals."""
    return 0 if amount == amount.to_integral_value() else 2


def _print_result(ds: Dataset, result: MatchResult) -> None:
    console = stdout_console()
    table = Table(title=_("Proposals on {day}").format(day=result.as_of))
    table.add_column(_("community"))
    table.add_column(_("need"), overflow="fold")
    table.add_column(_("donor"), overflow="fold")
    table.add_column(_("amount"), justify="right", no_wrap=True)
    table.add_column(_("score"), justify="right")
    for p in result.proposals:
        amount = (
            f"{number(p.amount, _decimals(p.amount))} {p.currency}"
            if p.amount is not None
            else days(p.days or 0)
        )
        table.add_row(p.community, _need_cell(ds, p.need), p.donor, amount, f"{p.score.total:.3f}")
    print_table(console, table)
    if result.unmet:
        unmet = Table(title=_("Needs left without (enough) support"))
        unmet.add_column(_("community"))
        unmet.add_column(_("need"), overflow="fold")
        unmet.add_column(_("still needed"))
        unmet.add_column(_("why"), max_width=SENTENCES, overflow="fold")
        for u in result.unmet:
            value = (
                _amount(Decimal(u.remaining), u.unit)
                if u.unit != "days"
                else days(int(u.remaining))
            )
            unmet.add_row(
                u.community,
                _need_cell(ds, u.need),
                value,
                escape(f"{say(u.reason, _)}: {say(u.detail, _)}"),
            )
        print_table(console, unmet)
    left = [
        d for d in result.donors if d.money_left > 0 or any(v > 0 for v in d.days_left.values())
    ]
    if left:
        donors = Table(title=_("Donors with capacity left"))
        money_left = _("money left ({currency})").format(currency=result.base_currency)
        for column in (_("donor"), money_left, _("days left")):
            donors.add_column(column)
        for d in left:
            left_days = ", ".join(f"{k} {v}" for k, v in d.days_left.items() if v > 0) or "-"
            donors.add_row(d.donor, number(d.money_left, 2), left_days)
        print_table(console, donors)
    objective = result.objective
    console.print(
        _(
            "{proposals} for {needs}; objective {objective}, the proposals' scores times "
            "their amounts in {currency} plus the scores of the needs met whole "
            "(money {money}, gap {money_gap}; whole needs {whole}, gap {gap})."
        ).format(
            currency=result.base_currency,
            proposals=ngettext("{n} proposal", "{n} proposals", len(result.proposals)).format(
                n=number(len(result.proposals))
            ),
            needs=ngettext("{n} open need", "{n} open needs", result.open_needs).format(
                n=number(result.open_needs)
            ),
            objective=number(objective["total"], 4),
            money=status(objective["money"]["status"]),
            money_gap=percent(objective["money"]["gap"]),
            whole=status(objective["whole"]["status"]),
            gap=percent(objective["whole"]["gap"]),
        )
    )


def _print_explanation(dataset: Dataset, day: dt.date, ref: str, output: DocFormat) -> None:
    from solidarity_cli.matching.engine import explain as explain_need

    found = explain_need(dataset, day, ref)
    if found.need is None:
        if found.closed_reason is None:
            _check_filters(dataset, None, None, ref)
        if output is DocFormat.JSON:
            stdout_write(
                dumps({"version": 1, "need": ref, "open": False, "reason": found.closed_reason})
            )
        else:
            closed = M_(
                "{need} is not open on {day}: {reason}.",
                need=ref,
                day=day,
                reason=found.closed_reason or "",
            )
            stdout_console().print(escape(say(closed, _)))
        return
    if output is DocFormat.JSON:
        stdout_write(
            dumps(
                {
                    "version": 1,
                    "need": ref,
                    "open": True,
                    "rank": found.rank,
                    "of": found.of,
                    "donors": [
                        {
                            "donor": did,
                            "eligible": v.eligible,
                            "exclusion": v.exclusion.value if v.exclusion else None,
                            "reasons": list(v.reasons),
                            "score": s.as_dict() if s else None,
                        }
                        for did, v, s in found.rows
                    ],
                    "outcome": _outcome_json(found.outcome),
                }
            )
        )
        return
    console = stdout_console()
    console.print(
        f"[bold]{escape(ref)}[/]: "
        + escape(
            ngettext(
                "rank {rank} of {n} open need of its strategy",
                "rank {rank} of {n} open needs of its strategy",
                found.of,
            ).format(rank=found.rank, n=found.of)
        ),
        markup=True,
    )
    table = Table()
    for column in (_("donor"), _("kept?")):
        table.add_column(column)
    table.add_column(_("why"), max_width=SENTENCES, overflow="fold")
    table.add_column(_("score"))
    for did, verdict, score in found.rows:
        breakdown = (
            _(
                "{total} = priority {priority}, urgency {urgency}, fit {fit}, "
                "solidarity {solidarity}"
            ).format(
                total=number(score.total, 3),
                priority=number(score.priority, 2),
                urgency=number(score.urgency, 2),
                fit=number(score.fit, 2),
                solidarity=number(score.solidarity, 2),
            )
            if score
            else "-"
        )
        table.add_row(
            did,
            _("kept") if verdict.eligible else _("excluded"),
            escape("; ".join(say(reason, _) for reason in verdict.reasons)),
            breakdown,
        )
    print_table(console, table)
    if found.outcome is not None:
        for line in _outcome_lines(found.outcome):
            console.print(line, markup=False)


def _amount(amount: Decimal, currency: str) -> str:
    return f"{number(amount, _decimals(amount))} {currency}"


def _outcome_lines(outcome: Outcome) -> list[str]:
    """What the need got, from whom, and why each kept donor that gave nothing did not."""
    lines: list[str] = []
    if outcome.given:
        parts = [
            _("{donor} {amount}").format(
                donor=g.donor,
                amount=_amount(g.amount, g.currency or "")
                if g.amount is not None
                else days(g.days or 0),
            )
            for g in outcome.given
        ]
        lines.append(_("Outcome: the need gets {parts}.").format(parts="; ".join(parts)))
    else:
        lines.append(_("Outcome: the need gets nothing in this match."))
    if outcome.left:
        left = (
            days(outcome.left)
            if outcome.unit == "days"
            else _amount(Decimal(outcome.left), outcome.unit)
        )
        lines.append(_("Still needed: {left}.").format(left=left))
    for donor, why in outcome.idle:
        lines.append(_("{donor} gives nothing: {why}.").format(donor=donor, why=say(why, _)))
    return lines


def _outcome_json(outcome: Outcome | None) -> dict[str, object] | None:
    if outcome is None:
        return None
    return {
        "given": [
            {
                "donor": g.donor,
                "amount": None
                if g.amount is None
                else {"value": str(g.amount), "currency": g.currency},
                "days": g.days,
            }
            for g in outcome.given
        ],
        "left": {"value": str(outcome.left), "unit": outcome.unit},
        "idle": [{"donor": d, "why": str(w)} for d, w in outcome.idle],
    }
