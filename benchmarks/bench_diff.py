"""Measure ``solidarity diff HEAD~1`` and a 24-month history against a plain ``check``.

    python benchmarks/bench_diff.py [--communities 2000 --donors 1000] [--months 24] [--json FILE]

A generated network is committed once, then once a month for ``--months`` months, each month
changing one agreement (a disbursement added). In the same run, as child processes of the
command line (best of ``--repeat``): ``check --no-cache`` (a full check, not the result
cache's answer), ``diff HEAD~1`` (the last commit against the
files now: one load of each, files unchanged between them parsed once), and the history of
``--months`` month ends (``report --history`` without the report: the library call alone).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SRC = HERE.parent / "src"

import generate  # noqa: E402


def _env(when: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env |= {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "NO_COLOR": "1",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    return env


def git(root: Path, *args: str, when: str | None = None) -> None:
    """Run git quietly in ``root``."""
    subprocess.run(["git", "-C", str(root), *args], check=True, env=_env(when), capture_output=True)


def history_repo(root: Path, months: int) -> None:
    """Commit the generated data, then one agreement changed per month."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated", when="2024-12-01T10:00:00Z")
    agreements = sorted((root / "data" / "partnerships").glob("*/agreement.yaml"))
    for month in range(months):
        year, mon = 2025 + month // 12, month % 12 + 1
        path = agreements[month % len(agreements)]
        text = path.read_text(encoding="utf-8")
        tranche = (
            f"\n  - type: disbursement\n    date: {year}-{mon:02d}-10\n"
            f"    value: {{amount: 100.00, currency: EUR, value_date: {year}-{mon:02d}-10}}\n"
        )
        if "\ntransactions:\n" in text:
            text = text.replace("\ntransactions:\n", "\ntransactions:" + tranche, 1)
        else:
            text = text.rstrip("\n") + "\ntransactions:" + tranche
        path.write_text(text, encoding="utf-8")
        git(
            root, "commit", "-q", "-am", f"month {month + 1}", when=f"{year}-{mon:02d}-15T10:00:00Z"
        )


def best(command: list[str], repeat: int) -> float:
    """The fastest of ``repeat`` runs of a child process, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, env=_env(), capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "solidarity_cli"]
    with tempfile.TemporaryDirectory(prefix="solidarity-diff-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, args.communities, args.donors)
        history_repo(root, args.months)
        # The working tree differs from the last commit by one file, as in a pull request.
        agreement = sorted((root / "data" / "partnerships").glob("*/agreement.yaml"))[0]
        agreement.write_text(agreement.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        repo = ["--repo", str(root)]
        check = best([*cli, "check", *repo, "--no-cache"], args.repeat)
        diff = best([*cli, "diff", "HEAD~1", *repo], args.repeat)
        code = (
            "import sys; from pathlib import Path; "
            "from solidarity_cli.reporting.history import history; "
            f"assert len(history(Path(sys.argv[1]), {args.months})) == {args.months}"
        )
        past = best([sys.executable, "-c", code, str(root)], args.repeat)
    figures = {
        "communities": args.communities,
        "donors": args.donors,
        "months": args.months,
        "seconds": {"check": round(check, 2), "diff": round(diff, 2), "history": round(past, 2)},
        "ratios_to_check": {
            "diff HEAD~1": round(diff / check, 2),
            f"history {args.months} months": round(past / check, 2),
        },
    }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
