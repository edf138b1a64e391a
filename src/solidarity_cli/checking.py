"""``solidarity check`` as a library call: load, cross-check, place and filter findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solidarity_cli import resultcache
from solidarity_cli.beside import Pending, beside
from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import (
    Diagnostic,
    Severity,
    count_by_severity,
    screened,
    sort_diagnostics,
)
from solidarity_cli.ownership import ownership_findings
from solidarity_cli.reading import (
    LoadResult,
    Progress,
    collector_paused,
    load_repository,
    place,
)
from solidarity_cli.references import check_references
from solidarity_cli.reporting.template_check import check_templates
from solidarity_cli.revisions import Revision, Revisions
from solidarity_cli.rules.engine import RuleSpec, run_rules
from solidarity_cli.rules.registry import all_rules

RuleRunner = Callable[[Dataset, Sequence[RuleSpec], dt.date, dict[str, Any]], list[Diagnostic]]
"""How the rules are run over a dataset: ``run_rules``, or a caller's own that may reuse
what it already knows (see ``baseline``)."""


@dataclass
class CheckReport:
    """What ``check_repository`` found."""

    dataset: Dataset
    diagnostics: list[Diagnostic]
    as_of: dt.date
    records: dict[str, int] | None = None
    """Records by kind, when the dataset was not loaded (a cached result)."""
    files: int | None = None
    """Files read, when the dataset was not loaded (a cached result)."""

    def record_counts(self) -> dict[str, int]:
        """Records by kind."""
        return self.records if self.records is not None else self.dataset.counts()

    def file_count(self) -> int:
        """Files read."""
        return self.files if self.files is not None else self.dataset.files

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return count_by_severity(self.diagnostics)[Severity.ERROR]

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        return count_by_severity(self.diagnostics)[Severity.WARNING]

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when clean, 1 with errors (or warnings under ``strict``)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> dict[str, object]:
        """The ``summary`` object of the JSON output."""
        counts = count_by_severity(self.diagnostics)
        return {
            "files": self.file_count(),
            "records": self.record_counts(),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        }


def _selected(path: str, paths: Sequence[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in paths)


def normalise_paths(root: Path, paths: Sequence[str | Path]) -> list[str]:
    """Repo-relative POSIX forms of paths given on the command line."""
    out = []
    real_root = root.resolve()
    for p in paths:
        absolute = Path(p).resolve()
        try:
            out.append(absolute.relative_to(real_root).as_posix() or ".")
        except ValueError:
            out.append(Path(p).as_posix())
    return out


def check_repository(
    root: Path,
    *,
    paths: Sequence[str] = (),
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    revision: Revision | None = None,
    opened: Revisions | None = None,
    placed: bool = True,
    run: RuleRunner = run_rules,
) -> CheckReport:
    """Check the whole repository; with ``paths``, report only findings in those files.

    ``revision`` (opened by ``opened``, whose blob cache it shares) checks a git revision
    instead of the working tree. ``placed=False`` leaves findings known by key path without
    a line (saving a re-read of every file with findings), for callers that only compare them.
    ``run`` runs the rules (``run_rules`` unless given).
    """
    if revision is not None and opened is not None:
        loaded = opened.load(revision, progress)
    elif opened is not None:
        # The working tree, with the blob cache of ``opened`` (files are not keyed: no blob id).
        loaded = opened.load(opened.open(None), progress)
    else:
        loaded = load_repository(root, progress, split=True)
    day = as_of or dt.date.today()
    findings = _findings(root, loaded, day, paths, revision, placed, run)
    return CheckReport(loaded.dataset, findings, day)


@contextmanager
def checking_beside(
    root: Path, *, as_of: dt.date | None = None
) -> Iterator[tuple[Dataset, Pending[list[Diagnostic]]]]:
    """The working tree read here, its findings made beside this process (see ``beside``):
    the dataset at once, for work that does not need the findings, and the findings when
    asked, the same as ``check_repository`` gives."""
    # Read as ``check`` reads (split): a report's time is judged against a check's. Records
    # read beside share no equal values with these: 116 MB more at 20,000 communities.
    loaded = load_repository(root, split=True)
    day = as_of or dt.date.today()
    # Made in a second process, or here in the middle of a report's pages should that fail:
    # nothing frozen out of the collector's sight then (the pages' garbage would stay).
    with beside(lambda: _findings(root, loaded, day, freeze=False)) as findings:
        yield loaded.dataset, findings


def _findings(
    root: Path,
    loaded: LoadResult,
    day: dt.date,
    paths: Sequence[str] = (),
    revision: Revision | None = None,
    placed: bool = True,
    run: RuleRunner = run_rules,
    *,
    freeze: bool = True,
) -> list[Diagnostic]:
    """What the check finds in records already read: references, rules, ownership, templates
    (what they leave frozen out of the collector's sight with ``freeze``)."""
    with collector_paused(freeze=freeze):
        references = check_references(loaded.dataset)
        duplicates = loaded.dataset.in_file(d for d in references if not d.code.startswith("RF"))
        rules, network, problems = all_rules(loaded.dataset)
        findings = loaded.diagnostics + duplicates + problems
        findings += run(loaded.dataset, rules, day, {"references": references})
    findings += [p for spec in network for p in spec.problems]
    # A revision's templates and CODEOWNERS are checked as they were at that commit.
    outside = revision.outside_data() if revision is not None else root
    findings += ownership_findings(outside, loaded.dataset)
    findings += check_templates(outside)
    if paths and "." not in paths:
        findings = [d for d in findings if _selected(d.path, paths)]
    if placed:
        findings = place(root, findings, revision.read if revision is not None else None)
    return sort_diagnostics(map(screened, findings))


def check_with_cache(
    root: Path,
    *,
    paths: Sequence[str] = (),
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> CheckReport:
    """``check_repository`` of the working tree, answered from the result cache when nothing
    it reads has changed since the last check (see ``resultcache``).

    The report then holds the findings and counts but no dataset (an empty one).
    """
    day = as_of or dt.date.today()
    key = resultcache.repository_key(root, day)
    kept = resultcache.load(root, key)
    if kept is None:
        full = check_repository(root, as_of=day, progress=progress)
        counts = full.record_counts()
        resultcache.store(root, key, full.diagnostics, counts, full.file_count())
        report = CheckReport(full.dataset, full.diagnostics, day)
    else:
        diagnostics, counts, files = kept
        report = CheckReport(Dataset(root=root), diagnostics, day, counts, files)
    if paths and "." not in paths:
        report.diagnostics = [d for d in report.diagnostics if _selected(d.path, paths)]
    return report
