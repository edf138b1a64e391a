"""``solidarity check``: validate the data repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solidarity_cli.checking import check_repository, normalise_paths
from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    AsOfOption,
    OutputFormat,
    RepoOption,
    as_date,
    command,
    progress_bar,
    repo_root,
    stderr_console,
    stdout_write,
)
from solidarity_cli.cli.render import print_check_summary, print_diagnostics
from solidarity_cli.output import check_document, dumps, github_annotations


@command
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Only report findings in these files or folders (all are still read).",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people, json for scripts, github for workflow annotations.",
        ),
    ] = OutputFormat.TEXT,
    as_of: AsOfOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check every record: YAML syntax, schemas, file layout and references.

    Exit code 0 when there is no error, 1 when there are errors (or warnings with
    --strict), 2 when the check could not run.

    [bold]Examples[/]

      solidarity check

      solidarity check data/communities/praia-branca --format json

      solidarity check --repo ../my-network --strict --format github
    """
    root = repo_root(repo)
    console = stderr_console()
    selected = normalise_paths(root, paths or [])
    show = console.is_terminal and output is OutputFormat.TEXT
    with progress_bar("Reading records", show=show) as progress:
        report = check_repository(root, paths=selected, as_of=as_date(as_of), progress=progress)
    if output is OutputFormat.JSON:
        stdout_write(dumps(check_document(report.summary(), report.diagnostics)))
    elif output is OutputFormat.GITHUB:
        stdout_write(github_annotations(report.diagnostics))
        print_check_summary(console, report, len(report.diagnostics))
    else:
        print_diagnostics(console, report.diagnostics, root)
        print_check_summary(console, report, len(report.diagnostics))
    raise typer.Exit((report.exit_code(strict=strict) and EXIT_FINDINGS) or EXIT_OK)
