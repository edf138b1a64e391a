"""Measure ``solidarity match`` on generated networks, with a greedy baseline in the same run.

    python benchmarks/bench_match.py [--size 2000x1000] [--size 20000x5000] [--repeat N]
                                     [--json FILE]

For each size: generate the network (``generate.py``), load it, then time the match stage by
stage (problem building, money solve, whole-need solve) and end to end, in process and as a
command, and run the greedy baseline on the same problem; a bare parse of the same files is
the baseline for time ratios. Reports time, peak memory, pairs, and the optimality gap of the
greedy baseline against the exact money solve (and CP-SAT's proven gap for whole needs).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from solidarity_cli.matching import engine
from solidarity_cli.reading import load_repository


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_parse(root: Path) -> float:
    """Baseline: read and parse (no validation) the files a match reads."""
    import yaml_rs

    files = [
        p
        for p in sorted((root / "data").rglob("*.yaml"))
        if "reports" not in p.parts and "rules" not in p.parts
    ]
    gc.collect()
    start = time.perf_counter()
    for path in files:
        yaml_rs.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def _command(root: Path, as_of: object) -> tuple[float, float, dict[str, Any]]:
    """``solidarity match --format json`` in a fresh process: seconds, the child's peak
    resident memory (MB, as ``/usr/bin/time`` reads it: a child forked from this large
    process would report this process's memory as its own) and the objective it printed."""
    with tempfile.TemporaryDirectory() as tmp:
        out, peak = Path(tmp) / "out.json", Path(tmp) / "peak"
        start = time.perf_counter()
        with out.open("wb") as sink:
            subprocess.run(
                [
                    *("/usr/bin/time", "-f", "%M", "-o", str(peak)),
                    *(sys.executable, "-m", "solidarity_cli", "match"),
                    *("--repo", str(root), "--as-of", str(as_of), "--format", "json"),
                ],
                check=True,
                stdout=sink,
                stderr=subprocess.DEVNULL,
            )
        seconds = time.perf_counter() - start
        objective = json.loads(out.read_bytes())["objective"]
        kilobytes = int(peak.read_text().split()[-1])
    return seconds, kilobytes / 1024, objective


def measure(communities: int, donors: int, seed: int, repeat: int = 1) -> dict[str, Any]:
    """Figures for one size: the best of ``repeat`` runs of each, taken in turn."""
    runs = [_measure_once(communities, donors, seed)]
    for _ in range(repeat - 1):
        runs.append(_measure_once(communities, donors, seed))
    best = runs[0]
    for key in best["seconds"]:
        best["seconds"][key] = min(run["seconds"][key] for run in runs)
    parse = best["seconds"]["bare_parse_baseline"]
    best["ratios_to_bare_parse"] = {
        "match_in_process": round(best["seconds"]["match_end_to_end_with_load"] / parse, 2),
        "command_end_to_end": round(best["seconds"]["command_end_to_end"] / parse, 2),
    }
    best["runs"] = repeat
    best["command_peak_memory_mb"] = min(run["command_peak_memory_mb"] for run in runs)
    return best


def _measure_once(communities: int, donors: int, seed: int) -> dict[str, Any]:
    """Figures for one run of one size."""
    with tempfile.TemporaryDirectory(prefix="solidarity-match-") as tmp:
        root = Path(tmp) / "repo"
        generate.generate(root, communities, donors, seed=seed)
        as_of = generate.REFERENCE_DATE
        parse = _bare_parse(root)
        gc.collect()
        t0 = time.perf_counter()
        dataset = load_repository(
            root, kinds=engine.MATCH_KINDS, screen=True, fields=engine.MATCH_FIELDS, split=True
        ).dataset
        t1 = time.perf_counter()
        problem = engine.build_problem(dataset, as_of, keep_verdicts_for=set())
        t2 = time.perf_counter()
        _, money_solution = engine._solve_money(problem, greedy=False)
        t3 = time.perf_counter()
        _, whole_solution = engine._solve_whole(problem)
        t4 = time.perf_counter()
        result = engine.match(dataset, as_of)
        t5 = time.perf_counter()
        greedy = engine._solve_money(problem, greedy=True)[1]
        t6 = time.perf_counter()
        command, command_mb, printed = _command(root, as_of)
        exact_value = money_solution.objective
        return {
            "communities": communities,
            "donors": donors,
            "needs_open": len(problem.needs),
            "pairs": len(problem.pairs),
            "proposals": len(result.proposals),
            "seconds": {
                "load": round(t1 - t0, 3),
                "build_problem": round(t2 - t1, 3),
                "money": round(t3 - t2, 3),
                "whole_cp_sat": round(t4 - t3, 3),
                "match_total": round(t5 - t4, 3),
                "match_end_to_end_with_load": round(t5 - t4 + (t1 - t0), 3),
                "greedy_money": round(t6 - t5, 3),
                "command_end_to_end": round(command, 3),
                "bare_parse_baseline": round(parse, 3),
            },
            "ratios_to_bare_parse": {
                "match_in_process": round((t5 - t4 + t1 - t0) / parse, 2),
                "command_end_to_end": round(command / parse, 2),
            },
            "money": {
                "objective": round(exact_value, 2),
                "status": money_solution.status,
                "proven_bound": round(money_solution.bound, 2),
                "proven_gap": float(f"{money_solution.gap:.3g}"),
                "solver": money_solution.solver,
                "greedy_objective": round(greedy.objective, 2),
                "greedy_gap_to_bound": round(
                    (money_solution.bound - greedy.objective) / money_solution.bound, 5
                )
                if money_solution.bound
                else 0.0,
            },
            "whole": {
                "objective": round(whole_solution.objective, 4),
                "status": whole_solution.status,
                "proven_gap": round(whole_solution.gap, 5),
            },
            "command_printed": {
                part: {k: printed[part][k] for k in ("status", "gap", "value")}
                for part in ("money", "whole")
            },
            "command_peak_memory_mb": round(command_mb, 1),
            "bench_process_peak_memory_mb": round(_peak_mb(), 1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="COMMUNITIESxDONORS, e.g. 2000x1000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    args = parser.parse_args()
    sizes = args.size or ["2000x1000"]
    figures = []
    for size in sizes:
        communities, donors = (int(x) for x in size.lower().split("x"))
        row = measure(communities, donors, args.seed, args.repeat)
        figures.append(row)
        print(json.dumps(row, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
