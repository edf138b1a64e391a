"""Any revision read straight from git's objects, and the failures that say how to get it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from solidarity_cli.errors import RevisionError
from solidarity_cli.revisions import load_pair, load_revision, revisions
from tests.revisions.gitutil import commit_all, git


def _community(root: Path) -> Path:
    return next((root / "data" / "communities").glob("*/community.yaml"))


def test_a_commit_is_read_as_it_was_while_the_working_tree_moved_on(minimal: Path) -> None:
    commit_all(minimal, "base")
    before = load_revision(minimal, None)
    community = _community(minimal)
    community.write_text(community.read_text() + "unexpected_key: 1\n")
    now = load_revision(minimal, None)
    then = load_revision(minimal, "HEAD")
    assert [d.code for d in now.diagnostics] != []
    assert then.diagnostics == before.diagnostics
    assert then.dataset.counts() == before.dataset.counts()


def test_a_blob_unchanged_between_two_revisions_is_validated_once(minimal: Path) -> None:
    commit_all(minimal, "base")
    community = _community(minimal)
    community.write_text(community.read_text().replace("\n", "\n# note\n", 1))
    commit_all(minimal, "head")
    with revisions(minimal) as opened:
        base = opened.load(opened.open("HEAD~1"))
        files = base.dataset.files
        assert len(opened.cache) == files
        opened.load(opened.open("HEAD"))
        assert len(opened.cache) == files + 1
    first, second = load_pair(minimal, "HEAD~1", "HEAD")
    assert first.dataset.counts() == second.dataset.counts()


def test_a_link_inside_the_commit_is_reported_as_in_the_working_tree(minimal: Path) -> None:
    community = _community(minimal)
    copy = minimal / "data" / "kept.yaml"
    community.replace(copy)
    community.symlink_to(os.path.relpath(copy, community.parent))
    commit_all(minimal, "link")
    then = load_revision(minimal, "HEAD")
    now = load_revision(minimal, None)
    assert then.dataset.counts() == now.dataset.counts()
    assert sorted(d.code for d in then.diagnostics) == sorted(d.code for d in now.diagnostics)
    assert "LY004" in {d.code for d in then.diagnostics}


def test_an_unknown_revision_says_how_to_find_one(minimal: Path) -> None:
    commit_all(minimal, "base")
    with pytest.raises(RevisionError) as caught:
        load_revision(minimal, "no-such-branch")
    assert "no-such-branch" in caught.value.message
    assert "fetch-depth: 0" in caught.value.hint


def test_a_folder_outside_git_is_named(minimal: Path) -> None:
    with pytest.raises(RevisionError) as caught:
        load_revision(minimal, "HEAD")
    assert "not a git repository" in caught.value.message


def test_a_shallow_clone_missing_the_base_says_unshallow(minimal: Path, tmp_path: Path) -> None:
    commit_all(minimal, "one")
    first = git(minimal, "rev-parse", "HEAD").strip()
    (minimal / "notes.txt").write_text("two\n")
    commit_all(minimal, "two")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{minimal}", str(clone))
    with pytest.raises(RevisionError) as caught:
        load_revision(clone, first)
    assert "git fetch --unshallow" in caught.value.hint
