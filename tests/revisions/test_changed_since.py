"""``check --changed-since``: new findings against pre-existing ones, on a real git repository."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.revisions.gitutil import commit_all, git


@pytest.fixture
def branch(minimal: Path) -> tuple[Path, str]:
    """main has one error in a community file; the branch adds ten lines above it and a second
    error in the same file."""
    community = next((minimal / "data" / "communities").glob("*/community.yaml"))
    community.write_text(community.read_text() + "old_mistake: 1\n")
    commit_all(minimal, "base with one error")
    git(minimal, "checkout", "-q", "-b", "pr")
    notes = "".join(f"# note {i}\n" for i in range(10))
    community.write_text(notes + community.read_text() + "new_mistake: 2\n")
    commit_all(minimal, "a change that adds one error")
    return minimal, community.relative_to(minimal).as_posix()


def test_one_new_and_one_pre_existing_finding(
    cli: Callable[..., Run], branch: tuple[Path, str]
) -> None:
    root, rel = branch
    run = cli(["check", "--repo", str(root), "--changed-since", "main", "--format", "json"])
    assert run.exit_code == 1
    found = [d for d in run.json()["diagnostics"] if d["path"] == rel]
    assert len(found) == 2
    by_pointer = {d["pointer"]: d for d in found}
    assert by_pointer["/new_mistake"]["new"] is True
    assert by_pointer["/old_mistake"]["new"] is False
    assert by_pointer["/old_mistake"]["line"] > 10  # moved down, still pre-existing
    assert by_pointer["/new_mistake"]["fingerprint"] != by_pointer["/old_mistake"]["fingerprint"]
    assert run.json()["summary"]["new"] == 1


def test_exit_code_follows_the_new_finding_only(
    cli: Callable[..., Run], branch: tuple[Path, str]
) -> None:
    root, rel = branch
    community = root / rel
    community.write_text(community.read_text().replace("new_mistake: 2\n", ""))
    clean = cli(["check", "--repo", str(root), "--changed-since", "main"])
    assert clean.exit_code == 0, clean.stderr
    assert "No new finding since" in clean.stdout
    assert "Already there before the change" in clean.stdout
    assert cli(["check", "--repo", str(root)]).exit_code == 1


def test_github_annotates_the_new_finding_only(
    cli: Callable[..., Run], branch: tuple[Path, str]
) -> None:
    root, rel = branch
    run = cli(["check", "--repo", str(root), "--changed-since", "main", "--format", "github"])
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"::error file={rel},")
    assert "new_mistake" in lines[0]
    assert "1 new finding since" in run.stderr


def test_sarif_carries_both_with_distinct_fingerprints(
    cli: Callable[..., Run], branch: tuple[Path, str]
) -> None:
    root, rel = branch
    run = cli(["check", "--repo", str(root), "--changed-since", "main", "--format", "sarif"])
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    assert document["version"] == "2.1.0"
    sarif_run = document["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = [
        r
        for r in sarif_run["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == rel
    ]
    assert len(results) == 2
    assert sorted(r["baselineState"] for r in results) == ["new", "unchanged"]
    marks = {r["partialFingerprints"]["solidarity/v1"] for r in results}
    assert len(marks) == 2
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] > 10
        assert result["level"] == "error"


def test_the_text_shows_new_findings_and_sums_up_old_ones(
    cli: Callable[..., Run], branch: tuple[Path, str]
) -> None:
    root, _ = branch
    run = cli(["check", "--repo", str(root), "--changed-since", "main"])
    assert run.exit_code == 1
    assert "new_mistake" in run.stdout
    assert "old_mistake" not in run.stdout + run.stderr
    assert "Already there before the change (not counted): 1 error, " in run.stdout


def test_rev_checks_an_earlier_commit(cli: Callable[..., Run], branch: tuple[Path, str]) -> None:
    root, _ = branch
    then = cli(["check", "--repo", str(root), "--rev", "main", "--format", "json"])
    now = cli(["check", "--repo", str(root), "--format", "json"])
    pointers = {d["pointer"] for d in then.json()["diagnostics"]}
    assert "/old_mistake" in pointers
    assert "/new_mistake" not in pointers
    assert "/new_mistake" in {d["pointer"] for d in now.json()["diagnostics"]}


def test_a_missing_base_is_a_plain_message(
    cli: Callable[..., Run], branch: tuple[Path, str]
) -> None:
    root, _ = branch
    run = cli(["check", "--repo", str(root), "--changed-since", "nowhere"])
    assert run.exit_code == 2
    assert "there is no version 'nowhere'" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
