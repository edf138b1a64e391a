"""``solidarity check``: validate the data repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solidarity_cli.baseline import ChangedReport, check_changed_since, fingerprints
from solidarity_cli.checking import check_repository, check_with_cache, normalise_paths
from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    AsOfOption,
    OutputFormat,
    RepoOption,
    RevOption,
    as_date,
    command,
    progress_bar,
    refuse_unknown_paths,
    repo_root,
    stderr_console,
    stdout_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _
from solidarity_cli.cli.render import print_changed_summary, print_check_summary, print_diagnostics
from solidarity_cli.output import check_document, dumps, github_annotations
from solidarity_cli.revisions import revisions
from solidarity_cli.sarif import sarif_document


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
            help="text for people, json for scripts, github for workflow annotations, "
            "sarif for code-scanning tools.",
        ),
    ] = OutputFormat.TEXT,
    as_of: AsOfOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    rev: RevOption = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help="Tell new findings from those this git version (e.g. main) already had; "
            "only new ones fail the check and are annotated.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Check in full even if nothing changed since the last check "
            "(the result of the last check is kept in your cache folder, by content).",
        ),
    ] = False,
) -> None:
    """Check every record: YAML syntax, schemas, file layout and references.

    Exit code 0 when there is no error, 1 when there are errors (or warnings with
    --strict), 2 when the check could not run. With --changed-since, only new findings count.

    [bold]Examples[/]

      solidarity check

      solidarity check data/communities/praia-branca --format json

      solidarity check --repo ../my-network --strict --format github

      solidarity check --changed-since origin/main --format sarif > results.sarif
    """
    root = repo_root(repo)
    console = stderr_console()
    refuse_unknown_paths(root, paths or [], on_disk=rev is None)
    selected = normalise_paths(root, paths or [])
    show = console.is_terminal and output is OutputFormat.TEXT
    day = as_date(as_of)
    with progress_bar(_("Reading records"), show=show) as progress:
        if changed_since is not None:
            changed = check_changed_since(
                root, changed_since, head=rev, paths=selected, as_of=day, progress=progress
            )
            _print_changed(changed, output, root if rev is None else None)
            raise typer.Exit((changed.exit_code(strict=strict) and EXIT_FINDINGS) or EXIT_OK)
        if rev is None and not no_cache:
            report = check_with_cache(root, paths=selected, as_of=day, progress=progress)
        else:
            with revisions(root) as opened:
                revision = opened.open(rev) if rev is not None else None
                report = check_repository(
                    root,
                    paths=selected,
                    as_of=day,
                    progress=progress,
                    revision=revision,
                    opened=opened,
                )
    if output is OutputFormat.JSON:
        stdout_write(dumps(check_document(report.summary(), report.diagnostics)))
    elif output is OutputFormat.SARIF:
        stdout_write(dumps(sarif_document(report.diagnostics, fingerprints(report.diagnostics))))
    elif output is OutputFormat.GITHUB:
        stdout_write(github_annotations(report.diagnostics))
        print_check_summary(console, report, len(report.diagnostics))
    else:
        out = stdout_console()
        print_diagnostics(out, report.diagnostics, root if rev is None else None)
        print_check_summary(out, report, len(report.diagnostics))
    raise typer.Exit((report.exit_code(strict=strict) and EXIT_FINDINGS) or EXIT_OK)


def _print_changed(changed: ChangedReport, output: OutputFormat, root: Path | None) -> None:
    report = changed.head
    console = stderr_console()
    if output is OutputFormat.JSON:
        document = check_document(report.summary(), report.diagnostics)
        for item, mark, new in zip(
            document["diagnostics"], changed.fingerprints, changed.new, strict=True
        ):
            item["new"] = new
            item["fingerprint"] = mark
        document["summary"]["new"] = len(changed.new_diagnostics)
        document["summary"]["base"] = changed.base_commit
        stdout_write(dumps(document))
    elif output is OutputFormat.SARIF:
        document = sarif_document(report.diagnostics, changed.fingerprints, changed.new)
        stdout_write(dumps(document))
    elif output is OutputFormat.GITHUB:
        stdout_write(github_annotations(changed.new_diagnostics))
        print_changed_summary(console, changed)
    else:
        out = stdout_console()
        print_diagnostics(out, changed.new_diagnostics, root)
        print_changed_summary(out, changed)
