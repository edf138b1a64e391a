"""The comparison on two folders and two commits: records moved, renamed, files that cannot be
read, and privacy in the field detail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from solidarity_cli.diffing import Action, Diff, compare
from solidarity_cli.diffing.fields import HIDDEN
from solidarity_cli.diffing.render import render_text
from solidarity_cli.reading import load_repository
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.revisions import load_pair
from tests.conftest import PROJECT, copy_repository
from tests.diffing import scenario
from tests.diffing.scenario import BROKEN_YAML, COCULI, MUTIRAO


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    return copy_repository(PROJECT, tmp_path / "a"), copy_repository(PROJECT, tmp_path / "b")


def test_same_data_no_change(tmp_path: Path) -> None:
    base, _ = _pair(tmp_path)
    ds = load_repository(base).dataset
    assert compare(ds, load_repository(base).dataset).empty


def test_scenario_on_two_folders(tmp_path: Path) -> None:
    base, head = _pair(tmp_path)
    scenario.apply(head)
    diff = compare(load_repository(base).dataset, load_repository(head).dataset)
    assert diff.counts() == {
        Action.ADDED: 1,
        Action.CHANGED: 3,
        Action.UNREADABLE: 0,
        Action.FIXED: 0,
        Action.MOVED: 1,
        Action.REMOVED: 0,
    }


def test_same_id_in_another_file_is_moved(tmp_path: Path) -> None:
    base, head = _pair(tmp_path)
    strategy = head / "data/communities/rincao/strategies/rincao-2026-2029.yaml"
    strategy.rename(head / "data/communities/coculi/strategies/rincao-2026-2029.yaml")
    diff = compare(load_repository(base).dataset, load_repository(head).dataset)
    moved = [c for c in diff.changes if c.action is Action.MOVED]
    assert [(c.record, c.old_path, c.path) for c in moved] == [
        (
            "rincao-2026-2029",
            "data/communities/rincao/strategies/rincao-2026-2029.yaml",
            "data/communities/coculi/strategies/rincao-2026-2029.yaml",
        )
    ]
    assert "file moved from" in str(moved[0].says[0])


def test_private_fields_and_personal_text_stay_out(tmp_path: Path) -> None:
    base, head = _pair(tmp_path)
    path = head / "data/communities/rincao/community.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nprivate:" not in text
    text += "private: [location, association]\n"
    text = text.replace("    Aldeia piscatória", "    Ligue 991 23 45 67. Aldeia piscatória", 1)
    path.write_text(text, encoding="utf-8")
    diff = compare(load_repository(base).dataset, load_repository(head).dataset)
    rendered = render_text(diff, Locale("en"), detail=True)
    fields = {f.key: f.new for c in diff.changes for f in c.fields}
    assert fields.get("description.pt") == HIDDEN
    assert "991 23 45 67" not in rendered
    assert fields["private[0]"] == "location"
    assert not any(k.startswith(("location", "association")) for k in fields)
    assert not any(k.startswith("maintainers") for k in fields)


def test_rule_adopted_condition_refused_need_withdrawn(tmp_path: Path) -> None:
    base, head = _pair(tmp_path)
    scenario.edit(
        head / "data/rules/expected-results-stated.yaml",
        "  status: trial\n",
        "  status: adopted\n  adopted_by: Assembleia da Federação\n  adopted_on: 2026-11-28\n",
    )
    scenario.edit(
        head / "data/partnerships/achada-grande-centro-formacao/agreement.yaml",
        "    accepted: true\n",
        "    accepted: false\n",
    )
    scenario.edit(
        head / "data/communities/rincao/strategies/rincao-2026-2029.yaml",
        "    priority: 1\n",
        "    priority: 1\n    status: withdrawn\n",
    )
    diff = compare(load_repository(base).dataset, load_repository(head).dataset)
    said = render_text(diff, Locale("en"))
    assert "moved from trial to adopted by Assembleia da Federação on 28 Nov 2026" in said
    assert (
        "condition 'At least 40% of the people trained are women.' refused by the community" in said
    )
    assert "need 'Refurbishing the primary school and canteen' withdrawn by the community" in said
    assert diff.counts()[Action.CHANGED] == 3


# A file that is still there but cannot be read (a typo the schema refuses, broken YAML) is not
# a record removed: the comparison says that its file changed and cannot be read now.

BOSTON = "data/donors/doador-diaspora-boston.yaml"
REPORT = "data/partnerships/cha-das-caldeiras-cisternas/reports/final.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped data in a git repository of one commit."""
    return scenario.shipped(tmp_path / "repo")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _last_commit(root: Path) -> Diff:
    """What the last commit did, both versions read from git."""
    before, after = load_pair(root, "HEAD~1", "HEAD")
    return compare(before.dataset, after.dataset)


def _changes(diff: Diff) -> list[tuple[Action, RecordKind, str, str, list[str]]]:
    return [(c.action, c.kind, c.record, c.path, [str(s) for s in c.says]) for c in diff.changes]


def test_a_schema_typo_is_unreadable_not_removed(repo: Path) -> None:
    scenario.edit(repo / COCULI, "kind: village", "kind: vilage")
    scenario.commit(repo, "A typo")
    diff = _last_commit(repo)
    assert _changes(diff) == [
        (
            Action.UNREADABLE,
            RecordKind.COMMUNITY,
            "coculi",
            COCULI,
            [
                "community Coculi: its file changed and can no longer be read; run solidarity "
                "check to see why"
            ],
        )
    ]
    assert diff.counts()[Action.REMOVED] == 0
    assert diff.changes[0].fields == ()


def test_a_yaml_syntax_error_in_a_donor_is_unreadable_not_removed(repo: Path) -> None:
    _append(repo / MUTIRAO, BROKEN_YAML)
    scenario.commit(repo, "Broken YAML")
    assert _changes(_last_commit(repo)) == [
        (
            Action.UNREADABLE,
            RecordKind.DONOR,
            "mutirao-digital",
            MUTIRAO,
            [
                "donor Mutirão Digital — financiamento coletivo solidário: its file changed and "
                "can no longer be read; run solidarity check to see why"
            ],
        )
    ]


def test_a_file_fixed_is_readable_again_not_added(repo: Path) -> None:
    scenario.edit(repo / COCULI, "kind: village", "kind: vilage")
    _append(repo / MUTIRAO, BROKEN_YAML)
    scenario.commit(repo, "Two mistakes")
    scenario.edit(repo / COCULI, "kind: vilage", "kind: village")
    (repo / MUTIRAO).write_text((PROJECT / MUTIRAO).read_text(encoding="utf-8"), encoding="utf-8")
    scenario.commit(repo, "Both fixed")
    diff = _last_commit(repo)
    assert _changes(diff) == [
        (
            Action.FIXED,
            RecordKind.COMMUNITY,
            "coculi",
            COCULI,
            ["community Coculi: its file changed and can be read again"],
        ),
        (
            Action.FIXED,
            RecordKind.DONOR,
            "mutirao-digital",
            MUTIRAO,
            [
                "donor Mutirão Digital — financiamento coletivo solidário: its file changed and "
                "can be read again"
            ],
        ),
    ]
    assert diff.counts()[Action.ADDED] == 0


def test_a_file_unreadable_on_both_sides_is_said_only_when_it_changed(repo: Path) -> None:
    _append(repo / MUTIRAO, BROKEN_YAML)
    scenario.edit(repo / COCULI, "kind: village", "kind: vilage")
    scenario.commit(repo, "Two mistakes")
    scenario.edit(repo / COCULI, "kind: vilage", "kind: vilaje")
    scenario.commit(repo, "Another try at one of them")
    assert _changes(_last_commit(repo)) == [
        (
            Action.UNREADABLE,
            RecordKind.COMMUNITY,
            "coculi",
            COCULI,
            [
                "community coculi: its file changed and still cannot be read; run solidarity "
                "check to see why"
            ],
        )
    ]


def test_a_file_that_cannot_be_read_and_is_only_touched_has_not_changed(repo: Path) -> None:
    """git's index no longer vouches for a touched file: its bytes say it is the same."""
    scenario.edit(repo / COCULI, "kind: village", "kind: vilage")
    scenario.commit(repo, "A typo")
    stamp = (repo / COCULI).stat().st_mtime + 60
    os.utime(repo / COCULI, (stamp, stamp))
    before, after = load_pair(repo, "HEAD", None)
    assert _changes(compare(before.dataset, after.dataset)) == []
    _append(repo / COCULI, "# one more line\n")
    before, after = load_pair(repo, "HEAD", None)
    assert [c[0] for c in _changes(compare(before.dataset, after.dataset))] == [Action.UNREADABLE]


def test_a_new_file_that_cannot_be_read_is_said(repo: Path) -> None:
    (repo / "data/donors/rede-nova.yaml").write_text("id: rede-nova\n" + BROKEN_YAML)
    scenario.commit(repo, "A new donor, broken")
    diff = _last_commit(repo)
    assert [(c.action, c.kind) for c in diff.changes] == [(Action.UNREADABLE, RecordKind.DONOR)]
    # Whether a donor nobody can read asked to stay anonymous is not known: its id stays out.
    said = render_text(diff, Locale("en"))
    assert "rede-nova" not in said
    assert "a new file that cannot be read; run solidarity check to see why" in said


def test_a_file_deleted_is_still_removed(repo: Path) -> None:
    scenario.git(repo, "rm", "-q", MUTIRAO)
    scenario.commit(repo, "A donor leaves")
    assert _changes(_last_commit(repo)) == [
        (
            Action.REMOVED,
            RecordKind.DONOR,
            "mutirao-digital",
            MUTIRAO,
            ["donor Mutirão Digital — financiamento coletivo solidário removed"],
        )
    ]


def test_a_file_that_could_not_be_read_and_is_deleted_is_removed(repo: Path) -> None:
    scenario.edit(repo / COCULI, "kind: village", "kind: vilage")
    scenario.commit(repo, "A typo")
    scenario.git(repo, "rm", "-q", COCULI)
    scenario.commit(repo, "The community's file deleted")
    assert _changes(_last_commit(repo)) == [
        (
            Action.REMOVED,
            RecordKind.COMMUNITY,
            "coculi",
            COCULI,
            ["community coculi: its file, which could not be read, was removed"],
        )
    ]


def test_a_report_or_an_id_that_no_longer_matches_is_unreadable(repo: Path) -> None:
    _append(repo / REPORT, BROKEN_YAML)
    scenario.edit(repo / COCULI, "id: coculi", "id: cocuil")
    scenario.commit(repo, "A broken report, an id off its folder")
    assert [(c.action, c.kind, c.record, c.path) for c in _last_commit(repo).changes] == [
        (Action.UNREADABLE, RecordKind.COMMUNITY, "coculi", COCULI),
        (Action.UNREADABLE, RecordKind.REPORT, "cha-das-caldeiras-cisternas/final", REPORT),
    ]


def test_an_anonymous_donor_that_cannot_be_read_stays_anonymous(repo: Path) -> None:
    _append(repo / BOSTON, BROKEN_YAML)
    scenario.commit(repo, "Broken YAML")
    diff = _last_commit(repo)
    said = render_text(diff, Locale("en"), detail=True)
    assert [c.action for c in diff.changes] == [Action.UNREADABLE]
    assert "doador-diaspora-boston" not in said
    shown = diff.changes[0].record
    assert shown.startswith("anonymous-")
    assert diff.changes[0].path == f"data/donors/{shown}.yaml"
    assert f"donor {shown}: its file changed and can no longer be read" in said


def test_a_rename_beside_a_file_that_cannot_be_read(repo: Path) -> None:
    donors = repo / "data/donors"
    old = donors / "professores-aposentados-assomada.yaml"
    (donors / "professores-reformados-assomada.yaml").write_text(
        old.read_text(encoding="utf-8").replace(
            "id: professores-aposentados-assomada", "id: professores-reformados-assomada"
        ),
        encoding="utf-8",
    )
    old.unlink()
    _append(repo / MUTIRAO, BROKEN_YAML)
    scenario.commit(repo, "A donor renamed, another broken")
    assert [(c.action, c.record, c.old_record) for c in _last_commit(repo).changes] == [
        (Action.UNREADABLE, "mutirao-digital", None),
        (Action.MOVED, "professores-reformados-assomada", "professores-aposentados-assomada"),
    ]
