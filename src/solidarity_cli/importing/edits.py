"""Changes to existing record files, made with ruamel.yaml's round trip so that every comment
stays, then brought to the canonical form of ``solidarity fmt`` (nothing else moves)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from solidarity_cli.diagnostics import KeyPath
from solidarity_cli.formatting import Kind, format_text

Value = str | int | float | Decimal | dt.date | dict[str, Any] | list[Any] | None


@dataclass(frozen=True)
class Edit:
    """Set the value at ``path`` (keys and list positions) in the file ``rel``."""

    rel: str
    path: KeyPath
    value: Value


class Inline(dict[str, Any]):
    """A mapping written on one line (``{amount: 100, currency: EUR}``), as the data does for
    amounts and periods."""


def _yaml() -> YAML:
    y = YAML(typ="rt", pure=True)
    y.width = 4096
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def plain(value: Value) -> Any:
    """A value as YAML writes it: whole numbers without a decimal point, mappings as nodes."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            if v is not None:
                node[k] = plain(v)
        if isinstance(value, Inline):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        return CommentedSeq(plain(v) for v in value)
    return value


def _set(node: Any, path: KeyPath, value: Value) -> None:
    """Set ``value`` at ``path``; missing mappings and lists on the way are made, and a list
    position one past the end appends."""
    *parents, last = path
    for i, part in enumerate(parents):
        following = path[i + 1]
        if isinstance(part, int):
            node = node[part]
            continue
        if not isinstance(node, CommentedMap):
            raise KeyError(part)
        if node.get(part) is None:
            node[part] = CommentedSeq() if isinstance(following, int) else CommentedMap()
        node = node[part]
    if isinstance(node, CommentedSeq) and isinstance(last, int):
        if last == len(node):
            node.append(plain(value))
        else:
            node[last] = plain(value)
    elif isinstance(node, CommentedMap):
        node[last] = plain(value)
    else:
        raise KeyError(last)


def edited_text(text: str, edits: list[Edit], kind: Kind) -> str:
    """``text`` with ``edits`` made, in canonical form, every comment kept."""
    y = _yaml()
    data = y.load(text)
    for edit in edits:
        _set(data, edit.path, edit.value)
    out = StringIO()
    y.dump(data, out)
    return format_text(out.getvalue(), kind)
