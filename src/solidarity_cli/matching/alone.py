"""Each donor alone: a tighter bound where the relaxation splits a donor's minimum.

For any prices ``y_n >= 0`` of needs' steps, every allocation is worth at most

    Σ y_n x steps_n + Σ_d V_d,

where ``V_d`` is the most donor ``d`` alone can earn when a step of arc ``i`` is worth its
value less its need's price (``v_i``), within its own rows and minimums: the needs' rows are
priced instead of kept. The relaxation's bound (``relax``) is that sum with each ``V_d``
replaced by ``U_d``, what the same prices prove for the donor's linear relaxation. Where the
relaxation's optimum gives one of a donor's arcs fewer steps than its minimum, the donor's own
problem, in whole steps with its minimums as switches, is solved by SCIP and its proven bound
takes the place of ``U_d``. Elsewhere the relaxation's optimum already keeps the donor's
minimums and ``V_d`` could not be lower than ``U_d``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.cuts import Row
from solidarity_cli.matching.relax import MARGIN, MOST_SECONDS, Relaxation, _solve
from solidarity_cli.matching.solver import Arcs

SPLIT = 1e-6
"""Steps below a minimum by more than this count as a split minimum."""
MOST_ARCS = 300
"""Donors with more arcs worth a step are left to the relaxation's bound: at 2,000
communities, the six with 380 to 2,500 took 5 s for 7 units of the bound."""
NODES = 20
"""SCIP's branch-and-bound nodes per donor (a count, so that the bound is the same on every
machine); its bound after them holds."""
MOST_DONORS = 50
"""Donors solved alone at most, those with the most steps split first (at 2,000 communities
22 split a minimum, 16 have at most ``MOST_ARCS``: 1.2 s, 1,360 units off the bound)."""


def split_donors(
    arcs: Arcs, top: npt.NDArray[np.int64], min_steps: npt.NDArray[np.int64], relaxation: Relaxation
) -> list[int]:
    """Donors one of whose arcs the relaxation gives some steps, but fewer than its minimum;
    by falling steps split, then donor number, at most ``MOST_DONORS``."""
    steps = relaxation.steps
    split = (top > 0) & (min_steps > 1) & (steps > SPLIT) & (steps < min_steps - SPLIT)
    if not split.any():
        return []
    weight = np.bincount(arcs.donor[split], weights=steps[split])
    found = np.nonzero(weight)[0]
    order = np.lexsort((found, -weight[found]))
    return [int(d) for d in found[order][:MOST_DONORS]]


def tighter(
    need_count: int,
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    min_steps: npt.NDArray[np.int64],
    per_step: npt.NDArray[np.float64],
    relaxation: Relaxation,
) -> float:
    """The relaxation's bound, less what solving alone each donor whose minimum it splits
    proves (``per_step``: cents per step on each arc)."""
    rows, prices = relaxation.rows, relaxation.prices
    by_donor: dict[int, list[int]] = {}
    for r in range(need_count, len(rows)):
        if rows[r].arcs.size:
            by_donor.setdefault(int(arcs.donor[rows[r].arcs[0]]), []).append(r)
    value = arcs.weight * per_step
    for r in range(need_count):
        value[rows[r].arcs] -= prices[r]
    gain = np.maximum(relaxation.reduced, 0.0) * top  # what each arc adds to the bound
    drop = 0.0
    for d in split_donors(arcs, top, min_steps, relaxation):
        own = by_donor.get(d, [])
        linear = math.fsum(
            [*(prices[r] * rows[r].upper for r in own), *gain[arcs.donor == d].tolist()]
        )
        alone = _alone(d, arcs, top, min_steps, value, [rows[r] for r in own])
        if alone is not None:
            drop += max(0.0, linear - alone)
    return relaxation.bound - drop


def _alone(
    donor: int,
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    min_steps: npt.NDArray[np.int64],
    value: npt.NDArray[np.float64],
    rows: list[Row],
) -> float | None:
    """At least the most ``donor`` alone can earn at ``value`` per step of each arc, within
    its ``rows`` and minimums, in whole steps; ``None`` if SCIP proves nothing."""
    from ortools.linear_solver import linear_solver_pb2 as lp

    own = np.flatnonzero((arcs.donor == donor) & (top > 0) & (value > 0))
    if not own.size:
        return 0.0
    if own.size > MOST_ARCS:
        return None
    place = np.full(len(arcs), -1, dtype=np.int64)
    place[own] = np.arange(own.size)
    request = lp.MPModelRequest()
    request.solver_type = lp.MPModelRequest.SCIP_MIXED_INTEGER_PROGRAMMING
    request.solver_time_limit_seconds = MOST_SECONDS
    request.solver_specific_parameters = f"limits/gap = 0\nlimits/nodes = {NODES}"
    model = request.model
    model.maximize = True
    for most, worth in zip(top[own].tolist(), value[own].tolist(), strict=True):
        var = model.variable.add()
        var.lower_bound, var.upper_bound, var.is_integer = 0.0, float(most), True
        var.objective_coefficient = worth
    for row in rows:
        at = place[row.arcs]
        kept = at >= 0
        constraint = model.constraint.add()
        constraint.lower_bound, constraint.upper_bound = -math.inf, row.upper
        constraint.var_index.extend(at[kept].tolist())
        constraint.coefficient.extend(row.coeffs[kept].tolist())
    least, most = min_steps[own].tolist(), top[own].tolist()
    for j in range(own.size):
        if least[j] <= 1:
            continue
        on = model.variable.add()
        on.lower_bound, on.upper_bound, on.is_integer = 0.0, 1.0, True
        low = model.constraint.add()  # steps - least x on >= 0
        low.lower_bound, low.upper_bound = 0.0, math.inf
        low.var_index.extend([j, len(model.variable) - 1])
        low.coefficient.extend([1.0, -float(least[j])])
        high = model.constraint.add()  # steps - most x on <= 0
        high.lower_bound, high.upper_bound = -math.inf, 0.0
        high.var_index.extend([j, len(model.variable) - 1])
        high.coefficient.extend([1.0, -float(most[j])])
    response = _solve(request)
    if response.status not in (lp.MPSOLVER_OPTIMAL, lp.MPSOLVER_FEASIBLE):  # type: ignore[attr-defined]
        return None
    reach = math.fsum((value[own] * top[own]).tolist())
    return float(response.best_objective_bound) + MARGIN * reach  # type: ignore[attr-defined]
