"""A proven bound for the money allocation, and a better allocation found next to it.

The whole-step problem without its minimums, with steps allowed to be fractional, is a linear
program (a transportation problem whose needs count steps). Its donors' rows are those whole
steps imply (``cuts``: per donor, the faces of the hull of the whole steps its cents allow,
tighter than the cents themselves). Its optimum, from GLOP, gives a dual price ``y_r`` per
row ``Σ a_ri x steps_i <= b_r``; for any prices the Lagrangian bound

    Σ y_r x b_r + Σ max(0, d_i) x most_i,    d_i = value per step_i - Σ y_r x a_ri

is at least the value of every allocation, with or without minimums, so the bound holds
whatever the precision of the prices (it is computed in floating point, from the rows' exact
coefficients, with a margin far above its rounding errors). The same prices give each arc
its reduced cost ``d_i``: an allocation that uses arc ``i`` (at least its least amount
``m_i``) is worth at most ``bound - max(0, -d_i) x m_i``.

The allocation: SCIP solves the problem with its minimums exactly on the arcs the relaxation
uses, the arcs of the current allocation and the arcs whose reduced cost costs least
(amounts continuous, minimums as on/off switches); the result is brought to whole steps by
``steps.trim`` and ``steps.settle``. Arcs left out can only matter to allocations worth less
than the bound minus their cost, which gives the proven bound of the whole problem: the
sub-problem's optimum, or that, whichever is higher.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.cuts import Row, donor_rows
from solidarity_cli.matching.solver import Arcs

MARGIN = 1e-9
"""Relative margin added to bounds computed in floating point (their errors are ~1e-13)."""
EXTRA_ARCS = 200
"""Arcs the relaxation leaves at zero that the search may still use, cheapest first. At
2,000 communities (89,000 money pairs, seed 1), against the bound from donors' cents: none
6.1e-6 below it in 1.8 s, 100 3.9e-6 in 2.9 s, 200 3.1e-6 in 3.9 s, 500 3.0e-6 in 16 s."""
MOST_RELAXED_ARCS = 200_000
"""Above this many money pairs the relaxation is not solved (at 2,000 communities, 77,000
pairs that can carry money, GLOP takes 1.7 s of processor time with the rows for whole
steps, 0.5 s with donors' cents): the min-cost flow's bound stands."""
GAP = 1e-6
"""SCIP stops once its allocation is this close to the best on its arcs: at 2,000
communities 4 s, against 6.5 s for 1e-7 and over 60 s for 0, for 3e-7 more of the bound."""
MOST_SECONDS = 60.0
"""GLOP and SCIP stop here on any machine, however loaded (each takes 1-4 s at 2,000)."""


@dataclass(frozen=True)
class Relaxation:
    """The relaxation's optimum (steps per arc, fractional) and what its prices prove."""

    steps: npt.NDArray[np.float64]
    bound: float
    """At least the value (Σ weight x cents) of every allocation."""
    penalty: npt.NDArray[np.float64]
    """Per arc: how far below ``bound`` any allocation that uses it must be."""
    rows: list[Row]
    """The rows the bound was proven with: one per need, then each donor's."""
    prices: npt.NDArray[np.float64]
    """The dual price of each row (at least 0)."""
    reduced: npt.NDArray[np.float64]
    """Per arc: its value per step less the prices of its rows."""


def _rows(keys: npt.NDArray[np.signedinteger[Any]], count: int) -> list[npt.NDArray[np.int64]]:
    """The arcs of each need (or donor), in arc order."""
    order = np.argsort(keys, kind="stable")
    cuts = np.searchsorted(keys[order], np.arange(count + 1))
    return [order[cuts[j] : cuts[j + 1]] for j in range(count)]


def _plain(
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    arcs: Arcs,
    per_step: npt.NDArray[np.float64],
) -> list[Row]:
    """The problem's own rows: steps per need, cents per donor."""
    return [
        *(
            Row(rows, np.ones(rows.size), float(need_steps[j]))
            for j, rows in enumerate(_rows(arcs.need, need_steps.size))
        ),
        *(
            Row(rows, per_step[rows], float(donor_cents[j]))
            for j, rows in enumerate(_rows(arcs.donor, donor_cents.size))
        ),
    ]


def _tight(
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    arcs: Arcs,
    alive: npt.NDArray[np.bool_],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
) -> list[Row]:
    """Steps per need, and each donor's rows for whole steps (``cuts.donor_rows``), over the
    arcs that can carry anything."""
    live = np.nonzero(alive)[0]
    out = [
        Row(live[rows], np.ones(rows.size), float(need_steps[j]))
        for j, rows in enumerate(_rows(arcs.need[live], need_steps.size))
    ]
    for j, rows in enumerate(_rows(arcs.donor[live], donor_cents.size)):
        if rows.size:
            at = live[rows]
            out.extend(donor_rows(at, num[at], den[at], int(donor_cents[j])))
    return out


def _model(
    rows: list[Row],
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    per_step: npt.NDArray[np.float64],
    kind: int,
) -> object:
    """The relaxation as an OR-Tools model request (variables are the arcs' steps)."""
    from ortools.linear_solver import linear_solver_pb2 as lp

    request = lp.MPModelRequest()
    request.solver_type = kind
    model = request.model
    model.maximize = True
    values = (arcs.weight * per_step).tolist()
    for most, value in zip(top.astype(np.float64).tolist(), values, strict=True):
        var = model.variable.add()
        var.lower_bound = 0.0
        var.upper_bound = most
        var.objective_coefficient = value
    for row in rows:
        constraint = model.constraint.add()
        constraint.lower_bound = -math.inf
        constraint.upper_bound = row.upper
        constraint.var_index.extend(row.arcs.tolist())
        constraint.coefficient.extend(row.coeffs.tolist())
    return request


def _solve(request: object) -> object:
    from ortools.linear_solver import linear_solver_pb2 as lp
    from ortools.linear_solver import pywraplp

    response = lp.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    return response


def relax(
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    min_steps: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
) -> Relaxation | None:
    """The relaxation's optimum and its proven bound; ``None`` if GLOP finds none.

    ``num[i] / den[i]`` is the number of steps per cent of the base currency on arc ``i``;
    donors' rows are those whole steps imply (``cuts``), tighter than their cents. Should
    GLOP not solve that, the donors' cents rows are tried instead."""
    from ortools.linear_solver import linear_solver_pb2 as lp

    per_step = den / num
    for rows in (
        _tight(need_steps, donor_cents, arcs, top > 0, num, den),
        _plain(need_steps, donor_cents, arcs, per_step),
    ):
        request = _model(rows, arcs, top, per_step, lp.MPModelRequest.GLOP_LINEAR_PROGRAMMING)
        request.solver_time_limit_seconds = MOST_SECONDS  # type: ignore[attr-defined]
        response = _solve(request)
        if response.status == lp.MPSOLVER_OPTIMAL:  # type: ignore[attr-defined]
            break
    else:
        return None
    duals = np.maximum(np.asarray(response.dual_value, dtype=np.float64), 0.0)  # type: ignore[attr-defined]
    reduced = arcs.weight * per_step
    if rows:
        at = np.concatenate([row.arcs for row in rows])
        prices = np.concatenate([row.coeffs * duals[r] for r, row in enumerate(rows)])
        reduced = reduced - np.bincount(at, weights=prices, minlength=len(arcs))
    terms = [
        *(duals * np.asarray([row.upper for row in rows])).tolist(),
        *(np.maximum(reduced, 0.0) * top).tolist(),
    ]
    bound = math.fsum(terms)
    bound += MARGIN * math.fsum(abs(t) for t in terms)
    steps = np.asarray(response.variable_value, dtype=np.float64)  # type: ignore[attr-defined]
    penalty = np.maximum(-reduced, 0.0) * np.maximum(min_steps, 1)
    return Relaxation(steps, bound, penalty, rows, duals, reduced)


@dataclass(frozen=True)
class Found:
    """Steps per arc (continuous, to be settled) and the bound they prove."""

    steps: npt.NDArray[np.float64]
    bound: float


def around(
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    min_steps: npt.NDArray[np.int64],
    per_step: npt.NDArray[np.float64],
    relaxation: Relaxation,
    hint: npt.NDArray[np.int64],
    extra: int = EXTRA_ARCS,
) -> Found | None:
    """SCIP on the arcs next to the relaxation's optimum, with minimums exact; ``None`` if it
    proves nothing. ``hint`` (steps per arc, a feasible allocation) is kept within reach."""
    from ortools.linear_solver import linear_solver_pb2 as lp

    alive = top > 0
    near = alive & ((relaxation.steps > 1e-9) | (hint > 0))
    others = np.nonzero(alive & ~near)[0]
    others = others[np.argsort(relaxation.penalty[others], kind="stable")]
    chosen = np.sort(np.concatenate([np.nonzero(near)[0], others[:extra]]))
    left_out = others[extra:]
    sub = Arcs(arcs.need[chosen], arcs.donor[chosen], arcs.weight[chosen], arcs.bound[chosen])
    request = _model(
        _plain(need_steps, donor_cents, sub, per_step[chosen]),
        sub,
        top[chosen],
        per_step[chosen],
        lp.MPModelRequest.SCIP_MIXED_INTEGER_PROGRAMMING,
    )
    request.solver_time_limit_seconds = MOST_SECONDS  # type: ignore[attr-defined]
    request.solver_specific_parameters = f"limits/gap = {GAP}"  # type: ignore[attr-defined]
    model = request.model  # type: ignore[attr-defined]
    n = chosen.size
    switched = np.nonzero(min_steps[chosen] > 1)[0].tolist()
    least, most = min_steps[chosen].tolist(), top[chosen].tolist()
    for j, i in enumerate(switched):
        on = model.variable.add()
        on.lower_bound, on.upper_bound, on.is_integer = 0.0, 1.0, True
        low = model.constraint.add()  # steps - least x on >= 0
        low.lower_bound, low.upper_bound = 0.0, math.inf
        low.var_index.extend([i, n + j])
        low.coefficient.extend([1.0, -float(least[i])])
        high = model.constraint.add()  # steps - most x on <= 0
        high.lower_bound, high.upper_bound = -math.inf, 0.0
        high.var_index.extend([i, n + j])
        high.coefficient.extend([1.0, -float(most[i])])
    start = hint[chosen]
    model.solution_hint.var_index.extend(range(n + len(switched)))
    model.solution_hint.var_value.extend(
        [*start.astype(np.float64).tolist(), *(float(start[i] > 0) for i in switched)]
    )
    response = _solve(request)
    status = response.status  # type: ignore[attr-defined]
    if status not in (lp.MPSOLVER_OPTIMAL, lp.MPSOLVER_FEASIBLE):
        return None
    steps = np.zeros(len(arcs), dtype=np.float64)
    steps[chosen] = np.asarray(response.variable_value, dtype=np.float64)[:n]  # type: ignore[attr-defined]
    inside = float(response.best_objective_bound)  # type: ignore[attr-defined]
    if status != lp.MPSOLVER_OPTIMAL:
        inside = max(inside, float(response.objective_value))  # type: ignore[attr-defined]
    outside = relaxation.bound - float(relaxation.penalty[left_out].min()) if left_out.size else 0.0
    proven = min(relaxation.bound, max(inside * (1 + MARGIN), outside))
    return Found(steps, proven)
