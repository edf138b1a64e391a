"""The ``solidarity`` command."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from solidarity_cli import __version__
from solidarity_cli.cli import rules
from solidarity_cli.cli.check import check
from solidarity_cli.cli.ci import ci
from solidarity_cli.cli.diff import diff
from solidarity_cli.cli.export import export
from solidarity_cli.cli.fmt import fmt
from solidarity_cli.cli.help_i18n import TranslatedGroup
from solidarity_cli.cli.importing import import_
from solidarity_cli.cli.init import init
from solidarity_cli.cli.match import match
from solidarity_cli.cli.new import new
from solidarity_cli.cli.owners import owners
from solidarity_cli.cli.report import report
from solidarity_cli.cli.schema import schema

app = typer.Typer(
    name="solidarity",
    cls=TranslatedGroup,
    help="Check, match and report on a network of universal solidarity: communities' own "
    "strategies and needs, donors, and the partnership agreements between them.\n\n"
    "[bold]Examples[/]\n\n"
    "  solidarity check\n\n"
    "  solidarity new need\n\n"
    "  solidarity match --explain NEED\n\n"
    "  solidarity report --out site\n\n"
    "  solidarity check --help",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(epilog="Exit codes: 0 no errors, 1 errors found, 2 could not run.")(check)
app.command(
    epilog="Exit codes: 0 nothing to change, 1 files to change or unreadable, 2 could not run."
)(fmt)
app.command(epilog="Exit codes: 0 done, 2 could not run (e.g. a version that does not exist).")(
    diff
)
app.command()(match)
app.command(epilog="Exit codes: 0 no new error, 1 new errors found, 2 could not run.")(ci)
app.command(
    epilog="Exit codes: 0 up to date or written, 1 out of date (--check), 2 could not run."
)(owners)
app.command()(report)
app.command()(schema)
app.command()(export)
app.command(
    name="import",
    epilog="Exit codes: 0 done or nothing to do, 1 problems found (nothing written), "
    "2 the file could not be read.",
)(import_)
app.command()(init)
app.command()(new)
app.add_typer(rules.app, name="rules")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"solidarity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Check, match and report on a network of universal solidarity."""


def main() -> None:
    """Console-script entry point.

    The process ends without tearing down the records one by one: on a large network that
    teardown took longer than writing the output. Output is flushed first, and nothing of
    ours waits for interpreter shutdown (writes are atomic and complete by then).
    """
    try:
        app()
    except SystemExit as stop:
        if stop.code is not None and not isinstance(stop.code, int):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            raise stop from None
        os._exit(stop.code or 0)
