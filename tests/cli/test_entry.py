"""The console script answers --version without loading the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from solidarity_cli import __version__

_PROBE = """
import sys
from pathlib import Path
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


_CHECK_PROBE = """
import os, sys
sys.argv = ["solidarity", "check", "--no-cache", "--repo", sys.argv[1]]
from solidarity_cli.cli import app
try:
    app.app()
except SystemExit as stop:
    print("exit:", stop.code)
loaded = [m for m in ("typer.rich_utils", "rich.markdown", "pygments") if m in sys.modules]
print("loaded:", ",".join(loaded))
"""


def test_a_command_without_help_leaves_typers_help_printer_unloaded(minimal: Path) -> None:
    """typer's help printer (Markdown, Pygments) loads only when help or an error is shown."""
    done = subprocess.run(
        [sys.executable, "-c", _CHECK_PROBE, str(minimal)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.splitlines()[-2:] == ["exit: 0", "loaded: "], done.stdout + done.stderr


def test_help_loaded_late_is_still_in_the_users_language() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "solidarity_cli", "check", "--bogus"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SOLIDARITY_LANG": "pt", "NO_COLOR": "1"},
    )
    assert done.returncode == 2
    assert "Erro" in done.stderr and "Não há nenhuma opção" in done.stderr, done.stderr
