"""The console script: answers ``--version`` and shell completion at once, else loads the CLI.

Importing the commands (typer, rich, pydantic, the models) takes a good part of a second;
``solidarity --version`` is asked by scripts and installers, and every TAB of shell
completion runs the command: neither needs any of it (``cli.completion``).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        from solidarity_cli import __version__

        sys.stdout.write(f"solidarity {__version__}\n")
        return
    if "_SOLIDARITY_COMPLETE" in os.environ:
        from solidarity_cli.cli.completion import respond

        if respond():
            return
    from solidarity_cli.cli.app import main as run

    run()
