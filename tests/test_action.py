"""The action's steps, end to end, through the local runner on a real pull-request branch."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.ci import COMMENT_MARKER, run_ci
from solidarity_cli.reporting.i18n import Locale
from tests.conftest import PROJECT, Run
from tests.revisions.gitutil import commit_all, git

RUNNER = PROJECT / "scripts" / "run-action-locally.py"


@pytest.fixture
def pull_request(minimal: Path) -> tuple[Path, str]:
    """main is the base with one old error; the branch ``pr`` adds one new error."""
    community = next((minimal / "data" / "communities").glob("*/community.yaml"))
    community.write_text(community.read_text() + "old_mistake: 1\n")
    commit_all(minimal, "base")
    git(minimal, "checkout", "-q", "-b", "pr")
    community.write_text(community.read_text() + "new_mistake: 2\n")
    commit_all(minimal, "a change that adds one error")
    return minimal, community.relative_to(minimal).as_posix()


def _run_action(root: Path, out: Path, *inputs: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_SHA", "GITHUB_BASE_REF"):
        env.pop(name, None)
    args = [sys.executable, str(RUNNER), "--repo", str(root), "--out", str(out)]
    for item in inputs:
        args += ["--input", item]
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False)


def test_the_action_annotates_sums_up_and_writes_the_comment(
    pull_request: tuple[Path, str], tmp_path: Path
) -> None:
    root, rel = pull_request
    sha = git(root, "rev-parse", "HEAD").strip()
    out = tmp_path / "runner"
    done = _run_action(root, out)
    assert done.returncode == 1, done.stderr  # the new error fails the step
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1, done.stdout
    assert annotations[0].startswith(f"::error file={rel},line=")
    assert "new_mistake" in annotations[0]
    line = re.search(r"line=(\d+)", annotations[0])
    assert line is not None
    summary = (out / "step-summary.md").read_text()
    assert "**1 new error, 0 new warnings, " in summary
    assert "already there before**" in summary
    assert f"https://github.com/example/network/blob/{sha}/{rel}#L{line.group(1)}" in summary
    assert "old_mistake" not in summary.split("### What this change does")[0]
    assert "### What this change does" in summary
    comment = (out / "solidarity-comment.md").read_text()
    assert comment.startswith(COMMENT_MARKER + "\n")
    assert comment.count(COMMENT_MARKER) == 1
    assert f"{rel}#L{line.group(1)}" in comment
    outputs = (out / "output-ci.txt").read_text()
    assert "new-errors=1" in outputs
    assert f"comment-file={out / 'solidarity-comment.md'}" in outputs


def test_a_clean_change_passes_in_portuguese(
    pull_request: tuple[Path, str], tmp_path: Path
) -> None:
    root, rel = pull_request
    community = root / rel
    community.write_text(community.read_text().replace("new_mistake: 2\n", ""))
    commit_all(root, "fix it")
    out = tmp_path / "runner"
    done = _run_action(root, out, "language=pt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [line for line in done.stdout.splitlines() if line.startswith("::")]
    comment = (out / "solidarity-comment.md").read_text()
    assert comment.startswith(COMMENT_MARKER)
    assert "0 erros novos" in comment


def test_github_shows_ten_per_kind_and_the_rest_is_summed_up(
    pull_request: tuple[Path, str],
) -> None:
    root, rel = pull_request
    community = root / rel
    extra = "".join(f"mistake_{i:02d}: {i}\n" for i in range(12))
    community.write_text(community.read_text() + extra)
    result = run_ci(root, "main", head=None, loc=Locale("en"), repository="o/n", sha="abc")
    errors = len([d for d in result.changed.new_diagnostics if d.severity == "error"])
    assert errors == 13
    assert result.annotations.count("::error ") == 10
    assert result.not_annotated == 3
    assert "3 more findings are listed here only" in result.summary
    table_rows = [line for line in result.summary.splitlines() if line.startswith("| ")]
    assert len(table_rows) == 1 + 13  # header and every new finding, none lost
    assert result.exit_code == 1


def test_an_unknown_base_is_a_plain_message(
    cli: Callable[..., Run], pull_request: tuple[Path, str]
) -> None:
    root, _ = pull_request
    run = cli(["ci", "--repo", str(root), "--base", "no-such-branch"])
    assert run.exit_code == 2
    assert "Traceback" not in run.stdout + run.stderr
    assert "no-such-branch" in run.stderr


def test_ci_help_has_an_example(cli: Callable[..., Run]) -> None:
    run = cli(["ci", "--help"])
    assert run.exit_code == 0
    assert "solidarity ci --base origin/main --comment-file comment.md" in run.stdout


def test_a_typo_is_not_called_a_removal_in_the_comment(minimal: Path) -> None:
    commit_all(minimal, "base")
    community = next((minimal / "data" / "communities").glob("*/community.yaml"))
    text = community.read_text()
    assert "kind: village\n" in text
    community.write_text(text.replace("kind: village\n", "kind: vilage\n", 1))
    commit_all(minimal, "a typo")
    result = run_ci(minimal, "HEAD~1", loc=Locale("en"))
    assert "**1 new error, 0 new warnings, " in result.comment
    doing = result.comment.split("### What this change does", 1)[1]
    assert "**1 unreadable**" in doing
    assert "removed" not in doing.lower()
    assert "its file changed and can no longer be read; run solidarity check to see why" in doing
