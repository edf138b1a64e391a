"""``solidarity ci``: the check a pull request runs on GitHub, with its summary and comment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    AsOfOption,
    RepoOption,
    as_date,
    command,
    repo_root,
    stderr_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _, cli_language, ngettext
from solidarity_cli.errors import UsageError
from solidarity_cli.reporting.i18n import LANGUAGES, Locale
from solidarity_cli.words import M_


@command
def ci(
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="The version the pull request starts from (e.g. origin/main). Without it, "
            "every finding counts as new.",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str,
        typer.Option(
            "--head",
            help="The version to check: the last commit (HEAD), as GitHub sees it; "
            "'.' for the files as they are now, saved or not.",
        ),
    ] = "HEAD",
    repo: RepoOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on new warnings too.")] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of the summary and comment: en, pt, fr or es.",
            show_default=False,
        ),
    ] = None,
    comment_file: Annotated[
        Path | None,
        typer.Option(
            "--comment-file",
            help="Write the pull-request comment (Markdown) to this file.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Check a pull request on GitHub: annotate new findings, write the step summary
    ($GITHUB_STEP_SUMMARY) and the Markdown of one pull-request comment.

    Exit code 1 when the change adds an error (or a warning, with --strict), else 0.

    [bold]Examples[/]

      solidarity ci --base origin/main --comment-file comment.md

      solidarity ci --base origin/main --strict --lang pt

      solidarity ci --base main --head .   # with the changes not yet committed
    """
    root = repo_root(repo)
    language = lang or cli_language()
    if language not in LANGUAGES:
        raise UsageError(
            M_("--lang {lang}: there is no such language", lang=language),
            hint=M_("use one of: en, pt, fr, es"),
        )
    from solidarity_cli.ci import publish, run_ci  # diffing and reports: only for this command

    result = run_ci(
        root,
        base or None,
        head=None if head == "." else head,
        loc=Locale(language),
        strict=strict,
        repository=os.environ.get("GITHUB_REPOSITORY", ""),
        sha=os.environ.get("GITHUB_SHA", ""),
        as_of=as_date(as_of),
    )
    stdout_write(result.annotations)
    publish(result, os.environ, comment_file)
    console = stderr_console()
    new = len(result.changed.new_diagnostics)
    console.print(ngettext("{n} new finding.", "{n} new findings.", new).format(n=new))
    if result.not_annotated:
        console.print(
            _("{n} more are listed in the step summary only.").format(n=result.not_annotated)
        )
    raise typer.Exit((result.exit_code and EXIT_FINDINGS) or EXIT_OK)
