"""Run rules over a dataset: selection, severities and options from the settings."""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, KeyPath, Location, Severity
from solidarity_cli.models.rule import Family
from solidarity_cli.models.settings import Level, RuleSettings
from solidarity_cli.reading.findings import schema_diagnostics
from solidarity_cli.reading.layout import SETTINGS_FILE
from solidarity_cli.rules.base import Finding, RuleContext
from solidarity_cli.words import M_


class RuleSpec(Protocol):
    """What the engine needs of a rule, built-in or written by the network."""

    @property
    def code(self) -> str:
        """Stable code, e.g. ND001."""
        ...

    @property
    def name(self) -> str:
        """Kebab-case name."""
        ...

    @property
    def family(self) -> Family:
        """The family the rule belongs to."""
        ...

    @property
    def severity(self) -> Severity:
        """Default severity."""
        ...

    @property
    def summary(self) -> str:
        """One line saying what the rule asks."""
        ...

    @property
    def options(self) -> type[BaseModel]:
        """The pydantic model of the rule's options."""
        ...

    def run(self, ctx: RuleContext, options: Any) -> Iterator[Finding]:
        """Yield findings."""
        ...

    def effective(self, as_of: dt.date) -> bool:
        """Whether the rule speaks on ``as_of``."""
        ...

    def forced_severity(self) -> Severity | None:
        """A severity the rule always reports at (trial rules: info)."""
        ...


def matches(token: str, rule: RuleSpec) -> bool:
    """A selector names a rule by code, code prefix (``ND``, ``PA0``) or name."""
    return token == rule.name or (token.isupper() and rule.code.startswith(token))


def _config_finding(code: str, key: KeyPath, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        code=code,
        severity=Severity.ERROR,
        message=message,
        hint=hint,
        rule="rule-settings",
        location=Location(SETTINGS_FILE, 0, 0, key),
    )


@dataclass
class Plan:
    """The rules that run, each with its severity and validated options."""

    entries: list[tuple[RuleSpec, Severity, Any]]
    ignores: list[tuple[list[str], list[str]]]
    diagnostics: list[Diagnostic]

    def ignored(self, rule: RuleSpec, path: str) -> bool:
        """Whether a per-path ignore silences ``rule`` in ``path``."""
        return any(
            any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)
            and any(matches(token, rule) for token in tokens)
            for patterns, tokens in self.ignores
        )


def plan(rules: Sequence[RuleSpec], settings: RuleSettings, as_of: dt.date) -> Plan:
    """Resolve the settings against the rules; unknown names and bad options are findings."""
    problems: list[Diagnostic] = []
    names = sorted({r.code for r in rules} | {r.name for r in rules})

    def known(token: str, key: KeyPath) -> bool:
        if any(matches(token, r) for r in rules):
            return True
        close = difflib.get_close_matches(token, names, n=1, cutoff=0.6)
        problems.append(
            _config_finding(
                "CF001",
                key,
                M_("no rule is called '{name}'", name=token),
                M_("did you mean '{close}'?", close=close[0])
                if close
                else M_("see the list: solidarity rules"),
            )
        )
        return False

    for i, token in enumerate(settings.select):
        known(token, ("rules", "select", i))
    for i, token in enumerate(settings.ignore):
        known(token, ("rules", "ignore", i))
    for token in settings.severity:
        known(token, ("rules", "severity", token))
    for token in settings.options:
        known(token, ("rules", "options", token))
    for i, ignore in enumerate(settings.per_path_ignores):
        for j, token in enumerate(ignore.rules):
            known(token, ("rules", "per_path_ignores", i, "rules", j))

    entries = []
    for rule in rules:
        if settings.select and not any(matches(t, rule) for t in settings.select):
            continue
        if any(matches(t, rule) for t in settings.ignore):
            continue
        if not rule.effective(as_of):
            continue
        level = next(
            (settings.severity[t] for t in (rule.code, rule.name) if t in settings.severity),
            None,
        )
        if level is Level.OFF:
            continue
        severity = Severity(level.value) if level is not None else rule.severity
        severity = rule.forced_severity() or severity
        raw = next(
            (settings.options[t] for t in (rule.code, rule.name) if t in settings.options), {}
        )
        try:
            options = rule.options.model_validate(raw)
        except ValidationError as exc:
            token = rule.code if rule.code in settings.options else rule.name
            for d in schema_diagnostics(SETTINGS_FILE, rule.options, raw, exc):
                key = ("rules", "options", token, *d.location.key_path)
                problems.append(
                    _config_finding(
                        "CF002",
                        key,
                        M_(
                            "option of rule {code} ({name}): {message}",
                            code=rule.code,
                            name=rule.name,
                            message=d.message,
                        ),
                        d.hint,
                    )
                )
            continue
        entries.append((rule, severity, options))
    ignores = [(p.paths, p.rules) for p in settings.per_path_ignores]
    return Plan(entries, ignores, problems)


def run_rules(
    dataset: Dataset,
    rules: Sequence[RuleSpec],
    as_of: dt.date,
    cache: dict[str, Any] | None = None,
) -> list[Diagnostic]:
    """Every finding of every selected rule, severities stamped from the settings.

    ``cache`` seeds what rules share (e.g. reference findings already computed).
    """
    settings = dataset.settings.rules if dataset.settings is not None else RuleSettings()
    resolved = plan(rules, settings, as_of)
    ctx = RuleContext(dataset, as_of, dict(cache or {}))
    out: list[Diagnostic] = []
    for rule, severity, options in resolved.entries:
        for finding in rule.run(ctx, options):
            if resolved.ignored(rule, finding.path):
                continue
            out.append(
                Diagnostic(
                    code=rule.code,
                    severity=severity,
                    message=finding.message,
                    hint=finding.hint,
                    rule=rule.name,
                    location=Location(finding.path, 0, 0, finding.key_path, finding.anchor),
                )
            )
    return resolved.diagnostics + dataset.in_file(out)
