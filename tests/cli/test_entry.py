"""The console script answers --version without loading the command line."""

from __future__ import annotations

import subprocess
import sys

from solidarity_cli import __version__

_PROBE = """
import sys
sys.argv = ["solidarity", "--version"]
from solidarity_cli.cli.entry import main
main()
heavy = sorted(m for m in ("typer", "rich", "pydantic", "ruamel", "jinja2") if m in sys.modules)
print("loaded:", ",".join(heavy))
"""


def test_version_loads_nothing_heavy() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == [f"solidarity {__version__}", "loaded: "]


def test_python_dash_m_runs_the_same_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "solidarity_cli", "rules", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"code": "ND001"' in done.stdout
