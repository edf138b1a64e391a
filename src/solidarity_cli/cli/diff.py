"""``solidarity diff``: what a change does to the data, record by record."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from solidarity_cli.cli.common import EXIT_OK, RepoOption, command, repo_root, stdout_write
from solidarity_cli.cli.i18n import cli_language
from solidarity_cli.diffing import compare
from solidarity_cli.diffing.render import diff_document, render_markdown, render_text
from solidarity_cli.errors import UsageError
from solidarity_cli.output import dumps
from solidarity_cli.reporting.i18n import LANGUAGES, Locale
from solidarity_cli.revisions import revisions
from solidarity_cli.words import M_, N_

WORKING_TREE = N_("working tree")


class DiffFormat(enum.StrEnum):
    """How a diff is written."""

    TEXT = "text"
    MD = "md"
    JSON = "json"


@command
def diff(
    base: Annotated[
        str,
        typer.Argument(
            help="The version to compare from: a commit, branch or tag.", metavar="BASE"
        ),
    ] = "HEAD",
    head: Annotated[
        str | None,
        typer.Argument(
            help="The version to compare to. Default: the files as they are now.",
            metavar="HEAD",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
    output: Annotated[
        DiffFormat,
        typer.Option(
            "--format", "-f", help="text for people, md for a pull-request comment, json."
        ),
    ] = DiffFormat.TEXT,
    detail: Annotated[
        bool, typer.Option("--detail", help="Also list every value that changed, by field.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of the output: en, pt, fr or es. Default: the command line's.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Say what a change does, record by record: needs added, agreements signed, money
    committed or disbursed, reports filed, files renamed. Private fields and anonymous
    donors' names never appear.

    [bold]Examples[/]

      solidarity diff   # the last commit against the files now

      solidarity diff HEAD~1 HEAD --format md --lang pt > comment.md

      solidarity diff origin/main --format json
    """
    root = repo_root(repo)
    language = lang or cli_language()
    if language not in LANGUAGES:
        raise UsageError(
            M_("--lang {lang}: there is no such language", lang=language),
            hint=M_("use one of: en, pt, fr, es"),
        )
    loc = Locale(language)
    with revisions(root) as opened:
        first, second = opened.open(base), opened.open(head)
        before, after = opened.load(first).dataset, opened.load(second).dataset
    found = compare(
        before,
        after,
        base_name=(first.commit or "")[:12],
        head_name=second.commit[:12] if second.commit else loc.gettext(WORKING_TREE),
    )
    if output is DiffFormat.JSON:
        stdout_write(dumps(diff_document(found, loc)))
    elif output is DiffFormat.MD:
        stdout_write(render_markdown(found, loc, detail=detail))
    else:
        stdout_write(render_text(found, loc, detail=detail))
    raise typer.Exit(EXIT_OK)
