"""Measure ``solidarity import`` on a generated network, as ratios to ``check`` in the same run.

    python benchmarks/bench_import.py [--communities 2000 --donors 1000] [--json FILE]

The network is exported as a workbook, one cost is changed in it (as a person would), and it
is imported back with --dry-run (the plan: read the workbook, map the rows, edit the file,
load the records as they would be, say what changes, run the rules on touched files); the
network's own IATI and 360Giving exports are imported back too (nothing changes). Check and
imports alternate ``--rounds`` times and the fastest of each is kept.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openpyxl

import generate
from solidarity_cli.checking import check_repository
from solidarity_cli.exporting import ExportFormat, public_view, render
from solidarity_cli.importing import ImportFormat, import_file

ORGANISATION = "\niati:\n  organisation: XI-IATI-EXAMPLE\n"


def _edited_workbook(data: bytes, target: Path) -> None:
    target.write_bytes(data)
    book = openpyxl.load_workbook(target)
    sheet = book["needs"]
    header = [c.value for c in sheet[1]]
    column = header.index("estimated_cost")
    row = next(sheet.iter_rows(min_row=2))
    value = row[column].value
    row[column].value = (value if isinstance(value, int | float) else 0) + 100
    book.save(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="solidarity-import-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, args.communities, args.donors)
        with (root / "solidarity.yaml").open("a", encoding="utf-8") as settings:
            settings.write(ORGANISATION)
        day = generate.REFERENCE_DATE
        public = public_view(root, day)
        inputs = {
            ImportFormat.XLSX: Path(tmp) / "network.xlsx",
            ImportFormat.IATI: Path(tmp) / "iati.xml",
            ImportFormat.GIVING360: Path(tmp) / "grants.json",
        }
        _edited_workbook(
            render(public, ExportFormat.XLSX)["network.xlsx"], inputs[ImportFormat.XLSX]
        )
        inputs[ImportFormat.IATI].write_bytes(
            render(public, ExportFormat.IATI)["iati-activities.xml"]
        )
        inputs[ImportFormat.GIVING360].write_bytes(
            render(public, ExportFormat.GIVING360)["360giving.json"]
        )
        checks: list[float] = []
        times: dict[str, list[float]] = {f.value: [] for f in inputs}
        changed: dict[str, int] = {}
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            check_repository(root, as_of=day)
            checks.append(time.perf_counter() - t0)
            for fmt, path in inputs.items():
                t0 = time.perf_counter()
                plan = import_file(root, path, fmt, as_of=day, dry_run=True)
                times[fmt.value].append(time.perf_counter() - t0)
                changed[fmt.value] = len(plan.texts)
        check = min(checks)
        best = {k: min(v) for k, v in times.items()}
        figures = {
            "communities": args.communities,
            "donors": args.donors,
            "seconds": {"check": round(check, 2)} | {k: round(v, 2) for k, v in best.items()},
            "over_check": {k: round(v / check, 2) for k, v in best.items()},
            "files_that_would_change": changed,
        }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
