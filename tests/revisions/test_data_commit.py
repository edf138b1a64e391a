"""The commit a report's stamp names: asked of git beside the reading, the same answer."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from solidarity_cli.gitrepo import data_commit, data_commit_later
from solidarity_cli.reporting.report import making_site
from tests.conftest import EXAMPLE_REPO, copy_repository
from tests.revisions.gitutil import commit_all

DAY = dt.date(2025, 9, 15)


def test_the_commit_and_a_change_to_the_data(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    head = commit_all(repo, "data")
    assert data_commit(repo) == head[:12]
    (repo / "README.md").write_text("not data\n", encoding="utf-8")
    assert data_commit(repo) == head[:12]  # only the data counts
    community = repo / "data" / "communities" / "cruzinha" / "community.yaml"
    community.write_text(community.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_commit(repo) == f"{head[:12]}-modified"


def test_a_folder_that_is_no_repository(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    assert data_commit(repo) == "unknown (not a git repository)"


def test_asked_once_however_often_the_answer_is_wanted(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    head = commit_all(repo, "data")
    with data_commit_later(repo) as commit:
        first = commit()
        (repo / "data" / "new.yaml").write_text("x: 1\n", encoding="utf-8")
        assert commit() == first == head[:12]


def _git_children() -> list[str]:
    """git processes this process started and has not reaped (running or zombie)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1]
        if fields.split()[1] == str(os.getpid()) and name.startswith("git"):
            found.append(name)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_leaving_without_asking_leaves_no_process_and_no_lock(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    commit_all(repo, "data")
    with data_commit_later(repo):
        assert _git_children()  # asked of git on entering
    assert _git_children() == []  # stopped and reaped
    assert not (repo / ".git" / "index.lock").exists()


def test_the_sites_stamp_names_the_commit(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    head = commit_all(repo, "data")
    with making_site(repo, DAY, "en", None) as made:
        pages = dict(made.pages)
        assert made.site.stamp.commit == head[:12]
    assert head[:12] in pages["index.html"]
