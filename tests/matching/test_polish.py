"""Exchanges of whole steps after rounding: feasible, never worth less, and worth more where
a donor's cents are better spent elsewhere."""

from __future__ import annotations

import numpy as np
import pytest

from solidarity_cli.matching.polish import polish
from solidarity_cli.matching.solver import Arcs


def _value(arcs: Arcs, num: np.ndarray, den: np.ndarray, kept: dict[int, int]) -> float:
    return sum(float(arcs.weight[i] * den[i] / num[i]) * k for i, k in kept.items())


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
    arcs = Arcs(
        rng.integers(0, needs, count).astype(np.int64),
        rng.integers(0, donors, count).astype(np.int64),
        rng.uniform(0.1, 1.0, count).round(4),
        np.full(count, 10**6, dtype=np.int64),
    )
    num = rng.integers(1, 4, count).astype(np.int64)
    den = rng.integers(5, 40, count).astype(np.int64)
    top = rng.integers(0, 6, count).astype(np.int64)
    least = rng.integers(1, 3, count).astype(np.int64)
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
