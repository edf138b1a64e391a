"""The canonical form of one record file, made with ruamel.yaml's round trip.

Choices (documented in the README):

- keys in the schema's order (the pydantic models' field order, nested records too); keys
  the schema does not know keep their place after the known ones, so a typo is still shown;
- two spaces per level; a list under a key is indented two spaces, its dash included
  (``key:\\n  - item``); a list or mapping written inline (``[pt, kea]``) stays inline;
- text with line breaks in block style (``|``), folded text (``>``) kept folded, text too
  long for one line folded (``>-``);
- quotes only where a YAML 1.1 or 1.2 reader would otherwise read something else than the
  text (``'NO'``, ``'on'``, ``'010'``, ``'1:20'``, ``'2024-01-01'`` in a text field), double
  quotes; numbers in the form both versions read the same;
- no anchors or aliases (each value is written out), LF line ends, no trailing spaces, one
  final newline. Every comment is kept.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from io import StringIO
from typing import Any

import yaml
import yaml_rs
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from solidarity_cli.formatting.order import (
    best_model,
    child_models,
    field_order,
    is_dict_of_models,
)
from solidarity_cli.models import Settings
from solidarity_cli.reading.layout import RecordKind

Kind = RecordKind | type[BaseModel] | None
"""What a file holds: a kind of record, a model (``Settings``), or None (no key order)."""

WIDTH = 100
"""Longest line the formatter writes when it can choose (text folded, not words cut)."""

_YAML11 = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
#: Booleans in the YAML 1.1 type repository that PyYAML's resolver leaves out.
_YAML11_BOOL_LETTERS = frozenset({"y", "Y", "n", "N"})


def needs_quotes(text: str) -> bool:
    """Whether plain ``text`` would be read as something else by a YAML 1.1 reader.

    YAML 1.2 readers are covered by ruamel's own resolver, which quotes what 1.2 would
    read as a number, a date, a boolean or null.
    """
    if not text or text in _YAML11_BOOL_LETTERS:
        return True
    tag: str = _YAML11.resolve(yaml.ScalarNode, text, (True, False))
    return tag != _STR


class _Representer(RoundTripRepresenter):
    """ruamel's round-trip representer that never writes anchors and quotes 1.1 lookalikes."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def represent_plain_str(self, data: str) -> Any:
        if needs_quotes(data):
            return self.represent_scalar(_STR, data, style='"')
        return self.represent_str(data)

    def represent_decimal(self, data: Decimal) -> Any:
        number = int(data) if data == data.to_integral_value() else float(data)
        return self.represent_data(number)

    def represent_enum(self, data: enum.Enum) -> Any:
        return self.represent_data(data.value)


_Representer.add_representer(str, _Representer.represent_plain_str)
_Representer.add_representer(Decimal, _Representer.represent_decimal)
_Representer.add_multi_representer(enum.Enum, _Representer.represent_enum)


class _Emitter(Emitter):
    """ruamel's emitter, with double quotes wherever a text needs quotes."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _yaml() -> YAML:
    """A fresh round-trip instance: one per call, never shared or patched globally."""
    y = YAML(typ="rt", pure=True)
    y.Representer = _Representer
    y.Emitter = _Emitter
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # lines are folded by the formatter itself, never by the emitter
    y.brace_single_entry_mapping_in_flow_sequence = True  # [{pt: text}], not [pt: text]
    y.preserve_quotes = False
    y.allow_duplicate_keys = False
    return y


def _model_of(kind: Kind) -> type[BaseModel] | None:
    if isinstance(kind, RecordKind):
        return kind.model
    return kind


def _fold(text: str, indent: int) -> FoldedScalarString:
    """``text`` as a folded block, broken at spaces so that lines stay within ``WIDTH``."""
    folded = FoldedScalarString(text)
    room = max(WIDTH - indent, 40)
    positions: list[int] = []
    start = 0
    while len(text) - start > room:
        cut = text.rfind(" ", start, start + room + 1)
        if cut <= start or text[cut - 1] == " " or text[cut + 1 : cut + 2] == " ":
            break
        positions.append(cut)
        start = cut + 1
    folded.fold_pos = positions
    result: FoldedScalarString = folded
    return result


def _scalar(value: Any, key_width: int, indent: int) -> Any:
    """The canonical form of one scalar value."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, ScalarFloat) and getattr(value, "_exp", None):
        return float(value)
    if isinstance(value, FoldedScalarString):
        return value
    if isinstance(value, LiteralScalarString):
        return value if "\n" in value.rstrip("\n") else _plain(str(value), key_width, indent)
    if isinstance(value, str):
        return _plain(str(value), key_width, indent)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _plain(text: str, key_width: int, indent: int) -> Any:
    if "\n" in text:
        return LiteralScalarString(text)
    if (
        indent + key_width + len(text) > WIDTH
        and text == text.strip()
        and "  " not in text
        and text.isprintable()
    ):
        return _fold(text, indent + 2)
    return text


def _clear_anchor(node: Any) -> None:
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None) is not None:
        anchor.value = None
        anchor.always_dump = False


Slot = tuple[CommentedMap | CommentedSeq, Any, int]
"""Where ruamel keeps the comment after a value: a container, a key or index, a place in it."""


def _tail(node: CommentedMap, key: Any) -> Slot:
    """Where the comment lines after ``node[key]`` are kept: on the value that ends last in it
    (the last key of a block mapping, the last item of a block list, deepest first)."""
    slot: Slot = (node, key, 2)
    value = node[key]
    while len(value) if isinstance(value, CommentedMap | CommentedSeq) else False:
        if value.fa.flow_style():
            break
        if isinstance(value, CommentedMap):
            slot = (value, next(reversed(value)), 2)
        else:
            slot = (value, len(value) - 1, 0)
        value = slot[0][slot[1]]
    return slot


def _line_end(token: CommentToken | None, block: bool) -> tuple[str, str]:
    """A value's trailing comment token split in two: the end of the value's own line (with
    its end-of-line comment, if any) and the lines after it, which sit before the next key.
    A block scalar (``|``, ``>``) ends its own last line: its token holds only lines after."""
    if token is None:
        return "", ""
    text = token.value
    if block:
        return "", text
    cut = text.find("\n") + 1
    return (text, "") if cut == 0 else (text[:cut], text[cut:])


def _is_block(slot: Slot) -> bool:
    owner, last, _ = slot
    return isinstance(owner[last], LiteralScalarString | FoldedScalarString)


def _move_comments(node: CommentedMap, keys: list[Any]) -> None:
    """Comment lines and blank lines above a key move with it when ``keys`` reorders ``node``.

    ruamel keeps the lines between two keys on the value before them; once the keys are
    reordered they would sit above whatever key now follows that value. Lines after the last
    value stay at the end.
    """
    old = list(node)
    if old == keys:
        return
    slots = {key: _tail(node, key) for key in old}

    def entry(key: Any) -> list[Any]:
        owner, last, place = slots[key]
        found: list[Any] = owner.ca.items.setdefault(last, [None, None, None, None])
        while len(found) <= place:
            found.append(None)
        return found

    block = {key: _is_block(slots[key]) for key in old}
    own: dict[Any, str] = {}
    above: dict[Any, str] = {old[0]: ""}
    for before, key in zip(old, [*old[1:], None], strict=True):
        own[before], above[key] = _line_end(entry(before)[slots[before][2]], block[before])
    lead = above[keys[0]]
    for key, after in zip(keys, [*keys[1:], None], strict=True):
        end = "" if block[key] else "\n"
        text = (own[key] or end) + above[after]
        found, place = entry(key), slots[key][2]
        if text == end:
            found[place] = None
        elif found[place] is None:
            found[place] = CommentToken(text, CommentMark(0), None)
        else:
            found[place].value = text
    if lead:
        first = node.ca.items.setdefault(keys[0], [None, None, None, None])
        lines = lead.rstrip("\n").split("\n")
        first[1] = [CommentToken(line.strip() + "\n", CommentMark(0), None) for line in lines]


def _lift_lead(seq: CommentedSeq, index: int, column: int) -> None:
    """Comment lines that ``_move_comments`` put above a list item's first key go above the
    item's dash instead (``- key:`` has no line of its own for them)."""
    item = seq[index]
    if not isinstance(item, CommentedMap) or not len(item):
        return
    entry = item.ca.items.get(next(iter(item)))
    if not entry or not entry[1]:
        return
    slot = seq.ca.items.setdefault(index, [None, None])
    while len(slot) < 2:
        slot.append(None)
    lines = [CommentToken(token.value, CommentMark(column), None) for token in entry[1]]
    slot[1] = [*(slot[1] or []), *lines]
    entry[1] = None


def _mapping(node: CommentedMap, model: type[BaseModel] | None, indent: int) -> CommentedMap:
    _clear_anchor(node)
    keys = list(node.keys())
    if model is not None:
        order = field_order(model)
        known = sorted((k for k in keys if k in order), key=lambda k: order[k])
        keys = known + [k for k in keys if k not in order]
    flow = node.fa.flow_style()
    _move_comments(node, keys)
    # After the comments moved: a mapping that had none gets its first ones there, and only
    # the attributes it has by then are copied.
    out = CommentedMap()
    node.copy_attributes(out)
    for key in keys:
        value = node[key]
        child: tuple[type[BaseModel], ...] = ()
        values_are_records = False
        if model is not None and isinstance(key, str):
            child = child_models(model, key)
            values_are_records = is_dict_of_models(model, key)
        key_width = len(str(key)) + 2
        out[key] = _node(value, child, indent + 2, key_width, values_are_records, flow)
    return out


def _node(
    value: Any,
    candidates: tuple[type[BaseModel], ...],
    indent: int,
    key_width: int,
    values_are_records: bool = False,
    in_flow: bool = False,
) -> Any:
    if isinstance(value, CommentedMap):
        if values_are_records:
            _clear_anchor(value)
            out = CommentedMap()
            value.copy_attributes(out)
            for k, v in value.items():
                model = best_model(candidates, list(v)) if isinstance(v, Mapping) else None
                out[k] = _node(v, (model,) if model else (), indent + 2, len(str(k)) + 2)
            return out
        return _mapping(value, best_model(candidates, list(value)), indent)
    if isinstance(value, CommentedSeq):
        _clear_anchor(value)
        flow = in_flow or value.fa.flow_style()
        for i, item in enumerate(value):
            model = best_model(candidates, list(item)) if isinstance(item, Mapping) else None
            value[i] = _node(item, (model,) if model else (), indent + 2, 2, in_flow=flow)
            _lift_lead(value, i, indent)
        return value
    if in_flow:
        scalar = _scalar(value, 0, 0)
        return (
            str(scalar) if isinstance(scalar, FoldedScalarString | LiteralScalarString) else scalar
        )
    return _scalar(value, key_width, indent)


def _finish(text: str) -> str:
    """LF line ends, no trailing spaces, exactly one final newline."""
    lines = [line.rstrip(" \t") for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _emit(data: Any) -> str:
    out = StringIO()
    _yaml().dump(data, out)
    return _finish(out.getvalue())


class MeaningChanged(ValueError):
    """The canonical text would not read back as the same data (a formatter bug)."""


def format_text(text: str, kind: Kind) -> str:
    """The canonical form of ``text``, a record file of ``kind``, keeping every comment.

    Raises ``ruamel.yaml.YAMLError`` when the text does not parse (callers check syntax
    first with ``yamlsource.parse_bytes``) and ``MeaningChanged`` when the result would not
    read back as the same data.
    """
    data = _yaml().load(text)
    if not isinstance(data, CommentedMap):
        return _finish(text)
    result = _emit(_mapping(data, _model_of(kind), 0))
    before = yaml_rs.loads(text, parse_datetime=True)
    after = yaml_rs.loads(result, parse_datetime=True)
    if before != after:
        raise MeaningChanged("the canonical form would change the file's data")
    return result


def _build(value: Any) -> Any:
    """Plain Python data (as ``model_dump`` gives it) as ruamel nodes, dates kept as dates."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", by_alias=True, exclude_none=True)
    if isinstance(value, Mapping):
        out = CommentedMap()
        for k, v in value.items():
            out[str(k.value if isinstance(k, enum.Enum) else k)] = _build(v)
        return out
    if isinstance(value, list | tuple):
        return CommentedSeq([_build(v) for v in value])
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool | int | float | str | dt.date) or value is None:
        return value
    return str(value)


def dump_record(
    data: Mapping[str, Any] | BaseModel,
    kind: Kind,
    comments: Mapping[str, str] | None = None,
) -> str:
    """The canonical text of a new record file, for writers that create files.

    ``comments`` maps a dotted key path (``"population.count"``) to the comment written
    above that key, and ``""`` to the comment at the top of the file. Lines of a comment
    are separated by ``\\n``; the ``#`` is added here.
    """
    # Keys are put in order before comments are attached, so that no comment moves later.
    root = _mapping(_build(data), _model_of(kind), 0)
    for path, comment in sorted((comments or {}).items(), key=lambda item: item[0].count(".")):
        if not path:
            root.yaml_set_start_comment(comment)
            continue
        *parents, last = path.split(".")
        node, depth = root, 0
        for part in parents:
            node = node.get(part) if isinstance(node, CommentedMap) else None
            depth += 1
        if isinstance(node, CommentedMap) and last in node:
            node.yaml_set_comment_before_after_key(last, before=comment, indent=2 * depth)
    return format_text(_emit(root), kind)


__all__ = ["Kind", "MeaningChanged", "Settings", "dump_record", "format_text", "needs_quotes"]
