"""``solidarity fmt`` as a library call: which files, their canonical form, diffs, writes."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.error import YAMLError

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.diagnostics import Diagnostic, Location, Severity, sort_diagnostics
from solidarity_cli.formatting.cache import CanonicalCache
from solidarity_cli.formatting.canonical import Kind, MeaningChanged, format_text
from solidarity_cli.models import Settings
from solidarity_cli.reading.layout import DATA_DIR, SETTINGS_FILE, classify, in_documents
from solidarity_cli.reading.parse import parse_bytes
from solidarity_cli.words import M_

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileChange:
    """A file whose text is not in the canonical form, and the diff that would make it so."""

    path: str
    diff: str


@dataclass
class FormatResult:
    """What ``format_paths`` found or did."""

    files: int = 0
    changes: list[FileChange] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: bool = False

    @property
    def exit_code(self) -> int:
        """1 when a file is not canonical (under ``check``) or could not be read, else 0."""
        return 1 if self.diagnostics or (self.changes and not self.written) else 0


def kind_of(rel: str) -> Kind:
    """What a repo-relative YAML file holds, for its key order."""
    if rel == SETTINGS_FILE:
        return Settings
    slot = classify(rel)
    return slot.kind if slot is not None else None


def _yaml_files(root: Path, rels: Sequence[str]) -> list[str]:
    """Repo-relative paths of the YAML files that ``rels`` name (folders walked)."""
    found: set[str] = set()
    for rel in rels or [SETTINGS_FILE, DATA_DIR]:
        target = root / rel if rel != "." else root
        if target.is_file():
            found.add(target.relative_to(root).as_posix())
            continue
        if not target.is_dir():
            continue
        if target == root:
            if (root / SETTINGS_FILE).is_file():
                found.add(SETTINGS_FILE)
            target = root / DATA_DIR
        for folder, dirs, names in os.walk(target):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in names:
                if name.endswith((".yaml", ".yml")):
                    path = Path(folder, name)
                    if not path.is_symlink():
                        found.add(path.relative_to(root).as_posix())
    return sorted(r for r in found if r == SETTINGS_FILE or not in_documents(r))


def _unified(rel: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{rel}",
            f"b/{rel}",
        )
    )


def _not_formatted(rel: str, reason: str) -> Diagnostic:
    return Diagnostic(
        code="FM001",
        severity=Severity.ERROR,
        message=M_("the file could not be formatted: {reason}", reason=reason),
        hint=M_("fix the file by hand so that it reads as YAML, then run solidarity fmt again"),
        rule="format",
        location=Location(rel, 1, 1),
    )


def format_paths(
    root: Path,
    paths: Sequence[str],
    *,
    check: bool,
    progress: Progress | None = None,
    cache: bool = False,
) -> FormatResult:
    """Bring the YAML files under ``paths`` (repo-relative; all when empty) to canonical form.

    With ``check``, nothing is written: the result lists each file's diff. A file that does
    not parse is a finding and is never touched. Writes are atomic and keep permissions.
    With ``cache``, a file whose bytes were found canonical before (``formatting.cache``)
    is not formatted again.
    """
    result = FormatResult(written=not check)
    known = CanonicalCache(root) if cache else None
    rels = _yaml_files(root, paths)
    for done, rel in enumerate(rels, 1):
        if progress is not None:
            progress(done, len(rels))
        path = root / rel
        raw = path.read_bytes()
        result.files += 1
        key = known.key(rel, raw) if known is not None else ""
        if known is not None and key in known:
            continue
        parsed = parse_bytes(rel, raw, screen=False)
        if parsed.diagnostics:
            result.diagnostics.extend(parsed.diagnostics)
            continue
        text = raw.decode("utf-8-sig")
        try:
            canonical = format_text(text, kind_of(rel))
        except (YAMLError, MeaningChanged) as exc:
            result.diagnostics.append(_not_formatted(rel, str(exc).splitlines()[0]))
            continue
        if canonical == raw.decode("utf-8"):
            if known is not None:
                known.add(key)
            continue
        result.changes.append(FileChange(rel, _unified(rel, text, canonical)))
        if not check:
            mode = stat.S_IMODE(path.stat().st_mode)
            write_text_atomic(path, canonical, overwrite=True, mode=mode)
            if known is not None:
                known.add(known.key(rel, canonical.encode("utf-8")))
    if known is not None:
        known.save()
    result.diagnostics = sort_diagnostics(result.diagnostics)
    return result
