"""Work ``match`` does in a second process: the whole needs while it solves the money, and
the split donors' bound while it searches for an allocation; the same results as when it
does that work itself."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

from solidarity_cli import beside as beside_module
from solidarity_cli.matching import engine
from solidarity_cli.reading import load_repository
from tests.conftest import generator

AS_OF = dt.date(2026, 11, 21)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Fills with whether each second process asked for was forked."""
    started: list[bool] = []
    start = beside_module._start

    def counted(work: Any) -> Any:
        pending = start(work)
        started.append(pending.forked)
        return pending

    monkeypatch.setattr(beside_module, "_start", counted)
    return started


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
@pytest.mark.parametrize("seed", [2, 4])
def test_whole_needs_solved_beside_give_the_same_match(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch, forked: list[bool]
) -> None:
    dataset = load_repository(generator().generate(tmp_path / "n", 40, 20, seed=seed).root).dataset
    monkeypatch.setattr(engine, "WHOLE_FORK_LIMIT", 0)
    here = engine.match(dataset, AS_OF).to_dict()
    assert forked == []
    monkeypatch.setattr(engine, "WHOLE_FORK_LIMIT", 1 << 40)
    beside = engine.match(dataset, AS_OF).to_dict()
    assert forked == [True]
    assert beside == here
    assert here["objective"]["whole"]["value"] > 0
    assert any(p["days"] for p in here["proposals"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
def test_the_split_donors_bound_proven_beside_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: list[bool]
) -> None:
    """The path large networks take, forced on a small one (seed 24: its relaxation splits a
    donor's minimum)."""
    dataset = load_repository(generator().generate(tmp_path / "n", 40, 20, seed=24).root).dataset
    problem = engine.build_problem(dataset, AS_OF, keep_verdicts_for=set())
    monkeypatch.setattr(engine, "MOST_ARCS", 0)
    monkeypatch.setattr(beside_module, "FORK_LIMIT", 0)
    here = engine._solve_money(problem, greedy=False)
    assert forked == []
    monkeypatch.setattr(beside_module, "FORK_LIMIT", 1 << 40)
    beside = engine._solve_money(problem, greedy=False)
    assert forked == [True]
    assert beside == here
    assert here[1].solver.startswith("GLOP relaxation (bound), then SCIP")
    assert here[1].bound >= here[1].objective > 0
