"""Discovery lists what git's index (or the folder) holds under data/, saying what each path is."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from solidarity_cli.reading.discovery import EntryType, WalkSource, WorkingTreeSource


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
