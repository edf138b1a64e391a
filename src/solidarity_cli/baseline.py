"""New and pre-existing findings: a stable fingerprint per finding, compared with a base revision.

A fingerprint is made of what a finding is about (its code, its file, its key path and its
message), never of its line, so that lines inserted above an old finding leave it old. Findings
that are alike in all of these are told apart by their order in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from solidarity_cli.checking import CheckReport, check_repository
from solidarity_cli.diagnostics import Diagnostic, Severity, format_key_path
from solidarity_cli.reading import Progress
from solidarity_cli.revisions import Revisions, revisions

FINGERPRINT_KEY = "solidarity/v1"
"""The name of the fingerprint in SARIF's ``partialFingerprints``."""


def _identity(d: Diagnostic) -> str:
    return "\0".join((d.code, d.path, format_key_path(d.location.key_path), str(d.message)))


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """One fingerprint per finding, in the order given (which should be the sorted order)."""
    seen: Counter[str] = Counter()
    out = []
    for d in diagnostics:
        identity = _identity(d)
        seen[identity] += 1
        digest = hashlib.sha256(f"{identity}\0{seen[identity]}".encode()).hexdigest()
        out.append(digest[:32])
    return out


@dataclass
class ChangedReport:
    """The head's findings, each with its fingerprint and whether the base had it."""

    head: CheckReport
    base_commit: str
    fingerprints: list[str]
    new: list[bool]

    @property
    def new_diagnostics(self) -> list[Diagnostic]:
        """Findings the base did not have."""
        return [d for d, n in zip(self.head.diagnostics, self.new, strict=True) if n]

    @property
    def old_diagnostics(self) -> list[Diagnostic]:
        """Findings the base already had."""
        return [d for d, n in zip(self.head.diagnostics, self.new, strict=True) if not n]

    def exit_code(self, *, strict: bool = False) -> int:
        """1 when a new error (or, under ``strict``, a new warning) appears, else 0."""
        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return 1 if any(d.severity in failing for d in self.new_diagnostics) else 0


def check_changed_since(
    root: Path,
    base: str,
    *,
    head: str | None = None,
    paths: Sequence[str] = (),
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    opened: Revisions | None = None,
) -> ChangedReport:
    """Check ``head`` (None: the working tree) and mark which findings ``base`` did not have.

    Both revisions share one blob cache, so files the change leaves alone are read once;
    pass ``opened`` to share it further (e.g. with a diff of the same two revisions).
    """
    if opened is None:
        with revisions(root) as own:
            return check_changed_since(
                root, base, head=head, paths=paths, as_of=as_of, progress=progress, opened=own
            )
    base_revision = opened.open(base)
    head_report = check_repository(
        root,
        paths=paths,
        as_of=as_of,
        progress=progress,
        revision=opened.open(head) if head is not None else None,
        opened=opened,
    )
    # Fingerprints leave lines out, so the base's findings need no placing.
    base_report = check_repository(
        root,
        paths=paths,
        as_of=head_report.as_of,
        revision=base_revision,
        opened=opened,
        placed=False,
    )
    old = Counter(fingerprints(base_report.diagnostics))
    marks = fingerprints(head_report.diagnostics)
    new = []
    for mark in marks:
        new.append(old[mark] == 0)
        if old[mark]:
            old[mark] -= 1
    return ChangedReport(head_report, base_revision.commit or base, marks, new)
