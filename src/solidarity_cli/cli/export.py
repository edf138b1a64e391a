"""``solidarity export``: the network in IATI, 360Giving, HXL, CSV, XLSX, GeoJSON or JSON."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from solidarity_cli.cli.common import (
    AsOfOption,
    RepoOption,
    ScopeArgument,
    as_date,
    command,
    repo_root,
    stderr_console,
)
from solidarity_cli.cli.i18n import _, ngettext
from solidarity_cli.errors import UsageError
from solidarity_cli.exporting import ExportFormat
from solidarity_cli.words import M_

if TYPE_CHECKING:
    from rich.console import Console


def _write(target: Path, data: bytes, force: bool) -> None:
    from solidarity_cli.atomic import write_bytes_atomic

    # Read back only when it decides something: --force replaces the file anyway.
    same = not force and target.is_file() and target.read_bytes() == data
    try:
        write_bytes_atomic(target, data, overwrite=force or same)
    except FileExistsError:
        raise UsageError(
            M_("{file} already exists", file=target), hint=M_("add --force to replace it")
        ) from None


class FormatChoice(enum.StrEnum):
    """What ``--format`` accepts: every ``ExportFormat`` and ``all``."""

    IATI = "iati"
    GIVING360 = "360giving"
    HXL = "hxl"
    CSV = "csv"
    XLSX = "xlsx"
    GEOJSON = "geojson"
    JSON = "json"
    ALL = "all"


def _chosen(values: list[FormatChoice]) -> list[ExportFormat]:
    """The formats asked for, each once, in the order of ``ExportFormat`` (``all``: every one)."""
    if FormatChoice.ALL in values:
        return list(ExportFormat)
    return [f for f in ExportFormat if f.value in values]


def _note_unreadable(console: Console, unreadable: int) -> None:
    if unreadable:
        console.print(
            ngettext(
                "note: {n} record could not be read and is left out; "
                "'solidarity check' says what to fix",
                "note: {n} records could not be read and are left out; "
                "'solidarity check' says what to fix",
                unreadable,
            ).format(n=unreadable)
        )


def _export_several(
    formats: list[ExportFormat],
    out: Path | None,
    repo: Path | None,
    as_of: dt.datetime | None,
    scope: str | None,
    force: bool,
) -> None:
    """Several formats from one reading of the repository, each under its usual name in
    the folder ``out``; nothing is written unless every format could be made."""
    from solidarity_cli.exporting import export_all

    if out is None:
        raise UsageError(
            M_("several formats are written to a folder, not printed"),
            hint=M_("add --out {name}", name="published"),
        )
    _refuse_a_file_for_a_folder(out, "published")
    root = repo_root(repo)
    console = stderr_console()
    with console.status(_("Exporting"), spinner="dots"):
        files, public = export_all(root, formats, as_date(as_of), scope)
    _note_unreadable(console, public.unreadable)
    if not force:
        # Refused before anything is written, so that the folder never holds half an export.
        for name, data in sorted(files.items()):
            target = out / name
            if target.exists() and not (target.is_file() and target.read_bytes() == data):
                raise UsageError(
                    M_("{file} already exists", file=target),
                    hint=M_("add --force to replace it"),
                )
    for name, data in sorted(files.items()):
        _write(out / name, data, force)
    console.print(_("{n} files written to {path}").format(n=len(files), path=out))


def _refuse_a_file_for_a_folder(out: Path, name: str) -> None:
    """Before reading anything: files go into ``out``, which must not be a file."""
    if out.exists() and not out.is_dir():
        raise UsageError(
            M_("{path} is a file: these files are written into a folder", path=out),
            hint=M_("give a folder with --out, e.g. --out {name}", name=name),
        )


@command
def export(
    scope: ScopeArgument = None,
    repo: RepoOption = None,
    formats: Annotated[
        list[FormatChoice] | None,
        typer.Option(
            "--format",
            "-f",
            help="iati: IATI 2.03 XML; 360giving: 360Giving JSON; hxl: who-does-what-where CSV "
            "with HXL tags; csv: one CSV per record kind and datapackage.json; xlsx: one sheet "
            "per record kind; geojson: communities and coverage; json: the whole dataset. "
            "Give it several times, or 'all', to write several formats from one reading into "
            "the folder --out. Default: json.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (a folder for csv or several formats). Default: print (csv and "
            "xlsx need --out).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that already exist.")
    ] = False,
) -> None:
    """Publish the network in open standards and for spreadsheets.

    One IATI activity or 360Giving grant per partnership agreement. Fields a community keeps
    private, anonymous donors and any text that may hold personal data never leave. The same
    data and the same --as-of give the same bytes.

    [bold]Examples[/]

      solidarity export --format iati --out iati-activities.xml

      solidarity export --format 360giving > grants.json

      solidarity export --format csv --out tables/

      solidarity export praia-branca --format xlsx --out praia-branca.xlsx

      solidarity export --format all --out published/
    """
    chosen = _chosen(formats or [FormatChoice.JSON])
    if len(chosen) > 1:
        _export_several(chosen, out, repo, as_of, scope, force)
        return
    [fmt] = chosen
    from solidarity_cli.exporting import export_view

    if out is None and (fmt.several_files or fmt.binary):
        raise UsageError(
            M_("--format {format} writes files, not text to print", format=fmt.value),
            hint=M_("add --out {name}", name=fmt.default_name),
        )
    if out is not None and fmt.several_files:
        _refuse_a_file_for_a_folder(out, fmt.default_name)
    root = repo_root(repo)
    console = stderr_console()
    with console.status(_("Exporting"), spinner="dots"):
        files, public = export_view(root, fmt, as_date(as_of), scope)
    _note_unreadable(console, public.unreadable)
    if out is None:
        [(_name, data)] = files.items()
        typer.echo(data.decode(), nl=False)
        return
    if fmt.several_files:
        for name, data in sorted(files.items()):
            _write(out / name, data, force)
        console.print(_("{n} files written to {path}").format(n=len(files), path=out))
        return
    [(_name, data)] = files.items()
    _write(out, data, force)
    console.print(_("{name} written to {path}").format(name=fmt.value, path=out))
