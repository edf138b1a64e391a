"""Measure ``solidarity new`` on a generated network, against the bare load it starts from.

    python benchmarks/bench_new.py [--communities 2000 --donors 1000] [--repeat 3] [--json FILE]

``new`` reads the whole repository (to refuse taken ids, offer did-you-means, find a strategy's
next priority and an agreement's last report), then writes one file. Reports, in the same run:
loading the repository (the baseline), ``check`` for scale, and ``new donor`` (a new file) and
``new need`` (a round trip of one strategy keeping its comments), each as a ratio to the load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from solidarity_cli.checking import check_repository
from solidarity_cli.reading import load_repository
from solidarity_cli.scaffolding.questions import questions
from solidarity_cli.scaffolding.records import build, write
from solidarity_cli.scaffolding.repository import open_repository


def _best(repeat: int, step: Callable[[int], object]) -> float:
    times = []
    for n in range(repeat):
        started = time.perf_counter()
        step(n)
        times.append(time.perf_counter() - started)
    return min(times)


def _new(root: Path, kind: str, given: dict[str, str]) -> None:
    repo = open_repository(root)
    answers: dict[str, str] = {}
    for question in questions(kind):
        if not question.needed(answers, repo):
            continue
        value = given.get(question.key) or question.default(answers, repo)
        if value is not None:
            answers[question.key] = question.accept(value, answers, repo)
    write(build(kind, repo, answers))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-new-"))
    try:
        root = work / "repo"
        generate.generate(root, args.communities, args.donors)
        dataset = load_repository(root, screen=False).dataset
        strategy = sorted(dataset.strategies)[0]
        dimension = dataset.strategies[strategy].needs[0].dimension
        figures = {
            "files": dataset.files,
            "load_s": _best(args.repeat, lambda n: load_repository(root, screen=False)),
            "check_s": _best(args.repeat, lambda n: check_repository(root)),
            "new_donor_s": _best(
                args.repeat,
                lambda n: _new(
                    root, "donor", {"name": f"Bench donor {n}", "type": "ngo", "country": "PT"}
                ),
            ),
            "new_need_s": _best(
                args.repeat,
                lambda n: _new(
                    root,
                    "need",
                    {"strategy": strategy, "title": f"Bench need {n}",
                     "dimension": dimension, "amount": "100"},
                ),
            ),
        }  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load = figures["load_s"]
    for key in ("check_s", "new_donor_s", "new_need_s"):
        figures[key.replace("_s", "_over_load")] = round(figures[key] / load, 2)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
