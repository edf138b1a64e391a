"""Measure ``solidarity report --format html`` against ``check`` of the same network, same run.

    python benchmarks/bench_report.py [--communities 2000 --donors 1000] [--rounds 2]
                                      [--repo DIR] [--json FILE] [--scratch DIR]

Each round times, one after the other, the check alone (the baseline the report builds on) and
the report as the command makes it: check, the public copy of the data (personal data
withheld), the views, the maps, then every page rendered and written into the staging folder as
it comes, and the site swapped in whole (flushed). Where the command uses a second process (the
rules beside the views, the donors' and partnerships' pages beside the others), so does this:
"pages" is then this process's share. The figure is the best report over the best
check. Also reported: the parts of the best report (rendering the pages and writing them are
interleaved; their times are added up apart), the site's size, and the process's peak memory
(resident set, from the kernel): the records and the views, and one page at a time. After
the last report, the same files are written plainly into a new folder and removed
(``bare_write``, ``bare_removal``): where creating a file costs the kernel much (a folder
whose files have been written and removed many times, on some file systems), that floor
shows it.
Processor times are given beside wall times: on a shared machine, the site's one flush of the
file system (``syncfs``) also waits for other processes' writes. They count the second process
that checks the rules beside the views (``solidarity_cli.beside``) with this one.

The network is generated in a separate process (``generate.py``), so that its memory is not
counted; ``--repo`` measures an existing repository instead.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from solidarity_cli import atomic
from solidarity_cli.checking import check_repository
from solidarity_cli.reporting import report as reporting
from solidarity_cli.reporting.site import write_site


def _progress(done: int, total: int) -> None:
    if done == total or done % 2000 == 0:
        print(f"  pages {done:,} / {total:,}", file=sys.stderr, flush=True)


def _timed(pages: Iterator[tuple[str, str]], spent: list[float]) -> Iterator[tuple[str, str]]:
    """The pages, with the time spent rendering them added up in ``spent[0]``."""
    while True:
        start = time.perf_counter()
        try:
            page = next(pages)
        except StopIteration:
            spent[0] += time.perf_counter() - start
            return
        spent[0] += time.perf_counter() - start
        yield page


def _bare_write(site: Path) -> tuple[float, float]:
    """Seconds to write the site's files again, plainly, into a new folder beside it, and to
    remove that folder: what the disk asks of any program that writes these files."""
    files = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    copy = site.with_name(site.name + "-bare")
    start = time.perf_counter()
    for rel, data in files.items():
        target = copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    written = time.perf_counter()
    shutil.rmtree(copy)
    return written - start, time.perf_counter() - written


def _cpu() -> float:
    """Processor time of this process and of the second processes it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(root: Path, out: Path, language: str, rounds: int) -> dict[str, object]:
    """Check and report, interleaved, ``rounds`` times; the best of each and their ratio."""
    day = generate.REFERENCE_DATE
    checks: list[float] = []
    reports: list[float] = []
    cpu_checks: list[float] = []
    cpu_reports: list[float] = []
    every_parts: list[dict[str, float]] = []
    bare: list[tuple[float, float]] = []
    waits: dict[str, float] = {}
    flush, remove = atomic._syncfs, atomic._remove_old

    def timed_flush(folder: Path) -> bool:
        start = time.perf_counter()
        try:
            return flush(folder)
        finally:
            waits["of_which_flush"] = time.perf_counter() - start

    def timed_remove(folder: Path) -> None:
        start = time.perf_counter()
        try:
            remove(folder)
        finally:
            waits["of_which_old_site_removed"] = time.perf_counter() - start

    atomic._syncfs, atomic._remove_old = timed_flush, timed_remove  # type: ignore[assignment]
    for number in range(1, rounds + 1):
        print(f"round {number}: check", file=sys.stderr, flush=True)
        c0, t0 = _cpu(), time.perf_counter()
        check_repository(root, as_of=day)
        checks.append(time.perf_counter() - t0)
        cpu_checks.append(_cpu() - c0)
        print(f"round {number}: report", file=sys.stderr, flush=True)
        c1, t1 = _cpu(), time.perf_counter()
        waits.clear()
        # As the command does it: each page written into the staging folder as it is rendered.
        with reporting.making_site(
            root, day, language, None, progress=_progress, split=True
        ) as made:
            t2 = time.perf_counter()
            spent = [0.0]
            write_site(_timed(made.pages, spent), out, force=True, beside=made.beside)
        t3 = time.perf_counter()
        reports.append(t3 - t1)
        cpu_reports.append(_cpu() - c1)
        every_parts.append(
            {
                "check_views_and_maps": t2 - t1,
                "pages": spent[0],
                "write_site": t3 - t2 - spent[0],
                # Parts of write_site: the one flush, and removing the site the swap replaced.
                **waits,
            }
        )
        del made
    # Once, after every round: writing and removing them churns the disk the rounds write to.
    bare.append(_bare_write(out))
    atomic._syncfs, atomic._remove_old = flush, remove  # type: ignore[assignment]
    pages = sum(1 for p in out.rglob("*") if p.is_file()) - 1  # the site's marker is no page
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {
        "pages": pages,
        "site_mb": round(size / 1e6, 1),
        "rounds": rounds,
        "seconds": {
            "check_best": round(min(checks), 2),
            "report_best": round(min(reports), 2),
            "checks": [round(x, 2) for x in checks],
            "reports": [round(x, 2) for x in reports],
            "best_report_parts": {
                k: round(v, 2) for k, v in every_parts[reports.index(min(reports))].items()
            },
            # The site's files written plainly and removed, after the last report (see
            # ``_bare_write``): on a disk where creating files is slow, the floor under both.
            "bare_write": round(bare[0][0], 2),
            "bare_removal": round(bare[0][1], 2),
            "cpu_checks": [round(x, 2) for x in cpu_checks],
            "cpu_reports": [round(x, 2) for x in cpu_reports],
        },
        "report_over_check": round(min(reports) / min(checks), 2),
        # Processor time (user + system) of this process and its second one: what the report
        # costs, apart from waiting for a loaded machine or for other processes' writes.
        "cpu_report_over_check": round(min(cpu_reports) / min(cpu_checks), 2),
        "peak_rss_mb": round(peak / 1e6),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--language", default="pt")
    parser.add_argument("--repo", type=Path, help="an existing repository (nothing generated)")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--scratch",
        type=Path,
        help="folder for the site (and a generated network); /dev/shm leaves the disk out",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="solidarity-report-", dir=args.scratch) as tmp:
        root = args.repo
        if root is None:
            root = Path(tmp) / "repo"
            command = [sys.executable, str(Path(generate.__file__)), "--out", str(root)]
            command += ["--communities", str(args.communities), "--donors", str(args.donors)]
            subprocess.run(command, check=True, stdout=sys.stderr)
        figures = {
            "communities": args.communities if args.repo is None else None,
            "donors": args.donors if args.repo is None else None,
            **measure(root, Path(tmp) / "site", args.language, args.rounds),
        }
        # Said before the folder is removed: at 20,000 communities that takes minutes.
        print(json.dumps(figures, indent=2), flush=True)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
