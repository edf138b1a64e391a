"""Discovery lists what git's index (or the folder) holds under data/, saying what each path is."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

import pytest

from solidarity_cli.reading.discovery import EntryType, WalkSource, WorkingTreeSource, in_skipped
from solidarity_cli.reading.layout import RecordKind, holds_none_of, kinds_under


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _repo(root: Path) -> None:
    (root / "data" / "donors").mkdir(parents=True)
    (root / "data" / "donors" / "a.yaml").write_text("id: a\n")
    (root / "data" / "donors" / "b.yaml").write_text("id: b\n")
    (root / "data" / "donors" / "link.yaml").symlink_to("a.yaml")
    (root / "data" / ".hidden").mkdir()
    (root / "data" / ".hidden" / "c.yaml").write_text("id: c\n")


def test_git_index_lists_tracked_and_untracked_not_ignored(tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / ".gitignore").write_text("data/donors/b.yaml\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "data/donors/a.yaml", "data/donors/link.yaml")
    (tmp_path / "data" / "donors" / "new.yaml").write_text("id: new\n")
    found = {e.rel: e for e in WorkingTreeSource(tmp_path).entries()}
    assert set(found) == {"data/donors/a.yaml", "data/donors/link.yaml", "data/donors/new.yaml"}
    assert found["data/donors/link.yaml"].type is EntryType.SYMLINK
    assert found["data/donors/a.yaml"].type is EntryType.FILE
    assert found["data/donors/a.yaml"].size == len("id: a\n")
    assert found["data/donors/a.yaml"].read(3) == b"id:"


def test_plain_walk_outside_git(tmp_path: Path) -> None:
    _repo(tmp_path)
    found = {e.rel: e.type for e in WalkSource(tmp_path).entries()}
    assert found == {
        "data/donors/a.yaml": EntryType.FILE,
        "data/donors/b.yaml": EntryType.FILE,
        "data/donors/link.yaml": EntryType.SYMLINK,
    }
    assert {e.rel for e in WorkingTreeSource(tmp_path).entries()} == set(found)


def test_a_link_is_never_read_through(tmp_path: Path) -> None:
    _repo(tmp_path)
    link = next(e for e in WalkSource(tmp_path).entries() if e.type is EntryType.SYMLINK)
    with pytest.raises(OSError):
        link.read(10)


def _with_reports(root: Path) -> None:
    reports = root / "data" / "partnerships" / "p" / "reports"
    reports.mkdir(parents=True)
    (reports.parent / "agreement.yaml").write_text("id: p\n")
    (reports / "r1.yaml").write_text("id: r1\n")
    (root / "data" / "rules").mkdir()
    (root / "data" / "rules" / "x.yaml").write_text("id: x\n")
    (root / "data" / "odd").mkdir()
    (root / "data" / "odd" / "stray.yaml").write_text("id: s\n")


@pytest.mark.parametrize("in_git", [False, True])
def test_a_reader_of_some_kinds_skips_the_folders_of_the_others(
    tmp_path: Path, in_git: bool
) -> None:
    _with_reports(tmp_path)
    if in_git:
        _git(tmp_path, "init", "-q")
        _git(tmp_path, "add", "data")
    kinds = frozenset(RecordKind) - {RecordKind.REPORT, RecordKind.RULE}
    skip = functools.partial(holds_none_of, kinds=kinds)
    everything = {e.rel for e in WorkingTreeSource(tmp_path).entries()}
    kept = {e.rel for e in WorkingTreeSource(tmp_path, skip).entries()}
    assert everything - kept == {"data/partnerships/p/reports/r1.yaml", "data/rules/x.yaml"}
    # A folder outside the layout is never skipped: its files are strays to report.
    assert "data/odd/stray.yaml" in kept


def test_the_folders_each_kind_lives_in() -> None:
    assert kinds_under("data/partnerships/p/reports") == {RecordKind.REPORT}
    assert kinds_under("data/partnerships/p") == {RecordKind.AGREEMENT, RecordKind.REPORT}
    assert kinds_under("data/communities/c/strategies") == {RecordKind.STRATEGY}
    assert kinds_under("data/communities/c/documents") is None
    assert kinds_under("data/elsewhere") is None
    assert holds_none_of("data/rules", {RecordKind.DONOR})
    assert not holds_none_of("data/partnerships/p", {RecordKind.REPORT})
    assert not holds_none_of("data/odd", {RecordKind.DONOR})
    assert in_skipped("data/partnerships/p/reports/r.yaml", lambda f: f.endswith("/reports"))
    assert not in_skipped("data/partnerships/p/agreement.yaml", lambda f: f.endswith("/reports"))
