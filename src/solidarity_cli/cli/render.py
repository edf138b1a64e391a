"""Rich rendering of findings for people."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from solidarity_cli.checking import CheckReport
from solidarity_cli.cli.i18n import _, cli_language, ngettext, number, record_count
from solidarity_cli.diagnostics import Diagnostic, Severity
from solidarity_cli.withholding import withheld_mark, withhold_excerpt
from solidarity_cli.words import say

_WIDTH = 100
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
            try:
                data = (self.root / path).read_bytes()[:1_000_000]
            except OSError:
                data = b""
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
            f"[bold]{escape(d.path)}:{d.line}:{d.column}[/]: "
            f"[{style}]{_(d.severity.value)}[/] [dim]{d.code}[/] {escape(say(d.message, _))}",
            markup=True,
        )
        source = sources.line(d.path, d.line)
        if source is not None and withhold_excerpt(d.code, source):
            source = withheld_mark(cli_language())
        if source is not None and source.strip():
            shown = source.expandtabs(1)[:_WIDTH]
            gutter = f"{d.line:>5} | "
            console.print(f"[dim]{gutter}[/]{escape(shown)}", markup=True)
            if 1 <= d.column <= len(shown) + 1:
                pad = " " * (len(gutter) - 2)
                console.print(f"[dim]{pad}| [/]{' ' * (d.column - 1)}[{style}]^[/]", markup=True)
        if d.hint:
            console.print(f"    [dim]{what_to_do}[/] {escape(say(d.hint, _))}", markup=True)


def print_check_summary(console: Console, report: CheckReport, shown: int) -> None:
    """The closing line of ``solidarity check``."""
    counts = report.dataset.counts()
    what = ", ".join(record_count(k, n) for k, n in counts.items() if n)
    files = report.dataset.files
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
    console.print(f"{checked} ({what}): {', '.join(parts)}.", markup=False)
    if shown < len(report.diagnostics):
        console.print(
            _("(showing the first {n}; use --format json for all)").format(n=number(shown))
        )
