"""Rich rendering of findings for people."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from solidarity_cli.baseline import ChangedReport
from solidarity_cli.checking import CheckReport
from solidarity_cli.cli.i18n import _, cli_language, ngettext, number, record_count
from solidarity_cli.diagnostics import Diagnostic, Severity, count_by_severity
from solidarity_cli.reading.discovery import read_regular
from solidarity_cli.withholding import withheld_mark, withhold_excerpt
from solidarity_cli.words import say

_WIDTH = 100
#: Controls (but tab), DEL, C1 controls and bidi overrides never reach a terminal as they are.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def _safe(text: str) -> str:
    """Text for a terminal: unsafe characters shown as U+FFFD, rich markup escaped."""
    return escape(_UNSAFE.sub("\N{REPLACEMENT CHARACTER}", text))


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class _Sources:
    """Lines of the files findings point at, read once each."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if self.root is None or number < 1:
            return None
        if path not in self.lines:
            data = read_regular(self.root / path, 1_000_000)
            text = data.decode("utf-8", "replace").replace("\x00", "\N{REPLACEMENT CHARACTER}")
            self.lines[path] = text.splitlines()
        lines = self.lines[path]
        return lines[number - 1] if number <= len(lines) else None


def print_diagnostics(
    console: Console, diagnostics: Sequence[Diagnostic], root: Path | None = None
) -> None:
    """One block per finding: where, what, the line concerned, and what to do."""
    sources = _Sources(root)
    what_to_do = _("what to do:")
    for d in diagnostics:
        style = _STYLE[d.severity]
        console.print(
            f"[bold]{_safe(d.location.where())}[/]: "
            f"[{style}]{_(d.severity.value)}[/] [dim]{d.code}[/] {_safe(say(d.message, _))}",
            markup=True,
            emoji=False,
        )
        source = sources.line(d.path, d.line)
        if source is not None and withhold_excerpt(d.code, source):
            source = withheld_mark(cli_language())
        if source is not None and source.strip():
            shown = source.expandtabs(1)[:_WIDTH]
            gutter = f"{d.line:>5} | "
            console.print(f"[dim]{gutter}[/]{_safe(shown)}", markup=True, emoji=False)
            if 1 <= d.column <= len(shown) + 1:
                pad = " " * (len(gutter) - 2)
                console.print(f"[dim]{pad}| [/]{' ' * (d.column - 1)}[{style}]^[/]", markup=True)
        if d.hint:
            console.print(
                f"    [dim]{what_to_do}[/] {_safe(say(d.hint, _))}", markup=True, emoji=False
            )


def print_check_summary(console: Console, report: CheckReport, shown: int) -> None:
    """The closing line of ``solidarity check``."""
    counts = report.record_counts()
    what = ", ".join(record_count(k, n) for k, n in counts.items() if n)
    files = report.file_count()
    checked = ngettext("{n} file checked", "{n} files checked", files).format(n=number(files))
    if not report.diagnostics:
        all_good = _("All good:")
        console.print(f"[green]{all_good}[/] {checked} ({what}).", markup=True)
        return
    parts = []
    if report.errors:
        parts.append(
            ngettext("{n} error", "{n} errors", report.errors).format(n=number(report.errors))
        )
    if report.warnings:
        parts.append(
            ngettext("{n} warning", "{n} warnings", report.warnings).format(
                n=number(report.warnings)
            )
        )
    infos = len(report.diagnostics) - report.errors - report.warnings
    if infos:
        parts.append(ngettext("{n} note", "{n} notes", infos).format(n=number(infos)))
    console.print(
        _("{checked} ({what}): {findings}.").format(
            checked=checked, what=what, findings=", ".join(parts)
        ),
        markup=False,
    )
    if shown < len(report.diagnostics):
        console.print(
            _("(showing the first {n}; use --format json for all)").format(n=number(shown))
        )


def print_changed_summary(console: Console, changed: ChangedReport) -> None:
    """The closing lines of ``solidarity check --changed-since``: new, then pre-existing."""
    new = changed.new_diagnostics
    old = changed.old_diagnostics
    base = changed.base_commit[:12]
    if new:
        console.print(
            ngettext(
                "{n} new finding since {base}.", "{n} new findings since {base}.", len(new)
            ).format(n=number(len(new)), base=base)
        )
    else:
        console.print(_("No new finding since {base}.").format(base=base))
    if old:
        counts = count_by_severity(old)
        parts = [
            ngettext("{n} error", "{n} errors", counts[Severity.ERROR]).format(
                n=number(counts[Severity.ERROR])
            ),
            ngettext("{n} warning", "{n} warnings", counts[Severity.WARNING]).format(
                n=number(counts[Severity.WARNING])
            ),
        ]
        console.print(
            _("Already there before the change (not counted): {parts}.").format(
                parts=", ".join(parts)
            )
        )
        codes = Counter(d.code for d in old)
        console.print("  " + ", ".join(f"{code} x{n}" for code, n in sorted(codes.items())))
