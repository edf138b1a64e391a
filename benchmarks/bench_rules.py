"""Measure network rules evaluated on each need of one long strategy, against a bare parse.

    python benchmarks/bench_rules.py [--needs 1000 2000 4000 8000] [--repeat 3] [--json FILE]

For each size, the example repository gets one strategy of that many needs (the bound on needs
raised above it) and three need rules: one reading only the need, one reading the need, its
strategy and its community, and the shipped trial rule ND501. Timed, best of ``--repeat``:

- the bare parse of the strategy file (``yaml_rs.loads``): the baseline of every ratio;
- the evaluation of the three rules (``run_rules`` with only the network rules selected);
- the whole ``check_repository`` in process;
- then, with the default bound of needs, the whole check of a repository holding an 8,000-need
  strategy, in process and as a command: the bound is a finding, not a slow run.

Evaluation per need should stay flat as the needs grow (linear work); it grew with the needs
when each need rule was handed the whole strategy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml_rs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from solidarity_cli.checking import check_repository
from solidarity_cli.reading import load_repository
from solidarity_cli.rules.engine import run_rules
from solidarity_cli.rules.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "src" / "solidarity_cli" / "example_repo"
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
AS_OF = dt.date(2025, 9, 15)

RULE = """\
id: {id}
code: {code}
family: needs
severity: warning
applies_to: need
condition: {condition}
summary: {{en: A benchmark rule.}}
rationale: {{en: Measures evaluation on every need.}}
message: {{en: The need breaks the benchmark rule.}}
governance:
  status: adopted
  adopted_by: Benchmark
  adopted_on: 2025-06-01
  effective_from: 2025-07-01
examples:
  good: [{{priority: 1, kind: training}}]
  bad: [{{priority: 7, kind: training}}]
  context: {{strategy: {{status: adopted}}, community: {{id: c}}}}
"""

RULES = {
    "need-only": ("ND601", "record.priority <= 6"),
    "need-and-around": (
        "ND602",
        "record.priority <= 6 && strategy.status == 'adopted' && community.id != ''",
    ),
}


def repository(target: Path, needs: int, bound: int | None) -> Path:
    """The example repository with ``needs`` needs in its strategy and the benchmark rules."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(EXAMPLE, target)
    if bound is not None:
        settings = target / "solidarity.yaml"
        settings.write_text(
            settings.read_text(encoding="utf-8") + f"limits: {{max_needs: {bound}}}\n",
            encoding="utf-8",
        )
    path = target / STRATEGY
    text = path.read_text(encoding="utf-8")
    items = "".join(
        f"  - id: n{i}\n    title: {{pt: Necessidade {i}}}\n    dimension: water\n"
        f"    kind: training\n    priority: {i % 7 + 1}\n    status: open\n"
        for i in range(needs)
    )
    path.write_text(text[: text.index("needs:")] + "needs:\n" + items, encoding="utf-8")
    rules = target / "data" / "rules"
    rules.mkdir()
    for name, (code, condition) in RULES.items():
        (rules / f"{name}.yaml").write_text(
            RULE.format(id=name, code=code, condition=condition), encoding="utf-8"
        )
    shutil.copy2(ROOT / "data" / "rules" / "expected-results-stated.yaml", rules)
    return target


def best(action: Callable[[], Any], repeat: int) -> float:
    """The best time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def measure_size(root: Path, needs: int, repeat: int) -> dict[str, Any]:
    """Bare parse, rule evaluation and whole check of one size."""
    text = (root / STRATEGY).read_text(encoding="utf-8")
    parse = best(lambda: yaml_rs.loads(text, parse_datetime=True), repeat)
    dataset = load_repository(root).dataset
    _, network, problems = all_rules(dataset)
    if problems:
        raise SystemExit(f"the benchmark rules have problems: {problems[:2]}")
    found: list[int] = []

    def evaluate() -> None:
        found.append(len(run_rules(dataset, network, AS_OF)))

    rules = best(evaluate, repeat)
    check = best(lambda: check_repository(root, as_of=AS_OF), repeat)
    return {
        "needs": needs,
        "bare_parse_s": parse,
        "rules_s": rules,
        "rules_per_need_us": rules / needs * 1e6,
        "rule_findings": found[-1],
        "check_s": check,
        "rules_over_parse": rules / parse,
        "check_over_parse": check / parse,
    }


def measure_bound(root: Path, repeat: int) -> dict[str, Any]:
    """The 8,000-need strategy under the default bound: a finding, in process and as a command."""
    text = (root / STRATEGY).read_text(encoding="utf-8")
    parse = best(lambda: yaml_rs.loads(text, parse_datetime=True), repeat)
    codes: list[list[str]] = []

    def check() -> None:
        codes.append([d.code for d in check_repository(root, as_of=AS_OF).diagnostics])

    in_process = best(check, repeat)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "solidarity_cli", "check", "--repo", str(root)]
    command += ["--as-of", AS_OF.isoformat(), "--format", "json"]
    outcome: list[int] = []

    def cli() -> None:
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        outcome.append(done.returncode)

    process = best(cli, repeat)
    startup = best(
        lambda: subprocess.run(
            [sys.executable, "-m", "solidarity_cli", "--help"],
            capture_output=True,
            env=env,
            check=False,
        ),
        repeat,
    )
    return {
        "needs": 8000,
        "finding": "SY018" in codes[-1],
        "exit_code": outcome[-1],
        "bare_parse_s": parse,
        "check_in_process_s": in_process,
        "check_command_s": process,
        "command_startup_s": startup,
        "in_process_over_parse": in_process / parse,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    sizes = []
    with tempfile.TemporaryDirectory(prefix="solidarity-bench-rules-") as scratch:
        for needs in args.needs:
            root = repository(Path(scratch) / f"n{needs}", needs, bound=max(needs, 2000))
            sizes.append(measure_size(root, needs, args.repeat))
            shutil.rmtree(root)
        bound = measure_bound(repository(Path(scratch) / "bound", 8000, None), args.repeat)
    print(
        f"{'needs':>6} {'parse s':>8} {'rules s':>8} {'us/need':>8} {'check s':>8} "
        f"{'rules/parse':>12} {'check/parse':>12}"
    )
    for s in sizes:
        print(
            f"{s['needs']:>6} {s['bare_parse_s']:>8.3f} {s['rules_s']:>8.3f} "
            f"{s['rules_per_need_us']:>8.0f} {s['check_s']:>8.3f} "
            f"{s['rules_over_parse']:>12.1f} {s['check_over_parse']:>12.1f}"
        )
    print(
        f"\n8,000 needs over the default bound: finding {'yes' if bound['finding'] else 'NO'}, "
        f"exit {bound['exit_code']}; in process {bound['check_in_process_s']:.3f} s "
        f"({bound['in_process_over_parse']:.1f}x the bare parse of {bound['bare_parse_s']:.3f} s);"
        f" as a command {bound['check_command_s']:.3f} s "
        f"(of which {bound['command_startup_s']:.3f} s starting the command)"
    )
    if args.json is not None:
        args.json.write_text(
            json.dumps({"sizes": sizes, "bound": bound}, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
