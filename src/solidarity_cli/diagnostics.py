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

    def where(self) -> str:
        """``path:line:column``, leaving out what is not known (0): a whole file is its path."""
        if self.line < 1:
            return self.path
        if self.column < 1:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


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
        return f"{self.location.where()}: {self.severity.value} {self.code} {self.message}"


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


def _withheld_spans(text: str) -> str:
    """``text`` with each e-mail address, phone, identity or tax number replaced by the mark."""
    from solidarity_cli.privacy import EMAIL, NATIONAL_ID, PHONE, is_phone, personal_data_codes
    from solidarity_cli.words import M_

    if not personal_data_codes(text):
        return text
    mark = str(M_("[withheld: personal data]"))
    spans = [m.span() for m in EMAIL.finditer(text)]
    spans += [m.span() for m in PHONE.finditer(text) if is_phone(text, m)]
    spans += [m.span() for m in NATIONAL_ID.finditer(text)]
    out, end = [], 0
    for start, stop in sorted(spans):
        if start >= end:
            out.append(text[end:start] + mark)
            end = stop
        else:
            end = max(end, stop)
    screened = "".join(out) + text[end:]
    return screened if not personal_data_codes(screened) else mark


def _screened_text(text: str) -> str:
    """A message or hint with personal data withheld, in its own words when it has them."""
    from solidarity_cli.words import M_, Words

    if _withheld_spans(text) is text:
        return text
    if isinstance(text, Words):
        values = {}
        for name, value in text.values.items():
            if isinstance(value, Words):
                values[name] = _screened_text(value)
            elif isinstance(value, str):
                values[name] = (
                    M_("[withheld: personal data]") if value != _withheld_spans(value) else value
                )
            else:
                values[name] = value
        said = Words(text.template, text.plural, text.tally, **values)
        if _withheld_spans(said) == said:
            return said
    return _withheld_spans(text)


def screened(diagnostic: Diagnostic) -> Diagnostic:
    """``diagnostic`` with any e-mail address, phone, identity or tax number its message, hint
    or key path quotes (a key written as one, a value a rule echoes) withheld with the visible
    mark: findings reach terminals, CI logs, JSON and SARIF, which are as public as the site.
    Apply once findings are placed, since the key path no longer locates a withheld key."""
    message = _screened_text(diagnostic.message)
    hint = _screened_text(diagnostic.hint)
    loc = diagnostic.location
    key_path = tuple(
        _withheld_spans(p) if isinstance(p, str) and _withheld_spans(p) != p else p
        for p in loc.key_path
    )
    if message is diagnostic.message and hint is diagnostic.hint and key_path == loc.key_path:
        return diagnostic
    return replace(diagnostic, message=message, hint=hint, location=replace(loc, key_path=key_path))
