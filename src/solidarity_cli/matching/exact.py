"""The money allocation in whole steps with donors' minimums, solved exactly by CP-SAT.

Per pair: ``k`` whole steps of the need's currency (0 to the pair's bound), the whole cents
``c`` it takes from its donor (``c >= k x cents per step``, the same rounding up as
``steps.to_steps``) and, where a donor's minimum is more than one step, a switch ``y``
(``k = 0`` or ``k >= minimum``: a semi-continuous amount). Needs take at most their steps,
donors give at most their cents. CP-SAT starts from the rounded flow (a feasible hint) and
searches within a budget of deterministic time; its proven bound, with the flow's, gives the
gap reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.solver import WEIGHT_SCALE, Arcs

GAP = 1e-7
"""CP-SAT stops once its solution is proven this close to the best possible."""
MOST_ARCS = 20_000
"""Above this many money pairs CP-SAT is not started: measured at 2,000 communities (89,000
pairs) it spent 5-8 s within its budget without improving on the rounded flow or proving a
bound tighter than the flow's, and at 20,000 communities its model took most of 7 GB."""
OBJECTIVE_SCALE = WEIGHT_SCALE * 10_000
"""Integer objective coefficients: weight x cents per step, to about eight digits."""


@dataclass(frozen=True)
class Exact:
    """Steps per arc, and what CP-SAT proved about them."""

    steps: dict[int, int]
    optimal: bool
    bound: float
    """Best possible Σ weight x cents proven (``math.inf`` when nothing was proven)."""


def solve_steps(
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    arcs: Arcs,
    bound_steps: npt.NDArray[np.int64],
    min_steps: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
    hint: dict[int, int],
    time_limit: float,
) -> Exact:
    """CP-SAT on the whole-step problem from ``hint``; never returns less than the hint.

    ``num/den`` is the number of steps per cent of the base currency, per need.
    """
    from ortools.sat.python import cp_model_helper as cmh

    need_of, donor_of = arcs.need, arcs.donor
    n = len(arcs)
    if n == 0:
        return Exact({}, True, 0.0)
    per_step = den[need_of] / num[need_of]  # cents per step, as a float for the objective
    coeffs = np.rint(arcs.weight * per_step * OBJECTIVE_SCALE).astype(np.int64)
    top_steps = np.minimum(bound_steps, need_steps[need_of])
    top_cents = -(-(top_steps * den[need_of]) // num[need_of])
    model = cmh.CpModelProto()
    # variables: k_i (0..n-1), c_i (n..2n-1), then y for arcs a minimum touches
    for top in top_steps.tolist():
        model.variables.add().domain.extend([0, max(int(top), 0)])
    for top in top_cents.tolist():
        model.variables.add().domain.extend([0, max(int(top), 0)])
    touched = np.nonzero((min_steps > 1) & (top_steps > 0))[0].tolist()
    nums, dens = num[need_of].tolist(), den[need_of].tolist()
    for i in range(n):
        cents = model.constraints.add().linear  # num x c - den x k >= 0
        cents.vars.extend([n + i, i])
        cents.coeffs.extend([nums[i], -dens[i]])
        cents.domain.extend([0, 2**62])
    tops, mins = top_steps.tolist(), min_steps.tolist()
    for j, i in enumerate(touched):
        y = 2 * n + j
        model.variables.add().domain.extend([0, 1])
        low = model.constraints.add().linear  # k - min x y >= 0
        low.vars.extend([i, y])
        low.coeffs.extend([1, -mins[i]])
        low.domain.extend([0, 2**62])
        high = model.constraints.add().linear  # k - top x y <= 0
        high.vars.extend([i, y])
        high.coeffs.extend([1, -tops[i]])
        high.domain.extend([-(2**62), 0])
    for members, limit, offset in (
        (_groups(need_of), need_steps, 0),
        (_groups(donor_of), donor_cents, n),
    ):
        for key, rows in members.items():
            total = model.constraints.add().linear
            total.vars.extend(offset + r for r in rows)
            total.coeffs.extend([1] * len(rows))
            total.domain.extend([0, int(limit[key])])
    model.objective.vars.extend(range(n))
    model.objective.coeffs.extend((-coeffs).tolist())
    model.objective.scaling_factor = -1
    start = np.zeros(n, dtype=np.int64)
    for i, k in hint.items():
        start[i] = k
    start_cents = -(-(start * den[need_of]) // num[need_of])
    model.solution_hint.vars.extend(range(2 * n + len(touched)))
    model.solution_hint.values.extend(
        [*start.tolist(), *start_cents.tolist(), *(int(start[i] > 0) for i in touched)]
    )
    parameters = cmh.SatParameters()
    parameters.max_deterministic_time = time_limit
    parameters.relative_gap_limit = GAP
    parameters.linearization_level = 2
    parameters.num_workers = 1
    parameters.random_seed = 0
    solver = cmh.SolveWrapper()
    solver.set_parameters(parameters)
    response: cmh.CpSolverResponse = solver.solve(model)  # type: ignore[no-untyped-call]
    status = response.status
    if status not in (cmh.CpSolverStatus.OPTIMAL, cmh.CpSolverStatus.FEASIBLE):
        return Exact(hint, False, math.inf)
    found = {i: int(v) for i, v in enumerate(list(response.solution)[:n]) if v}
    value = sum(int(coeffs[i]) * k for i, k in found.items())
    if value < sum(int(coeffs[i]) * k for i, k in hint.items()):
        found = hint
    # The bound in Σ weight x cents; coefficients were rounded, so allow their rounding.
    slack = float(top_steps.sum()) * 0.5
    bound = (response.best_objective_bound + slack) / OBJECTIVE_SCALE
    return Exact(found, status == cmh.CpSolverStatus.OPTIMAL, bound)


def _groups(keys: npt.NDArray[np.signedinteger[Any]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i, key in enumerate(keys.tolist()):
        out.setdefault(key, []).append(i)
    return out
