"""Measure ``solidarity report --format digest`` on a generated network.

    python benchmarks/bench_digest.py [--communities 2000 --donors 1000] [--json FILE]

Reports, in the same run: the check alone (the baseline), one site's views (what the digests
reuse in each language they need), and every digest built and rendered, as ratios to the check.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# solidarity_cli.reading first: importing solidarity_cli.checking alone runs into an import cycle.
import generate  # noqa: I001
from solidarity_cli.reading import load_repository  # noqa: F401
from solidarity_cli.checking import check_repository
from solidarity_cli.reporting.digest import build_digests, render_digest
from solidarity_cli.reporting.views import build_site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="solidarity-digest-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, args.communities, args.donors)
        day = generate.REFERENCE_DATE
        t0 = time.perf_counter()
        report = check_repository(root, as_of=day)
        t1 = time.perf_counter()
        build_site(report.dataset, report, "pt", day)
        t2 = time.perf_counter()
        found = build_digests(report.dataset, report, day, "pt")
        t3 = time.perf_counter()
        texts = [render_digest(d, root) for d in found if not d.empty]
        t4 = time.perf_counter()
        check = t1 - t0
        figures = {
            "communities": args.communities,
            "donors": args.donors,
            "digests": len(texts),
            "languages": sorted({d.language for d in found}),
            "seconds": {
                "check": round(check, 2),
                "views_one_language": round(t2 - t1, 2),
                "digests_built": round(t3 - t2, 2),
                "digests_rendered": round(t4 - t3, 2),
            },
            "ratio_to_check": {
                "digests_built_and_rendered": round((t4 - t2) / check, 2),
            },
        }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
