"""``solidarity fmt``: write every record file in the one canonical form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solidarity_cli.checking import normalise_paths
from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    RepoOption,
    command,
    progress_bar,
    refuse_unknown_paths,
    repo_root,
    stderr_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _, ngettext
from solidarity_cli.cli.render import print_diagnostics
from solidarity_cli.cli.rules import DocFormat
from solidarity_cli.formatting import FormatResult, format_paths
from solidarity_cli.output import JSON_VERSION, dumps


def _document(result: FormatResult) -> dict[str, object]:
    return {
        "version": JSON_VERSION,
        "files": result.files,
        "written": result.written,
        "changed": [c.path for c in result.changes],
        "diffs": {c.path: c.diff for c in result.changes},
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }


@command
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to format. Default: solidarity.yaml and everything in data/.",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing: print what would change and exit 1 if anything would."
        ),
    ] = False,
    repo: RepoOption = None,
    output: Annotated[
        DocFormat,
        typer.Option("--format", "-f", help="text for people, json for scripts."),
    ] = DocFormat.TEXT,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Format every file again, even those found in canonical form before "
            "(what was found is kept in your cache folder, by content).",
        ),
    ] = False,
) -> None:
    """Write record files in one canonical form, keeping every comment.

    Keys in the schema's order, two spaces per level, long text in block style, quotes
    only where a value would otherwise be misread, no anchors. A file that cannot be read
    is reported and left as it is.

    [bold]Examples[/]

      solidarity fmt

      solidarity fmt data/communities/praia-branca --check
    """
    root = repo_root(repo)
    console = stderr_console()
    refuse_unknown_paths(root, paths or [], on_disk=True)
    selected = normalise_paths(root, paths or [])
    show = console.is_terminal and output != "json"
    with progress_bar(_("Formatting files"), show=show) as progress:
        result = format_paths(root, selected, check=check, progress=progress, cache=not no_cache)
    if output == "json":
        stdout_write(dumps(_document(result)))
    else:
        if check:
            stdout_write("".join(c.diff for c in result.changes))
        print_diagnostics(console, result.diagnostics, root)
        count = len(result.changes)
        if count and check:
            console.print(
                ngettext(
                    "{count} file is not in the canonical form: run solidarity fmt to rewrite it",
                    "{count} files are not in the canonical form: run solidarity fmt to rewrite "
                    "them",
                    count,
                ).format(count=count)
            )
        elif count:
            for change in result.changes:
                console.print(change.path)
            console.print(
                ngettext("{count} file rewritten", "{count} files rewritten", count).format(
                    count=count
                )
            )
        elif not result.diagnostics:
            console.print(_("every file is in the canonical form"))
    raise typer.Exit(EXIT_FINDINGS if result.exit_code else EXIT_OK)
