"""``solidarity export``: the network in IATI, 360Giving, HXL, CSV, XLSX, GeoJSON or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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


def _write(target: Path, data: bytes, force: bool) -> None:
    from solidarity_cli.atomic import write_bytes_atomic

    same = target.is_file() and target.read_bytes() == data
    try:
        write_bytes_atomic(target, data, overwrite=force or same)
    except FileExistsError:
        raise UsageError(
            M_("{file} already exists", file=target), hint=M_("add --force to replace it")
        ) from None


@command
def export(
    scope: ScopeArgument = None,
    repo: RepoOption = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="iati: IATI 2.03 XML; 360giving: 360Giving JSON; hxl: who-does-what-where CSV "
            "with HXL tags; csv: one CSV per record kind and datapackage.json; xlsx: one sheet "
            "per record kind; geojson: communities and coverage; json: the whole dataset.",
        ),
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (a folder for csv). Default: print (csv and xlsx need --out).",
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
    """
    from solidarity_cli.exporting import export_view

    if out is None and (fmt.several_files or fmt.binary):
        raise UsageError(
            M_("--format {format} writes files, not text to print", format=fmt.value),
            hint=M_("add --out {name}", name=fmt.default_name),
        )
    root = repo_root(repo)
    console = stderr_console()
    with console.status(_("Exporting"), spinner="dots"):
        files, public = export_view(root, fmt, as_date(as_of), scope)
    if public.unreadable:
        console.print(
            ngettext(
                "note: {n} record could not be read and is left out; "
                "'solidarity check' says what to fix",
                "note: {n} records could not be read and are left out; "
                "'solidarity check' says what to fix",
                public.unreadable,
            ).format(n=public.unreadable)
        )
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
