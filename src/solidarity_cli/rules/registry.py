"""Every built-in rule, listed explicitly; codes and names are unique."""

from __future__ import annotations

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.rules import (
    data_protection,
    monitoring,
    needs,
    partnerships,
    references,
    strategies,
)
from solidarity_cli.rules.base import CODE_PATTERN, NAME_PATTERN, Rule
from solidarity_cli.rules.engine import RuleSpec
from solidarity_cli.rules.network import NetworkRuleSpec, compile_rules

_CLASSES: tuple[type[Rule], ...] = (  # type: ignore[type-arg]
    *strategies.RULES,
    *needs.RULES,
    *partnerships.RULES,
    *monitoring.RULES,
    *data_protection.RULES,
    *references.RULES,
)


def _instantiate() -> tuple[Rule, ...]:  # type: ignore[type-arg]
    codes: set[str] = set()
    names: set[str] = set()
    rules = []
    for cls in _CLASSES:
        if not CODE_PATTERN.match(cls.code) or not cls.code.startswith(cls.family.prefix):
            raise ValueError(f"rule {cls.__name__}: code {cls.code} does not fit {cls.family}")
        if not NAME_PATTERN.match(cls.name):
            raise ValueError(f"rule {cls.code}: name {cls.name!r} is not kebab-case")
        if cls.code in codes or cls.name in names:
            raise ValueError(f"rule {cls.code} ({cls.name}) is registered twice")
        codes.add(cls.code)
        names.add(cls.name)
        rules.append(cls())
    return tuple(sorted(rules, key=lambda r: r.code))


BUILTIN_RULES = _instantiate()


def all_rules(dataset: Dataset) -> tuple[list[RuleSpec], list[NetworkRuleSpec], list[Diagnostic]]:
    """The built-in rules and the network's compiled ones, and problems with the latter."""
    network, problems = compile_rules(dataset, {r.code for r in BUILTIN_RULES})
    return [*BUILTIN_RULES, *network], network, problems
