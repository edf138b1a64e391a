"""Amounts people would write: proposals in whole steps of the need's own currency.

The money flow is solved in cents of the base currency (its optimum is the proven bound). Each
amount is then written in the need's currency and brought down to a whole number of steps (100
CVE, 10 EUR: ``matching.rounding`` in ``solidarity.yaml``); what rounding frees is given again
in whole steps by falling weight. Every conversion here is exact integer arithmetic, so that a
proposal is never above what remains of its need, its pair's bound or its donor's capacity.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.solver import Arcs, Solution
from solidarity_cli.models.settings import MatchSettings
from solidarity_cli.money import Converter


def step_of(settings: MatchSettings, conv: Converter, currency: str, day: dt.date) -> Decimal:
    """The rounding step of ``currency``: the setting, else the largest power of ten that is
    worth no more than one unit of the base currency (100 CVE, 1 BRL, 1 EUR)."""
    configured = settings.rounding.get(currency)
    if configured is not None:
        return Decimal(configured)
    try:
        rate = conv.units_per_base(currency, day)
    except Exception:
        return Decimal(1)
    return Decimal(10) ** max(0, math.floor(math.log10(rate)))


@dataclass(frozen=True)
class StepScale:
    """Per need: steps = floor(cents x num / den); one step costs ``cost`` cents at most."""

    num: npt.NDArray[np.int64]
    den: npt.NDArray[np.int64]
    cost: npt.NDArray[np.int64]
    step: list[Decimal]
    rate: list[Decimal]

    @classmethod
    def of(cls, steps: list[Decimal], rates: list[Decimal]) -> StepScale:
        """From each need's step (in its currency) and rate (units per base unit)."""
        # A few currencies among many needs: each (step, rate) is worked out once.
        found: dict[tuple[Decimal, Decimal], int] = {}
        which = [found.setdefault(pair, len(found)) for pair in zip(steps, rates, strict=True)]
        num, den, cost = [], [], []
        for step, rate in found:
            ratio = Fraction(rate) / (Fraction(step) * 100)  # steps per cent of the base
            num.append(ratio.numerator)
            den.append(ratio.denominator)
            cost.append(math.ceil(1 / ratio))
        index = np.asarray(which, dtype=np.int64)
        return cls(
            np.asarray(num, dtype=np.int64)[index],
            np.asarray(den, dtype=np.int64)[index],
            np.asarray(cost, dtype=np.int64)[index],
            steps,
            rates,
        )

    def steps(
        self, cents: npt.NDArray[np.int64], need: npt.NDArray[np.signedinteger[Any]]
    ) -> npt.NDArray[np.int64]:
        """Whole steps of each need's currency within ``cents`` of the base currency."""
        return by_blocks(
            cents.size, lambda p: _muldiv(cents[p], self.num[need[p]], self.den[need[p]], up=False)
        )


CELLS = 1 << 20
"""Arcs computed at a time by ``by_blocks``."""


def by_blocks(
    size: int, compute: Callable[[slice], npt.NDArray[np.int64]]
) -> npt.NDArray[np.int64]:
    """An element-wise result computed a block of ``CELLS`` at a time: the columns of millions
    of arcs it is made from are gathered and multiplied a block at a time, not whole."""
    out = np.empty(size, dtype=np.int64)
    for start in range(0, size, CELLS):
        part = slice(start, start + CELLS)
        out[part] = compute(part)
    return out


def _muldiv(
    a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], c: npt.NDArray[np.int64], *, up: bool
) -> npt.NDArray[np.int64]:
    """``a x b / c`` rounded down (or up), exactly: in int64 when the product fits."""
    if a.size == 0:
        return a.copy()
    top = int(np.abs(a).max()) * int(np.abs(b).max())
    x: npt.NDArray[np.int64]
    if top < 2**62:
        x = (a * b + (c - 1 if up else 0)) // c
        return x
    x = ((a.astype(object) * b + (c - 1 if up else 0)) // c).astype(np.int64)
    return x


BLOCK = 4096


@dataclass(frozen=True)
class Limits:
    """The whole-step problem: what each need, donor and arc allows, in steps or cents."""

    need_steps: npt.NDArray[np.int64]
    donor_cents: npt.NDArray[np.int64]
    bound_steps: npt.NDArray[np.int64]
    min_steps: npt.NDArray[np.int64]
    """The fewest steps that reach the donor's minimum on each arc (at least one)."""


def limits(
    needs: list[int], donors: list[int], arcs: Arcs, minimums: list[int], scale: StepScale
) -> Limits:
    """The limits of the whole-step problem, from those in cents of the base currency."""
    need_of, donor_of = arcs.need, arcs.donor
    mins = np.asarray(minimums, dtype=np.int64)
    least = by_blocks(
        len(arcs),
        lambda p: _muldiv(mins[donor_of[p]], scale.num[need_of[p]], scale.den[need_of[p]], up=True),
    )
    np.maximum(least, 1, out=least)
    return Limits(
        scale.steps(np.asarray(needs, dtype=np.int64), np.arange(len(needs))),
        np.asarray(donors, dtype=np.int64),
        scale.steps(arcs.bound, need_of),
        least,
    )


def usable(arcs: Arcs, scale: StepScale, limit: Limits) -> npt.NDArray[np.int64]:
    """The most steps each arc can carry in any allocation: its bound, within its need, and
    0 where its donor's minimum is out of reach (more steps than the arc or its need allow,
    or more cents than its donor has). Dropping those arcs changes no allocation and makes
    every bound proven on the rest tighter."""
    if not len(arcs):
        return np.zeros(0, dtype=np.int64)
    need_of = arcs.need
    top = np.minimum(limit.bound_steps, limit.need_steps[need_of])
    least_cents = _muldiv(limit.min_steps, scale.den[need_of], scale.num[need_of], up=True)
    dead = (top < limit.min_steps) | (limit.donor_cents[arcs.donor] < least_cents)
    return np.where(dead, 0, top)


def to_steps(arcs: Arcs, scale: StepScale, limit: Limits, solution: Solution) -> dict[int, int]:
    """Steps per arc: the flow's amounts rounded down, minimums kept, the rest given again.

    An arc of ``k`` steps takes ``ceil(k x cents per step)`` whole cents of its donor, the
    same count ``problem.donor_supply`` holds for a draft of that amount, so that the next
    match sees exactly the capacity this one left.
    """
    kept = np.zeros(len(arcs), dtype=np.int64)
    if solution.flows:
        used = np.fromiter(solution.flows, dtype=np.int64, count=len(solution.flows))
        cents = np.fromiter(solution.flows.values(), dtype=np.int64, count=used.size)
        kept[used] = scale.steps(cents, arcs.need[used])
    return settle(arcs, scale, limit, kept)


def settle(
    arcs: Arcs, scale: StepScale, limit: Limits, wanted: npt.NDArray[np.int64]
) -> dict[int, int]:
    """Whole steps per arc from ``wanted`` steps (which may overdraw a donor by the cents
    rounding adds): kept heaviest arcs first, minimums kept, what is left given again by
    falling weight. The result is always feasible."""
    need_of, donor_of = arcs.need, arcs.donor
    bound_steps, min_steps = limit.bound_steps, limit.min_steps
    need_left = limit.need_steps.copy()
    donor_left = limit.donor_cents.copy()
    num, den = scale.num.tolist(), scale.den.tolist()
    kept = np.maximum(wanted, 0)
    np.minimum(kept, bound_steps, out=kept)
    order = np.argsort(-arcs.weight, kind="stable")  # by falling weight, then arc number

    def add(i: int, most: int) -> None:
        """Add to arc ``i`` up to ``most`` steps, as many as its need and donor allow."""
        n, d = int(need_of[i]), int(donor_of[i])
        before = int(kept[i])
        taken = -(-before * den[n] // num[n])
        fits = (int(donor_left[d]) + taken) * num[n] // den[n] - before
        k = min(most, int(need_left[n]), fits)
        if k <= 0 or before + k < min_steps[i]:
            return
        kept[i] = before + k
        need_left[n] -= k
        donor_left[d] -= -(-(before + k) * den[n] // num[n]) - taken

    # The rounded flow, heaviest arcs first, so that where rounding overdraws a donor the
    # lightest give way; an arc that cannot keep its donor's minimum takes nothing.
    rounded = order[kept[order] > 0]
    wanted = kept[rounded].tolist()
    kept[rounded] = 0
    for i, k in zip(rounded.tolist(), wanted, strict=True):
        add(i, k)
    # Give again, by falling weight, what rounding and minimums left; a block of arcs at a
    # time, skipping at once those whose need or donor is already full.
    for start in range(0, order.size, BLOCK):
        block = order[start : start + BLOCK]
        block = block[
            (need_left[need_of[block]] > 0)
            & (donor_left[donor_of[block]] + 1 >= scale.cost[need_of[block]])
            & (kept[block] < bound_steps[block])
        ]
        # An arc at zero takes its minimum or nothing: skipped at once when its need, its
        # bound or its donor's cents fall short of it (they only shrink along the block).
        least, n = min_steps[block], need_of[block]
        block = block[
            (kept[block] > 0)
            | (
                (need_left[n] >= least)
                & (bound_steps[block] >= least)
                & (
                    donor_left[donor_of[block]]
                    >= _muldiv(least, scale.den[n], scale.num[n], up=True)
                )
            )
        ]
        for i in block.tolist():
            add(i, int(bound_steps[i] - kept[i]))
    return {int(i): int(kept[i]) for i in np.nonzero(kept)[0]}


def trim(
    arcs: Arcs, scale: StepScale, limit: Limits, wanted: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """``wanted`` with fewer steps where their whole cents overdraw a donor, taken from the
    donor's lightest arcs with steps above their minimum (the most steps above it first among
    equals), so that ``settle`` need not drop an arc that sits at its minimum and what is
    given up is worth least (an allocation solved with exact fractions of a cent overdraws a
    donor by less than one cent per arc)."""
    need_of, donor_of = arcs.need, arcs.donor
    out = wanted.copy()
    if not out.size:
        return out
    cents = _muldiv(out, scale.den[need_of], scale.num[need_of], up=True)
    used = np.zeros(limit.donor_cents.size, dtype=np.int64)
    np.add.at(used, donor_of, cents)
    for d in np.nonzero(used > limit.donor_cents)[0].tolist():
        excess = int(used[d] - limit.donor_cents[d])
        rows = np.nonzero((donor_of == d) & (out > 0))[0]
        rows = rows[np.lexsort((limit.min_steps[rows] - out[rows], arcs.weight[rows]))]
        for i in rows.tolist():
            n = int(need_of[i])
            num, den = int(scale.num[n]), int(scale.den[n])
            room = int(out[i]) - int(limit.min_steps[i])
            if room <= 0:
                continue
            fewer = min(room, -(-(excess + 1) * num // den))  # cents drop by >= fewer x p - 1
            after = -(-(int(out[i]) - fewer) * den // num)
            excess -= int(cents[i]) - after
            out[i] -= fewer
            cents[i] = after
            if excess <= 0:
                break
    return out
