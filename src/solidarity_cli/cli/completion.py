"""Shell completion answered from a table of the commands, without loading the command line.

Every TAB runs ``solidarity`` with ``_SOLIDARITY_COMPLETE`` set; building the commands means
importing typer, rich, pydantic and every core module, half a second a TAB. ``entry.py``
answers from ``completion_table.TABLE`` instead (commands, options, their choices), written
from the real command line by ``python -m solidarity_cli.cli.completion`` (then
``ruff format`` the file) and checked
against it by the tests. Completions carry values only (no help texts); anything else
(``--install-completion``, the shell scripts) goes to typer as before.
"""

from __future__ import annotations

import enum
import os
import shlex
import sys
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

Node = dict[str, Any]


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:  # an open quote: complete what was typed so far
        return shlex.split(line + '"') if '"' in line else line.split()


def _words(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """(arguments before the cursor, the word being typed), as typer reads them per shell."""
    if shell == "bash":
        words = _split(environ.get("COMP_WORDS", ""))
        cword = int(environ.get("COMP_CWORD", "0") or 0)
        return words[1:cword], words[cword] if cword < len(words) else ""
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)[1:]
    if shell in {"powershell", "pwsh"}:
        incomplete = environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        return (words[:-1] if incomplete else words), incomplete
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def candidates(table: Node, args: list[str], incomplete: str) -> list[str]:
    """What may come next after ``args`` and starts with ``incomplete``."""
    node, used, positional, expecting = table, set(), 0, None
    for arg in args:
        if expecting is not None:
            expecting = None
            continue
        if arg.startswith("-") and arg != "-":
            name = arg.split("=", 1)[0]
            option = node["options"].get(name)
            if option is not None:
                used.add(option["name"])
                if not option["flag"] and "=" not in arg:
                    expecting = option
            continue
        if arg in node.get("commands", {}):
            node, used, positional = node["commands"][arg], set(), 0
            continue
        positional += 1
    if expecting is not None:
        found = expecting["choices"]
    elif incomplete.startswith("-"):
        found = [
            opt
            for opt, option in node["options"].items()
            if option["multiple"] or option["name"] not in used
        ]
    elif node.get("commands"):
        found = list(node["commands"])
    else:
        arguments = node.get("arguments", [])
        found = arguments[positional] if positional < len(arguments) else []
    return [value for value in found if value.startswith(incomplete)]


def respond(environ: Mapping[str, str] = os.environ) -> bool:
    """Answer a completion request on stdout; False when it is not one for the table."""
    instruction = environ.get("_SOLIDARITY_COMPLETE", "")
    shell = instruction.removeprefix("complete_")
    if not instruction.startswith("complete_") or shell not in {
        "bash",
        "zsh",
        "fish",
        "powershell",
        "pwsh",
    }:
        return False
    words = _words(shell, environ)
    if words is None:
        return False
    from solidarity_cli.cli.completion_table import TABLE

    found = candidates(TABLE, *words)
    if shell == "zsh":
        quoted = [
            '"' + v.replace('"', '""').replace("'", "''").replace(":", r"\\:") + '"' for v in found
        ]
        out = "_arguments '*: :((" + "\n".join(quoted) + "))'" if found else "_files"
    elif shell == "fish":
        action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            sys.stdout.flush()
            raise SystemExit(0 if found else 1)
        out = "\n".join(found) if action == "get-args" else ""
    elif shell in {"powershell", "pwsh"}:
        out = "\n".join(f"{v}::: " for v in found)
    else:
        out = "\n".join(found)
    if out:
        sys.stdout.write(out + "\n")
    return True


def build_table(command: Any, parent: Any = None) -> Node:
    """The completion table of a click command built by typer (for the tests and regeneration)."""
    from typer._click import Context

    node: Node = {"options": {}, "arguments": []}
    for param in command.params:
        if getattr(param, "hidden", False) or param.name == "help":
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        if typing.get_origin(annotation) in (list, tuple):  # an option given several times
            annotation = typing.get_args(annotation)[0]
        choices = (
            [str(member.value) for member in annotation]
            if isinstance(annotation, type) and issubclass(annotation, enum.Enum)
            else []
        )
        if type(param).__name__.endswith("Argument"):
            node["arguments"].append(choices)
            continue
        for opt in [*param.opts, *param.secondary_opts]:
            node["options"][opt] = {
                "name": param.name,
                "flag": bool(param.is_flag),
                "multiple": bool(param.multiple),
                "choices": choices,
            }
    context = Context(command, parent=parent, info_name=command.name, **command.context_settings)
    helper = command.get_help_option(context)
    for opt in helper.opts if helper is not None else []:
        node["options"][opt] = {"name": "help", "flag": True, "multiple": False, "choices": []}
    commands = getattr(command, "commands", None)
    if commands:
        node["commands"] = {name: build_table(sub, context) for name, sub in commands.items()}
    return node


def live_table() -> Node:
    """The table of the command line as it is now."""
    import typer.main

    from solidarity_cli.cli.app import app

    return build_table(typer.main.get_command(app))


TABLE_FILE = Path(__file__).with_name("completion_table.py")


def table_source(table: Node) -> str:
    """``completion_table.py`` for ``table``."""
    import pprint

    return (
        '"""Commands, options and choices for shell completion.\n\n'
        'Written by ``python -m solidarity_cli.cli.completion``: do not edit.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Any\n\n"
        f"TABLE: dict[str, Any] = {pprint.pformat(table, width=100, sort_dicts=False)}\n"
    )


if __name__ == "__main__":
    TABLE_FILE.write_text(table_source(live_table()), encoding="utf-8")
