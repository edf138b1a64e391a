"""Measure ``solidarity fmt --check`` against ``check`` in the same run.

    python benchmarks/bench_fmt.py [--communities 2000 --donors 1000] [--rounds 2] [--json FILE]

Two repositories: a copy of the shipped data and a generated network. For each, ``check``
(the baseline) and ``fmt --check`` (every file read with ruamel.yaml's round trip, put in the
canonical form and compared; then again with the cache of files found canonical, filled
by a first run) alternate ``--rounds`` times; the fastest of each is kept, so that
a busy machine weighs on both alike. Prints the seconds and the ratio fmt/check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from solidarity_cli.checking import check_repository
from solidarity_cli.formatting import format_paths

PROJECT = Path(__file__).resolve().parents[1]


def _measure(root: Path, rounds: int, as_of: dt.date) -> dict[str, float | int]:
    checks: list[float] = []
    colds: list[float] = []
    warms: list[float] = []
    files = 0
    for _ in range(rounds):
        started = time.perf_counter()
        check_repository(root, as_of=as_of)
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        files = format_paths(root, [], check=True).files
        colds.append(time.perf_counter() - started)
        format_paths(root, [], check=True, cache=True)  # fills the cache
        started = time.perf_counter()
        format_paths(root, [], check=True, cache=True)
        warms.append(time.perf_counter() - started)
    check, cold, warm = min(checks), min(colds), min(warms)
    return {
        "files": files,
        "check_seconds": round(check, 3),
        "fmt_check_seconds": round(cold, 3),
        "fmt_over_check": round(cold / check, 1),
        "fmt_check_cached_seconds": round(warm, 3),
        "fmt_cached_over_check": round(warm / check, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="solidarity-fmt-") as tmp:
        os.environ["SOLIDARITY_CACHE_DIR"] = str(Path(tmp) / "cache")
        shipped = Path(tmp) / "shipped"
        shipped.mkdir()
        shutil.copy2(PROJECT / "solidarity.yaml", shipped / "solidarity.yaml")
        shutil.copytree(PROJECT / "data", shipped / "data")
        figures["shipped"] = _measure(shipped, args.rounds, generate.REFERENCE_DATE)
        generated = Path(tmp) / "generated"
        generate.generate(generated, args.communities, args.donors)
        # A network that keeps to fmt, as one whose CI runs ``fmt --check`` does.
        format_paths(generated, [], check=False)
        figures[f"generated_{args.communities}x{args.donors}"] = _measure(
            generated, args.rounds, generate.REFERENCE_DATE
        )
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
