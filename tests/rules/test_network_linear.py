"""A network rule on each need costs in proportion to the needs, not to their square.

The CEL engine converts every variable it is handed on every evaluation, so the work of a rule
is the size of what it is handed, summed over its evaluations. These tests count that size
instead of timing it: a strategy of 4,000 needs must hand over about four times what one of
1,000 needs does (a rule handed the whole strategy with each need handed over sixteen times).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from solidarity_cli.checking import check_repository
from solidarity_cli.models.rule import RuleTarget
from solidarity_cli.reading import load_repository
from solidarity_cli.rules.base import RuleContext
from solidarity_cli.rules.network import NetworkRuleSpec, targets
from solidarity_cli.rules.registry import all_rules
from tests.conftest import EXAMPLE_REPO, copy_repository

AS_OF = dt.date(2025, 9, 15)
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"

RULE = """\
id: priority-within-strategy
code: ND503
family: needs
severity: error
applies_to: need
condition: {condition}
summary: {{en: A need's priority is one of the six the network uses.}}
rationale: {{en: Six priorities are enough to order a strategy.}}
message: {{en: The priority is out of range.}}
governance:
  status: adopted
  adopted_by: Assembleia da Federação
  adopted_on: 2025-06-01
  effective_from: 2025-07-01
examples:
  good: [{{priority: 1}}]
  bad: [{{priority: 7}}]
  context:
    strategy: {{status: adopted}}
    community: {{id: cruzinha}}
"""

READS_ALL = "record.priority <= 6 && strategy.status != '' && community.id != ''"


def _repository(root: Path, needs: int, condition: str = READS_ALL) -> Path:
    """The example repository with ``needs`` needs in its strategy and one need rule."""
    repo = copy_repository(EXAMPLE_REPO, root)
    settings = repo / "solidarity.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "limits: {max_needs: 5000}\n", encoding="utf-8"
    )
    path = repo / STRATEGY
    text = path.read_text(encoding="utf-8")
    items = "".join(
        f"  - id: n{i}\n    title: {{pt: t}}\n    dimension: water\n    kind: training\n"
        f"    priority: {i % 7 + 1}\n"
        for i in range(needs)
    )
    path.write_text(text[: text.index("needs:")] + "needs:\n" + items, encoding="utf-8")
    rules = repo / "data" / "rules"
    rules.mkdir()
    (rules / "priority-within-strategy.yaml").write_text(
        RULE.format(condition=condition), encoding="utf-8"
    )
    return repo


def _size(value: Any) -> int:
    """Values CEL converts: one per scalar, list and mapping, nested ones included."""
    if isinstance(value, dict):
        return 1 + sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1


def _handed(repo: Path) -> tuple[int, int, set[str]]:
    """Evaluations of the need rule, the size of all it is handed, and the names handed."""
    dataset = load_repository(repo).dataset
    _, network, problems = all_rules(dataset)
    assert problems == []
    [rule] = network
    assert isinstance(rule, NetworkRuleSpec)
    ctx = RuleContext(dataset, AS_OF)
    evaluations, size, names = 0, 0, set()
    for _path, _key, variables, _whole in targets(ctx, RuleTarget.NEED, rule.reads):
        evaluations += 1
        size += _size(variables)
        names |= set(variables)
    return evaluations, size, names


def test_work_handed_to_a_need_rule_is_linear_in_needs(tmp_path: Path) -> None:
    small = _handed(_repository(tmp_path / "small", 1000))
    large = _handed(_repository(tmp_path / "large", 4000))
    assert (small[0], large[0]) == (1000, 4000)
    # Linear: four times the needs, four times the work (plus the same few fixed records).
    assert large[1] <= 4.2 * small[1]
    assert small[2] == large[2] == {"record", "strategy", "community"}


def test_a_rule_is_handed_only_what_it_reads(tmp_path: Path) -> None:
    evaluations, size, names = _handed(
        _repository(tmp_path / "repo", 50, condition="record.priority <= 6")
    )
    assert evaluations == 50
    assert names == {"record"}
    # Each need alone: its id, title (a mapping and one text), dimension, kind, priority and
    # the defaults the model fills in; far less than a strategy and a community each time.
    assert size < 50 * 40


def test_need_rule_sees_its_strategy_and_community_and_reports_each_need(tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo", 30)
    report = check_repository(repo, as_of=AS_OF)
    flagged = sorted(d.location.key_path for d in report.diagnostics if d.code == "ND503")
    # the priority is 7 for needs 6, 13, 20 and 27
    assert flagged == [("needs", i) for i in (6, 13, 20, 27)]
    assert not [d for d in report.diagnostics if d.code == "NW002"]


def test_need_rule_does_not_see_the_other_needs(tmp_path: Path) -> None:
    """A condition over all the needs belongs on a strategy rule: on a need it cannot read
    them, and says so on the rule's file (NW002) instead of costing the square of the needs."""
    repo = _repository(tmp_path / "repo", 5, condition="size(strategy.needs) > 0")
    report = check_repository(repo, as_of=AS_OF)
    found = {(d.code, d.path) for d in report.diagnostics if d.code.startswith("NW")}
    rule_file = "data/rules/priority-within-strategy.yaml"
    # on every need, and on the examples, whose context is read as the records are
    assert found == {("NW002", rule_file), ("NW004", rule_file)}
