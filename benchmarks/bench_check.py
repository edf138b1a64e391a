"""Measure ``solidarity check`` against the bare cost of reading and parsing the same files.

    python benchmarks/bench_check.py [--communities 2000 --donors 1000] [--keep DIR] [--json FILE]

Everything is measured in one run on one machine, so the ratios between the figures are what
matters: absolute seconds change from machine to machine, ratios much less. Each figure is the
best of ``--repeat`` runs with a warm page cache. See benchmarks/README.md for what each means.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import inspect
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml_rs
from ruamel.yaml import YAML

import generate  # the sibling module: this file is run as a script from benchmarks/
from bench_memory import CLI_PEAK_CHILD

SRC = Path(__file__).resolve().parent.parent / "src"
GOAL_CHECK_OVER_PARSE = 2.0
GOAL_RUAMEL_OVER_CHECK = 20.0

#: The peak resident memory of the calling process, in KB. VmHWM belongs to the process's own
#: address space; ru_maxrss would also count the parent's peak, inherited through fork and exec.
_PEAK = """
def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

#: Runs an in-process check in a fresh interpreter: import time and peak memory.
_MEMORY_CHILD = (
    _PEAK
    + """
import json, sys, time
from datetime import date
from pathlib import Path
started = time.perf_counter()
sys.path[:0] = json.loads(sys.argv[3])
module, name = sys.argv[2].split(":")
check = getattr(__import__(module, fromlist=[name]), name)
imported = time.perf_counter() - started
before = peak_kb()
kwargs = {"as_of": date.fromisoformat(sys.argv[4])} if sys.argv[4] else {}
check(Path(sys.argv[1]), **kwargs)
print(json.dumps({"import_seconds": imported, "rss_before_kb": before, "rss_peak_kb": peak_kb()}))
"""
)


# --------------------------------------------------------------------------------------------
# What is measured
# --------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured step: its best time over the whole repository."""

    name: str
    seconds: float | None
    note: str = ""
    estimated: bool = False
    cpu: float | None = None
    """Best CPU time (user + system, of this process and the children it waited for): far
    less moved by other work on the machine than the wall time."""

    def per_second(self, count: float) -> float | None:
        """``count`` divided by the time."""
        return count / self.seconds if self.seconds else None


@dataclass
class Run:
    """Every figure of one benchmark run."""

    root: Path
    files: int
    size: int
    figures: dict[str, Figure] = field(default_factory=dict)
    memory: dict[str, float | None] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    generated: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def yaml_files(root: Path) -> Iterator[str]:
    """Every ``.yaml`` file under ``root`` (os.walk, sorted)."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".yaml"):
                yield os.path.join(folder, name)  # noqa: PTH118 - the baseline avoids pathlib


def read_all(root: Path) -> int:
    """Baseline A: read the bytes of every file."""
    total = 0
    for path in yaml_files(root):
        with open(path, "rb") as handle:  # noqa: PTH123
            total += len(handle.read())
    return total


def parse_all(root: Path) -> int:
    """Baseline B: read and parse every file with yaml_rs, nothing else."""
    count = 0
    for path in yaml_files(root):
        with open(path, "rb") as handle:  # noqa: PTH123
            yaml_rs.loads(handle.read().decode())
        count += 1
    return count


@dataclass(frozen=True)
class Checker:
    """The in-process entry point found in the package, and how to call it."""

    call: Callable[[Path], Any]
    target: str
    """``module:function``, for the memory child."""
    as_of: date | None


def validate_all(root: Path) -> int:
    """Floor: what any check must do per file, parse and validate against its schema, no more.

    No entry screen, no personal-data screen, no layout, no references and no rules: the least
    work a check that validates every record can do on one core. The cyclic collector is paused,
    as the tool's loader pauses it.
    """
    from solidarity_cli.reading.layout import classify

    count = 0
    records = []
    gc.disable()
    try:
        for path in yaml_files(root / "data"):
            slot = classify(Path(path).relative_to(root).as_posix())
            if slot is None:
                continue
            with open(path, "rb") as handle:  # noqa: PTH123
                data = yaml_rs.loads(handle.read().decode(), parse_datetime=True)
            records.append(slot.kind.model.model_validate(data))
            count += 1
    finally:
        gc.enable()
    return count


#: A fresh interpreter importing what ``solidarity check`` imports, and nothing else.
_STARTUP = "import solidarity_cli.cli.app, solidarity_cli.cli.check, solidarity_cli.checking"


def _entry(module: str, name: str) -> Callable[..., Any] | None:
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def find_checker(as_of: date | None) -> tuple[Checker | None, Checker]:
    """``check_repository`` if the package has it yet, and ``load_repository``."""
    load = _entry("solidarity_cli.reading", "load_repository")
    if load is None:
        raise SystemExit("solidarity_cli.reading.load_repository is missing: nothing to measure")
    loader = Checker(load, "solidarity_cli.reading:load_repository", None)
    check = _entry("solidarity_cli.checking", "check_repository")
    if check is None:
        return None, loader
    takes_date = "as_of" in inspect.signature(check).parameters
    day = as_of if takes_date else None

    def call(root: Path) -> Any:
        return check(root, as_of=day) if day is not None else check(root)

    return Checker(call, "solidarity_cli.checking:check_repository", day), loader


def package_path() -> list[str]:
    """Make ``solidarity_cli`` importable from the checkout when it is not installed."""
    if importlib.util.find_spec("solidarity_cli") is not None:
        return []
    sys.path.insert(0, str(SRC))
    importlib.invalidate_caches()
    return [str(SRC)]


def child_env(extra_path: list[str]) -> dict[str, str]:
    """The environment of child interpreters: same package path as this one.

    Bytecode is cached as an installed package has it (pip compiles at install): a shell
    that sets PYTHONDONTWRITEBYTECODE would otherwise make every command compile the whole
    package again, and measure that instead of the check.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([*extra_path, env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
    return env


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, int, str, str]:
    """Wall time, exit code, stdout and stderr of one child process."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=False)
    seconds = time.perf_counter() - started
    return (
        seconds,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def diagnostics_summary(result: Any) -> dict[str, Any]:
    """Counts by severity and code, and the first few errors as text."""
    diagnostics = list(getattr(result, "diagnostics", []))
    severities = Counter(str(getattr(d, "severity", "error")) for d in diagnostics)
    codes = Counter(str(getattr(d, "code", "?")) for d in diagnostics)
    errors = [str(d) for d in diagnostics if str(getattr(d, "severity", "error")) == "error"]
    return {
        "total": len(diagnostics),
        "errors": len(errors),
        "warnings": severities.get("warning", 0),
        "infos": severities.get("info", 0),
        "by_code": dict(sorted(codes.items())),
        "first_errors": errors[:10],
    }


def cli_errors(stdout: str) -> int | None:
    """How many error diagnostics the JSON output holds, when its shape is recognised."""
    try:
        data = json.loads(stdout)
    except ValueError:
        return None
    items = data.get("diagnostics") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return None
    return sum(1 for d in items if isinstance(d, dict) and d.get("severity") == "error")


def cli_takes_no_cache(env: dict[str, str]) -> bool:
    """Whether ``solidarity check`` keeps a result cache (and has ``--no-cache``)."""
    help_command = [sys.executable, "-m", "solidarity_cli", "check", "--help"]
    result = subprocess.run(help_command, capture_output=True, text=True, env=env, check=False)
    return "--no-cache" in result.stdout


def cli_takes_as_of(env: dict[str, str]) -> bool:
    """Whether ``solidarity check`` has an ``--as-of`` option."""
    help_command = [sys.executable, "-m", "solidarity_cli", "check", "--help"]
    result = subprocess.run(help_command, capture_output=True, text=True, env=env, check=False)
    return "--as-of" in result.stdout


def ruamel_sample(root: Path, size: int) -> list[str]:
    """``size`` files spread evenly over the sorted list of all files."""
    paths = list(yaml_files(root))
    size = min(size, len(paths))
    return [paths[i * len(paths) // size] for i in range(size)]


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def measure(root: Path, args: argparse.Namespace, run: Run, extra_path: list[str]) -> int:
    """Fill ``run`` with every figure; returns the exit code."""
    # A generated repository describes the network as on its reference date, not today.
    as_of = None if args.repo is not None else generate.REFERENCE_DATE
    check, loader = find_checker(as_of)
    main = check or loader
    if check is None:
        run.notes.append(
            "solidarity_cli.checking.check_repository does not exist yet: 'check in-process' "
            "is load_repository (parse + schema + layout, no rules)"
        )
    elif check.as_of is not None:
        run.notes.append(f"dates are judged as on {check.as_of}, the generator's reference day")

    # Warm-up and correctness: the generated repository must hold no error.
    read_all(root)
    first = main.call(root)
    run.diagnostics = diagnostics_summary(first)
    dataset = getattr(first, "dataset", None)
    if dataset is not None and hasattr(dataset, "counts"):
        run.records = dict(dataset.counts())
    del first, dataset
    if run.diagnostics["errors"]:
        print(f"\n{run.diagnostics['errors']} error diagnostics on the generated repository:")
        for line in run.diagnostics["first_errors"]:
            print(f"  {line}")
        if not args.allow_errors:
            print("the generator and the schemas or rules disagree; --allow-errors measures anyway")
            return 1

    env = child_env(extra_path)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("read", lambda: read_all(root)),
        ("parse", lambda: parse_all(root)),
        ("load", lambda: loader.call(root)),
    ]
    run.figures["read"] = Figure("A: read bytes", None)
    run.figures["parse"] = Figure("B: bare parse (yaml_rs)", None)
    run.figures["load"] = Figure(
        "load_repository in-process", None, "parse + schema validation + layout"
    )
    if importlib.util.find_spec("solidarity_cli.reading.layout") is not None:
        steps.append(("floor_validate", lambda: validate_all(root)))
        run.figures["floor_validate"] = Figure(
            "floor: parse + schema only", None, "no screens, references or rules"
        )
    if importlib.util.find_spec("solidarity_cli.cli.check") is not None:
        startup = [sys.executable, "-c", _STARTUP]
        steps.append(("floor_startup", lambda: run_child(startup, env)))
        run.figures["floor_startup"] = Figure(
            "floor: start + imports (process)", None, "python + what check imports"
        )
    if check is not None:
        steps.append(("check", lambda: check.call(root)))
        run.figures["check"] = Figure("check in-process", None, "check_repository: load + rules")

    cli: list[str] | None = None
    if importlib.util.find_spec("solidarity_cli.cli.app") is None:
        run.notes.append("the CLI (solidarity_cli.cli.app) does not exist yet: not measured")
    else:
        cli = ["check", "--repo", str(root), "--format", "json"]
        if main.as_of is not None and cli_takes_as_of(env):
            cli += ["--as-of", main.as_of.isoformat()]
        command = [sys.executable, "-m", "solidarity_cli", *cli]
        # Cold: a full check every time. Warm: answered by the result cache, primed by the
        # warm-up run below (a cache folder of the benchmark's own, never the user's).
        cold = [*command, "--no-cache"] if cli_takes_no_cache(env) else command
        steps.append(("cli", lambda: run_child(cold, env)))
        run.figures["cli"] = Figure("check end-to-end (CLI), cold", None, "--no-cache")
        if cold is not command:
            run_child(command, env)
            steps.append(("cli_warm", lambda: run_child(command, env)))
            run.figures["cli_warm"] = Figure("check end-to-end (CLI), warm", None)

    sample = [Path(p).read_text(encoding="utf-8") for p in ruamel_sample(root, args.ruamel_sample)]
    sample_bytes = sum(len(t.encode("utf-8")) for t in sample)
    yaml = YAML(typ="rt")

    def round_trip() -> None:
        for text in sample:
            yaml.load(io.StringIO(text))

    steps.append(("ruamel", round_trip))

    # Rounds rather than one step at a time: a burst of load from elsewhere on the machine then
    # slows one run of every step instead of every run of one step, and the best survives.
    best = dict.fromkeys((key for key, _ in steps), float("inf"))
    best_cpu = dict(best)
    outcome: Any = None
    for number in range(1, args.repeat + 1):
        print(f"  round {number}/{args.repeat}:", end="", flush=True)
        for key, action in steps:
            gc.collect()
            cpu = cpu_seconds()
            started = time.perf_counter()
            result = action()
            seconds = time.perf_counter() - started
            best[key] = min(best[key], seconds)
            best_cpu[key] = min(best_cpu[key], cpu_seconds() - cpu)
            print(f" {key} {seconds:.2f}s", end="", flush=True)
            if key == "cli":
                outcome = result
            del result
        print()

    for key, seconds in best.items():
        if key in run.figures:
            run.figures[key].seconds = seconds
            run.figures[key].cpu = best_cpu[key]
    run.figures["ruamel"] = Figure(
        "ruamel.yaml round-trip", best["ruamel"] * run.size / sample_bytes,
        f"{len(sample)} files in {best['ruamel']:.2f} s, scaled by bytes", estimated=True,
    )  # fmt: skip
    if cli is not None and outcome is not None:
        _, code, stdout, stderr = outcome
        if code not in (0, 1):
            tail = " | ".join(stderr.strip().splitlines()[-3:])
            run.notes.append(f"solidarity check exited with {code}: {tail}")
            run.figures["cli"].seconds = None
            run.figures["cli"].note = f"exit code {code}"
        else:
            errors = cli_errors(stdout)
            run.figures[
                "cli"
            ].note = f"exit {code}, {'?' if errors is None else errors} errors in its JSON"
            run.memory["cli_peak_rss_mb"] = cli_peak_mb(cli, env)

    print("  peak memory of the check in a fresh process ...", flush=True)
    memory_child = [sys.executable, "-c", _MEMORY_CHILD, str(root), main.target]
    memory_child += [json.dumps(extra_path), main.as_of.isoformat() if main.as_of else ""]
    _, code, stdout, stderr = run_child(memory_child, env)
    if code == 0:
        figures = json.loads(stdout)
        run.memory["check_peak_rss_mb"] = figures["rss_peak_kb"] / 1024
        run.memory["rss_after_imports_mb"] = figures["rss_before_kb"] / 1024
        run.memory["import_seconds"] = figures["import_seconds"]
    else:
        run.notes.append(f"memory child failed: {stderr.strip().splitlines()[-1:]}")
    if args.tracemalloc:
        # Python-level allocations only, and several times slower: a separate, optional pass.
        print("  tracemalloc pass ...", flush=True)
        gc.collect()
        tracemalloc.start()
        kept = main.call(root)
        run.memory["check_tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        run.memory["check_tracemalloc_kept_mb"] = tracemalloc.get_traced_memory()[0] / 1e6
        tracemalloc.stop()
        del kept
    return 0


def cpu_seconds() -> float:
    """CPU time so far of this process and of the children it has waited for."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def cli_peak_mb(cli: list[str], env: dict[str, str]) -> float | None:
    """Peak memory of one more ``solidarity`` run, through a wrapper that reads it at exit."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "peak"
        run_child([sys.executable, "-c", CLI_PEAK_CHILD, str(target), *cli], env)
        try:
            return int(target.read_text()) / 1024
        except (OSError, ValueError):
            return None


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def ratios(run: Run) -> dict[str, float | None]:
    """The two goals: check over bare parse, and ruamel round-trip over check."""
    parse = run.figures["parse"].seconds
    check = (run.figures.get("check") or run.figures["load"]).seconds
    ruamel = run.figures["ruamel"].seconds
    return {
        "check_over_bare_parse": check / parse if check and parse else None,
        "ruamel_round_trip_over_check": ruamel / check if ruamel and check else None,
        "load_over_bare_parse": (
            run.figures["load"].seconds / parse if run.figures["load"].seconds and parse else None
        ),
        "command_cold_over_bare_parse": _over(run, "cli", parse),
        "command_warm_over_bare_parse": _over(run, "cli_warm", parse),
        "cpu_check_over_bare_parse": _cpu_over(run, "check"),
        "cpu_command_cold_over_bare_parse": _cpu_over(run, "cli"),
        "cpu_command_warm_over_bare_parse": _cpu_over(run, "cli_warm"),
        "floor_over_bare_parse": _floor(run, "seconds"),
        "cpu_floor_over_bare_parse": _floor(run, "cpu"),
    }


def _floor(run: Run, measure: str) -> float | None:
    """Start-up plus parse and schema only, over the bare parse: the least a cold check costs."""
    parts = [run.figures.get(key) for key in ("floor_startup", "floor_validate", "parse")]
    values = [getattr(part, measure) if part is not None else None for part in parts]
    startup, validate, parse = values
    if startup is None or validate is None or not parse:
        return None
    return float((startup + validate) / parse)


def _cpu_over(run: Run, key: str) -> float | None:
    figure, parse = run.figures.get(key), run.figures["parse"].cpu
    return figure.cpu / parse if figure and figure.cpu and parse else None


def _over(run: Run, key: str, parse: float | None) -> float | None:
    figure = run.figures.get(key)
    return figure.seconds / parse if figure and figure.seconds and parse else None


def report(run: Run) -> str:
    """The table printed at the end."""
    mb = run.size / 1e6
    parse = run.figures["parse"].seconds
    lines = [
        "",
        f"repository: {run.root}",
        f"files: {run.files:,}   size: {mb:.1f} MB   ({run.size / run.files / 1000:.2f} KB/file)",
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, best of each step",
        "records: " + ", ".join(f"{v:,} {k}" for k, v in run.records.items()),
        "",
        f"{'step':<32} {'seconds':>9} {'files/s':>10} {'MB/s':>8} {'x bare parse':>13} "
        f"{'CPU s':>8} {'CPU x':>6}  note",
        "-" * 115,
    ]
    for figure in run.figures.values():
        if figure.seconds is None:
            lines.append(
                f"{figure.name:<32} {'-':>9} {'-':>10} {'-':>8} {'-':>13} {'-':>8} {'-':>6}  "
                f"{figure.note}"
            )
            continue
        mark = "~" if figure.estimated else " "
        ratio = f"{figure.seconds / parse:.2f}" if parse else "-"
        parse_cpu = run.figures["parse"].cpu
        cpu = "-" if figure.cpu is None or figure.estimated else f"{figure.cpu:.3f}"
        cpu_ratio = (
            f"{figure.cpu / parse_cpu:.2f}"
            if figure.cpu is not None and parse_cpu and not figure.estimated
            else "-"
        )
        lines.append(
            f"{figure.name:<32} {mark}{figure.seconds:>8.3f} "
            f"{figure.per_second(run.files) or 0:>10,.0f} {figure.per_second(mb) or 0:>8.1f} "
            f"{ratio:>13} {cpu:>8} {cpu_ratio:>6}  {figure.note}"
        )
    goals = ratios(run)
    which = "check" if "check" in run.figures else "load_repository"
    lines.append("")
    over = goals["check_over_bare_parse"]
    if over is not None:
        verdict = "ok" if over <= GOAL_CHECK_OVER_PARSE else "MISSED"
        lines.append(
            f"{which} / bare parse:            {over:6.2f}x   "
            f"(goal <= {GOAL_CHECK_OVER_PARSE:g}x: {verdict})"
        )
    for key, label in (
        ("command_cold_over_bare_parse", "command, cold"),
        ("command_warm_over_bare_parse", "command, warm"),
        ("cpu_check_over_bare_parse", "CPU: check"),
        ("cpu_command_cold_over_bare_parse", "CPU: command, cold"),
        ("cpu_command_warm_over_bare_parse", "CPU: command, warm"),
    ):
        value = goals[key]
        if value is not None:
            verdict = "ok" if value <= GOAL_CHECK_OVER_PARSE else "MISSED"
            lines.append(
                f"{label + ' / bare parse:':<33}{value:6.2f}x   "
                f"(goal <= {GOAL_CHECK_OVER_PARSE:g}x: {verdict})"
            )
    for key, label in (
        ("floor_over_bare_parse", "floor (start + parse + schema)"),
        ("cpu_floor_over_bare_parse", "CPU: floor"),
    ):
        value = goals[key]
        if value is not None:
            lines.append(
                f"{label + ' / bare parse:':<33}{value:6.2f}x   "
                "(the least a cold check that validates every record costs on one core)"
            )
    speed = goals["ruamel_round_trip_over_check"]
    if speed is not None:
        verdict = "ok" if speed > GOAL_RUAMEL_OVER_CHECK else "MISSED"
        lines.append(
            f"ruamel round-trip / {which}:     {speed:6.1f}x   "
            f"(goal > {GOAL_RUAMEL_OVER_CHECK:g}x: {verdict})"
        )
    memory = run.memory
    if memory:
        lines.append("")
        lines.append("memory:")
        labels = {
            "check_peak_rss_mb": "in-process check, peak RSS of a fresh process (MB)",
            "rss_after_imports_mb": "  of which: RSS after imports, before loading (MB)",
            "import_seconds": "  import time of the package (s)",
            "check_tracemalloc_peak_mb": "in-process check, tracemalloc peak (MB)",
            "check_tracemalloc_kept_mb": "  still held by the returned result (MB)",
            "cli_peak_rss_mb": "CLI subprocess, peak RSS (MB)",
        }
        for key, label in labels.items():
            if memory.get(key) is not None:
                lines.append(f"  {label:<56} {memory[key]:8.2f}")
    diags = run.diagnostics
    lines.append("")
    lines.append(
        f"diagnostics: {diags.get('errors', 0)} errors, {diags.get('warnings', 0)} warnings, "
        f"{diags.get('infos', 0)} infos  {diags.get('by_code') or ''}"
    )
    lines.extend(f"note: {note}" for note in run.notes)
    return "\n".join(lines)


def to_json(run: Run) -> dict[str, Any]:
    """The figures as JSON."""
    mb = run.size / 1e6
    parse = run.figures["parse"].seconds
    return {
        "files": run.files,
        "bytes": run.size,
        "generated": run.generated,
        "records": run.records,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "figures": {
            key: {
                "name": f.name,
                "seconds": f.seconds,
                "files_per_second": f.per_second(run.files),
                "mb_per_second": f.per_second(mb),
                "ratio_to_bare_parse": f.seconds / parse if f.seconds and parse else None,
                "cpu_seconds": f.cpu,
                "estimated": f.estimated,
                "note": f.note,
            }
            for key, f in run.figures.items()
        },
        "ratios": ratios(run),
        "goals": {
            "check_over_bare_parse_at_most": GOAL_CHECK_OVER_PARSE,
            "ruamel_round_trip_over_check_above": GOAL_RUAMEL_OVER_CHECK,
        },
        "memory": run.memory,
        "diagnostics": run.diagnostics,
        "notes": run.notes,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--repo", type=Path, metavar="DIR", help="measure DIR, generate nothing")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (best is kept)")
    parser.add_argument("--ruamel-sample", type=int, default=300, metavar="N")
    parser.add_argument("--allow-errors", action="store_true", help="measure despite errors")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations of the check"
    )
    args = parser.parse_args(argv)

    extra_path = package_path()
    # check's result cache: a folder of this run's own (warm figures), never the user's.
    cache = tempfile.TemporaryDirectory(prefix="solidarity-bench-cache-")
    os.environ["SOLIDARITY_CACHE_DIR"] = cache.name
    with tempfile.TemporaryDirectory(prefix="solidarity-bench-") as scratch:
        generated: dict[str, Any] = {}
        if args.repo is not None:
            root = args.repo.resolve()
        else:
            root = (args.keep or Path(scratch) / "repo").resolve()
            print(f"generating {args.communities} communities x {args.donors} donors ...")
            try:
                written = generate.generate(root, args.communities, args.donors, args.seed)
            except FileExistsError as exc:
                print(f"bench_check: {exc}", file=sys.stderr)
                return 2
            generated = {
                "communities": args.communities,
                "donors": args.donors,
                "seed": args.seed,
                "seconds": written.seconds,
            }
            mb = written.bytes / 1e6
            print(f"  {written.files:,} files, {mb:.1f} MB in {written.seconds:.1f} s")
        paths = list(yaml_files(root))
        size = sum(Path(p).stat().st_size for p in paths)
        run = Run(root, len(paths), size, generated=generated)
        code = measure(root, args, run, extra_path)
        if code:
            return code
        print(report(run))
        if args.json is not None:
            args.json.write_text(json.dumps(to_json(run), indent=2) + "\n", encoding="utf-8")
            print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
