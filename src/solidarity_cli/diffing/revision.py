"""The data as it was at a commit, for ``diff`` and the history.

This reads a commit through ``git archive`` into a temporary folder and loads it like any
repository. It is the simple way until revisions are read straight from git's objects with a
cache by blob id; the functions here keep the same shape so that the swap is local.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from solidarity_cli.dataset import Dataset
from solidarity_cli.errors import UsageError
from solidarity_cli.layout import DATA_DIR, SETTINGS_FILE
from solidarity_cli.loader import load_repository
from solidarity_cli.words import M_


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError(
            M_("git is not installed, so earlier versions of the data cannot be read"),
            hint=M_("install git, or compare two folders instead"),
        )
    return subprocess.run([git, "-C", str(root), *args], capture_output=True, check=False)


def resolve(root: Path, rev: str) -> str:
    """The full commit id ``rev`` names, or a clear failure saying what to do."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise UsageError(
            M_("{folder} is not kept in git, so it has no earlier versions", folder=root),
            hint=M_("run the command in a clone of the data repository"),
        )
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.decode().strip()
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.decode().strip()
    if shallow == "true":
        raise UsageError(
            M_("version '{rev}' is not in this copy: it holds only recent history", rev=rev),
            hint=M_(
                "run 'git fetch --unshallow' (in GitHub Actions: actions/checkout with "
                "fetch-depth: 0), then try again"
            ),
        )
    raise UsageError(
        M_("there is no version '{rev}' in this repository", rev=rev),
        hint=M_("give a commit, branch or tag that exists (see 'git log --oneline'), e.g. HEAD~1"),
    )


def _prefix(root: Path) -> str:
    return _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()


def load_at(root: Path, rev: str | None) -> Dataset:
    """The dataset at commit ``rev`` (``None``: the working tree as it is on disk)."""
    if rev is None:
        return load_repository(root).dataset
    commit = resolve(root, rev)
    prefix = _prefix(root)
    archive = _git(
        root,
        "archive",
        "--format=tar",
        commit,
        "--",
        *(f"{prefix}{name}" for name in (SETTINGS_FILE, DATA_DIR)),
    )
    if archive.returncode != 0:
        raise UsageError(
            M_("version '{rev}' has no data to compare", rev=rev),
            hint=M_("give a commit at which the data repository existed"),
        )
    with tempfile.TemporaryDirectory(prefix="solidarity-rev-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        dataset = load_repository(Path(folder) / prefix).dataset
    dataset.root = root
    return dataset


def short(root: Path, rev: str | None) -> str:
    """How a version is named in a diff's title: a short commit id, or 'working tree'."""
    if rev is None:
        return "working tree"
    return resolve(root, rev)[:12]
