"""Rich rendering of findings for people."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from solidarity_cli.checking import CheckReport
from solidarity_cli.diagnostics import Diagnostic, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic]) -> None:
    """One block per finding: where, what, and what to do."""
    for d in diagnostics:
        style = _STYLE[d.severity]
        console.print(
            f"[bold]{escape(d.path)}:{d.line}:{d.column}[/]: "
            f"[{style}]{d.severity.value}[/] [dim]{d.code}[/] {escape(d.message)}",
            markup=True,
        )
        if d.hint:
            console.print(f"    [dim]what to do:[/] {escape(d.hint)}", markup=True)


def print_check_summary(console: Console, report: CheckReport, shown: int) -> None:
    """The closing line of ``solidarity check``."""
    counts = report.dataset.counts()
    what = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    files = report.dataset.files
    if not report.diagnostics:
        console.print(f"[green]All good:[/] {files} files checked ({what}).", markup=True)
        return
    parts = []
    if report.errors:
        parts.append(f"{report.errors} error{'s' if report.errors != 1 else ''}")
    if report.warnings:
        parts.append(f"{report.warnings} warning{'s' if report.warnings != 1 else ''}")
    infos = len(report.diagnostics) - report.errors - report.warnings
    if infos:
        parts.append(f"{infos} note{'s' if infos != 1 else ''}")
    console.print(
        f"{files} files checked ({what}): {', '.join(parts)}.",
        markup=False,
    )
    if shown < len(report.diagnostics):
        console.print(f"(showing the first {shown}; use --format json for all)")
