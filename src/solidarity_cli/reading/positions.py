"""Exact positions of keys and values, for the few files that have a finding to place.

PyYAML's libyaml composer builds the node tree with the line and column of every node, about a
hundred times faster than ruamel.yaml's round-trip loader; only the structure is used, never
PyYAML's YAML 1.1 idea of what a value means.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from solidarity_cli.diagnostics import Diagnostic, KeyPath
from solidarity_cli.reading.discovery import read_regular

#: Findings are only placed in files that passed the size bound; this guards the rest.
_PLACE_LIMIT = 64 << 20

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _key_text(node: Node) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def duplicate_key_position(text: str) -> tuple[int, int, str]:
    """1-based line and column of the first repeated key in ``text``, and the key."""
    root = _compose(text)
    stack = [root] if root is not None else []
    found: list[tuple[int, int, str]] = []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = _key_text(key)
                if name is not None and name in seen:
                    found.append((*_mark(key), name))
                elif name is not None:
                    seen.add(name)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return min(found) if found else (1, 1, "")


def complex_key_position(text: str) -> tuple[int, int]:
    """1-based line and column of the first key that is a list or a mapping in ``text``."""
    stack = [_compose(text)]
    found: list[tuple[int, int]] = []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, MappingNode | SequenceNode):
                    found.append(_mark(key))
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return min(found) if found else (1, 1)


class PositionIndex:
    """Positions of the nodes of one YAML text, looked up by key path."""

    def __init__(self, text: str) -> None:
        self._root = _compose(text)

    def locate(self, key_path: KeyPath, *, target: str = "value") -> tuple[int, int]:
        """1-based (line, column) of a node.

        ``target`` is ``value`` (the node itself), ``key`` (the key naming it) or ``parent``
        (the key of the mapping that should have held it, for a missing field). Parts of the
        path that are not keys of the data (pydantic union tags) are skipped.
        """
        trail = _follow(self._root, key_path)
        if target == "parent":
            if trail and len(trail) == len(key_path):
                trail = trail[:-1]  # the field is there after all: point at its mapping
            target = "key"
        if not trail:
            return 1, 1
        key_node, value_node = trail[-1]
        node = key_node if target == "key" and key_node is not None else value_node
        return _mark(node)


_BY_PLACE = re.compile(r"\[key (\d+)\]")


def key_by_place(place: int) -> str:
    """The key-path part naming the ``place``-th key of a mapping (1-based), for a key that
    is not text (a list, a mapping, empty) and so cannot be named by itself."""
    return f"[key {place}]"


def _child(node: Node | None, part: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if _key_text(key) == str(part):
                return key, value
        by_place = _BY_PLACE.fullmatch(part) if isinstance(part, str) else None
        if by_place is not None and 0 < int(by_place.group(1)) <= len(node.value):
            key, value = node.value[int(by_place.group(1)) - 1]
            return key, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _follow(root: Node | None, key_path: Sequence[str | int]) -> list[tuple[Node | None, Node]]:
    """(key node, value node) for each part of ``key_path`` found in the data, in order."""
    node, trail = root, []
    for part in key_path:
        child = _child(node, part)
        if child is not None:
            trail.append(child)
            node = child[1]
    return trail


def place(
    root: Path, diagnostics: list[Diagnostic], read: Callable[[str], bytes | None] | None = None
) -> list[Diagnostic]:
    """Fill in line and column for findings known only by key path (one re-read per file).

    ``read`` gives a file's content by repo-relative path when it is not the one on disk
    (a git revision); it returns None for a file it does not have.
    """
    indexes: dict[str, PositionIndex | None] = {}
    placed = []
    for diag in diagnostics:
        loc = diag.location
        if loc.line > 0:
            placed.append(diag)
            continue
        if loc.path not in indexes:
            if read is None:
                data: bytes | None = read_regular(root / loc.path, _PLACE_LIMIT)
            else:
                try:
                    data = read(loc.path)
                except OSError:
                    data = None
                data = None if data is None else data[:_PLACE_LIMIT]
            indexes[loc.path] = PositionIndex(data.decode("utf-8", "replace")) if data else None
        index = indexes[loc.path]
        line, col = index.locate(loc.key_path, target=loc.anchor) if index else (1, 1)
        placed.append(diag.at(line, col))
    return placed
