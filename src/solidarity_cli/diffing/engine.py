"""Compare two datasets record by record.

A record is known by its kind and id. The same id in another file is the same record, moved.
A record that disappears while a record of the same kind appears with exactly the same content
under another id (a donor's file renamed together with its id) is also one record, renamed:
content decides only then, so two different records are never mistaken for one.

A file that is still where a record belongs but cannot be read (a syntax or schema error, an id
that is not its name) does not make its record gone, nor does reading it again make it new: it is
said to have changed and to be unreadable now, or readable again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.diffing import sentences
from solidarity_cli.diffing.changes import Action, Change, Diff
from solidarity_cli.diffing.context import Context
from solidarity_cli.diffing.fields import field_changes
from solidarity_cli.reading.layout import RecordKind, Unreadable
from solidarity_cli.words import M_, Words

_ORDER = list(RecordKind)
#: A kind's records in one state: (record, path) by key.
_Records = dict[str, tuple[Any, str]]


def _records(ds: Dataset, kind: RecordKind) -> Iterator[tuple[str, Any, str]]:
    """(key, record, path) of every record of one kind; reports keyed ``<agreement>/<id>``."""
    if kind is RecordKind.REPORT:
        for agreement, reports in ds.reports.items():
            for rid, report in reports.items():
                key = f"{agreement}/{rid}"
                yield key, report, ds.paths.get((kind, key), "")
        return
    for key, record in ds.table(kind).items():
        yield key, record, ds.paths.get((kind, key), "")


def _unreadable(ds: Dataset, kind: RecordKind, records: dict[str, Any]) -> dict[str, Unreadable]:
    """The files of one kind that gave no record, by the key their place gives (none of
    ``records``: a second file claiming a record's id leaves that record as it is)."""
    return {
        key: file for (k, key), file in ds.unreadable.items() if k is kind and key not in records
    }


def _same_content(old: Any, new: Any) -> bool:
    """Whether two records differ only by their id."""
    if type(old) is not type(new):
        return False
    return bool(old.model_dump(exclude={"id"}) == new.model_dump(exclude={"id"}))


def _moved(old_path: str, new_path: str, old_key: str, new_key: str) -> list[Words]:
    if old_key != new_key:
        return [
            M_(
                "renamed from {old} to {new} (file {old_path} is now {new_path})",
                old=old_key,
                new=new_key,
                old_path=old_path,
                new_path=new_path,
            )
        ]
    return [M_("file moved from {old_path} to {new_path}", old_path=old_path, new_path=new_path)]


def _shown(change: Change, ctx: Context) -> Change:
    """The change as it may be shown: an anonymous donor's id and file name replaced."""
    if change.kind is not RecordKind.DONOR:
        return change
    record, path = ctx.stand_in(change.kind, change.record, change.path)
    old_record, old_path = change.old_record, change.old_path
    if old_record is not None and old_path is not None:
        old_record, old_path = ctx.stand_in(change.kind, old_record, old_path)
    elif old_path is not None:
        old_path = ctx.stand_in(change.kind, change.record, old_path)[1]
    if (record, path, old_record, old_path) == (
        change.record,
        change.path,
        change.old_record,
        change.old_path,
    ):
        return change
    says = list(change.says)
    if change.action is Action.MOVED:
        says[0] = _moved(old_path or path, path, old_record or record, record)[0]
    return replace(
        change,
        record=record,
        path=path,
        old_record=old_record,
        old_path=old_path,
        says=tuple(says),
    )


def _unread_changes(
    kind: RecordKind,
    before: _Records,
    after: _Records,
    was_unread: dict[str, Unreadable],
    unread: dict[str, Unreadable],
    ctx: Context,
) -> list[Change]:
    """Records whose file cannot be read in one state or both."""
    changes: list[Change] = []
    for key, file in unread.items():
        old_path = file.path
        if key in before:
            old, old_path = before[key]
            says = sentences.about_file(sentences.NO_LONGER_READ, kind, key, old, ctx)
        elif key in was_unread:
            if was_unread[key].same_as(file):
                continue
            old_path = was_unread[key].path
            says = sentences.about_file(sentences.STILL_UNREAD, kind, key, None, ctx)
        else:
            says = sentences.about_file(sentences.NEW_UNREAD, kind, key, None, ctx)
        changes.append(
            Change(
                Action.UNREADABLE,
                kind,
                key,
                file.path,
                tuple(says),
                old_path=None if old_path == file.path else old_path,
            )
        )
    for key, file in was_unread.items():
        if key in after:
            record, path = after[key]
            changes.append(
                Change(
                    Action.FIXED,
                    kind,
                    key,
                    path,
                    tuple(sentences.about_file(sentences.READ_AGAIN, kind, key, record, ctx)),
                    old_path=None if file.path == path else file.path,
                )
            )
        elif key not in unread:
            says = sentences.about_file(sentences.REMOVED_UNREAD, kind, key, None, ctx)
            changes.append(Change(Action.REMOVED, kind, key, file.path, tuple(says)))
    return changes


def _kind_changes(kind: RecordKind, ctx: Context) -> list[Change]:
    before = {key: (record, path) for key, record, path in _records(ctx.base, kind)}
    after = {key: (record, path) for key, record, path in _records(ctx.head, kind)}
    was_unread = _unreadable(ctx.base, kind, before)
    unread = _unreadable(ctx.head, kind, after)
    changes = _unread_changes(kind, before, after, was_unread, unread, ctx)
    gone = {k: v for k, v in before.items() if k not in after and k not in unread}
    new = {k: v for k, v in after.items() if k not in before and k not in was_unread}
    for key, (record, path) in new.items():
        twin = next((k for k, (r, _) in gone.items() if _same_content(r, record)), None)
        if twin is not None:
            _, old_path = gone.pop(twin)
            changes.append(
                Change(
                    Action.MOVED,
                    kind,
                    key,
                    path,
                    tuple(_moved(old_path, path, twin, key)),
                    old_path=old_path,
                    old_record=twin,
                )
            )
            continue
        changes.append(
            Change(
                Action.ADDED,
                kind,
                key,
                path,
                tuple(sentences.added(kind, record, ctx)),
                fields=field_changes(None, record, ctx.hidden),
            )
        )
    for key, (record, path) in gone.items():
        changes.append(
            Change(
                Action.REMOVED,
                kind,
                key,
                path,
                tuple(sentences.removed(kind, record, ctx)),
                fields=field_changes(record, None, ctx.hidden),
            )
        )
    for key, (old, old_path) in before.items():
        if key not in after:
            continue
        record, path = after[key]
        if (old is record or old == record) and old_path == path:
            continue
        says = [] if old_path == path else _moved(old_path, path, key, key)
        fields = field_changes(old, record, ctx.hidden)
        if fields:
            says.extend(sentences.changed(kind, old, record, ctx))
        if fields and len(says) == (0 if old_path == path else 1):
            says.append(_fallback(kind, key, fields[0].key, len(fields)))
        if not says:
            continue
        changes.append(
            Change(
                Action.CHANGED if old_path == path else Action.MOVED,
                kind,
                key,
                path,
                tuple(says),
                old_path=None if old_path == path else old_path,
                fields=fields,
            )
        )
    return sorted((_shown(c, ctx) for c in changes), key=lambda c: (c.path, c.record))


def _fallback(kind: RecordKind, key: str, first: str, count: int) -> Words:
    top = re.split(r"[.\[]", first, maxsplit=1)[0]
    if count == 1:
        return M_("{record}: {field} changed", record=key, field=top)
    return M_(
        "{record}: {count} values changed, starting with {field}",
        record=key,
        count=count,
        field=top,
    )


def compare(base: Dataset, head: Dataset, *, base_name: str = "", head_name: str = "") -> Diff:
    """Every change from ``base`` to ``head``, by record, in the order of kinds then paths."""
    ctx = Context(base, head)
    diff = Diff(base_name, head_name)
    for kind in _ORDER:
        diff.changes.extend(_kind_changes(kind, ctx))
    return diff
