"""The rules as documentation: listing, explaining, Markdown tables, and testing examples."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.rules.base import Rule
from solidarity_cli.rules.examples import run_example
from solidarity_cli.rules.network import NetworkRuleSpec, check_examples, compile_rules, plain
from solidarity_cli.rules.registry import BUILTIN_RULES


def describe_network(spec: NetworkRuleSpec) -> dict[str, Any]:
    """Documentation of a network-written rule as plain data."""
    model = spec.model
    gov = model.governance
    return {
        "code": model.code,
        "name": model.id,
        "family": model.family.value,
        "severity": model.severity.value,
        "summary": spec.summary,
        "rationale": _pick(model.rationale, spec.language),
        "options": {},
        "examples": {
            "failing": {"description": "bad example records", "records": plain(model.examples.bad)},
            "passing": {
                "description": "good example records",
                "records": plain(model.examples.good),
            },
        },
        "source": spec.path,
        "applies_to": model.applies_to.value,
        "when": model.when,
        "condition": model.condition,
        "governance": {
            "status": gov.status.value,
            "proposed_by": gov.proposed_by,
            "adopted_by": gov.adopted_by,
            "adopted_on": gov.adopted_on.isoformat() if gov.adopted_on else None,
            "effective_from": gov.effective_from.isoformat() if gov.effective_from else None,
        },
    }


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


def catalogue(dataset: Dataset | None) -> list[dict[str, Any]]:
    """Every rule, built-in then the repository's own, sorted by code."""
    rules = [rule.describe() for rule in BUILTIN_RULES]
    if dataset is not None:
        network, _ = compile_rules(dataset, {r.code for r in BUILTIN_RULES})
        rules += [describe_network(spec) for spec in network]
    return sorted(rules, key=lambda r: str(r["code"]))


def markdown_table(rules: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of rules, one row each."""
    lines = ["| code | name | family | severity | what it asks |", "|---|---|---|---|---|"]
    for r in rules:
        summary = str(r["summary"]).replace("|", "\\|")
        lines.append(
            f"| {r['code']} | `{r['name']}` | {r['family']} | {r['severity']} | {summary} |"
        )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ExampleResult:
    """Whether one example of one rule behaved as documented."""

    code: str
    name: str
    example: str
    ok: bool
    detail: str


def _builtin_results(rule: Rule[Any]) -> list[ExampleResult]:
    out = []
    for label, example, should_find in (
        ("failing", rule.failing, True),
        ("passing", rule.passing, False),
    ):
        outcome = run_example(rule, example)
        if outcome.broken:
            out.append(
                ExampleResult(
                    rule.code,
                    rule.name,
                    label,
                    False,
                    f"the example does not load: {outcome.broken[0]}",
                )
            )
        elif bool(outcome.findings) != should_find:
            detail = (
                "the rule found nothing"
                if should_find
                else f"the rule flagged it: {outcome.findings[0]}"
            )
            out.append(ExampleResult(rule.code, rule.name, label, False, detail))
        else:
            detail = str(outcome.findings[0]) if outcome.findings else "no finding"
            out.append(ExampleResult(rule.code, rule.name, label, True, detail))
    return out


def run_rule_examples(
    dataset: Dataset | None, progress: Callable[[int, int], None] | None = None
) -> list[ExampleResult]:
    """Run every rule's examples: failing ones must be flagged, passing ones must not."""
    results: list[ExampleResult] = []
    network: list[NetworkRuleSpec] = []
    problems: list[Diagnostic] = []
    if dataset is not None:
        network, problems = compile_rules(dataset, {r.code for r in BUILTIN_RULES})
    total = len(BUILTIN_RULES) + len(network)
    for done, rule in enumerate(BUILTIN_RULES, 1):
        results += _builtin_results(rule)
        if progress is not None:
            progress(done, total)
    for done, spec in enumerate(network, len(BUILTIN_RULES) + 1):
        failures = check_examples(spec)
        results.append(
            ExampleResult(
                spec.code,
                spec.name,
                "good and bad records",
                not failures,
                failures[0].message
                if failures
                else f"{len(spec.model.examples.good)} good, {len(spec.model.examples.bad)} bad",
            )
        )
        if progress is not None:
            progress(done, total)
    for problem in problems:
        if problem.code in ("NW001", "NW003"):
            results.append(ExampleResult("-", problem.path, "compile", False, problem.message))
    return results
