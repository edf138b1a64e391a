"""Rules written by the network in data/rules/ take effect without any code change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.checking import check_repository
from tests.conftest import Run

AS_OF = "2025-09-15"

RULE = """\
id: beneficiaries-counted
code: ND502
family: needs
severity: {severity}
applies_to: need
when: record.status == 'open'
condition: {condition}
field: beneficiaries
summary: {{pt: Cada necessidade conta quem beneficia., en: Each need counts who benefits.}}
rationale: {{en: Reports roll up who is reached.}}
message:
  pt: A necessidade não conta os beneficiários.
  en: The need does not count who benefits.
hint: {{pt: Acrescentar beneficiaries.}}
governance:
  status: {status}
  adopted_by: Assembleia da Federação
  adopted_on: 2025-06-01
  effective_from: {effective}
examples:
  good:
    - {{status: open, beneficiaries: {{count: 10}}}}
  bad:
    - {{status: open}}
"""


def _write_rule(repo: Path, **values: str) -> Path:
    fields = {
        "severity": "error",
        "condition": "has(record.beneficiaries)",
        "status": "adopted",
        "effective": "2025-07-01",
    }
    fields.update(values)
    path = repo / "data" / "rules" / "beneficiaries-counted.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(RULE.format(**fields), encoding="utf-8")
    return path


def _drop_beneficiaries(repo: Path) -> None:
    path = repo / "data" / "communities" / "cruzinha" / "strategies" / "cruzinha-2025-2028.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    beneficiaries: {count: 40}\n", ""), encoding="utf-8")


def _findings(repo: Path, as_of: str = AS_OF) -> list[tuple[str, str, str, int, int, str]]:
    report = check_repository(repo, as_of=dt.date.fromisoformat(as_of))
    mine = [d for d in report.diagnostics if d.code.startswith(("ND5", "NW"))]
    return [(d.code, d.severity.value, d.path, d.line, d.column, d.message) for d in mine]


STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"


def test_adopted_rule_takes_effect_with_its_code_and_message(
    minimal: Path, cli: Callable[..., Run]
) -> None:
    _write_rule(minimal)
    assert _findings(minimal) == []
    _drop_beneficiaries(minimal)
    # the school garden (needs[1]) starts on line 30 of the strategy; messages in pt,
    # the network's default language
    assert _findings(minimal) == [
        ("ND502", "error", STRATEGY, 30, 5, "A necessidade não conta os beneficiários.")
    ]
    run = cli(["check", "--repo", str(minimal), "--as-of", AS_OF, "--format", "json"])
    assert run.exit_code == 1
    [finding] = [d for d in run.json()["diagnostics"] if d["code"] == "ND502"]
    assert (finding["code"], finding["rule"], finding["hint"]) == (
        "ND502",
        "beneficiaries-counted",
        "Acrescentar beneficiaries.",
    )


def test_trial_rule_only_informs(minimal: Path, cli: Callable[..., Run]) -> None:
    _write_rule(minimal, status="trial")
    _drop_beneficiaries(minimal)
    assert [f[:2] for f in _findings(minimal)] == [("ND502", "info")]
    run = cli(["check", "--repo", str(minimal), "--as-of", AS_OF, "--strict"])
    assert run.exit_code == 0


@pytest.mark.parametrize(
    ("values", "as_of"),
    [
        ({"effective": "2026-01-01"}, AS_OF),
        ({"status": "proposed"}, AS_OF),
        ({"status": "retired"}, AS_OF),
    ],
    ids=["not-yet-effective", "proposed", "retired"],
)
def test_silent_rules(minimal: Path, values: dict[str, str], as_of: str) -> None:
    _write_rule(minimal, **values)
    _drop_beneficiaries(minimal)
    assert _findings(minimal, as_of) == []


def test_rule_becomes_effective_on_its_date(minimal: Path) -> None:
    _write_rule(minimal, effective="2025-09-15")
    _drop_beneficiaries(minimal)
    assert [f[0] for f in _findings(minimal, "2025-09-14")] == []
    assert [f[0] for f in _findings(minimal, "2025-09-15")] == ["ND502"]


def test_broken_expression_is_a_finding_on_the_rule_file(
    minimal: Path, cli: Callable[..., Run]
) -> None:
    _write_rule(minimal, condition="has(record.beneficiaries) &&")
    run = cli(["check", "--repo", str(minimal), "--as-of", AS_OF, "--format", "json"])
    assert run.exit_code == 1
    assert "Traceback" not in run.stderr
    [finding] = run.json()["diagnostics"]
    assert finding["code"] == "NW001"
    assert (finding["path"], finding["line"], finding["column"]) == (
        "data/rules/beneficiaries-counted.yaml",
        7,
        12,
    )
    assert "not a valid CEL expression" in finding["message"]


def test_code_of_a_built_in_rule_is_refused(minimal: Path) -> None:
    path = _write_rule(minimal)
    path.write_text(path.read_text(encoding="utf-8").replace("ND502", "ND001"), encoding="utf-8")
    assert [(f[0], f[3]) for f in _findings(minimal)] == [("NW003", 2)]


def test_code_outside_its_family_is_refused(minimal: Path) -> None:
    path = _write_rule(minimal)
    path.write_text(path.read_text(encoding="utf-8").replace("ND502", "PA502"), encoding="utf-8")
    assert [f[0] for f in _findings(minimal)] == ["NW003"]


def test_examples_the_rule_gets_wrong(minimal: Path) -> None:
    _write_rule(minimal, condition='"!has(record.beneficiaries)"')
    found = [(f[0], f[3]) for f in _findings(minimal) if f[0] == "NW004"]
    # the good example is on line 22 of the rule file, the bad one on line 24
    assert found == [("NW004", 22), ("NW004", 24)]


def test_evaluation_errors_are_reported_once(minimal: Path) -> None:
    _write_rule(minimal, condition="record.beneficiaries.count > 0 || has(record.id)")
    path = minimal / "data" / "rules" / "beneficiaries-counted.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  bad:\n    - {status: open}\n",
        "  bad:\n    - {status: open, beneficiaries: {count: 0}, id: ''}\n",
    )
    path.write_text(text.replace("|| has(record.id)", "&& record.id != ''"), encoding="utf-8")
    _drop_beneficiaries(minimal)
    found = [f for f in _findings(minimal) if f[0] == "NW002"]
    assert len(found) == 1
    assert found[0][1] == "warning"
    assert "could not be evaluated on 1 record," in found[0][5]
