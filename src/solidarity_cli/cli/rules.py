"""``solidarity rules``: list, explain and test the operational rules."""

from __future__ import annotations

import enum
import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    SENTENCES,
    RepoOption,
    command,
    print_table,
    progress_bar,
    repo_root,
    stderr_console,
    stdout_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _, ngettext
from solidarity_cli.dataset import Dataset
from solidarity_cli.errors import RepositoryNotFoundError, UsageError
from solidarity_cli.output import dumps
from solidarity_cli.reading import load_repository
from solidarity_cli.rules.catalogue import catalogue, markdown_table, run_rule_examples
from solidarity_cli.words import M_, did_you_mean, say

app = typer.Typer(
    no_args_is_help=False,
    rich_markup_mode="rich",
)


class ListFormat(enum.StrEnum):
    """How the rule list is printed."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class DocFormat(enum.StrEnum):
    """How one rule or test results are printed."""

    TEXT = "text"
    JSON = "json"


def _dataset(repo: Path | None) -> Dataset | None:
    """The repository's data when there is one (for the rules it wrote), else None."""
    try:
        root = repo_root(repo)
    except RepositoryNotFoundError:
        if repo is not None:
            raise
        return None
    return load_repository(root).dataset


@app.callback(invoke_without_command=True)
@command
def rules(
    ctx: typer.Context,
    repo: RepoOption = None,
    output: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text, json, or markdown (a table).")
    ] = ListFormat.TEXT,
) -> None:
    """List every rule: built-in ones and those the network wrote in data/rules/.

    [bold]Examples[/]

      solidarity rules

      solidarity rules --format json | jq '.rules[] | select(.family == "partnerships")'

      solidarity rules explain PA003

      solidarity rules test
    """
    if ctx.invoked_subcommand is not None:
        return
    listed = catalogue(_dataset(repo))
    if output is ListFormat.JSON:
        stdout_write(dumps({"version": 1, "rules": listed}))
    elif output is ListFormat.MARKDOWN:
        stdout_write(markdown_table(listed))
    else:
        table = Table(show_lines=False, expand=False)
        for column in (_("code"), _("name"), _("family"), _("severity")):
            table.add_column(column)
        table.add_column(_("what it asks"), max_width=SENTENCES, overflow="fold")
        for r in listed:
            source = "" if r["source"] == "built-in" else " [dim](network)[/]"
            table.add_row(
                r["code"],
                escape(r["name"]) + source,
                _(r["family"]),
                _(r["severity"]),
                escape(say(r["summary"], _)),
            )
        console = stdout_console()
        print_table(console, table)
        console.print(
            ngettext(
                "{n} rule. Details: solidarity rules explain CODE",
                "{n} rules. Details: solidarity rules explain CODE",
                len(listed),
            ).format(n=len(listed))
        )


def _find(listed: list[dict[str, Any]], code: str) -> dict[str, Any]:
    for r in listed:
        if code in (r["code"], r["name"]):
            return r
    names = [name for r in listed for name in (r["code"], r["name"])]
    short = re.fullmatch(r"([A-Za-z]{2})0*(\d{1,3})", code)  # PA3, pa03: PA003
    padded = f"{short[1].upper()}{short[2].zfill(3)}" if short else None
    given = padded if padded is not None and padded in names else code
    hint = did_you_mean(given, names, M_("see the list: solidarity rules"))
    raise UsageError(M_("no rule is called '{code}'", code=code), hint=hint)


@app.command()
@command
def explain(
    code: Annotated[str, typer.Argument(help="A rule code (PA003) or name (conditions-accepted).")],
    repo: RepoOption = None,
    output: Annotated[
        DocFormat, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = DocFormat.TEXT,
) -> None:
    """Explain one rule: why it exists, its options, and an example that fails and one that passes.

    [bold]Examples[/]

      solidarity rules explain PA003

      solidarity rules explain needs-from-own-strategy --format json
    """
    rule = _find(catalogue(_dataset(repo)), code)
    if output is DocFormat.JSON:
        stdout_write(dumps(rule))
        return
    console = stdout_console()
    console.print(
        f"[bold]{rule['code']} {escape(rule['name'])}[/] "
        f"({_(rule['family'])}, {_(rule['severity'])})",
        markup=True,
    )
    console.print(escape(say(rule["summary"], _)))
    why = _("Why")
    console.print(f"\n[bold]{why}[/]\n{escape(say(rule['rationale'], _))}", markup=True)
    if rule.get("condition"):
        applies, when, condition = _("Applies to"), _("When"), _("Condition")
        console.print(f"\n[bold]{applies}[/] {rule['applies_to']}", markup=True)
        if rule.get("when"):
            console.print(f"[bold]{when}[/] {escape(rule['when'])}", markup=True)
        console.print(f"[bold]{condition}[/] {escape(rule['condition'])}", markup=True)
        gov = rule["governance"]
        line = _(gov["status"])
        if gov["adopted_by"]:
            line = _("{status}, adopted by {body} on {day}").format(
                status=line, body=escape(gov["adopted_by"]), day=gov["adopted_on"]
            )
        if gov["effective_from"]:
            line = _("{governance}, effective from {day}").format(
                governance=line, day=gov["effective_from"]
            )
        governance = _("Governance")
        console.print(f"[bold]{governance}[/] {line}", markup=True)
    if rule["options"]:
        options, where = _("Options"), _("(in solidarity.yaml under rules.options)")
        console.print(f"\n[bold]{options}[/] {where}", markup=True)
        for name, schema in rule["options"].items():
            console.print(
                _("  {name}: default {value}").format(name=name, value=schema.get("default"))
            )
    titles = {"failing": _("Failing example"), "passing": _("Passing example")}
    for label in ("failing", "passing"):
        example = rule["examples"][label]
        console.print(
            f"\n[bold]{titles[label]}[/]: {escape(say(example['description'], _))}",
            markup=True,
        )
        for line in _example_lines(example):
            console.print(escape(line))


def _example_lines(example: dict[str, Any]) -> list[str]:
    """An example as a person would write it: which file, which keys, which values."""
    lines = []
    if example.get("as_of"):
        lines.append(_("  checked as of {day}").format(day=example["as_of"]))
    for path, edits in example.get("edits", {}).items():
        lines.append(_("  in {path}:").format(path=path))
        for key, value in edits.items():
            shown = _("(removed)") if value is None else json.dumps(value, ensure_ascii=False)
            lines.append(f"    {key}: {shown}")
    for path, text in example.get("files", {}).items():
        if text is None:
            lines.append(_("  without {path}").format(path=path))
        else:
            lines.append(_("  with {path}:").format(path=path))
            lines += ["    " + line for line in text.splitlines()]
    for record in example.get("records", []):
        lines.append("  - " + json.dumps(record, ensure_ascii=False, default=str))
    return lines


@app.command("test")
@command
def test_rules(
    repo: RepoOption = None,
    output: Annotated[
        DocFormat, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = DocFormat.TEXT,
) -> None:
    """Run every rule's examples: a failing example must be flagged, a passing one must not.

    Exit code 1 when an example misbehaves, so CI refuses a rule whose examples lie.

    [bold]Examples[/]

      solidarity rules test

      solidarity rules test --format json
    """
    dataset = _dataset(repo)
    console = stderr_console()
    show = console.is_terminal and output is DocFormat.TEXT
    with progress_bar(_("Testing rule examples"), show=show) as progress:
        results = run_rule_examples(dataset, progress)
    failed = [r for r in results if not r.ok]
    if output is DocFormat.JSON:
        stdout_write(
            dumps(
                {
                    "version": 1,
                    "passed": len(results) - len(failed),
                    "failed": len(failed),
                    "results": [r.__dict__ for r in results],
                }
            )
        )
    else:
        console = stdout_console()
        fail = _("FAIL")
        for r in failed:
            console.print(
                f"[bold red]{fail}[/] {r.code} {escape(r.name)} ({_(r.example)}): "
                f"{escape(say(r.detail, _))}",
                markup=True,
            )
        console.print(
            _("{passed} passed, {failed} failed").format(
                passed=len(results) - len(failed), failed=len(failed)
            )
        )
    if failed:
        raise typer.Exit(EXIT_FINDINGS)
