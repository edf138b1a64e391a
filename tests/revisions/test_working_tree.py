"""The working tree shares the revision's blob-keyed cache only for files equal to git's index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from solidarity_cli.gitrepo import BlobReader
from solidarity_cli.reading.discovery import WorkingTreeSource
from solidarity_cli.revisions import revisions
from tests.revisions.gitutil import commit_all, git

COMMUNITY = "data/communities/cruzinha/community.yaml"


def _keys(root: Path) -> dict[str, str | None]:
    return {e.rel: e.content_key for e in WorkingTreeSource(root).entries()}


def _name(root: Path, rev: str | None) -> str:
    with revisions(root) as opened:
        if rev is not None:
            opened.load(opened.open(rev))
        return opened.load(opened.open(None)).dataset.communities["cruzinha"].name


def test_files_equal_to_the_index_carry_its_blob_id_and_are_read_once(minimal: Path) -> None:
    commit_all(minimal, "base")
    keys = _keys(minimal)
    assert keys[COMMUNITY] == git(minimal, "rev-parse", f"HEAD:{COMMUNITY}").strip()
    with revisions(minimal) as opened:
        head = opened.load(opened.open("HEAD"))
        cached = len(opened.cache)
        now = opened.load(opened.open(None))
        assert len(opened.cache) == cached  # nothing parsed twice
    assert now.dataset.counts() == head.dataset.counts()


def test_a_changed_unstaged_file_is_read_from_disk(minimal: Path) -> None:
    commit_all(minimal, "base")
    path = minimal / COMMUNITY
    text = path.read_text(encoding="utf-8")
    assert "Cruzinha da Garça" in text
    # Same size, written at once after the commit: only git's racy check can tell.
    path.write_text(text.replace("Cruzinha da Garça", "Cruzinha da Graça"), encoding="utf-8")
    assert _keys(minimal)[COMMUNITY] is None
    assert _name(minimal, "HEAD") == "Cruzinha da Graça"


def test_a_file_changed_later_with_its_old_size_is_read_from_disk(minimal: Path) -> None:
    commit_all(minimal, "base")
    path = minimal / COMMUNITY
    before = path.stat()
    git(minimal, "update-index", "--refresh")  # the index now trusts the file's stat
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Cruzinha da Garça", "Cruzinha da Graça"), encoding="utf-8")
    later = before.st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    assert path.stat().st_size == before.st_size
    assert _keys(minimal)[COMMUNITY] is None
    assert _name(minimal, "HEAD") == "Cruzinha da Graça"


def test_a_staged_change_is_keyed_by_its_staged_blob(minimal: Path) -> None:
    commit_all(minimal, "base")
    path = minimal / COMMUNITY
    path.write_text(
        path.read_text(encoding="utf-8").replace("Cruzinha da Garça", "Cruzinha Nova"), "utf-8"
    )
    git(minimal, "add", COMMUNITY)
    staged = git(minimal, "rev-parse", f":{COMMUNITY}").strip()
    assert _keys(minimal)[COMMUNITY] == staged
    assert _name(minimal, "HEAD") == "Cruzinha Nova"
    # Changed again after staging: the disk wins over the index.
    path.write_text(
        path.read_text(encoding="utf-8").replace("Cruzinha Nova", "Cruzinha de Hoje"), "utf-8"
    )
    assert _keys(minimal)[COMMUNITY] is None
    assert _name(minimal, "HEAD") == "Cruzinha de Hoje"


def test_planned_blobs_come_in_batches_and_a_missing_one_is_an_error(minimal: Path) -> None:
    commit_all(minimal, "base")
    listed = git(minimal, "ls-tree", "-r", "HEAD", "--", "data").splitlines()
    oids = [line.split()[2] for line in listed]
    missing = "0" * 40
    with BlobReader(minimal) as blobs:
        blobs.plan([*oids, missing, *oids])
        for oid in oids:
            assert blobs.read(oid) == git(minimal, "cat-file", "blob", oid).encode()
        with pytest.raises(OSError, match="no object"):
            blobs.read(missing)
        # A blob outside the plan is still served, one round trip for it.
        tree = git(minimal, "rev-parse", "HEAD^{tree}").strip()
        assert blobs.read(tree)
