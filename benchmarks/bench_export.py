"""Measure ``solidarity export`` in every format on a generated network.

    python benchmarks/bench_export.py [--communities 2000 --donors 1000] [--json FILE]

Reports, in the same run: the check alone (the baseline), reading the records the export
starts from, each format rendered from them, and every format together end to end (one read,
then all formats) as a ratio to the check.
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
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="solidarity-export-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, args.communities, args.donors)
        with (root / "solidarity.yaml").open("a", encoding="utf-8") as settings:
            settings.write(ORGANISATION)
        day = generate.REFERENCE_DATE
        t0 = time.perf_counter()
        check_repository(root, as_of=day)
        check = time.perf_counter() - t0
        t0 = time.perf_counter()
        public = public_view(root, day)
        read = time.perf_counter() - t0
        formats: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for fmt in ExportFormat:
            t0 = time.perf_counter()
            files = render(public, fmt)
            formats[fmt.value] = round(time.perf_counter() - t0, 3)
            sizes[fmt.value] = sum(len(data) for data in files.values())
        total = read + sum(formats.values())
        figures = {
            "communities": args.communities,
            "donors": args.donors,
            "agreements": len(public.ds.agreements),
            "seconds": {"check": round(check, 2), "read": round(read, 2), **formats},
            "all_formats_seconds": round(total, 2),
            "all_formats_over_check": round(total / check, 2),
            "megabytes": {k: round(v / 1e6, 2) for k, v in sizes.items()},
        }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
