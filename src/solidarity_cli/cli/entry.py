"""The console script: answers ``--version`` at once, and loads the command line otherwise.

Importing the commands (typer, rich, pydantic, the models) takes a good part of a second;
``solidarity --version`` is asked by scripts and installers and needs none of it.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        from solidarity_cli import __version__

        sys.stdout.write(f"solidarity {__version__}\n")
        return
    from solidarity_cli.cli.app import main as run

    run()
