"""Every command's ``--help``: an example, and a word on each option."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import typer

from solidarity_cli.cli.app import app
from tests.conftest import Run


def _commands() -> Iterator[tuple[list[str], Any]]:
    root = typer.main.get_command(app)
    stack: list[tuple[list[str], Any]] = [([], root)]
    while stack:
        path, command = stack.pop()
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            stack.append(([*path, name], sub))


def test_every_command_and_group_shows_an_example(cli: Callable[..., Run]) -> None:
    seen = []
    for path, _command in _commands():
        run = cli([*path, "--help"])
        assert run.exit_code == 0, path
        assert "Examples" in run.stdout, path
        assert f"solidarity {' '.join(path)}".strip() in run.stdout, path
        seen.append(" ".join(path))
    assert {"", "check", "rules", "rules explain", "rules test", "fmt", "new"} <= set(seen)


def test_every_option_says_what_it_is_for() -> None:
    for path, command in _commands():
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden:
                assert getattr(param, "help", None), (path, param.name)


def test_a_format_that_does_not_exist_is_refused(cli: Callable[..., Run]) -> None:
    for args in (["fmt", "--check"], ["new", "donor", "--no-input"], ["rules", "test"]):
        run = cli([*args, "--format", "xml"])
        assert run.exit_code == 2, args
        assert "'xml' is not one of 'text', 'json'" in " ".join(run.stderr.split()), args
