"""Records as YAML text in the project's canonical shape, with a comment above each field."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def yaml_writer() -> YAML:
    """A round-trip YAML writer: two-space indentation, lists indented under their key."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.preserve_quotes = True
    yaml.default_flow_style = False
    return yaml


def _plain(value: Any) -> Any:
    """Plain YAML values: whole decimals as integers, dates as dates, enums as text."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            if item is not None:
                node[key] = _plain(item)
        return node
    if isinstance(value, list | tuple):
        return CommentedSeq([_plain(item) for item in value])
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | bool | int | float):
        return value
    return str(value)


def dump(node: Any) -> str:
    """YAML text of a node built by :func:`commented`."""
    buffer = io.StringIO()
    yaml_writer().dump(node, buffer)
    return buffer.getvalue()


def commented(
    data: Mapping[str, Any], explain: Callable[[str], str | None], *, schema: str | None = None
) -> str:
    """``data`` as YAML, each top-level key preceded by ``explain(key)`` as a comment.

    ``schema`` is the relative path of the kind's JSON Schema, named on the first line so that
    editors complete and check the file.
    """
    node = _plain(data)
    for key in list(node):
        text = explain(key)
        if text:
            node.yaml_set_comment_before_after_key(key, before=text, indent=0)
    header = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    return header + dump(node)
