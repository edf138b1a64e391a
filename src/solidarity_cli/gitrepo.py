"""The few git facts reports need, through the git command (no library)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def data_commit(root: Path) -> str:
    """The commit the data is at, with ``-modified`` when the working tree differs from it."""
    git = shutil.which("git")
    if git is None:
        return "unknown (git is not installed)"
    try:
        head = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout.strip()
        status = subprocess.run(
            [git, "-C", str(root), "status", "--porcelain", "--", "data", "solidarity.yaml"],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout.strip()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        return "unknown (not a git repository)"
    return f"{head}-modified" if status else head
