"""The comparison on two folders: records moved, renamed, and privacy in the field detail."""

from __future__ import annotations

from pathlib import Path

from solidarity_cli.diffing import Action, compare
from solidarity_cli.diffing.fields import HIDDEN
from solidarity_cli.diffing.render import render_text
from solidarity_cli.reading import load_repository
from solidarity_cli.reporting.i18n import Locale
from tests.conftest import PROJECT, copy_repository
from tests.diffing import scenario


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
    assert diff.counts() == {Action.ADDED: 1, Action.CHANGED: 3, Action.MOVED: 1, Action.REMOVED: 0}


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


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rule_adopted_condition_refused_need_withdrawn(tmp_path: Path) -> None:
    base, head = _pair(tmp_path)
    _edit(
        head / "data/rules/expected-results-stated.yaml",
        "  status: trial\n",
        "  status: adopted\n  adopted_by: Assembleia da Federação\n  adopted_on: 2026-11-28\n",
    )
    _edit(
        head / "data/partnerships/achada-grande-centro-formacao/agreement.yaml",
        "    accepted: true\n",
        "    accepted: false\n",
    )
    _edit(
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
