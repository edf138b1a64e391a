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
from solidarity_cli.privacy import personal_data_codes
from solidarity_cli.reading.discovery import read_regular
from solidarity_cli.words import M_

#: Findings are only placed in files that passed the size bound; this guards the rest.
_PLACE_LIMIT = 64 << 20

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: How many repairs one file may have for placing (each repair composes the text again).
_REPAIRS = 64
_PLACEHOLDER = "~"
_COMMENT = re.compile(r"(?:^|[ \t])#.*$")


def _key_end(lines: list[str], line: int) -> tuple[int, int] | None:
    """Where the flow key ends whose ':' starts line ``line``: the end of the last earlier
    line with something other than blanks and a comment on it."""
    for before in range(line - 1, -1, -1):
        content = _COMMENT.sub("", lines[before]).rstrip()
        if content:
            return before, len(content)
    return None


class _Composed:
    """The node tree of a text, and the way back from its marks to the text's own columns.

    libyaml refuses a few spellings that YAML 1.2 and the bulk parser accept: an empty key
    (``: value``, ``{: value}``, ``? : value``), a ':' right before a flow indicator
    (``{omitted:,}``) and a flow key whose ':' starts the next line. Each is repaired in place
    (a null placeholder ``~`` for the empty key, a space after the ':', the ':' moved to the
    key's line), never adding a line, so that every node keeps its line and the findings of
    the file are placed where they are, not at line 1.
    """

    def __init__(self, text: str) -> None:
        self.root: Node | None = None
        self._inserted: list[tuple[int, int, int]] = []  # (line, column, width), 0-based
        self._placeholders: set[tuple[int, int]] = set()
        lines: list[str] | None = None
        for _ in range(_REPAIRS + 1):
            try:
                self.root = yaml.compose(text, Loader=_Loader)
                return
            except yaml.MarkedYAMLError as exc:
                lines = text.split("\n") if lines is None else lines
                if not self._repair(lines, exc):
                    return
                text = "\n".join(lines)
            except (yaml.YAMLError, RecursionError, ValueError):
                return

    def _repair(self, lines: list[str], exc: yaml.MarkedYAMLError) -> bool:
        mark, problem = exc.problem_mark, str(exc.problem or "")
        if mark is None or mark.line >= len(lines):
            return False
        line, col = mark.line, mark.column
        if lines[line][col : col + 1] != ":":
            return False
        if problem in ("did not find expected key", "did not find expected node content"):
            self._insert(lines, line, col, _PLACEHOLDER)
            self._placeholders = {
                (at, c + len(_PLACEHOLDER) if at == line and c >= col else c)
                for at, c in self._placeholders
            } | {(line, col)}
            return True
        if problem == "found unexpected ':'" and lines[line][col + 1 : col + 2] in (",", "}", "]"):
            self._insert(lines, line, col + 1, " ")
            return True
        if problem == "did not find expected ',' or '}'":
            end = _key_end(lines, line)
            if end is None:
                return False
            lines[line] = lines[line][:col] + " " + lines[line][col + 1 :]
            self._insert(lines, *end, ":")
            return True
        return False

    def _insert(self, lines: list[str], line: int, col: int, text: str) -> None:
        lines[line] = lines[line][:col] + text + lines[line][col:]
        self._inserted = [
            (at, c + len(text) if at == line and c >= col else c, width)
            for at, c, width in self._inserted
        ]
        self._inserted.append((line, col, len(text)))

    def written(self, node: Node) -> str:
        """The text of a key as written: empty for a placeholder."""
        at = (node.start_mark.line, node.start_mark.column)
        return "" if at in self._placeholders else _key_text(node) or ""

    def mark(self, node: Node) -> tuple[int, int]:
        """1-based line and column of ``node`` in the text as written."""
        line, col = node.start_mark.line, node.start_mark.column
        shift = sum(width for at, c, width in self._inserted if at == line and c < col)
        return line + 1, col - shift + 1


def _compose(text: str) -> _Composed:
    return _Composed(text)


def _key_text(node: Node) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def _key_value(node: Node) -> object:
    """A key as the bulk parser reads it (YAML 1.2 core schema), for finding repeated keys:
    ``~`` and an empty key are the same null, ``01`` and ``1`` the same number."""
    if not isinstance(node, ScalarNode):
        return None
    text = node.value
    if node.style:  # quoted or block text (plain is None, or "" from libyaml)
        return ("text", text)
    if _NULL.fullmatch(text):
        return ("null",)
    if text in _BOOL:
        return ("bool", _BOOL[text])
    if _INT.fullmatch(text):
        return ("number", int(text))
    if text[:2] in ("0o", "0x") and len(text) > 2:
        try:
            return ("number", int(text[2:], 8 if text[1] == "o" else 16))
        except ValueError:
            return ("text", text)
    if _FLOAT.fullmatch(text) and any(ch.isdigit() for ch in text):
        return ("number", float(text))
    return ("text", text)


def duplicate_key_position(text: str) -> tuple[int, int, str]:
    """1-based line and column of the first repeated key in ``text``, and the key (withheld
    when it holds personal data)."""
    composed = _compose(text)
    stack = [composed.root] if composed.root is not None else []
    found: list[tuple[int, int, str]] = []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: set[object] = set()
            for key, value in node.value:
                name = _key_value(key)
                if name is not None and name in seen:
                    written = composed.written(key)
                    if personal_data_codes(written):  # never quoted in a finding
                        written = M_("[withheld: personal data]")
                    found.append((*composed.mark(key), written))
                elif name is not None:
                    seen.add(name)
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return min(found) if found else (1, 1, "")


def complex_key_position(text: str) -> tuple[int, int]:
    """1-based line and column of the first key that is a list or a mapping in ``text``."""
    composed = _compose(text)
    stack = [composed.root]
    found: list[tuple[int, int]] = []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, MappingNode | SequenceNode):
                    found.append(composed.mark(key))
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return min(found) if found else (1, 1)


class PositionIndex:
    """Positions of the nodes of one YAML text, looked up by key path."""

    def __init__(self, text: str) -> None:
        self._composed = _compose(text)

    def locate(self, key_path: KeyPath, *, target: str = "value") -> tuple[int, int]:
        """1-based (line, column) of a node.

        ``target`` is ``value`` (the node itself), ``key`` (the key naming it) or ``parent``
        (the key of the mapping that should have held it, for a missing field). Parts of the
        path that are not keys of the data (pydantic union tags) are skipped.
        """
        trail = _follow(self._composed.root, key_path)
        if target == "parent":
            if trail and len(trail) == len(key_path):
                trail = trail[:-1]  # the field is there after all: point at its mapping
            target = "key"
        if not trail:
            return 1, 1
        key_node, value_node = trail[-1]
        node = key_node if target == "key" and key_node is not None else value_node
        return self._composed.mark(node)


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
