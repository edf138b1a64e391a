"""Measure ``solidarity export`` in every format on a generated network.

    python benchmarks/bench_export.py [--communities 2000 --donors 1000] [--json FILE]

Reports, in the same run: the check alone (the baseline), reading the records the export
starts from, each format rendered from them, every format together (one read, then all
formats) as a ratio to the check, and each format as the command runs it (its own read, then
the format) as a ratio to the check. Check and export alternate ``--rounds`` times and the
fastest of each is kept, so that a busy machine weighs on both alike.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from solidarity_cli.checking import check_repository
from solidarity_cli.exporting import ExportFormat, public_view, render

ORGANISATION = "\niati:\n  organisation: XI-IATI-EXAMPLE\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
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
        for _ in range(args.rounds):
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
        }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
