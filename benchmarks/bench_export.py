"""Measure ``solidarity export`` in every format on a generated network.

    python benchmarks/bench_export.py [--communities 2000 --donors 1000] [--json FILE]

Reports, in the same run: the check alone (the baseline), reading the records the export
starts from (withheld once for every format), each format rendered from them, every format
together (one read, then all formats) as a ratio to the check, and each format as the command
runs it (its own read, then the format) as a ratio to the check. Then the commands as a
maintainer runs them, as processes: ``solidarity export --format all --out DIR`` against
``solidarity check --no-cache``. Everything alternates ``--rounds`` times and the fastest of
each is kept, so that a busy machine weighs on both alike; the load average before and after
is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from solidarity_cli.checking import check_repository
from solidarity_cli.exporting import ExportFormat, public_view, render

ORGANISATION = "\niati:\n  organisation: XI-IATI-EXAMPLE\n"
#: The commands run as a maintainer runs them: with the compiled modules Python caches (an
#: environment that turns the cache off would add compiling every module to both).
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _command(
    args: list[str], codes: frozenset[int] | set[int] = frozenset({0})
) -> tuple[float, float]:
    """Seconds one ``solidarity`` process takes, on the clock and on the processor (user and
    system time, which other work on a busy machine does not inflate); it must end with one of
    ``codes``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "solidarity_cli", *args],
        capture_output=True,
        check=False,
        env=ENVIRONMENT,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in codes:
        raise SystemExit(done.stderr.decode())
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="solidarity-export-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, args.communities, args.donors)
        with (root / "solidarity.yaml").open("a", encoding="utf-8") as settings:
            settings.write(ORGANISATION)
        day = generate.REFERENCE_DATE
        checks: list[float] = []
        reads: list[float] = []
        formats: dict[str, list[float]] = {f.value: [] for f in ExportFormat}
        sizes: dict[str, int] = {}
        check_commands: list[tuple[float, float]] = []
        export_commands: list[tuple[float, float]] = []
        published = Path(tmp) / "published"
        as_of = ["--as-of", day.isoformat(), "--repo", str(root)]
        for _ in range(args.rounds):
            check_commands.append(_command(["check", "--no-cache", *as_of], {0, 1}))
            export_commands.append(
                _command(["export", "--format", "all", "--out", str(published), "--force", *as_of])
            )
            t0 = time.perf_counter()
            check_repository(root, as_of=day)
            checks.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            public = public_view(root, day)
            reads.append(time.perf_counter() - t0)
            for fmt in ExportFormat:
                t0 = time.perf_counter()
                files = render(public, fmt)
                formats[fmt.value].append(time.perf_counter() - t0)
                sizes[fmt.value] = sum(len(data) for data in files.values())
        check, read = min(checks), min(reads)
        best = {k: min(v) for k, v in formats.items()}
        total = read + sum(best.values())
        figures = {
            "communities": args.communities,
            "donors": args.donors,
            "agreements": len(public.ds.agreements),
            "seconds": {"check": round(check, 2), "read": round(read, 2)}
            | {k: round(v, 2) for k, v in best.items()},
            "all_formats_seconds": round(total, 2),
            "all_formats_over_check": round(total / check, 2),
            "each_format_as_a_command_over_check": {
                k: round((read + v) / check, 2) for k, v in best.items()
            },
            "megabytes": {k: round(v / 1e6, 2) for k, v in sizes.items()},
            "commands_seconds": {
                "check --no-cache": round(min(w for w, _ in check_commands), 2),
                "export --format all": round(min(w for w, _ in export_commands), 2),
            },
            "commands_cpu_seconds": {
                "check --no-cache": round(min(c for _, c in check_commands), 2),
                "export --format all": round(min(c for _, c in export_commands), 2),
            },
            "export_all_command_over_check_command": round(
                min(w for w, _ in export_commands) / min(w for w, _ in check_commands), 2
            ),
            "export_all_command_over_check_command_cpu": round(
                min(c for _, c in export_commands) / min(c for _, c in check_commands), 2
            ),
            "load_average_1_5_15_min": {
                "before": [round(x, 2) for x in load_before],
                "after": [round(x, 2) for x in os.getloadavg()],
            },
        }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
