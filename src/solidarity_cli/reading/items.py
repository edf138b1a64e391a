"""Keep a record whose only schema errors lie inside items of its lists, without those items.

A strategy with one broken need, an agreement with one broken transaction or indicator, a
report with one broken line: the schema findings name the broken items, the record is kept with
its valid items so that the rules check the rest of it in the same run, and ``Incomplete`` says
which items were left out. Rule findings are given back the item numbers of the file, and none
is reported on a list another finding already says is broken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from solidarity_cli.diagnostics import Diagnostic, KeyPath
from solidarity_cli.models import Agreement, Report, Strategy

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
        """A key path into the record as kept, as a key path into the file."""
        for prefix, kept in self.kept:
            size = len(prefix)
            if key_path[:size] == prefix and len(key_path) > size:
                index = key_path[size]
                if isinstance(index, int) and 0 <= index < len(kept):
                    return (*prefix, kept[index], *key_path[size + 1 :])
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


def without_broken_items(
    model: type[BaseModel], data: Any, findings: Iterable[Diagnostic]
) -> tuple[Any, Incomplete] | None:
    """The record validated without the items the schema ``findings`` lie in, or None when a
    finding lies outside every such item (or what is left does not validate either)."""
    patterns = ITEM_LISTS.get(model)
    if not patterns or not isinstance(data, dict):
        return None
    items: set[KeyPath] = set()
    for finding in findings:
        key_path = finding.location.key_path
        item = next((m for p in patterns if (m := _item(p, key_path)) is not None), None)
        if item is None:
            return None
        items.add(item)
    by_list: dict[KeyPath, set[int]] = {}
    for item in items:
        by_list.setdefault(item[:-1], set()).add(int(item[-1]))
    trimmed, kept, ids = data, [], set()
    try:
        for prefix, numbers in sorted(by_list.items(), key=lambda entry: repr(entry[0])):
            values = _at(data, prefix)
            if not isinstance(values, list):
                return None
            for number in numbers:
                if number < len(values) and isinstance(values[number], dict):
                    given = values[number].get("id")
                    if isinstance(given, str):
                        ids.add(given)
            remaining = tuple(i for i in range(len(values)) if i not in numbers)
            trimmed = _replace(trimmed, prefix, [values[i] for i in remaining])
            kept.append((prefix, remaining))
        record = model.model_validate(trimmed)
    except (ValidationError, KeyError, IndexError, TypeError, ValueError):
        return None
    return record, Incomplete(tuple(sorted(items, key=repr)), tuple(kept), frozenset(ids))
