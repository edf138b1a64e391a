"""Measure ``solidarity ci --base HEAD~1`` against a plain ``check`` of the same repository.

    python benchmarks/bench_ci.py [--communities 2000 --donors 1000] [--repeat 3]

``ci`` is ``check --changed-since`` plus ``diff`` and the Markdown of the summary and the
comment, so its ratio to a plain ``check`` should stay near the sum of theirs (each at most
1.3x). The repository is the one bench_changed.py builds: one community file changed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import bench_changed  # the sibling module: this file is run as a script from benchmarks/


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        bench_changed.build(root, args.communities, args.donors)
        common = ["--repo", str(root), "--as-of", bench_changed.AS_OF]
        comment = Path(tmp) / "comment.md"
        plain, ci = [], []
        for _ in range(args.repeat):
            plain.append(bench_changed._time(["check", *common, "--format", "json"])[0])
            seconds, _ = bench_changed._time(
                ["ci", *common, "--base", "HEAD~1", "--comment-file", str(comment)]
            )
            ci.append(seconds)
        figures = {
            "communities": args.communities,
            "check_s": round(min(plain), 3),
            "ci_s": round(min(ci), 3),
            "ratio": round(min(ci) / min(plain), 3),
            "comment_bytes": comment.stat().st_size,
        }
    for key, value in figures.items():
        print(f"{key:>14}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
