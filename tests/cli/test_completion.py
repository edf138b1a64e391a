"""Shell completion answers from its table what typer would answer, without loading the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from solidarity_cli.cli.completion import live_table
from solidarity_cli.cli.completion_table import TABLE

LINES = [
    ("solidarity ", 1),
    ("solidarity ch", 1),
    ("solidarity -", 1),
    ("solidarity check -", 2),
    ("solidarity check --f", 2),
    ("solidarity check --format ", 3),
    ("solidarity check --strict -", 3),
    ("solidarity check --format json --", 4),
    ("solidarity report --format ", 3),
    ("solidarity new ", 2),
    ("solidarity new do", 2),
    ("solidarity rules ", 2),
    ("solidarity rules explain --format ", 4),
    ("solidarity export --format x", 3),
    ("solidarity match --community ", 3),
]

_TYPER = "import sys; sys.argv[0] = 'solidarity'; from solidarity_cli.cli.app import main; main()"
_OURS = (
    "import sys; sys.argv[0] = 'solidarity'; from solidarity_cli.cli.entry import main; main(); "
    "assert 'typer' not in sys.modules and 'pydantic' not in sys.modules, 'loaded the CLI'"
)


def test_the_table_is_the_command_lines() -> None:
    assert live_table() == TABLE, "regenerate: python -m solidarity_cli.cli.completion"


def _complete(code: str, env: dict[str, str]) -> str:
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize(("line", "cword"), LINES)
def test_bash_completion_answers_what_typer_would(line: str, cword: int) -> None:
    env = {"_SOLIDARITY_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword)}
    # The same values (bash sorts them for display).
    assert sorted(_complete(_OURS, env).split()) == sorted(_complete(_TYPER, env).split())


def _zsh_values(output: str) -> list[str]:
    """The values offered to zsh, without the help texts typer adds to some."""
    return re.findall(r'^(?:_arguments \'\*: :\(\()?"((?:[^"]|"")*)"', output, re.MULTILINE)


@pytest.mark.parametrize("line", ["solidarity check --format ", "solidarity rep", "solidarity x"])
def test_zsh_completion_answers_what_typer_would(line: str) -> None:
    env = {"_SOLIDARITY_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line}
    ours, typers = _complete(_OURS, env), _complete(_TYPER, env)
    assert sorted(_zsh_values(ours)) == sorted(_zsh_values(typers))
    assert ("_files" in ours) == ("_files" in typers)
