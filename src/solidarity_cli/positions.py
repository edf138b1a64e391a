"""Exact positions of keys and values, read with ruamel.yaml's round-trip loader.

The round-trip loader is about a hundred times slower than the bulk parser, so it only reads the
files that have a finding to place.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from solidarity_cli.diagnostics import KeyPath


def _loader(allow_duplicates: bool) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = allow_duplicates
    return yaml


def duplicate_key_position(text: str) -> tuple[int, int, str]:
    """1-based line and column of the first repeated key in ``text``, and the key."""
    try:
        _loader(allow_duplicates=False).load(StringIO(text))
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        if mark is not None:
            return mark.line + 1, mark.column + 1, key
    except YAMLError:
        pass
    return 1, 1, ""


class PositionIndex:
    """Positions of the nodes of one YAML text, looked up by key path."""

    def __init__(self, text: str) -> None:
        try:
            self._root: Any = _loader(allow_duplicates=True).load(StringIO(text))
        except (YAMLError, MarkedYAMLError, RecursionError, ValueError):
            self._root = None

    def locate(self, key_path: KeyPath, *, target: str = "value") -> tuple[int, int]:
        """1-based (line, column) of a node.

        ``target`` is ``value`` (the node itself), ``key`` (the key naming it) or ``parent``
        (the key of the mapping that should have held it, for a missing field). Parts of the
        path that are not keys of the data (pydantic union tags) are skipped.
        """
        path = _follow(self._root, key_path)
        if target == "parent":
            path = path[:-1] if len(path) == len(key_path) or not path else path
            target = "key"
            if not path:
                return 1, 1
        return _position(self._root, path, target)


def _follow(root: Any, key_path: Sequence[str | int]) -> list[str | int]:
    """The longest prefix of ``key_path`` (skipping unknown parts) present in the data."""
    node, found = root, []
    for part in key_path:
        if isinstance(node, CommentedMap) and part in node:
            found.append(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            found.append(part)
            node = node[part]
    return found


def _position(root: Any, path: list[str | int], target: str) -> tuple[int, int]:
    if not path:
        return 1, 1
    node = root
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    try:
        if isinstance(node, CommentedSeq):
            line, col = node.lc.item(last)
        elif target == "key":
            line, col = node.lc.key(last)
        else:
            line, col = node.lc.value(last)
    except (KeyError, TypeError, AttributeError):
        line, col = node.lc.line, node.lc.col
    return int(line) + 1, int(col) + 1
