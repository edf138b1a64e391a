"""The published pre-commit hooks, run by pre-commit itself on a real data repository.

``pre-commit try-repo`` installs the hooks from this checkout exactly as a data repository's
``.pre-commit-config.yaml`` would (``language: python``: a virtualenv with the project
installed from its sources, dependencies from the package index). try-repo builds that
environment afresh on every call, so both hooks run in one call per state of the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml_rs

from solidarity_cli.formatting import format_text
from solidarity_cli.reading.layout import RecordKind
from tests.conftest import PROJECT
from tests.revisions.gitutil import commit_all, git

BAD_DONOR = """\
# A donor typed by hand, keys in any order and four spaces deep.
name: "Amigas de Teste"
id: amigas-de-teste
country: 'ZZ'
kind: informal-group
maintainers:
    -   github: amigas-teste
        name: Coordenação
"""


def _snapshot() -> str:
    """A commit of this checkout as it is now, uncommitted changes included.

    ``git stash create`` writes the commit without touching the work tree or any branch,
    as try-repo's own snapshot does; with ``--ref`` the source is this one commit.
    """
    stash = git(PROJECT, "stash", "create").strip()
    return stash or git(PROJECT, "rev-parse", "HEAD").strip()


def _try_repo(repo: Path, ref: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "Secretary",
        "GIT_AUTHOR_EMAIL": "secretary@example.org",
        "GIT_COMMITTER_NAME": "Secretary",
        "GIT_COMMITTER_EMAIL": "secretary@example.org",
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(PROJECT), "--ref", ref]
    return subprocess.run(
        [*command, "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )


def _status(output: str, hook: str) -> str:
    """``Passed`` or ``Failed`` from pre-commit's line for ``hook``."""
    line = next(x for x in output.splitlines() if x.startswith(hook + "."))
    return line.rsplit(".", 1)[1].strip()


def test_check_and_fmt_hooks_through_try_repo(shipped: Path, tmp_path: Path) -> None:
    commit_all(shipped, "the network's records")
    ref = _snapshot()
    home = tmp_path / "pre-commit-home"

    good = _try_repo(shipped, ref, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert _status(good.stdout, "solidarity check") == "Passed"
    assert _status(good.stdout, "solidarity fmt") == "Passed"
    assert git(shipped, "status", "--porcelain") == ""

    bad = shipped / "data" / "donors" / "amigas-de-teste.yaml"
    bad.write_text(BAD_DONOR, encoding="utf-8")
    git(shipped, "add", "-A")
    failed = _try_repo(shipped, ref, home)
    output = failed.stdout
    assert failed.returncode == 1, output + failed.stderr
    assert _status(output, "solidarity check") == "Failed"
    assert "data/donors/amigas-de-teste.yaml:4:" in output
    assert _status(output, "solidarity fmt") == "Failed"
    assert "files were modified by this hook" in output
    # Only the bad file was touched, and it is now canonical with its comment and meaning.
    assert git(shipped, "diff", "--name-only").split() == ["data/donors/amigas-de-teste.yaml"]
    fixed = bad.read_text(encoding="utf-8")
    assert format_text(fixed, RecordKind.DONOR) == fixed
    assert fixed.startswith("# A donor typed by hand")
    assert fixed.splitlines()[1:3] == ["id: amigas-de-teste", "name: Amigas de Teste"]
    assert yaml_rs.loads(fixed) == yaml_rs.loads(BAD_DONOR)
