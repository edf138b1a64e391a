"""Field-level detail: two records flattened to key paths, with nothing personal in them.

Fields a community keeps private, an anonymous donor's identifying fields and the people who
maintain a community's files are left out; any text that may hold an e-mail address, phone
number or ID number (the data-protection rules' patterns) is shown as ``[hidden]``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from solidarity_cli.diffing.changes import FieldChange
from solidarity_cli.models import Community, Donor
from solidarity_cli.privacy import text_may_be_personal

HIDDEN = "[hidden]"
#: What would name an anonymous donor.
_DONOR_IDENTITY = frozenset({"name", "website", "description", "consent"})


def _private(record: BaseModel | None) -> set[str]:
    if isinstance(record, Community):
        return {*(p.value for p in record.private), "maintainers"}
    if isinstance(record, Donor) and record.is_anonymous:
        return set(_DONOR_IDENTITY)
    return set()


def safe_fields(record: BaseModel, private: Collection[str] = ()) -> dict[str, Any]:
    """The record's values, without what must never leave the repository.

    ``private`` are more top-level fields to leave out (those private in the other version).
    """
    data: dict[str, Any] = record.model_dump(exclude_none=True)
    for name in {*_private(record), *private}:
        data.pop(name, None)
    return data


def _leaf(value: Any, hidden: Collection[str]) -> Any:
    """A JSON value: text that may be personal or names an anonymous donor is hidden."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str):
        return HIDDEN if value in hidden or text_may_be_personal(value) else value
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _flatten(value: Any, key: str, out: dict[str, Any], hidden: Collection[str]) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _flatten(item, f"{key}.{name}" if key else str(name), out, hidden)
    elif isinstance(value, list):
        keyed = all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in value)
        for index, item in enumerate(value):
            if item is not None:
                _flatten(item, f"{key}[{item['id'] if keyed else index}]", out, hidden)
    else:
        out[key] = _leaf(value, hidden)


def _align(old: Any, new: Any) -> Any:
    """``old`` with the items of its lists without ids placed where the same item is in ``new``.

    An item added at the top of a list (a new transaction) then shows as one new item, not as
    every item after it changed. Items only in ``old`` come after those of ``new``.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        return {k: _align(v, new.get(k)) for k, v in old.items()}
    if not (isinstance(old, list) and isinstance(new, list)) or any(
        isinstance(i, dict) and "id" in i for i in old
    ):
        return old
    left = list(old)
    placed: list[Any] = []
    for item in new:
        if item in left:
            left.remove(item)
            placed.append(item)
        else:
            placed.append(None)
    gaps = [i for i, item in enumerate(placed) if item is None]
    for index in gaps:
        if left and not isinstance(left[0], dict):
            break
        if left:
            placed[index] = _align(left.pop(0), new[index])
    return placed + left


def flat(data: Any, hidden: Collection[str] = ()) -> dict[str, Any]:
    """Every leaf value by key path (lists of records with ids keyed by id).

    ``hidden`` are values never shown (the ids of anonymous donors).
    """
    out: dict[str, Any] = {}
    if data is not None:
        _flatten(data, "", out, hidden)
    return out


def field_changes(
    old: BaseModel | None, new: BaseModel | None, hidden: Collection[str] = ()
) -> tuple[FieldChange, ...]:
    """The values that differ between two versions of a record, by key path."""
    private = _private(old) | _private(new)
    after_data = safe_fields(new, private) if new is not None else None
    before_data = safe_fields(old, private) if old is not None else None
    before = flat(_align(before_data, after_data), hidden)
    after = flat(after_data, hidden)
    keys = sorted(before.keys() | after.keys())
    return tuple(
        FieldChange(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)
    )
