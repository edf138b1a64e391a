"""``solidarity report``: the static site, Markdown for GitHub, or map data."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer

from solidarity_cli.cli.common import (
    EXIT_FINDINGS,
    AsOfOption,
    RepoOption,
    RevOption,
    ScopeArgument,
    as_date,
    command,
    print_note,
    repo_root,
    stderr_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _, ngettext
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.errors import UsageError
from solidarity_cli.words import M_, say


class ReportFormat(enum.StrEnum):
    """What ``solidarity report`` writes."""

    HTML = "html"
    MD = "md"
    GEOJSON = "geojson"
    DIGEST = "digest"


class Recipient(enum.StrEnum):
    """Who a digest is for."""

    COMMUNITY = "community"
    DONOR = "donor"
    PLATFORM = "platform"


class Language(enum.StrEnum):
    """Languages the reports are written in."""

    EN = "en"
    PT = "pt"
    FR = "fr"
    ES = "es"


@command
def report(
    scope: ScopeArgument = None,
    repo: RepoOption = None,
    output: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="html: a static site; md: Markdown; geojson: the map's data; digest: what "
            "each community, donor and platform owes, one Markdown each.",
        ),
    ] = ReportFormat.HTML,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the site (html; default site/) or the digests (one file each), "
            "or file for md and geojson (default: print).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Language of the report (default: SOLIDARITY_LANG, else the network's "
            "default_language, else English); digests default to each recipient's own language.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    recipient: Annotated[
        tuple[Recipient, str] | None,
        typer.Option(
            "--for",
            metavar="KIND ID",
            help="With --format digest: only the digest of this community, donor or platform.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an --out folder this command did not write.")
    ] = False,
    months: Annotated[
        int,
        typer.Option(
            "--history",
            min=0,
            max=600,
            metavar="N",
            help="Add the network's history over the last N months, rebuilt from the "
            "repository's commits (one point per month end).",
        ),
    ] = 0,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Publish nothing when a text had to be withheld as personal data."
        ),
    ] = False,
    rev: RevOption = None,
) -> None:
    """Write reports people would rather look at than read.

    html is a self-contained site (no network needed to view it, works from file://): an
    overview with the social map, a page per platform, community, donor and partnership,
    the obligations of everyone, the trace from each strategy to its reports, and the findings
    of check. With SCOPE, the site covers what that record reaches (a platform's communities,
    a donor's partnerships, ...) and md is that record's page. Personal data never leaves:
    fields a community keeps private and anonymous donors' names are not rendered, and a text
    that holds an e-mail address, a phone or an identity number is shown as withheld (each one
    is listed on stderr with its file and line; --strict then writes nothing and exits 1).

    digest writes, for each community, donor and platform with something due, what it owes:
    late, in the next 30 days after --as-of, and later, in its own language.

    [bold]Examples[/]

      solidarity report --out site/

      solidarity report --format md --lang pt > report.md

      solidarity report praia-branca --format md

      solidarity report santiago-norte --out site-santiago-norte/

      solidarity report --format geojson --out map.geojson

      solidarity report --history 24 --format md > report.md

      solidarity report --rev v1.0 --out site-v1.0/

      solidarity report --strict --out site/

      solidarity report --format digest --for community coculi --as-of 2027-01-01

      solidarity report --format digest --out digests/
    """
    from solidarity_cli.reporting.i18n import report_language
    from solidarity_cli.reporting.report import network_language, render
    from solidarity_cli.reporting.site import write_site

    root = repo_root(repo)
    console = stderr_console()
    if output is ReportFormat.DIGEST:
        if rev is not None:
            raise UsageError(
                M_("--rev does not go with --format digest: a digest is about what is due now"),
                hint=M_("leave out --rev, or write a site or Markdown with --rev"),
            )
        _digest(root, as_of, lang, recipient, out, force=force, scoped=scope is not None)
        return
    if recipient is not None:
        raise UsageError(
            M_("--for only goes with --format digest"),
            hint=M_("add --format digest, or leave out --for"),
        )
    past = None
    if months:
        from solidarity_cli.reporting.history import history

        with console.status(_("Reading the history"), spinner="dots"):
            past = history(root, months, until=as_date(as_of), rev=rev)
        if not past:
            note = _(
                "no version saved in git's history falls in those months, so the report has "
                "no history; it starts with the first saved version (commit)"
            )
            print_note(console, note)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from solidarity_cli.reporting.report import making_site

    language = report_language(lang.value if lang else None, network_language(root, rev))
    day = as_date(as_of)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        # Checking first (no count yet), then pages written out of the total.
        task = bar.add_task(_("Writing the report"), total=None)

        def pages_written(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if output is not ReportFormat.HTML:
            rendered = render(root, day, language, output.value, scope, past, rev=rev)
        else:
            target = out or Path("site")
            with making_site(
                root, day, language, scope, past, rev, pages_written, split=True
            ) as made:
                _say_withheld(made.withheld, strict=strict)
                # Each page is written into the staging folder as it is rendered (by this
                # process, and by a second one for the donors' and partnerships' pages): the
                # site is never held whole.
                written = write_site(made.pages, target, force=force, beside=made.beside)
    if output is ReportFormat.HTML:
        console.print(
            _("Site written to {path} ({n} pages).").format(
                path=target.resolve() / "index.html", n=written
            )
        )
        return
    _say_withheld(rendered.withheld, strict=strict)
    files = rendered.files
    [(name, text)] = files.items()
    if out is None:
        stdout_write(text)
        return
    from solidarity_cli.atomic import write_text_atomic

    try:
        write_text_atomic(
            out, text, overwrite=force or (out.exists() and out.read_text(encoding="utf-8") == text)
        )
    except FileExistsError:
        raise UsageError(
            M_("{file} already exists", file=out), hint=M_("add --force to replace it")
        ) from None
    done = (
        _("Map data written to {path}.")
        if name.endswith(".geojson")
        else _("Report written to {path}.")
    )
    console.print(done.format(path=out))


def _say_withheld(withheld: list[Diagnostic], *, strict: bool) -> None:
    """List on stderr what was withheld and where to fix it; with ``strict``, publish nothing."""
    if not withheld:
        return
    console = stderr_console()
    for d in withheld:
        console.print(
            f"{d.path}:{d.line}: {d.code} {say(d.message, _)}", markup=False, highlight=False
        )
        what_to_do = _("what to do:")
        console.print(f"  {what_to_do} {say(d.hint, _)}", markup=False, highlight=False)
    n = len(withheld)
    if strict:
        console.print(
            ngettext(
                "Nothing was written: {n} text holds personal data (--strict).",
                "Nothing was written: {n} texts hold personal data (--strict).",
                n,
            ).format(n=n),
            markup=False,
        )
        raise typer.Exit(EXIT_FINDINGS)
    console.print(
        ngettext(
            "{n} text holding personal data was withheld from the report.",
            "{n} texts holding personal data were withheld from the report.",
            n,
        ).format(n=n),
        markup=False,
    )


def _digest(
    root: Path,
    as_of: dt.datetime | None,
    lang: Language | None,
    recipient: tuple[Recipient, str] | None,
    out: Path | None,
    *,
    force: bool,
    scoped: bool,
) -> None:
    """Digests: printed, or written one file per recipient into the --out folder."""
    from solidarity_cli.atomic import write_text_atomic
    from solidarity_cli.reporting.digest import digests, render_digest, the_digest
    from solidarity_cli.reporting.report import network_language

    if scoped:
        raise UsageError(
            M_("a digest is chosen with --for, not with a record id"),
            hint=M_("write --for community ID, --for donor ID or --for platform ID"),
        )
    with stderr_console().status(_("Writing the digests"), spinner="dots"):
        found = digests(root, as_date(as_of), lang.value if lang else None, network_language(root))
    if recipient is not None:
        kind, ident = recipient
        chosen = [the_digest(found, kind.value, ident)]
    else:
        chosen = [d for d in found if not d.empty]
    texts = {d.filename: render_digest(d, root) for d in chosen}
    if out is None:
        stdout_write("\n---\n\n".join(texts.values()))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        target = out / name
        same = target.exists() and target.read_text(encoding="utf-8") == text
        try:
            write_text_atomic(target, text, overwrite=force or same)
        except FileExistsError:
            raise UsageError(
                M_("{file} already exists", file=target), hint=M_("add --force to replace it")
            ) from None
    stderr_console().print(
        ngettext(
            "{n} digest written to {path}", "{n} digests written to {path}", len(texts)
        ).format(n=len(texts), path=out)
    )
