"""``solidarity rules``: list, explain, test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from solidarity_cli.cli.app import app
from tests.conftest import PROJECT, Run


def test_json_list_on_the_shipped_data(cli: Callable[..., Run]) -> None:
    run = cli(["rules", "--repo", str(PROJECT), "--format", "json"])
    assert run.exit_code == 0
    rules = run.json()["rules"]
    assert len(rules) >= 25
    assert len({r["family"] for r in rules}) >= 5
    for rule in rules:
        assert rule["summary"] and rule["rationale"], rule["code"]
        assert rule["examples"]["failing"] and rule["examples"]["passing"], rule["code"]
    network = [r for r in rules if r["source"] != "built-in"]
    assert {r["code"] for r in network} == {"ST501", "PA501", "ND501", "ME501"}
    assert [r["code"] for r in rules] == sorted(r["code"] for r in rules)


def test_markdown_list_outside_a_repository(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli(["rules", "--format", "markdown"], cwd=tmp_path)
    assert run.exit_code == 0
    assert run.stdout.startswith("| code | name | family | severity | what it asks |\n")
    assert "| PA001 | `needs-from-own-strategy` | partnerships | error |" in run.stdout
    assert "ST501" not in run.stdout


def test_text_list(cli: Callable[..., Run]) -> None:
    run = cli(["rules", "--repo", str(PROJECT)])
    assert run.exit_code == 0
    assert run.stderr == ""  # `solidarity rules | less` shows the whole list
    assert "needs-from-own-strategy" in run.stdout
    assert "adoption-quorum (network)" in run.stdout
    assert "…" not in run.stdout  # nothing cut where the list goes to a file or a pipe


def test_explain_a_built_in_rule(cli: Callable[..., Run]) -> None:
    run = cli(["rules", "explain", "PA003", "--repo", str(PROJECT)])
    assert run.exit_code == 0
    assert run.stdout.startswith("PA003 conditions-accepted (partnerships, error)\n")
    assert "in data/partnerships/cruzinha-cisterna/agreement.yaml:" in run.stdout
    assert "conditions[0].accepted: false" in run.stdout


def test_explain_by_name_with_options(cli: Callable[..., Run]) -> None:
    run = cli(
        ["rules", "explain", "need-not-overfunded", "--repo", str(PROJECT), "--format", "json"]
    )
    assert run.exit_code == 0
    assert "tolerance_percent" in run.json()["options"]


def test_explain_a_network_rule(cli: Callable[..., Run]) -> None:
    run = cli(["rules", "explain", "ST501", "--repo", str(PROJECT)])
    assert run.exit_code == 0
    assert (
        "Condition record.adoption.participants.count * 10 >= community.households.count"
        in run.stdout
    )
    assert "adopted by Assembleia da Federação Nacional on 2024-12-07" in run.stdout


def test_explain_unknown_rule(cli: Callable[..., Run]) -> None:
    run = cli(["rules", "explain", "XX999", "--repo", str(PROJECT)])
    assert run.exit_code == 2
    assert "no rule is called 'XX999'" in run.stderr
    close = cli(["rules", "explain", "PA03", "--repo", str(PROJECT)])
    assert close.exit_code == 2
    assert "did you mean 'PA003'?" in close.stderr
    named = cli(["rules", "explain", "conditions-acepted", "--repo", str(PROJECT)])
    assert "did you mean 'conditions-accepted'?" in named.stderr


def test_rules_test_passes_on_the_shipped_data(cli: Callable[..., Run]) -> None:
    run = cli(["rules", "test", "--repo", str(PROJECT), "--format", "json"])
    assert run.exit_code == 0, run.stdout
    document = run.json()
    assert document["failed"] == 0
    assert document["passed"] >= 2 * 45 + 4


def test_rules_test_fails_when_an_example_lies(minimal: Path, cli: Callable[..., Run]) -> None:
    rules = minimal / "data" / "rules"
    rules.mkdir()
    (rules / "always-false.yaml").write_text(
        "id: always-false\ncode: ND599\nfamily: needs\napplies_to: need\ncondition: 'false'\n"
        "summary: {en: Never.}\nrationale: {en: A rule whose good example it flags.}\n"
        "message: {en: Always.}\ngovernance: {status: proposed}\n"
        "examples: {good: [{id: a}], bad: [{id: b}]}\n",
        encoding="utf-8",
    )
    run = cli(["rules", "test", "--repo", str(minimal)])
    assert run.exit_code == 1
    assert (
        "FAIL ND599 always-false (good and bad records): the rule flags this good example"
        in run.stdout
    )


def test_explain_says_its_headings_in_the_readers_language() -> None:
    run = CliRunner().invoke(
        app,
        ["rules", "explain", "ST501", "--repo", str(PROJECT)],
        env={"NO_COLOR": "1", "SOLIDARITY_LANG": "pt", "COLUMNS": "200"},
    )
    assert run.exit_code == 0
    heads = {line.split(" ")[0] for line in run.stdout.splitlines()}
    assert {"Porquê", "Aplica-se", "Quando", "Condição", "Governação"} <= heads
    assert not heads & {"Why", "Applies", "When", "Condition", "Governance"}
