"""The commit a report's stamp names: asked of git beside the reading, the same answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def test_asked_early_answered_late_and_asked_once(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    head = commit_all(repo, "data")
    with data_commit_later(repo) as commit:
        # The answer is what git said when asked, not after a later change.
        first = commit()
        (repo / "data" / "new.yaml").write_text("x: 1\n", encoding="utf-8")
        assert commit() == first == head[:12]


def test_leaving_without_asking_leaves_no_process(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    commit_all(repo, "data")
    with data_commit_later(repo):
        pass  # nothing asked: git's processes are stopped and reaped (no warning of them)


def test_the_sites_stamp_names_the_commit(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    head = commit_all(repo, "data")
    with making_site(repo, DAY, "en", None) as made:
        pages = dict(made.pages)
        assert made.site.stamp.commit == head[:12]
    assert head[:12] in pages["index.html"]
