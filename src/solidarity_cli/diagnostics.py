"""Findings about the data: one frozen type for syntax, schema, layout and rule problems."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

KeyPath = tuple[str | int, ...]


class Severity(enum.StrEnum):
    """How serious a finding is; errors fail ``solidarity check``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


def format_key_path(path: KeyPath) -> str:
    """Render ``("needs", 2, "amount")`` as ``needs[2].amount``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def json_pointer(path: KeyPath) -> str:
    """Render a key path as an RFC 6901 JSON pointer."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding is: repo-relative POSIX path, 1-based line and column, key path."""

    path: str
    line: int = 0
    column: int = 0
    key_path: KeyPath = field(default=(), compare=False)
    anchor: str = field(default="value", compare=False)
    """Which node ``line``/``column`` should point at: ``value``, ``key`` or ``parent``."""


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the data, with a message and a hint that say what to do."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str = ""
    rule: str = ""

    @property
    def path(self) -> str:
        """Repo-relative POSIX path of the file concerned."""
        return self.location.path

    @property
    def line(self) -> int:
        """1-based line, or 0 when the finding is about the whole file."""
        return self.location.line

    @property
    def column(self) -> int:
        """1-based column, or 0 when the finding is about the whole file."""
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by path, line, column, code, then message."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def at(self, line: int, column: int) -> Diagnostic:
        """A copy placed at ``line``/``column``."""
        return replace(self, location=replace(self.location, line=line, column=column))

    def with_severity(self, severity: Severity) -> Diagnostic:
        """A copy with another severity (the engine stamps configured severities)."""
        return replace(self, severity=severity)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "rule": self.rule,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "pointer": json_pointer(self.location.key_path),
            "message": self.message,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        loc = self.location
        return (
            f"{loc.path}:{loc.line}:{loc.column}: {self.severity.value} {self.code} {self.message}"
        )


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort deterministically and drop exact duplicates."""
    unique = {(d.sort_key(), d.hint, d.severity): d for d in diagnostics}
    return [unique[k] for k in sorted(unique)]


def count_by_severity(diagnostics: Sequence[Diagnostic]) -> dict[Severity, int]:
    """How many findings of each severity."""
    counts = dict.fromkeys(Severity, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return counts
