"""The money allocation against an independent solve of the problem ``--candidates`` prints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from solidarity_cli.matching import engine
from solidarity_cli.matching.engine import match
from solidarity_cli.matching.solver import Arcs
from solidarity_cli.matching.steps import StepScale, limits, settle, trim, usable
from solidarity_cli.reading import load_repository
from tests.conftest import generator

AS_OF = dt.date(2026, 11, 21)


def independent_optimum(problem: dict[str, Any]) -> float:
    """CP-SAT through its usual front end, on the whole model, to proven optimality."""
    best, _, optimal = independent_solve(problem, 120)
    assert optimal
    return best


def independent_solve(problem: dict[str, Any], seconds: float) -> tuple[float, float, bool]:
    """CP-SAT through its usual front end, on the whole model: the best allocation's value,
    the proven bound and whether they meet, within ``seconds``."""
    from ortools.sat.python import cp_model

    needs = {n["need"]: n for n in problem["needs"]}
    donors = {d["donor"]: d["cents"] for d in problem["donors"]}
    model = cp_model.CpModel()
    by_need: dict[str, list[Any]] = {}
    by_donor: dict[str, list[Any]] = {}
    terms = []
    for i, pair in enumerate(problem["pairs"]):
        need = needs[pair["need"]]
        most = min(pair["most"], need["steps"])
        k = model.new_int_var(0, max(most, 0), f"k{i}")
        used = model.new_bool_var(f"y{i}")
        model.add(k >= pair["least"] * used)
        model.add(k <= most * used)
        cents = model.new_int_var(0, 10**12, f"c{i}")
        model.add(need["num"] * cents >= need["den"] * k)
        by_need.setdefault(pair["need"], []).append(k)
        by_donor.setdefault(pair["donor"], []).append(cents)
        terms.append((k, pair["weight"] * need["den"] / need["num"]))
    for ref, ks in by_need.items():
        model.add(sum(ks) <= needs[ref]["steps"])
    for did, cs in by_donor.items():
        model.add(sum(cs) <= donors[did])
    model.maximize(sum(k * round(v * 10**8) for k, v in terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    best = sum(solver.value(k) * v for k, v in terms) / 100
    bound = solver.best_objective_bound / 10**8 / 100
    return best, bound, status == cp_model.OPTIMAL


def _generated(tmp_path: Path, seed: int) -> Path:
    return generator().generate(tmp_path / f"n{seed}", 40, 20, seed=seed).root


@pytest.mark.parametrize("seed", [1, 2, 4, 5])
def test_proposed_money_equals_an_independent_optimum(tmp_path: Path, seed: int) -> None:
    dataset = load_repository(_generated(tmp_path, seed)).dataset
    result = match(dataset, AS_OF, candidates=True)
    assert result.candidates is not None
    problem = result.candidates["money"]["steps"]
    assert problem["pairs"] and any(p["least"] > 1 for p in problem["pairs"])
    optimum = independent_optimum(problem)
    proposed = result.objective["money"]["value"]
    assert result.objective["money"]["status"] == "optimal"
    assert abs(proposed - optimum) <= 1e-6 * optimum + 1e-4


@pytest.mark.parametrize("seed", [1, 3, 24])
def test_search_next_to_the_relaxation_finds_the_independent_optimum(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path large networks take (GLOP's bound, SCIP next to its optimum), forced on
    small ones: the allocation is as good as an independent solve's (equal where that is
    proven optimal) and the bound is above it. On seed 24 the rounded flow alone is 0.33 %
    short."""
    dataset = load_repository(_generated(tmp_path, seed)).dataset
    problem = engine.build_problem(dataset, AS_OF, keep_verdicts_for=set())
    monkeypatch.setattr(engine, "MOST_ARCS", 0)
    _, solution = engine._solve_money(problem, greedy=False)
    assert solution.solver.startswith("GLOP relaxation (bound), then SCIP")
    result = match(dataset, AS_OF, candidates=True)
    assert result.candidates is not None
    best, _, optimal = independent_solve(result.candidates["money"]["steps"], 60)
    assert solution.objective / 100 >= best * (1 - 1e-6)
    assert solution.bound / 100 >= best * (1 - 1e-12)
    if optimal:
        assert abs(solution.objective / 100 - best) <= 1e-6 * best


@pytest.mark.parametrize("seed", [1, 3])
def test_whole_steps_make_the_relaxation_bound_tight(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the path large networks take, the donors' rows for whole steps prove the optimum:
    the bound is within 1e-6 of an independent solve's optimum (from the cents alone it was
    8.1e-4 above it on seed 1 and 1.2e-4 on seed 3)."""
    dataset = load_repository(_generated(tmp_path, seed)).dataset
    problem = engine.build_problem(dataset, AS_OF, keep_verdicts_for=set())
    monkeypatch.setattr(engine, "MOST_ARCS", 0)
    _, solution = engine._solve_money(problem, greedy=False)
    result = match(dataset, AS_OF, candidates=True)
    assert result.candidates is not None
    optimum = independent_optimum(result.candidates["money"]["steps"])
    assert optimum <= solution.bound / 100 <= optimum * (1 + 1e-6)
    assert solution.status == "optimal"


def test_arcs_whose_minimum_is_out_of_reach_carry_nothing() -> None:
    """An arc is dropped when its donor's minimum needs more steps than the arc or its need
    allow, or more cents than its donor has; the others keep their bound within the need."""
    arcs = Arcs(
        np.array([0, 0, 1, 1], dtype=np.int64),
        np.array([0, 1, 0, 1], dtype=np.int64),
        np.array([0.5, 0.5, 0.5, 0.5]),
        np.array([10_000, 10_000, 10_000, 200], dtype=np.int64),
    )
    scale = StepScale.of([Decimal(1), Decimal(1)], [Decimal(1), Decimal(1)])  # 100 cents a step
    # need 0: 30 steps, need 1: 1,000; donor 0: 250 cents, minimum 2 steps (200 cents);
    # donor 1: minimum 3 steps (300 cents), more than arc 3 carries.
    limit = limits([3_000, 100_000], [250, 50_000], arcs, [200, 300], scale)
    assert usable(arcs, scale, limit).tolist() == [30, 30, 100, 0]
    poorer = limits([3_000, 100_000], [150, 50_000], arcs, [200, 300], scale)
    assert usable(arcs, scale, poorer).tolist() == [0, 30, 0, 0]


def test_trim_takes_rounding_cents_from_the_arc_with_room_above_its_minimum() -> None:
    """Steps solved with exact fractions of a cent overdraw a donor by the cents rounding up
    adds; ``trim`` takes a step from the arc with room, so the arc at its minimum stays."""
    arcs = Arcs(
        np.array([0, 1], dtype=np.int64),
        np.array([0, 0], dtype=np.int64),
        np.array([0.5, 0.9]),
        np.array([100_000, 100_000], dtype=np.int64),
    )
    # 100 CVE a step at 110.265 CVE a euro: 90.69 cents a step; 3 + 10 steps are 1,178.98
    # cents, but 273 + 907 = 1,180 whole cents. Need 1 takes 10 steps at most.
    scale = StepScale.of([Decimal(100)] * 2, [Decimal("110.265")] * 2)
    limit = limits([100_000, 907], [1_179], arcs, [250], scale)
    wanted = np.array([3, 10], dtype=np.int64)
    assert settle(arcs, scale, limit, wanted) == {1: 10}
    assert trim(arcs, scale, limit, wanted).tolist() == [3, 9]
    assert settle(arcs, scale, limit, trim(arcs, scale, limit, wanted)) == {0: 3, 1: 9}


def test_trim_takes_rounding_cents_from_the_arc_worth_least() -> None:
    """Two arcs with room above the minimum: the step ``trim`` takes is the lighter arc's,
    even where the heavier one has more room (it took the heavier one's before)."""
    arcs = Arcs(
        np.array([0, 1], dtype=np.int64),
        np.array([0, 0], dtype=np.int64),
        np.array([0.9, 0.2]),
        np.array([100_000, 100_000], dtype=np.int64),
    )
    # 90.69 cents a step: 20 + 5 steps are 2,267.27 cents; 1,814 + 454 = 2,268 whole cents.
    scale = StepScale.of([Decimal(100)] * 2, [Decimal("110.265")] * 2)
    limit = limits([100_000, 100_000], [2_267], arcs, [100], scale)
    wanted = np.array([20, 5], dtype=np.int64)
    assert trim(arcs, scale, limit, wanted).tolist() == [20, 4]
