"""Measure ``check --changed-since HEAD~1`` against a plain ``check`` of the same repository.

    python benchmarks/bench_changed.py [--communities 2000 --donors 1000] [--repeat 3] [--keep DIR]

A synthetic repository (generate.py) is committed into a real git repository, one community file
is changed and committed, and both commands run as fresh processes, alternately, best of
``--repeat``. The ratio is what matters (goal: at most 1.3x): files the change leaves alone have
the same blob at both revisions and are read once, and rules that read only their own record
run at the base over the changed files alone. The plain check runs with ``--no-cache``, as on
a fresh CI machine (a repeated run would otherwise be answered from the result cache).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import generate  # the sibling module: this file is run as a script from benchmarks/

GOAL = 1.3
AS_OF = generate.REFERENCE_DATE.isoformat()


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def commit_network(root: Path, communities: int, donors: int) -> None:
    """Generate a network into ``root`` and commit it."""
    generate.main(
        ["--communities", str(communities), "--donors", str(donors), "--out", str(root), "--force"]
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")


def build(root: Path, communities: int, donors: int) -> str:
    """Generate, commit, change one community file, commit; return the changed path."""
    commit_network(root, communities, donors)
    changed = sorted((root / "data" / "communities").glob("*/community.yaml"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "unknown_field: 1\n", "utf-8")
    _git(root, "commit", "-q", "-am", "one file changed")
    return changed.relative_to(root).as_posix()


def _time(args: Sequence[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "solidarity_cli", *args], check=False, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"solidarity {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures (and the JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "repo"
        changed = build(root, args.communities, args.donors)
        common = ["--repo", str(root), "--as-of", AS_OF, "--format", "json"]
        plain, since = [], []
        for _ in range(args.repeat):
            plain.append(_time(["check", *common, "--no-cache"])[0])
            seconds, out = _time(["check", *common, "--changed-since", "HEAD~1"])
            since.append(seconds)
        new = [d for d in json.loads(out)["diagnostics"] if d["new"]]
    figures = {
        "communities": args.communities,
        "changed_file": changed,
        "new_findings": len(new),
        "check_s": round(min(plain), 3),
        "changed_since_s": round(min(since), 3),
        "ratio": round(min(since) / min(plain), 3),
        "goal": GOAL,
    }
    for key, value in figures.items():
        print(f"{key:>16}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
