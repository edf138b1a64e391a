"""New and pre-existing findings: a stable fingerprint per finding, compared with a base revision.

A fingerprint is made of what a finding is about (its code, its file, its key path and its
message), never of its line, so that lines inserted above an old finding leave it old. Findings
that are alike in all of these are told apart by their order in the file.

The base is checked knowing the head's findings. A rule that declares it reads only the record
of the file it reports on (``Reads.OWN_RECORD``) gives a file the same findings at both
versions when that file holds the very same records (one read of one blob) with the same
settings; at the base such rules run only over the files that differ, and the head's findings
stand for the rest. Every other rule, the references, the network's own rules and the reading
findings are evaluated in full at the base.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solidarity_cli.checking import CheckReport, check_repository
from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, Severity, format_key_path
from solidarity_cli.models.rule import Family
from solidarity_cli.reading import Progress
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.revisions import Revisions, revisions
from solidarity_cli.rules.base import Finding as RuleFinding
from solidarity_cli.rules.base import Reads, Rule, RuleContext
from solidarity_cli.rules.engine import RuleSpec, run_rules

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
    reuse: bool = True,
) -> ChangedReport:
    """Check ``head`` (None: the working tree) and mark which findings ``base`` did not have.

    Both revisions share one blob cache, so files the change leaves alone are read once;
    pass ``opened`` to share it further (e.g. with a diff of the same two revisions).
    ``reuse=False`` runs every rule over the whole base (the reference the fast path is
    tested against).
    """
    if opened is None:
        with revisions(root) as own:
            return check_changed_since(
                root,
                base,
                head=head,
                paths=paths,
                as_of=as_of,
                progress=progress,
                opened=own,
                reuse=reuse,
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
        run=_Reuse(head_report).run if reuse else run_rules,
    )
    old = Counter(fingerprints(base_report.diagnostics))
    marks = fingerprints(head_report.diagnostics)
    new = []
    for mark in marks:
        new.append(old[mark] == 0)
        if old[mark]:
            old[mark] -= 1
    return ChangedReport(head_report, base_revision.commit or base, marks, new)


def reads_own_record(rule: RuleSpec) -> bool:
    """Whether a rule declared that its findings on a file depend on that file's record only."""
    return isinstance(rule, Rule) and rule.reads is Reads.OWN_RECORD


def _records(ds: Dataset) -> Iterator[tuple[str, RecordKind, str, Any]]:
    """(path, kind, key, record) of every record the dataset holds."""
    for kind in RecordKind:
        if kind is RecordKind.REPORT:
            for aid, reports in ds.reports.items():
                for rid, report in reports.items():
                    key = f"{aid}/{rid}"
                    yield ds.paths[(kind, key)], kind, key, report
        else:
            for key, record in ds.table(kind).items():
                yield ds.paths[(kind, key)], kind, key, record


def changed_files(head: Dataset, base: Dataset) -> set[str] | None:
    """The files whose records are not the very same objects in both datasets, or that differ
    in what else a rule reading only its own record sees (items left out, personal data).

    Records shared by two loads come from one cache entry keyed by blob id, so sameness is
    identity; a record parsed twice counts as changed, which is never wrong, only slower.
    None when the two cannot be compared file by file (the settings differ).
    """
    if not _same_settings(head, base) or (head.personal is None) != (base.personal is None):
        return None
    held: dict[str, list[list[tuple[RecordKind, str, Any]]]] = defaultdict(lambda: [[], []])
    for side, ds in enumerate((head, base)):
        for path, kind, key, record in _records(ds):
            held[path][side].append((kind, key, record))
        for path in ds.paths.values():
            held.setdefault(path, [[], []])  # a file whose record was refused still counts
    head_personal, base_personal = head.personal or set(), base.personal or set()
    changed = set()
    for path, (at_head, at_base) in held.items():
        at_head.sort(key=_order)
        at_base.sort(key=_order)
        same = (
            len(at_head) == len(at_base)
            and all(
                h[0] is b[0] and h[1] == b[1] and h[2] is b[2]
                for h, b in zip(at_head, at_base, strict=True)
            )
            and head.incomplete.get(path) is base.incomplete.get(path)
            and (path in head_personal) == (path in base_personal)
        )
        if not same:
            changed.add(path)
    return changed


def _order(item: tuple[RecordKind, str, Any]) -> tuple[str, str]:
    return item[0].value, item[1]


def _same_settings(head: Dataset, base: Dataset) -> bool:
    if head.settings is None or base.settings is None:
        return head.settings is base.settings
    return head.settings == base.settings and head.settings.model_dump(
        exclude_unset=True
    ) == base.settings.model_dump(exclude_unset=True)


def restricted(ds: Dataset, files: set[str]) -> Dataset:
    """The records of ``files`` only, with the settings and what rules see about those files."""
    sub = Dataset(root=ds.root, settings=ds.settings, files=len(files))
    for path, kind, key, record in _records(ds):
        if path not in files:
            continue
        sub.paths[(kind, key)] = path
        if kind is RecordKind.REPORT:
            aid, _, rid = key.partition("/")
            sub.reports.setdefault(aid, {})[rid] = record
        else:
            sub.table(kind)[key] = record
            if kind is RecordKind.STRATEGY and key in ds.strategy_owner:
                sub.strategy_owner[key] = ds.strategy_owner[key]
    sub.broken = {item for item in ds.broken if ds.paths.get(item) in files}
    sub.incomplete = {p: i for p, i in ds.incomplete.items() if p in files}
    sub.personal = None if ds.personal is None else {p for p in ds.personal if p in files}
    return sub


@dataclass(frozen=True)
class _Silent:
    """A rule as the engine plans it (selection, severity, options) that reports nothing."""

    rule: RuleSpec

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def family(self) -> Family:
        return self.rule.family

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def summary(self) -> str:
        return self.rule.summary

    @property
    def options(self) -> type[Any]:
        return self.rule.options

    def run(self, ctx: RuleContext, options: Any) -> Iterator[RuleFinding]:
        return iter(())

    def effective(self, as_of: dt.date) -> bool:
        return self.rule.effective(as_of)

    def forced_severity(self) -> Severity | None:
        return self.rule.forced_severity()


@dataclass
class _Reuse:
    """Runs the base's rules knowing the head's findings (see the module's docstring)."""

    head: CheckReport

    def run(
        self, base: Dataset, rules: Sequence[RuleSpec], as_of: dt.date, cache: dict[str, Any]
    ) -> list[Diagnostic]:
        files = changed_files(self.head.dataset, base) if as_of == self.head.as_of else None
        if files is None:
            return run_rules(base, rules, as_of, cache)
        own = {(r.code, r.name) for r in rules if reads_own_record(r)}
        # Every rule is planned in both runs, so settings findings come out once, the same.
        others = run_rules(
            base, [_Silent(r) if (r.code, r.name) in own else r for r in rules], as_of, cache
        )
        changed = run_rules(
            restricted(base, files),
            [r if (r.code, r.name) in own else _Silent(r) for r in rules],
            as_of,
        )
        kept = [d for d in self.head.diagnostics if (d.code, d.rule) in own and d.path not in files]
        return others + [d for d in changed if d.path in files] + kept
