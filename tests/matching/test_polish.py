"""Exchanges of whole steps after rounding: feasible, never worth less, and worth more where
a donor's cents are better spent elsewhere."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from solidarity_cli.matching.polish import polish
from solidarity_cli.matching.solver import Arcs


def _value(arcs: Arcs, num: np.ndarray, den: np.ndarray, kept: dict[int, int]) -> float:
    return sum(float(arcs.weight[i] * den[i] / num[i]) * k for i, k in kept.items())


Ints = npt.NDArray[np.int64]


def _random_arcs(
    rng: np.random.Generator, needs: int, donors: int, count: int, *, dearest: int, most: int
) -> tuple[Arcs, Ints, Ints, Ints, Ints]:
    """``count`` arcs between random needs and donors: the arcs, their steps per cent as
    ``num / den`` (5 to ``dearest`` cents a step or so), their most steps and their minimums."""
    arcs = Arcs(
        rng.integers(0, needs, count).astype(np.int64),
        rng.integers(0, donors, count).astype(np.int64),
        rng.uniform(0.1, 1.0, count).round(4),
        np.full(count, 10**6, dtype=np.int64),
    )
    num = rng.integers(1, 4, count).astype(np.int64)
    den = rng.integers(5, dearest, count).astype(np.int64)
    top = rng.integers(0, most, count).astype(np.int64)
    least = rng.integers(1, 3, count).astype(np.int64)
    return arcs, num, den, top, least


def test_a_donor_gives_up_a_light_step_for_a_heavy_one_another_donor_takes_it_up() -> None:
    """Donor 0 (160 cents) gives need 0 3 steps of 40 cents (weight 0.5); need 1 wants one
    step of 70 cents (weight 0.9) it cannot afford. Giving need 0 one step less pays for it,
    and donor 1 (40 cents, weight 0.4) gives that step to need 0."""
    arcs = Arcs(
        np.array([0, 1, 0], dtype=np.int64),
        np.array([0, 0, 1], dtype=np.int64),
        np.array([0.5, 0.9, 0.4]),
        np.array([120, 70, 40], dtype=np.int64),
    )
    num = np.ones(3, dtype=np.int64)
    den = np.array([40, 70, 40], dtype=np.int64)
    top = np.array([3, 1, 1], dtype=np.int64)
    least = np.ones(3, dtype=np.int64)
    needs, donors = np.array([3, 1], dtype=np.int64), np.array([160, 40], dtype=np.int64)
    after = polish(arcs, top, least, num, den, needs, donors, {0: 3})
    assert after == {0: 2, 1: 1, 2: 1}
    assert _value(arcs, num, den, after) == pytest.approx(119.0)


@pytest.mark.parametrize("seed", range(20))
def test_exchanges_keep_every_limit_and_never_lower_the_value(seed: int) -> None:
    rng = np.random.default_rng(seed)
    needs, donors, count = int(rng.integers(2, 6)), int(rng.integers(2, 5)), 12
    arcs, num, den, top, least = _random_arcs(rng, needs, donors, count, dearest=40, most=6)
    need_steps = rng.integers(1, 8, needs).astype(np.int64)
    donor_cents = rng.integers(10, 120, donors).astype(np.int64)
    kept: dict[int, int] = {}
    need_left, donor_left = need_steps.copy(), donor_cents.copy()
    for i in range(count):  # a feasible start: each arc its least amount where it fits
        n, d, k = arcs.need[i], arcs.donor[i], int(least[i])
        cents = -(-k * int(den[i]) // int(num[i]))
        if 0 < k <= min(top[i], need_left[n]) and cents <= donor_left[d]:
            kept[i] = k
            need_left[n] -= k
            donor_left[d] -= cents
    after = polish(arcs, top, least, num, den, need_steps, donor_cents, kept)
    steps = np.zeros(count, dtype=np.int64)
    for i, k in after.items():
        steps[i] = k
    cents = -(-steps * den // num)
    assert (np.bincount(arcs.need, weights=steps, minlength=needs) <= need_steps).all()
    assert (np.bincount(arcs.donor, weights=cents, minlength=donors) <= donor_cents).all()
    assert ((steps == 0) | ((steps >= least) & (steps <= top))).all()
    assert _value(arcs, num, den, after) >= _value(arcs, num, den, kept) - 1e-9


@pytest.mark.parametrize("seed", range(20))
def test_a_donors_best_step_is_found_past_the_arcs_it_passes_over(seed: int) -> None:
    """``best_add`` passes over full needs, full arcs and steps dearer than the donor's cents
    before any arithmetic: it finds what a look at every arc finds."""
    from solidarity_cli.matching.polish import _state

    rng = np.random.default_rng(seed)
    needs, donors, count = 4, 3, 30
    arcs, num, den, top, least = _random_arcs(rng, needs, donors, count, dearest=60, most=4)
    kept = {i: int(top[i]) for i in range(count) if top[i] and rng.random() < 0.4}
    need_steps = rng.integers(0, 10, needs).astype(np.int64) + np.bincount(
        arcs.need, weights=[kept.get(i, 0) for i in range(count)], minlength=needs
    ).astype(np.int64)
    donor_cents = rng.integers(0, 80, donors).astype(np.int64) + np.bincount(
        arcs.donor,
        weights=[-(-kept.get(i, 0) * int(den[i]) // int(num[i])) for i in range(count)],
        minlength=donors,
    ).astype(np.int64)
    s = _state(arcs, top, least, num, den, need_steps, donor_cents, kept)
    for d in range(donors):
        for skip in (-1, *s.by_donor.get(d, ())):
            every = [
                move
                for i in s.by_donor.get(d, ())
                if i != skip and (move := s.up(i)) is not None
                if move[1] <= s.need_left[s.need[i]] and move[2] <= s.donor_left[d]
            ]
            assert s.best_add(d, skip) == (every[0] if every else None)


def test_a_step_costs_what_its_whole_cents_add_not_its_rounded_price() -> None:
    """2.5 cents a step: from one step (3 cents) a second costs 2 more, which a donor with 2
    cents left can pay."""
    from solidarity_cli.matching.polish import _state

    arcs = Arcs(
        np.array([0], dtype=np.int64),
        np.array([0], dtype=np.int64),
        np.array([0.5]),
        np.array([10], dtype=np.int64),
    )
    num, den = np.array([2], dtype=np.int64), np.array([5], dtype=np.int64)
    top, least = np.array([4], dtype=np.int64), np.array([1], dtype=np.int64)
    s = _state(arcs, top, least, num, den, np.array([4]), np.array([5]), {0: 1})
    assert s.donor_left == [2]
    assert s.best_add(0, -1) == (0, 1, 2)
