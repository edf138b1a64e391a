"""``report --rev`` and ``match --rev``: a commit's output equals that of a checkout of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.reporting.site import package_templates
from tests.conftest import Run
from tests.revisions.gitutil import commit_all, git

AS_OF = "2026-03-01"
COMMUNITY = "data/communities/cruzinha/community.yaml"
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _checkout(root: Path, commit: str, target: Path) -> Path:
    """A real checkout of ``commit`` (a linked worktree: a git repository of its own)."""
    git(root, "worktree", "add", "-q", "--detach", str(target), commit)
    return target


@pytest.fixture
def moved_on(minimal: Path) -> tuple[Path, str]:
    """A repository with its own templates, two commits and uncommitted changes on top.

    The first commit's templates say "Old look" and its strategy holds an e-mail address (withheld
    on its own line); the second commit changes the look and the data.
    """
    templates = minimal / "templates"
    shutil.copytree(package_templates(), templates)
    base = templates / "base.html.j2"
    base.write_text(base.read_text().replace("<body", "<!-- Old look --><body", 1))
    strategy = minimal / STRATEGY
    strategy.write_text(
        strategy.read_text().replace("en: Community cistern", "en: Cistern (obras@cruzinha.cv)")
    )
    first = commit_all(minimal, "Old look")
    base.write_text(base.read_text().replace("Old look", "New look"))
    community = minimal / COMMUNITY
    community.write_text(community.read_text().replace("Cruzinha da Garça", "Cruzinha Nova"))
    moved = strategy.read_text().replace("count: 420", "count: 999")
    strategy.write_text("# Reviewed by the assembly.\n" * 3 + moved)
    commit_all(minimal, "New look")
    # Not committed: a change that --rev must not see.
    community.write_text(community.read_text().replace("Cruzinha Nova", "Cruzinha de Hoje"))
    return minimal, first


def test_report_rev_equals_the_report_of_a_checkout_byte_for_byte(
    moved_on: tuple[Path, str], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    root, first = moved_on
    checkout = _checkout(root, first, tmp_path / "checkout")
    then, there = tmp_path / "then", tmp_path / "there"
    common = ["report", "--as-of", AS_OF, "--lang", "en"]
    run = cli([*common, "--repo", str(root), "--rev", "HEAD~1", "--out", str(then)])
    assert run.exit_code == 0, run.stderr
    ran = cli([*common, "--repo", str(checkout), "--out", str(there)])
    assert ran.exit_code == 0, ran.stderr
    assert _files(then) == _files(there)
    index = (then / "index.html").read_text(encoding="utf-8")
    assert "Old look" in index and "New look" not in index
    assert first[:12] in index
    # The withheld e-mail is placed on its line in the commit (three lines above today's).
    withheld = [line for line in run.stderr.splitlines() if line.startswith(STRATEGY)]
    assert withheld == [line for line in ran.stderr.splitlines() if line.startswith(STRATEGY)]
    assert withheld and withheld[0].startswith(f"{STRATEGY}:18: DP001")
    for fmt in ("md", "geojson"):
        md = cli([*common, "--repo", str(root), "--rev", first, "--format", fmt])
        assert md.exit_code == 0, md.stderr
        assert md.stdout == cli([*common, "--repo", str(checkout), "--format", fmt]).stdout


def test_report_rev_of_head_is_not_the_working_tree(
    moved_on: tuple[Path, str], cli: Callable[..., Run]
) -> None:
    root, _first = moved_on
    common = ["report", "--as-of", AS_OF, "--repo", str(root), "--format", "md"]
    head = cli([*common, "--rev", "HEAD"])
    now = cli(common)
    assert head.exit_code == now.exit_code == 0, head.stderr + now.stderr
    assert head.stdout != now.stdout
    assert "Cruzinha Nova" in head.stdout and "Cruzinha de Hoje" in now.stdout


def test_match_rev_json_equals_that_of_a_checkout(
    shipped: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    first = commit_all(shipped, "Shipped")
    donors = sorted((shipped / "data" / "donors").glob("*.yaml"))
    for donor in donors[: len(donors) // 2]:
        donor.unlink()
    commit_all(shipped, "Half the donors left")
    checkout = _checkout(shipped, first, tmp_path / "checkout")
    common = ["match", "--as-of", AS_OF, "--format", "json"]
    then = cli([*common, "--repo", str(shipped), "--rev", "HEAD~1"])
    assert then.exit_code == 0, then.stderr
    there = cli([*common, "--repo", str(checkout)])
    assert then.stdout == there.stdout
    now = cli([*common, "--repo", str(shipped)])
    assert now.stdout != then.stdout
    assert then.json()["proposals"]


def test_match_rev_refuses_to_write_drafts(minimal: Path, cli: Callable[..., Run]) -> None:
    commit_all(minimal, "base")
    run = cli(["match", "--repo", str(minimal), "--rev", "HEAD", "--write"])
    assert run.exit_code == 2
    assert "--write does not go with --rev" in run.stderr
    assert "Traceback" not in run.stderr
    assert not list((minimal / "data" / "partnerships").glob("*/agreement.proposed*"))
    assert git(minimal, "status", "--porcelain") == ""


@pytest.mark.parametrize("command", ["match", "report"])
def test_a_bad_revision_is_a_clear_failure(
    minimal: Path, tmp_path: Path, cli: Callable[..., Run], command: str
) -> None:
    commit_all(minimal, "base")
    extra = ["--format", "md"] if command == "report" else []
    run = cli([command, "--repo", str(minimal), "--rev", "no-such-branch", *extra])
    assert run.exit_code == 2
    assert "there is no version 'no-such-branch'" in run.stderr
    assert "fetch-depth: 0" in run.stderr
    assert "Traceback" not in run.stderr
    plain = tmp_path / "plain"
    shutil.copytree(minimal, plain, ignore=shutil.ignore_patterns(".git"))
    run = cli([command, "--repo", str(plain), "--rev", "HEAD", *extra])
    assert run.exit_code == 2
    assert "is not a git repository" in run.stderr


@pytest.mark.parametrize("command", ["match", "report"])
def test_a_shallow_clone_says_how_to_fetch_the_history(
    minimal: Path, tmp_path: Path, cli: Callable[..., Run], command: str
) -> None:
    first = commit_all(minimal, "one")
    (minimal / "notes.txt").write_text("two\n")
    commit_all(minimal, "two")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{minimal}", str(clone))
    extra = ["--format", "md"] if command == "report" else []
    run = cli([command, "--repo", str(clone), "--rev", first, *extra])
    assert run.exit_code == 2
    assert "git fetch --unshallow" in run.stderr
    assert "fetch-depth: 0" in run.stderr


def test_report_rev_refuses_digests(minimal: Path, cli: Callable[..., Run]) -> None:
    commit_all(minimal, "base")
    run = cli(["report", "--repo", str(minimal), "--rev", "HEAD", "--format", "digest"])
    assert run.exit_code == 2
    assert "--rev does not go with --format digest" in run.stderr


@pytest.mark.parametrize(
    "args", [["diff"], ["ci"], ["check", "--rev", "HEAD"], ["match", "--rev", "HEAD"]]
)
def test_a_repository_with_nothing_saved_yet_says_how_to_save(
    minimal: Path, cli: Callable[..., Run], args: list[str]
) -> None:
    """`init` could not commit (git did not know the user's name): say to save a first
    version, not to fetch a branch."""
    git(minimal, "init", "-q", "-b", "main")
    run = cli([*args, "--repo", str(minimal)] if args[0] != "ci" else args, cwd=minimal)
    assert run.exit_code == 2
    said = " ".join(run.stderr.split())
    assert "nothing is saved in this repository's history yet" in said
    assert "git add those the network shares (never a private one), then git commit" in said
    assert "fetch" not in said
    assert "Traceback" not in said


def test_history_of_a_repository_with_nothing_saved_yet_is_empty(
    minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    git(minimal, "init", "-q", "-b", "main")
    site = tmp_path / "site"
    run = cli(["report", "--repo", str(minimal), "--history", "6", "--out", str(site)])
    assert run.exit_code == 0, run.stderr
    assert "the report has no history" in " ".join(run.stderr.split())
    assert (site / "index.html").is_file()
