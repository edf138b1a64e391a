"""The money allocation: a transportation problem solved as a min-cost flow.

Google OR-Tools' min-cost flow solves it exactly with integer cents and integer weights (0.3 s
at 10,000 needs x 2,000 donors on these machines, against 6.5 s for HiGHS as an LP). Needs met
in kind are assigned whole in ``assignment``.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

WEIGHT_SCALE = 10_000
"""Weights in [0, 1] become integer costs with four decimals."""


class Arc(NamedTuple):
    """An eligible (need, donor) pair with its weight and the most it may carry.

    A named tuple: a large network builds hundreds of thousands of them.
    """

    need: int
    donor: int
    weight: float
    bound: int


@dataclass(frozen=True)
class Solution:
    """Amounts per arc index, the objective and how sure we are of it."""

    flows: dict[int, int]
    objective: float
    status: str
    bound: float
    """The best possible objective proven (equal to ``objective`` when optimal)."""
    solver: str = ""
    """What found it, in words, where more than one method may have."""

    @property
    def gap(self) -> float:
        """Relative distance to the proven bound."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


@dataclass(frozen=True)
class Arcs:
    """Eligible pairs as columns: need, donor, weight and bound of each arc."""

    need: npt.NDArray[np.int32]
    donor: npt.NDArray[np.int32]
    weight: npt.NDArray[np.float64]
    bound: npt.NDArray[np.int64]
    """In cents: more than 32 bits may count."""

    @classmethod
    def of(cls, arcs: Sequence[Arc]) -> Arcs:
        """Columns from a list of arcs."""
        n = len(arcs)
        return cls(
            np.fromiter((a.need for a in arcs), dtype=np.int32, count=n),
            np.fromiter((a.donor for a in arcs), dtype=np.int32, count=n),
            np.fromiter((a.weight for a in arcs), dtype=np.float64, count=n),
            np.fromiter((a.bound for a in arcs), dtype=np.int64, count=n),
        )

    def __len__(self) -> int:
        return int(self.need.size)

    def value(self, flows: dict[int, int]) -> float:
        """Σ weight x amount over the arcs used (summed in arc order, like ``objective``)."""
        weights: list[float] = self.weight.tolist()
        return float(sum(weights[i] * amount for i, amount in flows.items()))


def objective(arcs: Sequence[Arc], flows: dict[int, int]) -> float:
    """Σ weight x amount over the arcs used."""
    return sum(arcs[i].weight * amount for i, amount in flows.items())


def give_back_free_memory() -> None:
    """Return the free pages of the C heap to the system, on Linux with glibc (elsewhere,
    nothing).

    Arrays of millions of pairs come and go while a large match is built; the C allocator
    keeps what they freed between blocks still in use, unused but counted in the process's
    memory, unless asked to give it back (``malloc_trim``).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # another C library than glibc
        return
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)


def transport(
    supplies: npt.NDArray[np.int64],
    demands: npt.NDArray[np.int64],
    tails: npt.NDArray[np.int32] | npt.NDArray[np.int64],
    heads: npt.NDArray[np.int32] | npt.NDArray[np.int64],
    capacities: npt.NDArray[np.int64],
    costs: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], int]:
    """A min-cost flow from supply nodes to demand nodes: how much each arc (``tails[i]`` ->
    ``heads[i]``, within ``capacities[i]``, at ``costs[i]`` a unit) carries, and the total cost.

    Neither side has to be used up: what is not sent goes straight from source to sink at no
    cost, so negative costs (weights to maximise) decide what is sent.
    """
    return _solve_network(_network(supplies, demands, tails, heads, capacities, lambda _: costs))


class _Network(NamedTuple):
    """The flow solver, every arc given, and where the arcs of ``transport`` are in it."""

    flow: Any
    first: int
    arcs: int


ARCS_AT_ONCE = 1 << 20
"""Arcs given to the flow solver at a time: what is made for it (32-bit node numbers, costs)
is made for this many arcs only."""


def _network(
    supplies: npt.NDArray[np.int64],
    demands: npt.NDArray[np.int64],
    tails: npt.NDArray[np.int32] | npt.NDArray[np.int64],
    heads: npt.NDArray[np.int32] | npt.NDArray[np.int64],
    capacities: npt.NDArray[np.int64],
    costs: Callable[[slice], npt.NDArray[np.int64]],
) -> _Network:
    """The flow solver with the arcs of ``transport`` given (``costs`` of a slice of them); it
    keeps its own copy of them."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    n_left, n_right = supplies.size, demands.size
    source, sink = 0, 1 + n_left + n_right
    total = int(supplies.sum())
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n_left, dtype=np.int32),
        np.arange(1, 1 + n_left, dtype=np.int32),
        supplies,
        np.zeros(n_left, dtype=np.int64),
    )
    first = flow.num_arcs()
    for start in range(0, tails.size, ARCS_AT_ONCE):
        part = slice(start, start + ARCS_AT_ONCE)
        flow.add_arcs_with_capacity_and_unit_cost(
            np.add(tails[part], 1, dtype=np.int32),
            np.add(heads[part], 1 + n_left, dtype=np.int32),
            capacities[part],
            costs(part),
        )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(1 + n_left, 1 + n_left + n_right, dtype=np.int32),
        np.full(n_right, sink, dtype=np.int32),
        demands,
        np.zeros(n_right, dtype=np.int64),
    )
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    return _Network(flow, first, int(tails.size))


def _solve_network(network: _Network) -> tuple[npt.NDArray[np.int64], int]:
    flow, first, count = network
    give_back_free_memory()
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver stopped with status {status}")
    amounts = np.asarray(flow.flows(np.arange(first, first + count, dtype=np.int32)))
    return amounts.astype(np.int64, copy=False), int(flow.optimal_cost())


def _money_network(needs: Sequence[int], donors: Sequence[int], columns: Arcs) -> _Network:
    """The money flow's solver, every arc given: ``columns`` need not outlive it."""

    def costs(part: slice) -> npt.NDArray[np.int64]:
        found: npt.NDArray[np.int64] = -np.rint(columns.weight[part] * WEIGHT_SCALE).astype(
            np.int64
        )
        return found

    return _network(
        np.asarray(donors, dtype=np.int64),
        np.asarray(needs, dtype=np.int64),
        columns.donor,
        columns.need,
        columns.bound,
        costs,
    )


def solve_money(
    needs: Sequence[int],
    donors: Sequence[int],
    arcs: Sequence[Arc] | Arcs | Callable[[], Arcs],
    minimums: Sequence[int] | None = None,
) -> Solution:
    """Maximise Σ weight x amount; amounts within needs, donors and per-pair bounds.

    ``arcs`` may be a function that makes them (the same each time): they are then made
    twice, for the flow solver and to read its solution, and held by nobody while it solves
    (at 20,000 communities x 5,000 donors they weigh about 110 MiB, beside the 390 MiB the
    solver takes).

    ``minimums`` (per donor) makes an amount either zero or at least the minimum: a
    semi-continuous constraint no flow can express. The flow is solved without it, which proves
    a bound; amounts below a minimum are then dropped and the capacity they held is given again,
    by falling weight, to amounts that reach the minimum (or add to an amount already kept).
    The result is labelled ``heuristic`` with the relaxed optimum as its bound. Measured at
    2,000 communities: 0.14 % below the bound, where closing the small amounts and solving
    again for three rounds stayed 0.8 % below, at twice the time.
    """
    if callable(arcs):
        network = _money_network(needs, donors, arcs())
        if not network.arcs:
            return Solution({}, 0.0, "optimal", 0.0)
        amounts, _ = _solve_network(network)
        del network
        columns = arcs()
    else:
        columns = arcs if isinstance(arcs, Arcs) else Arcs.of(arcs)
        if not len(columns):
            return Solution({}, 0.0, "optimal", 0.0)
        amounts, _ = _solve_network(_money_network(needs, donors, columns))
    n_donors, n_needs = len(donors), len(needs)
    donor_of, need_of = columns.donor, columns.need
    weights = columns.weight
    relaxed = columns.value({int(i): int(amounts[i]) for i in np.nonzero(amounts)[0]})
    minimum_of = (
        np.asarray(minimums, dtype=np.int64)
        if minimums is not None
        else np.zeros(n_donors, dtype=np.int64)
    )
    small = (amounts > 0) & (amounts < minimum_of[donor_of])
    if not small.any():
        flows = {int(i): int(amounts[i]) for i in np.nonzero(amounts)[0]}
        return Solution(flows, relaxed, "optimal", relaxed)
    kept = np.where(small, 0, amounts)
    need_left = np.asarray(needs, dtype=np.int64) - np.bincount(
        need_of, weights=kept, minlength=n_needs
    ).astype(np.int64)
    donor_left = np.asarray(donors, dtype=np.int64) - np.bincount(
        donor_of, weights=kept, minlength=n_donors
    ).astype(np.int64)
    order = np.argsort(-weights, kind="stable")  # by falling weight, then arc number
    flows = _fill(order, columns, kept, need_left, donor_left, minimum_of)
    return Solution(flows, columns.value(flows), "heuristic", relaxed)


def greedy_money(
    needs: Sequence[int],
    donors: Sequence[int],
    arcs: Sequence[Arc] | Arcs,
    minimums: Sequence[int] | None = None,
) -> Solution:
    """Baseline: take pairs by falling weight, give as much as both sides allow."""
    columns = arcs if isinstance(arcs, Arcs) else Arcs.of(arcs)
    order = np.argsort(-columns.weight, kind="stable")  # by falling weight, then arc number
    flows = _fill(
        order,
        columns,
        np.zeros(len(columns), dtype=np.int64),
        np.asarray(needs, dtype=np.int64),
        np.asarray(donors, dtype=np.int64),
        np.zeros(len(donors), dtype=np.int64)
        if minimums is None
        else np.asarray(minimums, dtype=np.int64),
    )
    value = columns.value(flows)
    return Solution(flows, value, "heuristic", value)


FILL_BLOCK = 4096
"""Arcs taken at a time by ``_fill``; those whose need or donor is full by then are skipped
in one step instead of one by one."""


def _fill(
    order: npt.NDArray[np.int64],
    columns: Arcs,
    kept: npt.NDArray[np.int64],
    need_left: npt.NDArray[np.int64],
    donor_left: npt.NDArray[np.int64],
    minimums: npt.NDArray[np.int64],
) -> dict[int, int]:
    """Visit arcs in ``order``, adding to each as much as its bound, need and donor allow;
    an arc still at zero takes nothing less than its donor's minimum. Updates the arrays.

    The same result as one pass arc by arc: an arc whose need or donor is full at the start of
    a block stays so, and the rest of the block is visited in order.
    """
    need_of, donor_of, bounds = columns.need, columns.donor, columns.bound
    for start in range(0, order.size, FILL_BLOCK):
        block = order[start : start + FILL_BLOCK]
        block = block[(need_left[need_of[block]] > 0) & (donor_left[donor_of[block]] > 0)]
        block = block[kept[block] < bounds[block]]
        # An arc at zero takes its donor's minimum or nothing: skipped at once when its need,
        # its bound or its donor falls short of it (they only shrink along the block).
        least = minimums[donor_of[block]]
        block = block[
            (kept[block] > 0)
            | (
                (need_left[need_of[block]] >= least)
                & (donor_left[donor_of[block]] >= least)
                & (bounds[block] >= least)
            )
        ]
        for i in block.tolist():
            n, d = need_of[i], donor_of[i]
            amount = min(bounds[i] - kept[i], need_left[n], donor_left[d])
            if amount <= 0 or (kept[i] == 0 and amount < minimums[d]):
                continue
            kept[i] += amount
            need_left[n] -= amount
            donor_left[d] -= amount
    return {int(i): int(kept[i]) for i in np.nonzero(kept)[0]}
