"""The typed result of a comparison: one ``Change`` per record, with sentences and fields."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.words import Words


class Action(enum.StrEnum):
    """What happened to a record as a whole."""

    ADDED = "added"
    CHANGED = "changed"
    UNREADABLE = "unreadable"
    """Its file is there but cannot be read now (a syntax or schema error): never "removed"."""
    FIXED = "fixed"
    """Its file could not be read before and can be now: never "added"."""
    MOVED = "moved"
    REMOVED = "removed"


@dataclass(frozen=True)
class FieldChange:
    """One value that differs, by key path (``needs[2].estimated_cost.amount``).

    ``old`` and ``new`` are JSON values, already made safe: ``None`` when absent.
    """

    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """What a change did to one record.

    ``record`` is the record's id (``<agreement>/<report>`` for reports); ``path`` its file at
    the head (at the base when removed); ``old_path`` its file at the base when it moved.
    ``says`` are the sentences people read; ``fields`` the field-level detail.
    """

    action: Action
    kind: RecordKind
    record: str
    path: str
    says: tuple[Words, ...]
    old_path: str | None = None
    old_record: str | None = None
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self, sentences: list[str]) -> dict[str, Any]:
        """The change as JSON, with its sentences already said in the reader's language."""
        out: dict[str, Any] = {
            "action": self.action.value,
            "kind": self.kind.value,
            "record": self.record,
            "path": self.path,
            "says": sentences,
        }
        if self.old_path is not None:
            out["old_path"] = self.old_path
        if self.old_record is not None:
            out["old_record"] = self.old_record
        out["fields"] = [{"key": f.key, "old": f.old, "new": f.new} for f in self.fields]
        return out


@dataclass
class Diff:
    """Every change between two states of the data, in a stable order."""

    base: str
    head: str
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[Action, int]:
        """How many records were added, changed, made unreadable, fixed, moved and removed."""
        found = Counter(c.action for c in self.changes)
        return {action: found.get(action, 0) for action in Action}

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not self.changes
