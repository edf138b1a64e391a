"""Every kind of bad input, written into a copy of a real repository, is found by ``check``.

Each case breaks one file and expects exit code 1, a JSON diagnostic with the case's code that
names that file at a line >= 1, and nothing like a traceback.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_REPO, PROJECT, Run, copy_repository

Breaker = Callable[[Path], str]


def _first(root: Path, pattern: str) -> Path:
    return sorted(root.glob(pattern))[0]


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.MULTILINE), f"{old!r} not in {path}"
    path.write_text(re.sub(old, new, text, count=1, flags=re.MULTILINE), encoding="utf-8")


def community(root: Path) -> Path:
    return _first(root, "data/communities/*/community.yaml")


def donor(root: Path) -> Path:
    return _first(root, "data/donors/*.yaml")


def agreement(root: Path) -> Path:
    return _first(root, "data/partnerships/*/agreement.yaml")


def strategy(root: Path) -> Path:
    return _first(root, "data/communities/*/strategies/*.yaml")


def syntax_error(root: Path) -> str:
    _edit(community(root), r"^name: (.*)$", r"name: [\1")
    return _rel(root, community(root))


def duplicate_key(root: Path) -> str:
    path = donor(root)
    path.write_text(path.read_text(encoding="utf-8") + "kind: ngo\n", encoding="utf-8")
    return _rel(root, path)


def tab_indentation(root: Path) -> str:
    _edit(community(root), r"^  (\w)", "\t\\1")
    return _rel(root, community(root))


def merge_conflict(root: Path) -> str:
    _edit(donor(root), r"^(name: .*)$", "<<<<<<< HEAD\n\\1\n=======\nname: Other\n>>>>>>> theirs")
    return _rel(root, donor(root))


def not_utf8(root: Path) -> str:
    path = donor(root)
    path.write_bytes(path.read_bytes().replace(b"\nname: ", b"\nname: Jos\xe9 ", 1))
    return _rel(root, path)


def nul_byte(root: Path) -> str:
    path = donor(root)
    path.write_bytes(path.read_bytes() + b"\x00\x00")
    return _rel(root, path)


def empty_file(root: Path) -> str:
    path = donor(root)
    path.write_bytes(b"")
    return _rel(root, path)


def list_not_mapping(root: Path) -> str:
    path = donor(root)
    path.write_text("- id: a\n- id: b\n", encoding="utf-8")
    return _rel(root, path)


def scalar_not_mapping(root: Path) -> str:
    path = donor(root)
    path.write_text("a donor we met at the fair\n", encoding="utf-8")
    return _rel(root, path)


def unknown_field(root: Path) -> str:
    _edit(community(root), r"^name:", "nmae:")
    return _rel(root, community(root))


def missing_field(root: Path) -> str:
    _edit(community(root), r"^kind: .*\n", "")
    return _rel(root, community(root))


def bad_enum(root: Path) -> str:
    _edit(community(root), r"^kind: .*$", "kind: vilage")
    return _rel(root, community(root))


def bad_date(root: Path) -> str:
    _edit(strategy(root), r"start: \d{4}-\d{2}-\d{2}", "start: 31/01/2025")
    return _rel(root, strategy(root))


def bad_country(root: Path) -> str:
    _edit(donor(root), r"^country: .*$", "country: XX")
    return _rel(root, donor(root))


def id_mismatch(root: Path) -> str:
    _edit(donor(root), r"^id: .*$", "id: somebody-else")
    return _rel(root, donor(root))


def folder_id_mismatch(root: Path) -> str:
    _edit(community(root), r"^id: .*$", "id: another-village")
    return _rel(root, community(root))


def duplicate_id(root: Path) -> str:
    """A copied community folder keeps its strategy's id, which must be unique."""
    source = strategy(root).parent.parent
    twin = source.parent / "zz-twin"
    shutil.copytree(source, twin)
    _edit(twin / "community.yaml", r"^id: .*$", "id: zz-twin")
    return _rel(root, twin / "strategies" / strategy(root).name)


def unknown_record(root: Path) -> str:
    _edit(agreement(root), r"^donor: .*$", "donor: nobody-at-all")
    return _rel(root, agreement(root))


def unknown_need(root: Path) -> str:
    _edit(agreement(root), r"(needs:\s*\n?\s*-?\s*\[?[a-z0-9-]+/)([a-z0-9-]+)", r"\1no-such-need")
    return _rel(root, agreement(root))


def unknown_dimension(root: Path) -> str:
    _edit(strategy(root), r"dimension: [a-z-]+", "dimension: happiness-index")
    return _rel(root, strategy(root))


def stray_file(root: Path) -> str:
    path = root / "data" / "donors" / "new-donor.yml"
    path.write_text("id: new-donor\n", encoding="utf-8")
    return _rel(root, path)


def stray_folder_file(root: Path) -> str:
    path = root / "data" / "people" / "list.yaml"
    path.parent.mkdir()
    path.write_text("id: list\n", encoding="utf-8")
    return _rel(root, path)


def symlink_outside(root: Path) -> str:
    outside = root.parent / "outside.yaml"
    outside.write_text("id: outside\nname: X\nkind: ngo\ncountry: CV\n", encoding="utf-8")
    link = root / "data" / "donors" / "outside.yaml"
    link.symlink_to(outside)
    return _rel(root, link)


def billion_laughs(root: Path) -> str:
    lines = ["id: laughs", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = root / "data" / "donors" / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _rel(root, path)


def two_documents(root: Path) -> str:
    path = donor(root)
    path.write_text(path.read_text(encoding="utf-8") + "---\nid: second\n", encoding="utf-8")
    return _rel(root, path)


def yaml_tag(root: Path) -> str:
    path = donor(root)
    path.write_text(
        path.read_text(encoding="utf-8") + "x: !!python/name:os.system\n", encoding="utf-8"
    )
    return _rel(root, path)


def norway_is_a_string(root: Path) -> str:
    """YAML 1.1 would read NO as false; YAML 1.2 keeps Norway, so the only error is elsewhere."""
    _edit(donor(root), r"^country: .*$", "country: NO\nanonymous: maybe")
    return _rel(root, donor(root))


CASES: list[tuple[Breaker, str]] = [
    (syntax_error, "SY001"),
    (duplicate_key, "SY002"),
    (tab_indentation, "SY003"),
    (merge_conflict, "SY004"),
    (not_utf8, "SY005"),
    (nul_byte, "SY006"),
    (empty_file, "SY007"),
    (list_not_mapping, "SY008"),
    (scalar_not_mapping, "SY008"),
    (billion_laughs, "SY013"),
    (yaml_tag, "SY010"),
    (two_documents, "SY011"),
    (unknown_field, "SC001"),
    (missing_field, "SC002"),
    (bad_enum, "SC003"),
    (bad_date, "SC003"),
    (bad_country, "SC003"),
    (norway_is_a_string, "SC003"),
    (stray_file, "LY001"),
    (stray_folder_file, "LY001"),
    (id_mismatch, "LY002"),
    (folder_id_mismatch, "LY002"),
    (duplicate_id, "LY003"),
    (symlink_outside, "LY004"),
    (unknown_record, "RF001"),
    (unknown_need, "RF002"),
    (unknown_dimension, "RF003"),
]


#: Each repository with the day it checks clean on.
REPOSITORIES = {"minimal": (EXAMPLE_REPO, "2025-09-15"), "shipped": (PROJECT, "2026-11-21")}


@pytest.fixture(params=sorted(REPOSITORIES))
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    source, as_of = REPOSITORIES[request.param]
    return copy_repository(source, tmp_path / request.param), as_of


@pytest.mark.parametrize(("breaker", "code"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_input_is_reported(
    repo: tuple[Path, str], cli: Callable[..., Run], breaker: Breaker, code: str
) -> None:
    root, as_of = repo
    command = ["check", "--repo", str(root), "--format", "json", "--as-of", as_of]
    assert cli(command).exit_code == 0
    broken = breaker(root)
    run = cli(command)
    assert run.exit_code == 1, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    findings = run.json()["diagnostics"]
    mine = [d for d in findings if d["path"] == broken and d["code"] == code]
    assert mine, f"no {code} on {broken}: {findings}"
    for finding in mine:
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert finding["severity"] == "error"
        assert finding["message"] and finding["hint"]
