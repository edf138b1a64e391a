"""``solidarity schema``: JSON Schema of every record kind, for editors and other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solidarity_cli.cli.common import command, stderr_console, stdout_write
from solidarity_cli.output import dumps
from solidarity_cli.schemas import render_schemas, write_schemas


@command
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write one <kind>.schema.json per record kind into this folder.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print or write the JSON Schema of every record kind.

    Editors that speak the YAML language server read the schema named on the first
    line of each record file (# yaml-language-server: $schema=...) and complete and
    check as you type.

    [bold]Examples[/]

      solidarity schema --out schemas/

      solidarity schema | jq '.["community.schema.json"].required'
    """
    if out is None:
        import json

        stdout_write(dumps({name: json.loads(text) for name, text in render_schemas().items()}))
        return
    changed = write_schemas(out)
    console = stderr_console()
    if changed:
        for path in changed:
            console.print(f"wrote {path}")
    else:
        console.print(f"schemas in {out} are up to date")
