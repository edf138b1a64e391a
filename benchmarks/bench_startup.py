"""Start-up of ``--version``, a completion TAB and ``--help``, as ratios to ``python -c pass``.

    python benchmarks/bench_startup.py [--repeat 20]

Each command runs ``--repeat`` times in a fresh interpreter, interleaved so that a noisy
machine slows all of them alike; the best and the median are shown, with the ratio of the
medians to a bare interpreter measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "solidarity --version": [sys.executable, "-m", "solidarity_cli", "--version"],
    "completion TAB": [sys.executable, "-m", "solidarity_cli"],
    "solidarity --help": [sys.executable, "-m", "solidarity_cli", "--help"],
}
#: What the shell sets for a TAB after ``solidarity check --format `` (bash).
COMPLETION = {
    "_SOLIDARITY_COMPLETE": "complete_bash",
    "COMP_WORDS": "solidarity check --format ",
    "COMP_CWORD": "3",
}


def main() -> None:
    """Time each command and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            env = {**os.environ, **COMPLETION} if name == "completion TAB" else None
            subprocess.run(command, check=True, capture_output=True, env=env)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    for name, found in times.items():
        median = statistics.median(found)
        print(
            f"{name:24} best {min(found) * 1000:7.1f} ms  median {median * 1000:7.1f} ms  "
            f"{median / base:5.2f}x python -c pass"
        )


if __name__ == "__main__":
    main()
