"""Whole-need assignment against brute force and against CP-SAT run on the whole model."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from solidarity_cli.matching.assignment import greedy_whole, solve_whole
from solidarity_cli.matching.solver import WEIGHT_SCALE, Arc


@st.composite
def assignment(draw: st.DrawFn) -> tuple[list[int], list[int], list[Arc]]:
    """Small generalised assignment problems: sizes, capacities, weighted arcs."""
    sizes = [draw(st.integers(1, 5)) for _ in range(draw(st.integers(1, 4)))]
    capacities = [draw(st.integers(0, 8)) for _ in range(draw(st.integers(1, 3)))]
    arcs = [
        Arc(i, j, draw(st.integers(1, 100)) / 100, 1)
        for i, j in itertools.product(range(len(sizes)), range(len(capacities)))
        if draw(st.booleans())
    ]
    return sizes, capacities, arcs


def feasible(
    sizes: list[int], capacities: list[int], arcs: list[Arc], flows: dict[int, int]
) -> bool:
    per_need: dict[int, int] = {}
    load = [0] * len(capacities)
    for i in flows:
        per_need[arcs[i].need] = per_need.get(arcs[i].need, 0) + 1
        load[arcs[i].donor] += sizes[arcs[i].need]
    fits = all(u <= c for u, c in zip(load, capacities, strict=True))
    return fits and all(n == 1 for n in per_need.values())


@settings(max_examples=150, deadline=None)
@given(assignment())
def test_small_assignments_are_optimal(problem: tuple[list[int], list[int], list[Arc]]) -> None:
    sizes, capacities, arcs = problem
    solution = solve_whole(sizes, capacities, arcs, time_limit=10)
    assert solution.status == "optimal"
    best = 0.0
    for choice in itertools.product([None, *range(len(arcs))], repeat=len(sizes)):
        picked = [c for c in choice if c is not None]
        if any(arcs[c].need != i for i, c in enumerate(choice) if c is not None):
            continue
        load = [0] * len(capacities)
        for c in picked:
            load[arcs[c].donor] += sizes[arcs[c].need]
        if all(u <= cap for u, cap in zip(load, capacities, strict=True)):
            best = max(best, sum(arcs[c].weight for c in picked))
    assert abs(solution.objective - best) < 1e-9
    assert feasible(sizes, capacities, arcs, solution.flows)


def cp_sat_optimum(sizes: list[int], capacities: list[int], arcs: list[Arc]) -> float:
    """The whole model in CP-SAT, solved to optimality: an independent reference."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(str(i)) for i in range(len(arcs))]
    for need in {a.need for a in arcs}:
        model.add(sum(x[i] for i, a in enumerate(arcs) if a.need == need) <= 1)
    for cap, size in enumerate(capacities):
        used = [(x[i], sizes[a.need]) for i, a in enumerate(arcs) if a.donor == cap]
        model.add(sum(v * s for v, s in used) <= size)
    model.maximize(sum(v * round(a.weight * WEIGHT_SCALE) for v, a in zip(x, arcs, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value / WEIGHT_SCALE


def generated(
    seed: int, n_needs: int, n_caps: int, days: tuple[int, int]
) -> tuple[list[int], list[int], list[Arc]]:
    rng = random.Random(seed)
    sizes = [rng.randint(*days) for _ in range(n_needs)]
    capacities = [rng.randint(0, days[1] * 6) for _ in range(n_caps)]
    arcs = [
        Arc(i, j, rng.randint(1, 10_000) / 10_000, 1)
        for i in range(n_needs)
        for j in rng.sample(range(n_caps), rng.randint(1, min(4, n_caps)))
    ]
    return sizes, capacities, arcs


@pytest.mark.parametrize("seed", range(8))
def test_same_sized_needs_are_solved_exactly_by_the_flow(seed: int) -> None:
    # All needs of one size: a b-matching, whose relaxation is integral.
    sizes, capacities, arcs = generated(seed, 120, 12, (3, 3))
    solution = solve_whole(sizes, capacities, arcs, time_limit=0.01)
    assert solution.status == "optimal"
    assert feasible(sizes, capacities, arcs, solution.flows)
    assert solution.objective == pytest.approx(cp_sat_optimum(sizes, capacities, arcs), abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_bound_is_never_below_the_optimum(seed: int) -> None:
    # Varied sizes and a tiny search budget: the result may be short of the optimum, but the
    # proven bound must hold and the value never falls below the greedy baseline.
    sizes, capacities, arcs = generated(seed, 80, 8, (1, 40))
    solution = solve_whole(sizes, capacities, arcs, time_limit=0.001)
    optimum = cp_sat_optimum(sizes, capacities, arcs)
    assert feasible(sizes, capacities, arcs, solution.flows)
    assert solution.objective <= optimum + 1e-9
    assert solution.bound >= optimum - 1e-9
    assert solution.objective >= greedy_whole(sizes, capacities, arcs).objective - 1e-9
    if solution.status == "optimal":
        assert solution.objective == pytest.approx(optimum, abs=1e-9)


def test_needs_larger_than_every_capacity_are_left_out() -> None:
    solution = solve_whole([5, 2], [3], [Arc(0, 0, 0.9, 1), Arc(1, 0, 0.1, 1)], time_limit=1)
    assert solution.flows == {1: 1}
    assert solution.status == "optimal"
