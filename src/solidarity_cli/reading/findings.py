"""Turn pydantic validation errors into diagnostics a volunteer can act on."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from solidarity_cli.diagnostics import Diagnostic, KeyPath, Location, Severity, format_key_path
from solidarity_cli.models.base import own_words, validation_errors
from solidarity_cli.privacy import personal_data_codes
from solidarity_cli.reading.positions import key_by_place
from solidarity_cli.words import M_, N_, Words, code_named, ngettext


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the interesting type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


def annotation_at(model: type[BaseModel], loc: KeyPath) -> Any:
    """The type the schema expects at ``loc`` (parts that name no field are skipped)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) and origin is list:
            current = typing.get_args(current)[0]
        elif isinstance(part, str) and origin is dict:
            current = typing.get_args(current)[1]
        elif (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and part in current.model_fields
        ):
            current = current.model_fields[str(part)].annotation
    return _unwrap(current)


def fields_at(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The field names allowed in the mapping at ``loc`` (empty when it is not a model)."""
    current = annotation_at(model, loc)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _data_path(data: Any, loc: tuple[int | str, ...]) -> KeyPath:
    """Keep only the parts of a pydantic ``loc`` that are keys or indexes of the data."""
    node, path = data, []
    last_found = False
    for part in loc:
        last_found = False
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
            last_found = True
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
            last_found = True
        elif not isinstance(node, dict | list):
            break
    if loc and not last_found and isinstance(node, dict) and isinstance(loc[-1], str):
        path.append(loc[-1])  # a missing field: name it
    return tuple(path)


def _bad_key_path(data: Any, loc: tuple[int | str, ...], key: Any) -> KeyPath:
    """The path of a key that is not text (a list, a mapping, empty, a number...): its mapping's
    path and the key by its place in that mapping (``positions.key_by_place``)."""
    path = _data_path(data, loc)
    node = data
    for part in path:
        node = node[part]  # every part of ``path`` is a key or index of the data
    if isinstance(node, dict):
        for place, candidate in enumerate(node, 1):
            if candidate == key and type(candidate) is type(key):
                return (*path, key_by_place(place))
    return path


def withheld() -> Words:
    """The visible mark that stands, in a finding, for a key or value holding personal data."""
    return M_("[withheld: personal data]")


def _personal(value: Any) -> bool:
    return isinstance(value, str) and bool(personal_data_codes(value))


def _shown_path(key_path: KeyPath) -> str:
    """A key path as a finding says it, each key holding personal data withheld."""
    return format_key_path(tuple(withheld() if _personal(p) else p for p in key_path))


def _screened_path(data: Any, key_path: KeyPath) -> KeyPath:
    """``key_path`` with each key holding personal data named by its place in its mapping
    instead (``positions.key_by_place``), so that the finding is still placed at it but the
    key never reaches a message, a JSON pointer or a SARIF location."""
    node, out = data, list[str | int]()
    for part in key_path:
        if _personal(part):
            if isinstance(node, dict) and part in node:
                out.append(key_by_place(list(node).index(part) + 1))
            else:
                out.append(key_by_place(0))
        else:
            out.append(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _quoted(value: Any) -> str:
    """A value a finding quotes, withheld when it holds personal data."""
    return withheld() if _personal(value) else repr(value)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return M_("true/false")
    if isinstance(value, int | float):
        return M_("a number")
    if isinstance(value, dict | frozenset):
        return M_("a mapping")
    if isinstance(value, list | tuple):
        return M_("a list")
    if value is None:
        return M_("empty")
    if isinstance(value, dt.date):
        return M_("a date")
    if isinstance(value, str):
        return _quoted(value)
    return M_("another kind of value")


def _translate(
    model: type[BaseModel], error: ErrorDetails, key_path: KeyPath
) -> tuple[str, str, str, str]:
    """(code, message, hint, anchor) for one pydantic error."""
    kind = error["type"]
    where = _shown_path(key_path) or M_("the record")
    field = str(key_path[-1]) if key_path else "record"
    parent = _shown_path(key_path[:-1]) or M_("the top level")
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "invalid_key":
        # The key itself is the last part of the path: a list, a mapping, empty, a number...
        return (
            "SC003",
            M_(
                "a key in {parent} is {given}, but keys are plain words",
                parent=parent,
                given=_describe(given),
            ),
            M_("write the key as a word followed by ':', e.g. 'name: value'"),
            "key",
        )
    if kind == "missing":
        return (
            "SC002",
            M_("required field '{field}' is missing in {parent}", field=field, parent=parent),
            M_("add '{field}:' with a value under {parent}", field=field, parent=parent),
            "parent",
        )
    if kind == "extra_forbidden":
        allowed = fields_at(model, key_path[:-1])
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        if close:
            hint = M_("did you mean '{close}'?", close=close[0])
        elif allowed:
            hint = M_("allowed fields here: {fields}", fields=", ".join(allowed))
        else:
            hint = M_("remove it")
        if _personal(field):
            return (
                "SC001",
                M_("unknown field '{field}' in {parent}", field=withheld(), parent=parent),
                M_(
                    "this key looks like personal data (an e-mail address, a phone, identity "
                    "or tax number), which would be published like any text: remove the line"
                ),
                "key",
            )
        unknown = M_("unknown field '{field}' in {parent}", field=field, parent=parent)
        return "SC001", unknown, hint, "key"
    if kind == "enum":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(given), options, n=1, cutoff=0.5)
        listed = ", ".join(options)
        named = code_named(given, options) if isinstance(given, str) else None
        if named is not None:  # "povoado", "ONG": the reader's word for a code
            hint = M_("in the files {given} is written {code}", given=_quoted(given), code=named)
        elif close:
            hint = M_("did you mean '{close}'?", close=close[0])
        else:
            hint = M_("use one of: {options}", options=listed)
        return (
            "SC003",
            M_(
                "{where} is {given}, which is not one of: {options}",
                where=where,
                given=_quoted(given),
                options=listed,
            ),
            hint,
            "value",
        )
    if kind == "string_pattern_mismatch" and field in {
        "id",
        "community",
        "strategy",
        "donor",
        "parent",
        "partnership",
        "platform",
    } | {"dimension"}:
        return (
            "SC003",
            M_("{where} is {given}, which is not an identifier", where=where, given=_quoted(given)),
            M_(
                "identifiers use lowercase letters, digits and single hyphens, "
                "e.g. 'ribeira-grande'"
            ),
            "value",
        )
    if kind in {
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    }:
        return (
            "SC003",
            M_("{where} is {given}, not a date", where=where, given=_describe(given)),
            M_("write the date as YYYY-MM-DD, e.g. 2025-03-31"),
            "value",
        )
    if kind == "string_type":
        return (
            "SC003",
            M_("{where} should be text but is {given}", where=where, given=_describe(given)),
            M_("put the value in quotes, e.g. '010' keeps its leading zero"),
            "value",
        )
    if kind == "bool_type":
        return (
            "SC003",
            M_(
                "{where} should be true or false but is {given}",
                where=where,
                given=_describe(given),
            ),
            M_("write true or false without quotes (yes, no, on and off are text in these files)"),
            "value",
        )
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return (
            "SC003",
            M_(
                "{where} should be a whole number but is {given}",
                where=where,
                given=_describe(given),
            ),
            M_("write the number in digits without quotes, e.g. 12"),
            "value",
        )
    if kind in {"float_type", "float_parsing"}:
        return (
            "SC003",
            M_("{where} should be a number but is {given}", where=where, given=_describe(given)),
            M_("write the number in digits without quotes, e.g. 14.92"),
            "value",
        )
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return (
            "SC003",
            M_(
                "{where} should be a mapping of 'key: value' lines but is {given}",
                where=where,
                given=_describe(given),
            ),
            M_("indent 'key: value' lines under it"),
            "value",
        )
    if kind == "list_type":
        return (
            "SC003",
            M_("{where} should be a list but is {given}", where=where, given=_describe(given)),
            M_("write each item on its own line starting with '- '"),
            "value",
        )
    return "SC003", *_other(kind, where, given, ctx, error), "value"


def _bound(value: Any) -> Any:
    """A bound from pydantic's context, as a number the reader's way (a ``Decimal``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    number = Decimal(str(value))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _other(
    kind: str, where: str, given: Any, ctx: dict[str, Any], error: ErrorDetails
) -> tuple[str, str]:
    """(message, hint) for the error types not handled by ``_translate``, in our words."""
    number_hint = M_("write a plain number without units or thousands separators, e.g. 1500.50")
    if kind in {"value_error", "assertion_error"}:
        said = own_words(error)
        if said is not None:
            return M_("{where}: {message}", where=where, message=said), _SCHEMA_HINT
        return M_("{where} has a value that is not allowed here", where=where), _SCHEMA_HINT
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        bound = _bound(next((ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx), ""))
        template = {
            "greater_than": N_("{where} should be more than {bound}"),
            "greater_than_equal": N_("{where} should be {bound} or more"),
            "less_than": N_("{where} should be less than {bound}"),
            "less_than_equal": N_("{where} should be {bound} or less"),
        }[kind]
        return M_(template, where=where, bound=bound), number_hint
    if kind in {"decimal_type", "decimal_parsing"}:
        return (
            M_("{where} should be a number but is {given}", where=where, given=_describe(given)),
            number_hint,
        )
    if kind == "decimal_max_digits":
        return (
            ngettext(
                "{where} has more than {n} digit",
                "{where} has more than {n} digits",
                int(ctx.get("max_digits", 0)),
                where=where,
            ),
            M_("write a smaller number, or fewer decimals"),
        )
    if kind == "decimal_max_places":
        return (
            ngettext(
                "{where} has more than {n} decimal place",
                "{where} has more than {n} decimal places",
                int(ctx.get("decimal_places", 0)),
                where=where,
            ),
            M_("round the number to fewer decimals"),
        )
    if kind == "decimal_whole_digits":
        return (
            ngettext(
                "{where} has more than {n} digit before the decimal point",
                "{where} has more than {n} digits before the decimal point",
                int(ctx.get("whole_digits", 0)),
                where=where,
            ),
            M_("write a smaller number"),
        )
    if kind == "finite_number":
        return M_("{where} is not a finite number", where=where), number_hint
    if kind == "string_too_short":
        if int(ctx.get("min_length", 1)) <= 1:
            return M_("{where} is empty", where=where), M_("write the text, or remove the line")
        return (
            ngettext(
                "{where} should have at least {n} character",
                "{where} should have at least {n} characters",
                int(ctx["min_length"]),
                where=where,
            ),
            M_("write the text in full"),
        )
    if kind == "string_too_long":
        return (
            ngettext(
                "{where} is longer than {n} character",
                "{where} is longer than {n} characters",
                int(ctx.get("max_length", 0)),
                where=where,
            ),
            M_("shorten it"),
        )
    if kind == "string_pattern_mismatch":
        return (
            M_(
                "{where} is {given}, which is not written as expected",
                where=where,
                given=_quoted(given),
            ),
            M_("see how this field is written in the schema: solidarity schema"),
        )
    if kind == "too_short":
        minimum = int(ctx.get("min_length", 1))
        return (
            ngettext(
                "{where} should have at least {n} item",
                "{where} should have at least {n} items",
                minimum,
                where=where,
            ),
            M_("add at least one item") if minimum == 1 else _SCHEMA_HINT,
        )
    if kind == "too_long":
        return (
            ngettext(
                "{where} has more than {n} item",
                "{where} has more than {n} items",
                int(ctx.get("max_length", 0)),
                where=where,
            ),
            M_("remove items, or split the record"),
        )
    if kind == "literal_error":
        return (
            M_(
                "{where} is {given}, which is not one of: {options}",
                where=where,
                given=_quoted(given),
                options=str(ctx.get("expected", "")).replace("'", ""),
            ),
            _SCHEMA_HINT,
        )
    if kind.startswith("url"):
        return (
            M_("{where} is {given}, not a web address", where=where, given=_describe(given)),
            M_("write a full address starting with https://"),
        )
    if kind in {"int_from_float", "int_parsing_size"}:
        return (
            M_(
                "{where} should be a whole number but is {given}",
                where=where,
                given=_describe(given),
            ),
            M_("write the number in digits without quotes, e.g. 12"),
        )
    if kind in {"set_type", "tuple_type", "iterable_type", "frozen_set_type"}:
        return (
            M_("{where} should be a list but is {given}", where=where, given=_describe(given)),
            M_("write each item on its own line starting with '- '"),
        )
    if kind in {"union_tag_invalid", "union_tag_not_found"}:
        return M_("{where} is not any of the kinds allowed here", where=where), _SCHEMA_HINT
    if kind == "none_required":
        return M_("{where} should be left out", where=where), M_("remove it")
    return M_("{where} has a value that is not allowed here", where=where), _SCHEMA_HINT


_SCHEMA_HINT = M_("see the schema of this record kind: solidarity schema")


def schema_diagnostics(
    path: str, model: type[BaseModel], data: Any, error: ValidationError
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, placed by key path (positions are filled later).

    A missing field that an unknown key in the same mapping nearly spells is reported once,
    as the misspelling.
    """
    out: list[Diagnostic] = []
    errors = validation_errors(error)
    misspelt = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            key_path = _data_path(data, item["loc"])
            allowed = fields_at(model, key_path[:-1])
            close = difflib.get_close_matches(str(key_path[-1]), allowed, n=1, cutoff=0.6)
            if close:
                misspelt.add((*key_path[:-1], close[0]))
    for item in errors:
        if item["type"] == "invalid_key":
            key_path = _bad_key_path(data, item["loc"][:-1], item["input"])
        else:
            key_path = _data_path(data, item["loc"])
        if item["type"] == "missing" and key_path in misspelt:
            continue
        code, message, hint, anchor = _translate(model, item, key_path)
        key_path = _screened_path(data, key_path)
        out.append(
            Diagnostic(
                code=code,
                severity=Severity.ERROR,
                message=message,
                hint=hint,
                rule={"SC001": "unknown-field", "SC002": "missing-field"}.get(
                    code, "invalid-value"
                ),
                location=Location(path, 0, 0, key_path, anchor),
            )
        )
    return out
