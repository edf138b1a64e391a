"""The round-trip YAML writer ``new need`` edits a strategy with, and plain YAML scalars."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
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


def plain(value: Any) -> Any:
    """Plain YAML values: whole decimals as integers, dates as dates, enums as text."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            if item is not None:
                node[key] = plain(item)
        return node
    if isinstance(value, list | tuple):
        return CommentedSeq([plain(item) for item in value])
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | bool | int | float):
        return value
    return str(value)


def dump(node: Any) -> str:
    """YAML text of a node."""
    buffer = io.StringIO()
    yaml_writer().dump(node, buffer)
    return buffer.getvalue()
