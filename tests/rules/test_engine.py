"""Rule settings: select, ignore, severities, options and per-path ignores, from solidarity.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from solidarity_cli.checking import check_repository
from solidarity_cli.diagnostics import Severity
from solidarity_cli.rules.base import EXAMPLE_AS_OF

AGREEMENT = "data/partnerships/cruzinha-cisterna/agreement.yaml"


def _settings(repo: Path, rules: dict[str, Any]) -> None:
    yaml = YAML()
    path = repo / "solidarity.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["rules"] = rules
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _policy_condition(repo: Path) -> None:
    path = repo / AGREEMENT
    path.write_text(path.read_text(encoding="utf-8").replace("type: performance", "type: policy"))


def _found(repo: Path) -> list[tuple[str, str]]:
    report = check_repository(repo, as_of=EXAMPLE_AS_OF)
    return [(d.code, d.severity.value) for d in report.diagnostics]


def test_default_severity(minimal: Path) -> None:
    _policy_condition(minimal)
    assert _found(minimal) == [("PA004", "warning")]


def test_severity_override_by_code_and_name(minimal: Path) -> None:
    _policy_condition(minimal)
    _settings(minimal, {"severity": {"PA004": "error"}})
    assert _found(minimal) == [("PA004", "error")]
    _settings(minimal, {"severity": {"policy-condition": "off"}})
    assert _found(minimal) == []


def test_select_and_ignore_by_prefix_and_name(minimal: Path) -> None:
    _policy_condition(minimal)
    _settings(minimal, {"select": ["ND", "ME"]})
    assert _found(minimal) == []
    _settings(minimal, {"select": ["PA0"], "ignore": ["policy-condition"]})
    assert _found(minimal) == []
    _settings(minimal, {"select": ["PA"]})
    assert _found(minimal) == [("PA004", "warning")]


def test_per_path_ignore(minimal: Path) -> None:
    _policy_condition(minimal)
    _settings(
        minimal,
        {
            "per_path_ignores": [
                {"paths": ["data/partnerships/*/agreement.yaml"], "rules": ["PA004"]}
            ]
        },
    )
    assert _found(minimal) == []
    _settings(minimal, {"per_path_ignores": [{"paths": ["data/donors/*"], "rules": ["PA004"]}]})
    assert _found(minimal) == [("PA004", "warning")]


def test_unknown_rule_in_settings_is_a_finding_with_a_suggestion(minimal: Path) -> None:
    _settings(minimal, {"ignore": ["PA04"], "severity": {"polcy-condition": "off"}})
    report = check_repository(minimal, as_of=EXAMPLE_AS_OF)
    found = [(d.code, d.path, d.line, d.message, d.hint) for d in report.diagnostics]
    assert found == [
        (
            "CF001",
            "solidarity.yaml",
            12,
            "no rule is called 'PA04'",
            "did you mean 'PA004'?",
        ),
        (
            "CF001",
            "solidarity.yaml",
            14,
            "no rule is called 'polcy-condition'",
            "did you mean 'policy-condition'?",
        ),
    ]


def test_rule_options_are_validated(minimal: Path) -> None:
    _settings(minimal, {"options": {"PA005": {"tolerance_percnt": 5}}})
    report = check_repository(minimal, as_of=EXAMPLE_AS_OF)
    [finding] = report.diagnostics
    assert finding.code == "CF002"
    assert finding.severity is Severity.ERROR
    assert "unknown field 'tolerance_percnt'" in finding.message
    assert finding.hint == "did you mean 'tolerance_percent'?"
    assert (finding.path, finding.line) == ("solidarity.yaml", 13)


def test_rule_option_changes_the_verdict(minimal: Path) -> None:
    path = minimal / AGREEMENT
    # 11,000 EUR against 10,882.87 EUR remaining: 1.1 % above
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "value: {amount: 10000, currency: EUR, value_date: 2025-03-20}\n  - type: disbursement",
            "value: {amount: 11000, currency: EUR, value_date: 2025-03-20}\n  - type: disbursement",
        )
    )
    assert ("PA005", "error") in _found(minimal)
    _settings(minimal, {"options": {"need-not-overfunded": {"tolerance_percent": 2}}})
    assert ("PA005", "error") not in _found(minimal)
