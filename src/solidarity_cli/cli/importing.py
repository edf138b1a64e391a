"""``solidarity import``: records from IATI, 360Giving, CSV and XLSX files, and the
spreadsheet round trip."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from solidarity_cli.cli.common import (
    AsOfOption,
    RepoOption,
    as_date,
    command,
    repo_root,
    stderr_console,
    stdout_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _, cli_language, ngettext
from solidarity_cli.cli.render import print_diagnostics
from solidarity_cli.importing import ImportFormat
from solidarity_cli.output import JSON_VERSION, dumps
from solidarity_cli.reporting.i18n import Locale

if TYPE_CHECKING:
    from solidarity_cli.importing.plan import ImportPlan


class ImportOutput(enum.StrEnum):
    """How the result is printed."""

    TEXT = "text"
    JSON = "json"


def _document(plan: ImportPlan, loc: Locale, dry_run: bool) -> dict[str, object]:
    from solidarity_cli.diffing.render import diff_document

    return {
        "version": JSON_VERSION,
        "input": plan.source,
        "dry_run": dry_run,
        "written": plan.written,
        "files": sorted(plan.texts),
        "created": sorted(plan.created),
        "changes": diff_document(plan.diff, loc) if plan.diff is not None else None,
        "diagnostics": [d.to_dict() for d in plan.diagnostics],
        "after_import": [d.to_dict() for d in plan.advice],
    }


def _print(plan: ImportPlan, root: Path, loc: Locale, dry_run: bool) -> None:
    from solidarity_cli.diffing.render import headline, render_text

    err, out = stderr_console(), stdout_console()
    in_repo = [d for d in plan.diagnostics if d.path in plan.texts]
    print_diagnostics(err, [d for d in plan.diagnostics if d.path not in plan.texts])
    print_diagnostics(err, in_repo, root)
    if plan.unreadable:
        err.print(_("nothing was written: the file could not be read"))
        return
    if plan.diff is None or plan.diff.empty:
        if not plan.errors:
            out.print(
                _("{file}: nothing to change, the records already say the same").format(
                    file=plan.source
                ),
                markup=False,
            )
        else:
            err.print(_("nothing was written: fix the problems above and import again"))
        return
    said = headline(plan.diff, loc)
    if plan.written:
        title = _("Changes made from {file}: {headline}")
    else:
        title = _("Changes that importing {file} would make: {headline}")
    out.print(title.format(file=plan.source, headline=said), markup=False)
    changes = render_text(plan.diff, loc, detail=True).split("\n", 1)[1]
    out.print(changes.rstrip("\n"), markup=False, emoji=False)
    if plan.advice:
        err.print(_("After this import, solidarity check would also say:"))
        print_diagnostics(err, plan.advice)
    if plan.written:
        n = len(plan.texts)
        err.print(ngettext("{n} file written", "{n} files written", n).format(n=n))
    elif plan.errors:
        err.print(_("nothing was written: fix the problems above and import again"))
    elif dry_run:
        err.print(_("nothing was written (--dry-run); run again without it to write"))


@command
def import_(
    fmt: Annotated[
        ImportFormat,
        typer.Argument(
            help="iati: IATI 2.03 activities XML; 360giving: 360Giving JSON; csv: tables from "
            "solidarity export --format csv (a file or their folder); xlsx: the workbook from "
            "solidarity export --format xlsx.",
            metavar="FORMAT",
        ),
    ],
    file: Annotated[
        Path, typer.Argument(help="The file to import.", metavar="FILE", show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change and write nothing.")
    ] = False,
    repo: RepoOption = None,
    output: Annotated[
        ImportOutput, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = ImportOutput.TEXT,
    as_of: AsOfOption = None,
) -> None:
    """Bring records in: an edited spreadsheet back into the YAML files, or a donor's
    IATI or 360Giving file as donors and agreements.

    Shows what will change, record by record, then writes only those changes, keeping every
    comment in the files. An empty cell leaves a value as it is. Nothing is written with
    --dry-run, when the file cannot be read, or while a problem remains. Importing the same
    file twice changes nothing the second time.

    [bold]Examples[/]

      solidarity export --format xlsx --out needs.xlsx

      solidarity import xlsx needs.xlsx --dry-run

      solidarity import csv tables/

      solidarity import iati iati-activities.xml --format json
    """
    from solidarity_cli.importing import import_file

    root = repo_root(repo)
    loc = Locale(cli_language())
    with stderr_console().status(_("Importing"), spinner="dots"):
        plan = import_file(root, file, fmt, as_of=as_date(as_of), dry_run=dry_run)
    if output is ImportOutput.JSON:
        stdout_write(dumps(_document(plan, loc, dry_run)))
    else:
        _print(plan, root, loc, dry_run)
    raise typer.Exit(plan.exit_code)
