"""Peak memory of ``check``, ``report`` and ``match`` as commands, and what loaded records hold.

    python benchmarks/bench_memory.py [--communities 2000 --donors 1000] [--repeat 2]
                                      [--commands check,report,match] [--held]
                                      [--repo DIR] [--keep DIR] [--src DIR] [--json FILE]

Each command runs as a process of its own (``python -m solidarity_cli``), the commands one
after the other in each round; its peak resident memory is the kernel's high-water mark of that
process (``VmHWM``), read as it exits. Processor time (user + system) is given beside the
clock: on a shared machine it moves far less. ``--held`` also loads the repository in a fresh
process and counts what its records hold, by kind of object (models, their attribute dicts,
their sets of given fields, texts, dates, numbers, lists and dicts), each object once.

The network is generated in a separate process (``generate.py``) and judged as of its reference
date; ``--repo`` measures an existing repository (as of today unless ``--as-of``).
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the sibling module: this file is run as a script from benchmarks/

SRC = Path(__file__).resolve().parent.parent / "src"

#: Runs ``python -m solidarity_cli ...`` and writes its peak memory (KiB) to the file named
#: first. VmHWM belongs to the process's own address space, whoever started it. The command
#: ends with ``os._exit`` (no teardown), which skips ``atexit``: the peak is written there too.
CLI_PEAK_CHILD = """
import atexit, os, runpy, sys
target = sys.argv.pop(1)
def write_peak():
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(target, "w") as handle:
        handle.write(str(peak))
atexit.register(write_peak)
_exit = os._exit
def exit_after_peak(code):
    write_peak()
    _exit(code)
os._exit = exit_after_peak
sys.argv[0] = "solidarity"
runpy.run_module("solidarity_cli", run_name="__main__", alter_sys=True)
"""

#: Loads a repository and counts what its records hold, each object once (see ``--held``).
_HELD_CHILD = """
import datetime as dt, json, sys
from collections import Counter
from decimal import Decimal
from enum import Enum
from pathlib import Path
from pydantic import BaseModel
from solidarity_cli.reading import load_repository

loaded = load_repository(Path(sys.argv[1]))
seen, count, size = set(), Counter(), Counter()
stack = [loaded.dataset.__dict__]
while stack:
    node = stack.pop()
    if id(node) in seen or node is None or isinstance(node, (bool, type, Enum, Path)):
        continue
    seen.add(id(node))
    if isinstance(node, BaseModel):
        kind = "model instances"
        for part, name in ((node.__dict__, "their attribute dicts"),
                           (node.__pydantic_fields_set__, "their sets of given fields")):
            if id(part) not in seen:
                seen.add(id(part))
                count[name] += 1
                size[name] += sys.getsizeof(part)
        stack.extend(node.__dict__.values())
    elif isinstance(node, dict):
        kind = "dicts (texts by language, tables)"
        stack.extend(node.keys())
        stack.extend(node.values())
    elif isinstance(node, (list, tuple, set, frozenset)):
        kind = "lists, tuples and sets"
        stack.extend(node)
    elif isinstance(node, str):
        kind = "texts"
    elif isinstance(node, dt.date):
        kind = "dates"
    elif isinstance(node, Decimal):
        kind = "decimal numbers"
    else:
        kind = "other"
    count[kind] += 1
    size[kind] += sys.getsizeof(node)
print(json.dumps({k: {"objects": count[k], "mb": round(size[k] / 1e6, 1)}
                  for k, _ in size.most_common()}))
"""


def _environment(cache: Path, src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    env["SOLIDARITY_CACHE_DIR"] = str(cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed package runs
    return env


def _arguments(command: str, root: Path, day: str, scratch: Path) -> list[str]:
    common = ["--repo", str(root)]
    if command == "check":
        return ["check", "--no-cache", "--as-of", day, "--format", "json", *common]
    if command == "report":
        return ["report", "--as-of", day, "--out", str(scratch / "site"), "--force", *common]
    if command == "match":
        return ["match", "--as-of", day, "--format", "json", *common]
    if command == "export":
        return ["export", "--format", "all", "--out", str(scratch / "export"), *common]
    raise SystemExit(f"unknown command {command!r}: check, report, match or export")


def run_command(arguments: list[str], env: dict[str, str], scratch: Path) -> dict[str, Any]:
    """One command as a process: exit code, clock, processor time, peak memory."""
    peak_file = scratch / "peak"
    peak_file.unlink(missing_ok=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CLI_PEAK_CHILD, str(peak_file), *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(child.pid, 0)
    clock = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = int(peak_file.read_text()) if peak_file.exists() else None
    return {
        "exit": child.returncode,
        "seconds": round(clock, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(peak * 1024 / 1e6) if peak is not None else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The highest peak and the best times of a command's rounds, and the rounds."""
    peaks = [r["peak_mb"] for r in runs if r["peak_mb"] is not None]
    return {
        "peak_mb": max(peaks, default=None),
        "best_cpu_seconds": min(r["cpu_seconds"] for r in runs),
        "best_seconds": min(r["seconds"] for r in runs),
        "rounds": runs,
    }


def held(root: Path, env: dict[str, str]) -> dict[str, object]:
    """What a loaded repository's records hold, by kind of object (see the module)."""
    out = subprocess.run(
        [sys.executable, "-c", _HELD_CHILD, str(root)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--commands", default="check,report,match")
    parser.add_argument("--held", action="store_true", help="count what loaded records hold")
    parser.add_argument("--repo", type=Path, help="an existing repository (nothing generated)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--as-of", help="judge dates as on this day (with --repo)")
    parser.add_argument(
        "--src",
        type=Path,
        default=SRC,
        help="the package's source folder to run (default: this checkout's src/), to compare "
        "two checkouts in the same minutes",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="solidarity-memory-") as tmp:
        scratch = Path(tmp)
        root = args.repo or args.keep or scratch / "repo"
        if args.repo is None:
            command = [sys.executable, str(Path(generate.__file__)), "--out", str(root)]
            command += ["--communities", str(args.communities), "--donors", str(args.donors)]
            command += ["--seed", str(args.seed), "--force"]
            subprocess.run(command, check=True, stdout=sys.stderr)
            if "export" in commands:  # every format needs the network's organisation id
                with (root / "solidarity.yaml").open("a", encoding="utf-8") as settings:
                    settings.write("\niati:\n  organisation: XI-IATI-EXAMPLE\n")
        day = args.as_of or (
            generate.REFERENCE_DATE.isoformat() if args.repo is None else time.strftime("%F")
        )
        (scratch / "cache").mkdir()
        env = _environment(scratch / "cache", args.src.resolve())
        rounds: dict[str, list[dict[str, Any]]] = {c: [] for c in commands}
        for number in range(1, args.repeat + 1):
            for name in commands:
                figure = run_command(_arguments(name, root, day, scratch), env, scratch)
                rounds[name].append(figure)
                print(f"round {number} {name}: {figure}", file=sys.stderr, flush=True)
        figures: dict[str, object] = {
            "repository": str(root) if args.repo or args.keep else None,
            "communities": args.communities if args.repo is None else None,
            "donors": args.donors if args.repo is None else None,
            "as_of": day,
            "src": str(args.src.resolve()),
            "commands": {name: _summary(runs) for name, runs in rounds.items()},
        }
        if args.held:
            figures["held_by_loaded_records"] = held(root, env)
        print(json.dumps(figures, indent=2), flush=True)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
