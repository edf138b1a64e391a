"""Measure ``solidarity report --format html`` on a generated network.

    python benchmarks/bench_report.py [--communities 2000 --donors 1000] [--json FILE]

Reports, in the same run: the check alone (the baseline the report builds on), the public copy
of the data (``make_public``: personal data withheld), the views, the rendering of every page,
the site written to disk (swapped in whole, every file and folder flushed) against the same
files written plainly with no flush, and the site's size.
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
from solidarity_cli.reporting.report import render
from solidarity_cli.reporting.site import write_site
from solidarity_cli.reporting.views import build_site
from solidarity_cli.withholding import make_public


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--language", default="pt")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="solidarity-report-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, args.communities, args.donors)
        day = generate.REFERENCE_DATE
        t0 = time.perf_counter()
        report = check_repository(root, as_of=day)
        t1 = time.perf_counter()
        build_site(report.dataset, report, args.language, day)
        t2 = time.perf_counter()
        rendered = render(root, day, args.language, "html", None)
        t3 = time.perf_counter()
        out = Path(tmp) / "site"
        write_site(rendered.files, out)
        t4 = time.perf_counter()
        plain = Path(tmp) / "plain"
        for rel, text in rendered.files.items():
            target = plain / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        t5 = time.perf_counter()
        make_public(report.dataset, args.language, root)
        t6 = time.perf_counter()
        report.dataset.personal = None  # as match reads: every record is walked
        make_public(report.dataset, args.language, root)
        t7 = time.perf_counter()
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        figures = {
            "communities": args.communities,
            "donors": args.donors,
            "pages": len(rendered.files),
            "site_mb": round(size / 1e6, 1),
            "seconds": {
                "check": round(t1 - t0, 2),
                "views": round(t2 - t1, 2),
                "report_end_to_end_without_writing": round(t3 - t2, 2),
                "write_site": round(t4 - t3, 2),
                "report_total": round(t4 - t2, 2),
                "write_plain_no_flush": round(t5 - t4, 2),
                "make_public": round(t6 - t5, 3),
                "make_public_every_record": round(t7 - t6, 3),
            },
            "report_over_check": round((t4 - t2) / (t1 - t0), 2),
            "make_public_over_check": round((t6 - t5) / (t1 - t0), 3),
            "make_public_every_record_over_check": round((t7 - t6) / (t1 - t0), 3),
            "write_site_over_plain_write": round((t4 - t3) / (t5 - t4), 2),
        }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
