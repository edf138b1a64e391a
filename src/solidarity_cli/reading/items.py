"""Keep a record whose only schema errors lie inside items of its lists, without those parts.

A strategy with one broken need, an agreement with one broken transaction or indicator, a
report with one broken line: the schema findings name the broken parts, the record is kept
without them so that the rules check the rest of it in the same run, and ``Incomplete`` says
what was left out. The part left out is the smallest that lets the record validate: an element
of a list inside an item (one of a need's sectors), or a list field of an item written as
something else than a list, and failing that the whole item. Rule findings are given back the
item numbers of the file, and none is reported on a part another finding already says is broken.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from solidarity_cli.diagnostics import Diagnostic, KeyPath
from solidarity_cli.models import Agreement, Report, Strategy
from solidarity_cli.reading.findings import annotation_at

#: Lists whose items may be left out, per kind of record; ``None`` stands for any item number.
ITEM_LISTS: dict[type[BaseModel], tuple[tuple[str | None, ...], ...]] = {
    Strategy: (("needs", None),),
    Agreement: (("transactions", None), ("results", None, "indicators", None)),
    Report: (("indicator_values", None), ("expenditures", None)),
}


@dataclass(frozen=True)
class Incomplete:
    """The items of one record left out for their schema errors (key paths of the file)."""

    dropped: tuple[KeyPath, ...]
    kept: tuple[tuple[KeyPath, tuple[int, ...]], ...]
    """For each list that lost items: the numbers, in the file, of the items kept."""
    ids: frozenset[str]
    """The ids the left-out items give, so that references to them are not reported too."""

    def original(self, key_path: KeyPath) -> KeyPath:
        """A key path into the record as kept, as a key path into the file.

        ``kept`` is ordered outer lists first, so that a list inside an item is matched once
        the item's own number is the file's.
        """
        for prefix, kept in self.kept:
            size = len(prefix)
            if key_path[:size] == prefix and len(key_path) > size:
                index = key_path[size]
                if isinstance(index, int) and 0 <= index < len(kept):
                    key_path = (*prefix, kept[index], *key_path[size + 1 :])
        return key_path

    def touches(self, key_path: KeyPath) -> bool:
        """Whether a finding at ``key_path`` (of the file) is about a left-out item or a list
        or item holding one; findings on the whole record (an empty path) are not."""
        return bool(key_path) and any(
            dropped[: len(key_path)] == key_path or key_path[: len(dropped)] == dropped
            for dropped in self.dropped
        )


def _item(pattern: Sequence[str | None], key_path: KeyPath) -> KeyPath | None:
    if len(key_path) < len(pattern):
        return None
    for part, want in zip(key_path, pattern, strict=False):
        if want is None and not isinstance(part, int):
            return None
        if want is not None and part != want:
            return None
    return key_path[: len(pattern)]


def _part(model: type[BaseModel], item: KeyPath, key_path: KeyPath) -> KeyPath:
    """The smallest part of ``item`` a finding at ``key_path`` can be left out with: the
    element of the first list inside the item that the path goes through, or a list field of
    the item written as something else, or else the item itself."""
    rest = key_path[len(item) :]
    for depth, part in enumerate(rest):
        if isinstance(part, int):
            return key_path[: len(item) + depth + 1]
    if rest and typing.get_origin(annotation_at(model, key_path[: len(item) + 1])) is list:
        return key_path[: len(item) + 1]
    return item


def _outermost(parts: Iterable[KeyPath]) -> list[KeyPath]:
    """``parts`` without those lying inside another one."""
    ordered = sorted(set(parts), key=lambda part: (len(part), repr(part)))
    out: list[KeyPath] = []
    for part in ordered:
        if not any(part[: len(outer)] == outer for outer in out):
            out.append(part)
    return out


def _replace(data: Any, path: KeyPath, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced, copying only the containers on the way."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy: dict[Any, Any] = dict(data)
        copy[head] = _replace(data[head], rest, value)
        return copy
    items = list(data)
    items[int(head)] = _replace(data[int(head)], rest, value)
    return items


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _trim(
    model: type[BaseModel], data: dict[str, Any], parts: list[KeyPath], items: set[KeyPath]
) -> tuple[Any, Incomplete] | None:
    """The record validated without ``parts`` (list elements or fields), or None."""
    fields = [part for part in parts if not isinstance(part[-1], int)]
    by_list: dict[KeyPath, set[int]] = {}
    for part in parts:
        if isinstance(part[-1], int):
            by_list.setdefault(part[:-1], set()).add(part[-1])
    trimmed: Any = data
    kept: list[tuple[KeyPath, tuple[int, ...]]] = []
    ids: set[str] = set()
    try:
        for field in fields:
            holder = _at(trimmed, field[:-1])
            if not isinstance(holder, dict):
                return None
            trimmed = _replace(
                trimmed, field[:-1], {k: v for k, v in holder.items() if k != field[-1]}
            )
        # Inner lists first: the paths are the file's, which trimming an outer list changes.
        for prefix in sorted(by_list, key=lambda prefix: (-len(prefix), repr(prefix))):
            numbers = by_list[prefix]
            values = _at(trimmed, prefix)
            if not isinstance(values, list):
                return None
            for number in numbers:
                if (*prefix, number) in items and number < len(values):
                    given = values[number].get("id") if isinstance(values[number], dict) else None
                    if isinstance(given, str):
                        ids.add(given)
            remaining = tuple(i for i in range(len(values)) if i not in numbers)
            trimmed = _replace(trimmed, prefix, [values[i] for i in remaining])
            kept.append((prefix, remaining))
        record = model.model_validate(trimmed)
    except (ValidationError, KeyError, IndexError, TypeError, ValueError):
        return None
    kept.sort(key=lambda entry: (len(entry[0]), repr(entry[0])))
    return record, Incomplete(tuple(sorted(parts, key=repr)), tuple(kept), frozenset(ids))


def without_broken_items(
    model: type[BaseModel], data: Any, findings: Iterable[Diagnostic]
) -> tuple[Any, Incomplete] | None:
    """The record validated without the parts of items the schema ``findings`` lie in, or
    None when a finding lies outside every such item (or what is left does not validate)."""
    patterns = ITEM_LISTS.get(model)
    if not patterns or not isinstance(data, dict):
        return None
    items: set[KeyPath] = set()
    parts: set[KeyPath] = set()
    for finding in findings:
        key_path = finding.location.key_path
        item = next((m for p in patterns if (m := _item(p, key_path)) is not None), None)
        if item is None:
            return None
        items.add(item)
        parts.add(_part(model, item, key_path))
    finest = _outermost(parts)
    kept = _trim(model, data, finest, items)
    if kept is None and finest != _outermost(items):
        kept = _trim(model, data, _outermost(items), items)
    return kept
