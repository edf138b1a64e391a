"""Every registered rule is documented, has examples that behave, and has cases under tests/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml_rs

from solidarity_cli.models.rule import Family
from solidarity_cli.rules.base import Rule
from solidarity_cli.rules.catalogue import catalogue, markdown_table, run_rule_examples
from solidarity_cli.rules.registry import BUILTIN_RULES
from tests.conftest import PROJECT

CASES = Path(__file__).parent / "cases"
CODES = [rule.code for rule in BUILTIN_RULES]


def test_at_least_25_rules_across_5_families() -> None:
    assert len(BUILTIN_RULES) >= 25
    assert len({rule.family for rule in BUILTIN_RULES}) >= 5
    assert {rule.family for rule in BUILTIN_RULES} == set(Family)


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=CODES)
def test_rule_is_documented(rule: Rule[Any]) -> None:
    described = rule.describe()
    assert described["code"].startswith(rule.family.prefix)
    assert len(described["summary"]) > 20 and described["summary"].endswith(".")
    assert len(described["rationale"]) > 40
    for label in ("failing", "passing"):
        assert described["examples"][label]["description"]


@pytest.mark.parametrize("code", CODES)
def test_rule_has_a_failing_and_a_passing_case(code: str) -> None:
    path = CASES / f"{code}.yaml"
    assert path.is_file(), f"rule {code} has no cases: add tests/rules/cases/{code}.yaml"
    cases = yaml_rs.loads(path.read_text(encoding="utf-8"))["cases"]
    assert any(case["expected"] for case in cases), f"{code} has no failing case"
    assert any(not case["expected"] for case in cases), f"{code} has no passing case"
    for case in cases:
        assert all(row[0] == code for row in case["expected"])


def test_every_example_behaves() -> None:
    results = run_rule_examples(None)
    assert len(results) == 2 * len(BUILTIN_RULES)
    assert [r for r in results if not r.ok] == []


def test_readme_rule_table_is_current() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    expected = markdown_table(catalogue(None))
    assert table == expected, (
        "regenerate: solidarity rules --format markdown (outside a repository)"
    )
