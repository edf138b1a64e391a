"""The plan of an import: which files change and how, what a reader is told, and the write.

The records are read once as they are, and once as they would be with the planned texts in
place of the files (an overlay over the working tree): the difference is said record by record
with ``solidarity diff``'s sentences, and any record that would no longer pass its schema stops
the import (nothing is written). Rules that would newly fire on a touched file are shown, so
that imported records come with findings that say what a person must add; what looks like
personal data (the data-protection rules) stops the write.
"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml.error import YAMLError

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.diagnostics import Diagnostic, Location, Severity, sort_diagnostics
from solidarity_cli.diffing import compare
from solidarity_cli.diffing.changes import Diff
from solidarity_cli.formatting.canonical import MeaningChanged
from solidarity_cli.formatting.files import kind_of
from solidarity_cli.importing.edits import Edit, edited_text
from solidarity_cli.reading import collector_paused, load_repository, place
from solidarity_cli.reading.discovery import (
    DiskEntry,
    Source,
    SourceEntry,
    WorkingTreeSource,
    read_regular,
)
from solidarity_cli.reading.loader import BlobCache, LoadResult, TextEntry
from solidarity_cli.references import check_references
from solidarity_cli.rules.engine import run_rules
from solidarity_cli.rules.registry import all_rules
from solidarity_cli.words import M_


class Keyed:
    """The working tree, each file keyed for the loader's cache for the length of one import,
    so that loading the records again with the planned texts validates only those files."""

    def __init__(self, base: Source) -> None:
        self.base = base

    def settings(self) -> bytes | None:
        return self.base.settings()

    def entries(self) -> Iterator[SourceEntry]:
        for entry in self.base.entries():
            if entry.content_key is None and isinstance(entry, DiskEntry):
                yield replace(entry, content_key=f"import:{entry.size}")
            else:
                yield entry


def working_tree(root: Path) -> Keyed:
    """The source both loads of an import read from."""
    return Keyed(WorkingTreeSource(root))


class Overlay:
    """The working tree with some files' content replaced or added."""

    def __init__(self, base: Source, files: dict[str, bytes]) -> None:
        self.base = base
        self.files = files

    def settings(self) -> bytes | None:
        return self.base.settings()

    def entries(self) -> Iterator[SourceEntry]:
        seen: set[str] = set()
        for entry in self.base.entries():
            seen.add(entry.rel)
            data = self.files.get(entry.rel)
            yield entry if data is None else TextEntry(entry.rel, data)
        for rel, data in sorted(self.files.items()):
            if rel not in seen:
                yield TextEntry(rel, data)


@dataclass
class ImportPlan:
    """What an import would do (or did)."""

    source: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """Repo-relative path -> the file's new text (changed or new files only)."""
    created: set[str] = field(default_factory=set)
    advice: list[Diagnostic] = field(default_factory=list)
    """Rule findings the written files would newly have: what a person must still add. They
    are shown, and do not stop the write (``check`` reports them as usual)."""
    diff: Diff | None = None
    unreadable: bool = False
    written: bool = False

    @property
    def errors(self) -> int:
        """Findings that stop the write."""
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def exit_code(self) -> int:
        """2 when the input could not be read, 1 with errors, else 0."""
        return 2 if self.unreadable else 1 if self.errors else 0


def _new_text(root: Path, rel: str, edits: list[Edit]) -> str | Diagnostic:
    text = (root / rel).read_bytes().decode("utf-8-sig")
    try:
        return edited_text(text, edits, kind_of(rel))
    except (YAMLError, MeaningChanged, KeyError, IndexError) as exc:
        return Diagnostic(
            code="IM011",
            severity=Severity.ERROR,
            message=M_("the file could not be changed: {reason}", reason=str(exc).splitlines()[0]),
            hint=M_("run solidarity check and fix the file first, then import again"),
            rule="import",
            location=Location(rel, 1, 1),
        )


def _rule_findings(loaded: LoadResult, day: dt.date) -> list[Diagnostic]:
    with collector_paused():
        references = check_references(loaded.dataset)
        rules, _network, problems = all_rules(loaded.dataset)
        found = references + problems
        found += run_rules(loaded.dataset, rules, day, cache={"references": references})
    return found


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return (d.path, d.code, d.message)


def build_plan(
    root: Path,
    plan: ImportPlan,
    before: LoadResult,
    edits: list[Edit],
    new_files: dict[str, str],
    as_of: dt.date,
    cache: BlobCache | None = None,
) -> ImportPlan:
    """Work out the new texts of the files ``edits`` touch and the new files, say what changes
    record by record, and check the records as they would be written."""
    grouped: dict[str, list[Edit]] = {}
    for edit in edits:
        grouped.setdefault(edit.rel, []).append(edit)
    for rel, group in sorted(grouped.items()):
        text = _new_text(root, rel, group)
        if isinstance(text, Diagnostic):
            plan.diagnostics.append(text)
        elif text != (root / rel).read_bytes().decode("utf-8"):
            plan.texts[rel] = text
    for rel, text in sorted(new_files.items()):
        if (root / rel).exists():
            old = (root / rel).read_bytes().decode("utf-8", "replace")
            if old != text:
                plan.texts[rel] = text
        else:
            plan.texts[rel] = text
            plan.created.add(rel)
    if not plan.texts:
        plan.diff = compare(before.dataset, before.dataset)
        plan.diagnostics = sort_diagnostics(plan.diagnostics)
        return plan
    overlay = {rel: text.encode() for rel, text in plan.texts.items()}
    after = load_repository(root, source=Overlay(working_tree(root), overlay), cache=cache)
    plan.diff = compare(before.dataset, after.dataset)
    known = {_key(d) for d in before.diagnostics} | {_key(d) for d in _rule_findings(before, as_of)}
    touched = set(plan.texts)

    def fresh(found: list[Diagnostic]) -> list[Diagnostic]:
        return [d for d in found if d.path in touched and _key(d) not in known]

    def read(rel: str) -> bytes | None:
        return overlay.get(rel) or read_regular(root / rel, 50_000_000)

    advice = place(root, fresh(_rule_findings(after, as_of)), read)
    # What looks like personal data never goes in: those findings stop the write.
    personal = [d for d in advice if d.code.startswith("DP")]
    plan.diagnostics += place(root, fresh(after.diagnostics), read) + personal
    plan.diagnostics = sort_diagnostics(plan.diagnostics)
    plan.advice = sort_diagnostics(d for d in advice if not d.code.startswith("DP"))
    return plan


def write_plan(root: Path, plan: ImportPlan) -> bool:
    """Write the planned files (atomically, keeping permissions); nothing while errors remain.

    Returns whether anything was written.
    """
    if plan.unreadable or plan.errors or not plan.texts:
        return False
    for rel, text in sorted(plan.texts.items()):
        target = root / rel
        if rel in plan.created:
            write_text_atomic(target, text, overwrite=False)
        else:
            mode = stat.S_IMODE(target.stat().st_mode)
            write_text_atomic(target, text, overwrite=True, mode=mode)
    plan.written = True
    return True
