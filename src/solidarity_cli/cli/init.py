"""``solidarity init``: start a new network's data repository."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from solidarity_cli.cli.common import command, no_answer, stderr_console
from solidarity_cli.cli.i18n import _, ngettext
from solidarity_cli.scaffolding.network import TOOL_REPO, init_network, parse_rate


@command
def init(
    folder: Annotated[
        Path,
        typer.Argument(help="The folder of the new network (made if missing).", file_okay=False),
    ] = Path(),
    name: Annotated[
        str | None,
        typer.Option("--name", help="The network's name. Asked for when not given."),
    ] = None,
    language: Annotated[
        str,
        typer.Option("--language", help="The language records are written in first (ISO 639)."),
    ] = "en",
    languages: Annotated[
        str,
        typer.Option("--languages", help="Other languages of the network, comma separated."),
    ] = "",
    currency: Annotated[
        str, typer.Option("--currency", help="The base currency totals are counted in.")
    ] = "EUR",
    rate: Annotated[
        list[str] | None,
        typer.Option("--rate", help="An exchange rate, CURRENCY=UNITS per base unit; repeat."),
    ] = None,
    tool_repo: Annotated[
        str,
        typer.Option(
            "--tool-repo",
            help="The GitHub repository the CI workflow and pre-commit take the tool from.",
        ),
    ] = TOOL_REPO,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a folder that has files (none is replaced)."),
    ] = False,
) -> None:
    """Start a network: settings, folders, a README for contributors, JSON Schemas, a CI
    workflow, pre-commit hooks, and a first saved version when git is installed.

    The new repository passes solidarity check at once.

    [bold]Examples[/]

      solidarity init rede-cv --name "Rede Cabo Verde" --language pt --currency CVE

      solidarity init . --name "Red Andina" --language es --languages en,qu --rate USD=1.08
    """
    if name is None:
        try:
            name = typer.prompt(_("Name of the network"), err=True)
        except typer.Abort:
            raise no_answer(_("Name of the network"), "--name") from None
    today = dt.date.today()
    created = init_network(
        folder,
        name=name,
        language=language,
        languages=[x.strip() for x in languages.split(",") if x.strip()],
        currency=currency,
        rates=[parse_rate(x, today) for x in rate or []],
        tool_repo=tool_repo,
        force=force,
    )
    console = stderr_console()
    console.print(
        ngettext(
            "Started the network in {folder} ({n} file).",
            "Started the network in {folder} ({n} files).",
            len(created.files),
        ).format(folder=escape(str(folder)), n=len(created.files))
    )
    notes = {
        "committed": _("Its first version is saved in git's history."),
        "initialised": _(
            "git could not save a first version because it does not know your name yet. "
            'Run git config --global user.name "Your Name" and git config --global '
            'user.email you@example.org, then git commit -m "Start".'
        ),
        "existing": _(
            "The folder is a git repository already, so init saved nothing in it: look over "
            "the new files, then save them with git add and git commit."
        ),
        "empty": _(
            "git now keeps the folder's history, but init wrote no new file, so nothing is "
            "saved in it yet: save the network's files with git add and git commit."
        ),
        "none": _(
            "git is not installed, so no history is kept yet. That is fine to start with; "
            "install git (or upload the folder to GitHub) to keep every version."
        ),
    }
    console.print(notes[created.git])
    if created.others:
        console.print(
            _(
                "The files that were already in the folder are not saved in that first "
                "version: add them with git add and git commit only if they may be made public."
            )
        )
    if tool_repo == TOOL_REPO:
        console.print(
            _(
                "Before publishing: in .github/workflows/check-data.yml, "
                ".pre-commit-config.yaml and README.md, replace OWNER with the account that "
                "publishes the solidarity tool (or run init with --tool-repo)."
            )
        )
    console.print(_("Next: solidarity new community"))
