"""Real git repositories in a temporary folder."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity and return its output."""
    env = {
        "GIT_AUTHOR_NAME": "Secretary",
        "GIT_AUTHOR_EMAIL": "secretary@example.org",
        "GIT_COMMITTER_NAME": "Secretary",
        "GIT_COMMITTER_EMAIL": "secretary@example.org",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(root),
    }
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def commit_all(root: Path, message: str) -> str:
    """Commit every file of ``root`` (initialising the repository if needed)."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()
