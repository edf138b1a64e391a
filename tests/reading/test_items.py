"""Every finding in one pass: a broken item leaves the rest of its record checked by the rules.

Each test breaks one need, indicator or field of the example repository and breaks a rule
elsewhere in the same record; both must be reported by one run, at the lines of the file, and
no rule may report on (or fail for) what a schema finding already says is broken.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from solidarity_cli.checking import CheckReport, check_repository
from solidarity_cli.diagnostics import Diagnostic
from tests.conftest import PROJECT
from tests.rules.test_network import _write_rule

AS_OF = dt.date(2025, 9, 15)
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
COMMUNITY = "data/communities/cruzinha/community.yaml"
HORTA = "data/partnerships/cruzinha-horta/agreement.yaml"


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(repo: Path) -> CheckReport:
    return check_repository(repo, as_of=AS_OF)


def _in(report: CheckReport, path: str) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.path == path]


def test_broken_need_and_a_rule_broken_by_the_next_need_in_one_run(minimal: Path) -> None:
    _edit(minimal, STRATEGY, "    priority: 1\n", "    priority: alta\n")  # needs[0]: schema
    # needs[1] ends after the strategy's period (2028-12-31): rule ND005
    _edit(minimal, STRATEGY, "end: 2025-12-31}", "end: 2029-12-31}")
    report = _check(minimal)
    found = {(d.code, d.location.key_path[:2], d.line) for d in _in(report, STRATEGY)}
    assert ("SC003", ("needs", 0), 25) in found
    # the rule sees the need as the second of the file, on its own line
    assert ("ND005", ("needs", 1), 37) in found
    # the broken need is left out: nothing else is said about it, nor about the agreement that
    # funds it (its reference is not "unknown")
    assert [d.code for d in _in(report, STRATEGY) if d.location.key_path[:2] == ("needs", 0)] == [
        "SC003"
    ]
    assert not [d for d in report.diagnostics if d.code.startswith("RF")]
    [strategy] = report.dataset.strategies.values()
    assert [n.id for n in strategy.needs] == ["horta-escolar"]


def test_typo_in_a_need_is_one_finding_and_the_other_need_is_still_checked(
    minimal: Path,
) -> None:
    _write_rule(minimal)  # ND502: every open need has beneficiaries
    _edit(minimal, STRATEGY, "beneficiaries: {count: 40}", "beneficiaris: {count: 40}")
    _edit(minimal, STRATEGY, "end: 2026-06-30}", "end: 2029-06-30}")  # needs[0]: ND005
    report = _check(minimal)
    codes = [(d.code, d.location.key_path[:2]) for d in report.diagnostics]
    assert ("SC001", ("needs", 1)) in codes
    assert ("ND005", ("needs", 0)) in codes
    # the misspelt field is not also "missing" for a built-in or a network rule, and the
    # network rule is not blamed for a need it could not read
    assert [c for c in codes if c[1] == ("needs", 1)] == [("SC001", ("needs", 1))]
    assert not [c for c in codes if c[0] in ("NW002", "ND502", "ND006") or c[0].startswith("RF")]
    assert report.exit_code() == 1


def test_typo_in_another_file_does_not_blame_a_network_rule(minimal: Path) -> None:
    rules = minimal / "data" / "rules"
    rules.mkdir()
    # PA501 reads the languages of the agreement's community
    shutil.copy2(PROJECT / "data" / "rules" / "reporting-in-community-language.yaml", rules)
    _edit(minimal, COMMUNITY, "languages: [pt, kea]", "langauges: [pt, kea]")
    report = _check(minimal)
    codes = [d.code for d in report.diagnostics]
    assert "SC001" in codes
    assert "NW002" not in codes
    assert report.exit_code(strict=True) == 1  # the typo fails, and only the typo
    assert {d.path for d in report.diagnostics if d.severity.value != "info"} <= {
        COMMUNITY,
        "data/partnerships/cruzinha-cisterna/agreement.yaml",  # ME002 overdue, unrelated
    }


def test_broken_indicator_leaves_the_rest_of_the_agreement_checked(minimal: Path) -> None:
    rules = minimal / "data" / "rules"
    rules.mkdir()
    shutil.copy2(PROJECT / "data" / "rules" / "reporting-in-community-language.yaml", rules)
    _edit(minimal, HORTA, "baseline: {year: 2024, value: 0}", "baseline: {year: 2024, value: []}")
    _edit(minimal, HORTA, "languages: [pt]}", "languages: [en]}")  # PA501
    report = _check(minimal)
    found = [(d.code, d.location.key_path[:4]) for d in _in(report, HORTA)]
    assert found[0][1] == ("results", 0, "indicators", 0)
    assert found[0][0].startswith("SC")
    assert ("PA501", ("reporting", "languages")) in found
    # no rule speaks of the result whose indicator is broken
    assert all(key[:2] != ("results", 0) for code, key in found if not code.startswith("SC"))
    agreement = report.dataset.agreements["cruzinha-horta"]
    assert agreement.results[0].indicators == []


def test_error_outside_any_item_still_leaves_the_record_out(minimal: Path) -> None:
    _edit(minimal, STRATEGY, "status: adopted\n", "status: adoptd\n")
    _edit(minimal, STRATEGY, "    priority: 1\n", "    priority: alta\n")
    report = _check(minimal)
    assert report.dataset.strategies == {}
    assert {d.code for d in _in(report, STRATEGY)} >= {"SC003"}
    assert "NW002" not in {d.code for d in report.diagnostics}


def test_broken_report_line_leaves_the_next_line_checked(minimal: Path) -> None:
    report_file = "data/partnerships/cruzinha-horta/reports/final.yaml"
    second_line = (
        "    value: muitas\n"
        "  - result: formacao\n"
        "    indicator: nao-existe\n"
        "    period: {start: 2025-02-01, end: 2025-05-31}\n"
        "    value: 3\n"
    )
    _edit(minimal, report_file, "    value: 18\n", second_line)
    report = _check(minimal)
    found = [(d.code, d.location.key_path, d.line) for d in _in(report, report_file)]
    assert found == [
        ("SC003", ("indicator_values", 0, "value"), 11),
        ("ME004", ("indicator_values", 1, "indicator"), 13),
    ]


def test_broken_sector_drops_only_that_sector_and_the_need_is_still_checked(
    minimal: Path,
) -> None:
    _edit(
        minimal,
        STRATEGY,
        "      - {vocabulary: dac-5, code: 14030}\n",
        "      - {vocabulary: dac-5, code: 14030}\n      - {vocabulary: dac-5, code: agua}\n",
    )
    _edit(minimal, STRATEGY, "end: 2026-06-30}", "end: 2029-06-30}")  # needs[0]: ND005
    report = _check(minimal)
    found = [(d.code, d.location.key_path[:4], d.line) for d in _in(report, STRATEGY)]
    assert found == [
        ("SC003", ("needs", 0, "sectors", 1), 22),
        ("ND005", ("needs", 0, "timeframe", "end"), 27),
    ]
    [strategy] = report.dataset.strategies.values()
    assert [n.id for n in strategy.needs] == ["cisterna", "horta-escolar"]
    assert [s.code for s in strategy.needs[0].sectors] == ["14030"]
    assert not [d for d in report.diagnostics if d.code == "NW002" or d.code.startswith("RF")]


def test_sectors_written_as_text_drop_the_field_not_the_need(minimal: Path) -> None:
    _edit(
        minimal,
        STRATEGY,
        "    sectors:\n      - {vocabulary: dac-5, code: 14030}\n",
        "    sectors: agua e saneamento\n",
    )
    _edit(minimal, STRATEGY, "end: 2026-06-30}", "end: 2029-06-30}")
    report = _check(minimal)
    found = [(d.code, d.location.key_path[:3], d.line) for d in _in(report, STRATEGY)]
    assert found == [
        ("SC003", ("needs", 0, "sectors"), 20),
        ("ND005", ("needs", 0, "timeframe"), 25),
    ]
    [strategy] = report.dataset.strategies.values()
    assert strategy.needs[0].id == "cisterna" and strategy.needs[0].sectors == []


def test_sector_of_a_later_need_after_a_dropped_need_keeps_the_file_numbers(
    minimal: Path,
) -> None:
    _edit(minimal, STRATEGY, "    priority: 1\n", "    priority: alta\n")  # needs[0]: dropped
    second = 'code: "2.3"}\n      - {vocabulary: sdg-goal, code: x}'
    _edit(minimal, STRATEGY, 'code: "2.3"}', second)
    _edit(minimal, STRATEGY, "end: 2025-12-31}", "end: 2029-12-31}")  # needs[1]: ND005
    report = _check(minimal)
    found = [(d.code, d.location.key_path[:4], d.line) for d in _in(report, STRATEGY)]
    assert found == [
        ("SC003", ("needs", 0, "priority"), 25),
        ("SC003", ("needs", 1, "sectors", 1), 35),
        ("ND005", ("needs", 1, "timeframe", "end"), 38),
    ]
    [strategy] = report.dataset.strategies.values()
    assert [n.id for n in strategy.needs] == ["horta-escolar"]
    assert [s.code for s in strategy.needs[0].sectors] == ["2.3"]


def test_broken_indicator_period_drops_only_that_period(minimal: Path) -> None:
    rules = minimal / "data" / "rules"
    rules.mkdir()
    shutil.copy2(PROJECT / "data" / "rules" / "reporting-in-community-language.yaml", rules)
    _edit(
        minimal,
        HORTA,
        "            actual: 18\n",
        "            actual: 18\n          - period: {start: 2025-06-01, end: 2025-12-31}\n"
        "            target: muitas\n",
    )
    _edit(minimal, HORTA, "languages: [pt]}", "languages: [en]}")  # PA501
    report = _check(minimal)
    found = [(d.code, d.location.key_path[:6], d.line) for d in _in(report, HORTA)]
    assert found[0] == ("SC003", ("results", 0, "indicators", 0, "periods", 1), 30)
    assert ("PA501", ("reporting", "languages"), 31) in found
    indicator = report.dataset.agreements["cruzinha-horta"].results[0].indicators[0]
    assert indicator.id == "pessoas" and len(indicator.periods) == 1
