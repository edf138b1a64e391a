"""Babel extraction of the command line's help: ``help=``/``epilog=`` texts and docstrings.

``babel.cfg`` names this extractor for ``cli/``: besides what ``_``, ``ngettext`` and friends
mark, it lists the help of every option and argument, each command's epilog and the
docstrings typer shows as a command's help, so that ``--help`` is translated
(``cli.help_i18n``) without wrapping every literal.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

_KEYWORDS = ("help", "epilog", "short_help")


def help_texts(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every help text in a cli module's ``source``."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "_option" and len(node.args) > 1:
                text = _literal(node.args[1])  # ``_option("--name", "help")`` in cli/new.py
                if text:
                    yield node.args[1].lineno, text
            for keyword in node.keywords:
                if keyword.arg in _KEYWORDS:
                    text = _literal(keyword.value)
                    if text:
                        yield keyword.value.lineno, text
        elif isinstance(node, ast.FunctionDef) and _is_command(node):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, inspect.cleandoc(doc)


def _literal(node: ast.expr) -> str | None:
    """A string literal, also written as implicitly joined pieces."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_command(node: ast.FunctionDef) -> bool:
    """A function typer shows: one with typer options, or a Typer callback."""
    decorated = any(
        "callback" in ast.unparse(d) or "command" in ast.unparse(d) for d in node.decorator_list
    )
    arguments = [*node.args.args, *node.args.kwonlyargs]
    annotated = any(
        a.annotation is not None
        and (
            "typer." in ast.unparse(a.annotation)
            or "Option" in ast.unparse(a.annotation)
            or "Argument" in ast.unparse(a.annotation)
        )
        for a in arguments
    )
    return decorated or (annotated and not node.name.startswith("__"))


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[Any]:
    """Babel's Python extraction, then the help texts of the same file."""
    source = fileobj.read()
    from io import BytesIO

    yield from extract_python(BytesIO(source), keywords, comment_tags, options)  # type: ignore[arg-type]
    for line, text in help_texts(source.decode("utf-8")):
        yield line, None, text, []
