"""Whole needs (expertise, training, volunteering, twinning) assigned to donors' days.

Each need goes whole to at most one donor's capacity of a kind of support, and the days assigned
to a capacity stay within it: a generalised assignment problem, maximising Σ weight.

1. Its linear relaxation is a transportation problem (a need sends its days to capacities, at
   weight / days per day), solved exactly by OR-Tools' min-cost flow. Its value is a proven
   upper bound. When every need asks the same number of days, the relaxation has an integral
   optimum (the problem is then a bipartite b-matching) and the flow *is* the proven optimum.
2. Otherwise the relaxed solution is rounded: needs the flow sent whole to one capacity keep it,
   the few it split are placed by falling weight where they still fit. When that meets the
   bound, it is optimal.
3. Where a gap remains, CP-SAT searches each independent part of moderate size from that
   solution, within a budget of deterministic time (the same data stops at the same point on
   any machine); the best solution is kept with the tighter of the two bounds, and the
   proven gap is reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from solidarity_cli.matching.solver import WEIGHT_SCALE, Arc, Solution, objective, transport

SEARCH_MAX_ARCS = 5_000
"""Parts larger than this keep the rounded solution: measured at 2,000 communities, CP-SAT
spent 3 s on a part of 11,000 pairs to gain 0.1 % and could not prove a better bound."""
MAX_SCALE = 1_000_000
"""Largest multiplier that makes per-day costs integers; beyond it the bound allows for rounding."""


def greedy_whole(sizes: Sequence[int], capacities: Sequence[int], arcs: Sequence[Arc]) -> Solution:
    """Baseline: pairs by falling weight, each need to the first capacity it fits in."""
    flows = _complete(sizes, capacities, arcs, {})
    value = objective(arcs, flows)
    return Solution(flows, value, "heuristic", value)


def solve_whole(
    sizes: Sequence[int],
    capacities: Sequence[int],
    arcs: Sequence[Arc],
    time_limit: float,
) -> Solution:
    """Assign each need whole to at most one capacity; Σ sizes within each capacity.

    ``Arc.donor`` indexes ``capacities`` (a donor's days of one kind of support).
    ``time_limit`` is CP-SAT's deterministic time, shared among the parts it has to search.
    """
    usable = [i for i, a in enumerate(arcs) if sizes[a.need] <= capacities[a.donor]]
    if not usable:
        return Solution({}, 0.0, "optimal", 0.0)
    local = [arcs[i] for i in usable]
    weights = np.fromiter(
        (round(a.weight * WEIGHT_SCALE) for a in local), dtype=np.int64, count=len(local)
    )
    rounded, bound = _relaxation(sizes, capacities, local, weights)
    start = _complete(sizes, capacities, local, rounded)
    solution = _finish(sizes, capacities, local, weights, start, bound, time_limit)
    flows = {usable[i]: 1 for i in solution.flows}
    value = objective(arcs, flows)
    return Solution(flows, value, solution.status, max(value, solution.bound))


def _relaxation(
    sizes: Sequence[int], capacities: Sequence[int], arcs: Sequence[Arc], weights: np.ndarray
) -> tuple[dict[int, int], float]:
    """Arcs the relaxed optimum uses whole, and its value (a proven bound, in weight units)."""
    need_ids = sorted({a.need for a in arcs})
    position = {n: k for k, n in enumerate(need_ids)}
    days = np.asarray([sizes[n] for n in need_ids], dtype=np.int64)
    distinct = set(days.tolist())
    unit = len(distinct) == 1
    if unit:
        # Same size everywhere: count needs, not days; a capacity holds ⌊days / size⌋ of them.
        size = distinct.pop()
        need_supply = np.ones(len(need_ids), dtype=np.int64)
        cap_supply = np.asarray(capacities, dtype=np.int64) // size
        scale, exact = 1, True
    else:
        need_supply = days
        cap_supply = np.asarray(capacities, dtype=np.int64)
        lcm = math.lcm(*distinct)
        scale, exact = (lcm, True) if lcm <= MAX_SCALE else (MAX_SCALE, False)
    need_of_arc = np.fromiter((position[a.need] for a in arcs), dtype=np.int64, count=len(arcs))
    cap_of_arc = np.fromiter((a.donor for a in arcs), dtype=np.int64, count=len(arcs))
    arc_days = need_supply[need_of_arc]
    costs = -np.rint(weights * scale / days[need_of_arc]).astype(np.int64) if not unit else -weights
    amounts, cost = transport(need_supply, cap_supply, need_of_arc, cap_of_arc, arc_days, costs)
    total = int(need_supply.sum())
    bound = -cost / scale
    if not exact:
        # Each day's cost was rounded by at most half a unit of 1 / scale.
        bound += 0.5 * total / scale
    whole = np.nonzero(amounts == arc_days)[0]
    return {int(i): 1 for i in whole}, bound / WEIGHT_SCALE


def _complete(
    sizes: Sequence[int], capacities: Sequence[int], arcs: Sequence[Arc], chosen: dict[int, int]
) -> dict[int, int]:
    """Keep ``chosen``, then place the other needs by falling weight where they still fit."""
    left = list(capacities)
    served = set()
    for i in chosen:
        left[arcs[i].donor] -= sizes[arcs[i].need]
        served.add(arcs[i].need)
    flows = dict(chosen)
    rest = [i for i, a in enumerate(arcs) if a.need not in served]
    for i in sorted(rest, key=lambda k: (-arcs[k].weight, k)):
        arc = arcs[i]
        if arc.need not in served and sizes[arc.need] <= left[arc.donor]:
            flows[i] = 1
            served.add(arc.need)
            left[arc.donor] -= sizes[arc.need]
    return flows


def _finish(
    sizes: Sequence[int],
    capacities: Sequence[int],
    arcs: Sequence[Arc],
    weights: np.ndarray,
    start: dict[int, int],
    bound: float,
    time_limit: float,
) -> Solution:
    """The rounded solution if it meets the bound; otherwise CP-SAT on the parts with a gap."""
    value = objective(arcs, start)
    greedy = greedy_whole(sizes, capacities, arcs)
    if greedy.objective > value:
        start, value = greedy.flows, greedy.objective
    if _meets(value, bound):
        return Solution(start, value, "optimal", value)
    flows: dict[int, int] = {}
    optimal = True
    found_bound = 0.0
    parts = _components(arcs)
    searched = sum(len(members) for members in parts if 1 < len(members) <= SEARCH_MAX_ARCS)
    for members in parts:
        part = [arcs[i] for i in members]
        hint = {k: 1 for k, i in enumerate(members) if i in start}
        if len(members) == 1:
            result = Solution(hint, objective(part, hint), "optimal", objective(part, hint))
        elif len(members) > SEARCH_MAX_ARCS:
            result = Solution(hint, objective(part, hint), "feasible", math.inf)
        else:
            share = max(time_limit * len(members) / searched, 0.01)
            result = _search(sizes, capacities, part, weights[members], hint, share)
        flows.update({members[k]: 1 for k in result.flows})
        found_bound += result.bound
        optimal = optimal and result.status == "optimal"
    value = objective(arcs, flows)
    best_bound = max(value, min(bound, found_bound))
    status = "optimal" if optimal or _meets(value, best_bound) else "feasible"
    return Solution(flows, value, status, best_bound)


def _meets(value: float, bound: float) -> bool:
    """Whether a value reaches a bound, up to the rounding of summed weights."""
    return value >= bound - 1e-9 * max(1.0, abs(bound))


def _components(arcs: Sequence[Arc]) -> list[list[int]]:
    """Arc indexes grouped by connected needs and capacities: independent parts, each in arc
    order, ordered by their first arc."""
    if not arcs:
        return []
    needs = [a.need for a in arcs]
    # Needs and capacities share one numbering: capacity c is node ``offset + c``.
    offset = max(needs) + 1
    ends = [offset + a.donor for a in arcs]
    parent = list(range(max(ends) + 1))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n, c in zip(needs, ends, strict=True):
        a, b = find(n), find(c)
        if a != b:
            parent[max(a, b)] = min(a, b)
    roots = np.fromiter((find(n) for n in needs), dtype=np.int64, count=len(needs))
    order = np.argsort(roots, kind="stable")
    cuts = np.nonzero(np.diff(roots[order]))[0] + 1
    return sorted((g.tolist() for g in np.split(order, cuts)), key=lambda g: g[0])


def _search(
    sizes: Sequence[int],
    capacities: Sequence[int],
    arcs: Sequence[Arc],
    weights: np.ndarray,
    hint: dict[int, int],
    time_limit: float,
) -> Solution:
    """CP-SAT on one part, from ``hint``; never returns less than the hint.

    The model is written straight into CP-SAT's own model message: ``cp_model``, the usual
    front end, imports pandas, which costs more (0.3 s) than most searches here.
    """
    from ortools.sat.python import cp_model_helper as cmh

    start_value = objective(arcs, hint)
    model = cmh.CpModelProto()
    for _ in arcs:
        model.variables.add().domain.extend([0, 1])
    by_need: dict[int, list[int]] = {}
    by_capacity: dict[int, list[int]] = {}
    for i, arc in enumerate(arcs):
        by_need.setdefault(arc.need, []).append(i)
        by_capacity.setdefault(arc.donor, []).append(i)
    for members in by_need.values():
        model.constraints.add().at_most_one.literals.extend(members)
    for capacity, members in by_capacity.items():
        load = model.constraints.add().linear
        load.vars.extend(members)
        load.coeffs.extend(sizes[arcs[i].need] for i in members)
        load.domain.extend([0, capacities[capacity]])
    # CP-SAT minimises: maximise Σ weight as minimise -Σ weight, reported back with sign -1.
    model.objective.vars.extend(range(len(arcs)))
    model.objective.coeffs.extend(-int(w) for w in weights)
    model.objective.scaling_factor = -1
    model.solution_hint.vars.extend(range(len(arcs)))
    model.solution_hint.values.extend(int(i in hint) for i in range(len(arcs)))
    parameters = cmh.SatParameters()
    # Deterministic time, not wall time: the same data stops at the same point on any machine.
    parameters.max_deterministic_time = time_limit
    parameters.num_workers = 1
    parameters.random_seed = 0
    solver = cmh.SolveWrapper()
    solver.set_parameters(parameters)
    # The stub leaves solve() untyped; it returns the response message.
    response: cmh.CpSolverResponse = solver.solve(model)  # type: ignore[no-untyped-call]
    status = response.status
    if status not in (cmh.CpSolverStatus.OPTIMAL, cmh.CpSolverStatus.FEASIBLE):
        # Stopped before its first solution: its bound means nothing yet.
        return Solution(hint, start_value, "feasible", math.inf)
    cp_bound = response.best_objective_bound / WEIGHT_SCALE
    found = {i: 1 for i, v in enumerate(response.solution) if v}
    value = objective(arcs, found)
    if value < start_value:
        found, value = hint, start_value
    label = "optimal" if status == cmh.CpSolverStatus.OPTIMAL else "feasible"
    return Solution(found, value, label, max(value, cp_bound))
