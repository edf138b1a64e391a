"""The money solver against independent solves on small instances."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solidarity_cli.matching import solver
from solidarity_cli.matching.solver import Arc, greedy_money, objective, solve_money


@st.composite
def transport(draw: st.DrawFn) -> tuple[list[int], list[int], list[Arc]]:
    """Small transportation problems: needs, donors, and arcs with weights and bounds."""
    n_needs = draw(st.integers(1, 3))
    n_donors = draw(st.integers(1, 3))
    needs = [draw(st.integers(0, 4)) for _ in range(n_needs)]
    donors = [draw(st.integers(0, 4)) for _ in range(n_donors)]
    arcs = []
    for i, j in itertools.product(range(n_needs), range(n_donors)):
        if draw(st.booleans()):
            weight = draw(st.integers(1, 100)) / 100
            arcs.append(Arc(i, j, weight, draw(st.integers(0, 4))))
    return needs, donors, arcs


def brute_force(needs: list[int], donors: list[int], arcs: list[Arc]) -> float:
    """Best objective over every integer amount on every arc (integral optimum exists)."""
    best = 0.0
    ranges = [range(min(a.bound, needs[a.need], donors[a.donor]) + 1) for a in arcs]
    for amounts in itertools.product(*ranges):
        used_n = [0] * len(needs)
        used_d = [0] * len(donors)
        for arc, x in zip(arcs, amounts, strict=True):
            used_n[arc.need] += x
            used_d[arc.donor] += x
        if all(u <= c for u, c in zip(used_n, needs, strict=True)) and all(
            u <= c for u, c in zip(used_d, donors, strict=True)
        ):
            best = max(best, sum(a.weight * x for a, x in zip(arcs, amounts, strict=True)))
    return best


def feasible(needs: list[int], donors: list[int], arcs: list[Arc], flows: dict[int, int]) -> bool:
    used_n = [0] * len(needs)
    used_d = [0] * len(donors)
    for i, x in flows.items():
        if not 0 <= x <= arcs[i].bound:
            return False
        used_n[arcs[i].need] += x
        used_d[arcs[i].donor] += x
    return all(u <= c for u, c in zip(used_n, needs, strict=True)) and all(
        u <= c for u, c in zip(used_d, donors, strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(transport())
def test_min_cost_flow_is_optimal(problem: tuple[list[int], list[int], list[Arc]]) -> None:
    needs, donors, arcs = problem
    solution = solve_money(needs, donors, arcs)
    assert feasible(needs, donors, arcs, solution.flows)
    assert abs(solution.objective - brute_force(needs, donors, arcs)) < 1e-9
    assert solution.objective == objective(arcs, solution.flows)


@settings(max_examples=150, deadline=None)
@given(transport())
def test_greedy_is_feasible_and_never_better(
    problem: tuple[list[int], list[int], list[Arc]],
) -> None:
    needs, donors, arcs = problem
    greedy = greedy_money(needs, donors, arcs)
    assert feasible(needs, donors, arcs, greedy.flows)
    assert greedy.objective <= solve_money(needs, donors, arcs).objective + 1e-9


def test_greedy_can_be_beaten() -> None:
    # One donor with 1 unit: greedy gives it to the heavier pair of need 0, which a second,
    # lighter donor could have covered; the optimum keeps both needs served.
    needs, donors = [1, 1], [1, 1]
    arcs = [Arc(0, 0, 0.9, 1), Arc(1, 0, 0.8, 1), Arc(0, 1, 0.7, 1)]
    assert greedy_money(needs, donors, arcs).objective < solve_money(needs, donors, arcs).objective


@settings(max_examples=100, deadline=None)
@given(transport(), st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_minimums_are_respected_and_bounded(
    problem: tuple[list[int], list[int], list[Arc]], floors: list[int]
) -> None:
    needs, donors, arcs = problem
    minimums = floors[: len(donors)]
    solution = solve_money(needs, donors, arcs, minimums)
    assert feasible(needs, donors, arcs, solution.flows)
    assert all(amount >= minimums[arcs[i].donor] for i, amount in solution.flows.items())
    relaxed = solve_money(needs, donors, arcs).objective
    assert solution.objective <= relaxed + 1e-9
    assert solution.bound >= solution.objective - 1e-9


def brute_force_with_minimums(
    needs: list[int], donors: list[int], arcs: list[Arc], minimums: list[int]
) -> float:
    """Best objective when each amount is zero or at least its donor's minimum."""
    best = 0.0
    ranges = [
        [
            x
            for x in range(min(a.bound, needs[a.need], donors[a.donor]) + 1)
            if x == 0 or x >= minimums[a.donor]
        ]
        for a in arcs
    ]
    for amounts in itertools.product(*ranges):
        flows = {i: x for i, x in enumerate(amounts) if x}
        if feasible(needs, donors, arcs, flows):
            best = max(best, objective(arcs, flows))
    return best


@settings(max_examples=100, deadline=None)
@given(transport(), st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_minimums_stay_between_the_optimum_and_the_bound(
    problem: tuple[list[int], list[int], list[Arc]], floors: list[int]
) -> None:
    needs, donors, arcs = problem
    minimums = floors[: len(donors)]
    solution = solve_money(needs, donors, arcs, minimums)
    best = brute_force_with_minimums(needs, donors, arcs, minimums)
    assert solution.objective <= best + 1e-9
    assert solution.bound >= best - 1e-9
    if solution.status == "optimal":
        assert abs(solution.objective - best) < 1e-9


@st.composite
def wider(draw: st.DrawFn) -> tuple[list[int], list[int], list[Arc], list[int]]:
    """Transportation problems with more arcs than one block, and minimums per donor."""
    n_needs, n_donors = draw(st.integers(1, 12)), draw(st.integers(1, 6))
    needs = [draw(st.integers(0, 9)) for _ in range(n_needs)]
    donors = [draw(st.integers(0, 15)) for _ in range(n_donors)]
    minimums = [draw(st.integers(0, 4)) for _ in range(n_donors)]
    arcs = [
        Arc(i, j, draw(st.integers(1, 5)) / 5, draw(st.integers(0, 9)))
        for i, j in itertools.product(range(n_needs), range(n_donors))
        if draw(st.booleans())
    ]
    return needs, donors, arcs, minimums


def one_by_one(
    needs: list[int], donors: list[int], arcs: list[Arc], minimums: list[int]
) -> dict[int, int]:
    """The greedy pass written plainly: arcs by falling weight (ties by index), one at a time."""
    left_n, left_d = list(needs), list(donors)
    flows = {}
    for i in sorted(range(len(arcs)), key=lambda k: (-arcs[k].weight, k)):
        arc = arcs[i]
        amount = min(arc.bound, left_n[arc.need], left_d[arc.donor])
        if amount > 0 and amount >= minimums[arc.donor]:
            flows[i] = amount
            left_n[arc.need] -= amount
            left_d[arc.donor] -= amount
    return flows


@settings(max_examples=200, deadline=None)
@given(wider())
def test_greedy_in_blocks_equals_one_arc_at_a_time(
    problem: tuple[list[int], list[int], list[Arc], list[int]],
) -> None:
    needs, donors, arcs, minimums = problem
    expected = one_by_one(needs, donors, arcs, minimums)
    with pytest.MonkeyPatch.context() as patch:
        # Blocks of three arcs: most problems here span several blocks.
        patch.setattr(solver, "FILL_BLOCK", 3)
        assert greedy_money(needs, donors, arcs, minimums).flows == expected
    assert greedy_money(needs, donors, arcs, minimums).flows == expected
