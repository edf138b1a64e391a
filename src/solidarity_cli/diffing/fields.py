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


def safe_fields(record: BaseModel) -> dict[str, Any]:
    """The record's values, without what must never leave the repository."""
    data: dict[str, Any] = record.model_dump(exclude_none=True)
    if isinstance(record, Community):
        for name in {*(p.value for p in record.private), "maintainers"}:
            data.pop(name, None)
    if isinstance(record, Donor) and record.is_anonymous:
        for name in _DONOR_IDENTITY:
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
            _flatten(item, f"{key}[{item['id'] if keyed else index}]", out, hidden)
    else:
        out[key] = _leaf(value, hidden)


def flat(record: BaseModel | None, hidden: Collection[str] = ()) -> dict[str, Any]:
    """Every leaf value of a record by key path (lists of records with ids keyed by id).

    ``hidden`` are values never shown (the ids of anonymous donors).
    """
    out: dict[str, Any] = {}
    if record is not None:
        _flatten(safe_fields(record), "", out, hidden)
    return out


def field_changes(
    old: BaseModel | None, new: BaseModel | None, hidden: Collection[str] = ()
) -> tuple[FieldChange, ...]:
    """The values that differ between two versions of a record, by key path."""
    before, after = flat(old, hidden), flat(new, hidden)
    keys = sorted(before.keys() | after.keys())
    return tuple(
        FieldChange(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)
    )
