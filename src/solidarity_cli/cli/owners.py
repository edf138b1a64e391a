"""``solidarity owners``: write .github/CODEOWNERS from the records' maintainers."""

from __future__ import annotations

import difflib
from typing import Annotated

import typer

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    RepoOption,
    command,
    repo_root,
    stderr_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _
from solidarity_cli.errors import UsageError
from solidarity_cli.ownership import CODEOWNERS, HEADER, codeowners
from solidarity_cli.reading import load_repository
from solidarity_cli.words import M_


@command
def owners(
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing: print what would change and exit 1 if anything would."
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Write .github/CODEOWNERS so that each community approves changes to its own records.

    A community's folder is owned by its maintainers, a partnership by the community's and
    the donor's, a donor or a platform by its own, and the network's settings, rules and
    vocabularies by the national federation's. On GitHub, turn on "Require review from
    Code Owners" in the branch protection of the main branch to make these approvals required.

    [bold]Examples[/]

      solidarity owners

      solidarity owners --check
    """
    root = repo_root(repo)
    console = stderr_console()
    text = codeowners(load_repository(root).dataset)
    target = root / CODEOWNERS
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    if current == text:
        console.print(_("{file} is up to date").format(file=CODEOWNERS))
        raise typer.Exit(EXIT_OK)
    if check:
        stdout_write(
            "".join(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"a/{CODEOWNERS}",
                    f"b/{CODEOWNERS}",
                )
            )
        )
        stale = (
            _("{file} is out of date: run solidarity owners")
            if target.is_file()
            else _("{file} does not exist yet: run solidarity owners to write it")
        )
        console.print(stale.format(file=CODEOWNERS))
        raise typer.Exit(EXIT_FINDINGS)
    if current and not current.startswith(HEADER.splitlines()[0]):
        raise UsageError(
            M_("{file} was written by hand; it was left as it is", file=CODEOWNERS),
            hint=M_(
                "move its lines into the records' maintainers, delete the file, then run "
                "solidarity owners again"
            ),
        )
    write_text_atomic(target, text, overwrite=True, mode=0o644)
    console.print(_("wrote {file}").format(file=CODEOWNERS))
