"""Small exchanges of whole steps that raise an allocation's value and keep it feasible.

Rounding an allocation to whole steps and whole cents leaves each donor a few cents it cannot
give where it is allowed, and needs with a step or two of room that no donor with cents left
reaches. Two exchanges move those cents and steps where they are worth more, one donor at a
time, each kept only when it raises the value:

- the donor gives one step (or its minimum) less on one of its arcs, which another donor of
  that need may take, and spends what it freed on its best arc with room;
- the donor gives a step more on a need that is full, the lightest other donor of that need
  gives one less and spends what it freed on its best arc with room.

Every amount stays whole, within its arc, need and donor, and at 0 or at least its minimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.solver import Arcs

PASSES = 3
"""Rounds over every donor: at 2,000 communities 1 gains 267 units in 0.4 s, 3 gain 370 in
1.0 s, 5 gain 384 in 1.8 s."""
LOOSE = 100_000
"""Donors with more cents than this left are not limited by them and start no exchange."""

Move = tuple[int, int, int]
"""An arc, the steps it gains (or loses, below 0) and the cents its donor spends on them."""


@dataclass
class _State:
    """The allocation being improved: steps per arc, what each need and donor has left."""

    steps: list[int]
    need_left: list[int]
    donor_left: list[int]
    top: list[int]
    least: list[int]
    value: list[float]
    need: list[int]
    donor: list[int]
    num: list[int]
    den: list[int]
    by_need: dict[int, list[int]]
    by_donor: dict[int, list[int]]
    step_floor: list[int]
    """The fewest cents a step of each arc takes (whole cents round up, never down)."""

    def cents(self, i: int, k: int) -> int:
        """The whole cents ``k`` steps of arc ``i`` take from its donor."""
        return -(-k * self.den[i] // self.num[i])

    def up(self, i: int) -> Move | None:
        """The next amount of arc ``i`` (a step more, or its minimum), if its arc allows."""
        k = self.steps[i]
        after = k + 1 if k > 0 else self.least[i]
        if after > self.top[i]:
            return None
        return i, after - k, self.cents(i, after) - self.cents(i, k)

    def down(self, i: int) -> Move | None:
        """The amount below arc ``i``'s (a step less, or 0 below its minimum)."""
        k = self.steps[i]
        if k == 0:
            return None
        after = k - 1 if k - 1 >= self.least[i] else 0
        return i, after - k, self.cents(i, after) - self.cents(i, k)

    def apply(self, *moves: Move) -> None:
        for i, k, c in moves:
            self.steps[i] += k
            self.need_left[self.need[i]] -= k
            self.donor_left[self.donor[i]] -= c

    def undo(self, *moves: Move) -> None:
        self.apply(*((i, -k, -c) for i, k, c in moves))

    def worth(self, *moves: Move) -> float:
        return sum(self.value[i] * k for i, k, _ in moves)

    def best_add(self, d: int, skip: int) -> Move | None:
        """Donor ``d``'s heaviest arc (but ``skip``) that its need and cents allow a step."""
        need, need_left, steps, top = self.need, self.need_left, self.steps, self.top
        left, floor = self.donor_left[d], self.step_floor
        for i in self.by_donor.get(d, ()):
            # Most arcs lead to a full need, are full or cost more than a step the donor can
            # pay: passed over before any arithmetic.
            if i == skip or need_left[need[i]] <= 0 or steps[i] >= top[i] or floor[i] > left:
                continue
            move = self.up(i)
            if (
                move is not None
                and move[1] <= self.need_left[self.need[i]]
                and move[2] <= self.donor_left[d]
            ):
                return move
        return None


def _state(
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    least: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    kept: dict[int, int],
) -> _State:
    steps = np.zeros(len(arcs), dtype=np.int64)
    for i, k in kept.items():
        steps[i] = k
    value = arcs.weight * den / num
    cents = -(-steps * den // num)
    used = np.zeros(donor_cents.size, dtype=np.int64)
    np.add.at(used, arcs.donor, cents)
    given = np.bincount(arcs.need, weights=steps, minlength=need_steps.size).astype(np.int64)
    live = np.nonzero(top > 0)[0]
    live = live[np.argsort(-value[live], kind="stable")]  # heaviest first
    by_need: dict[int, list[int]] = {}
    by_donor: dict[int, list[int]] = {}
    for i, n, d in zip(
        live.tolist(), arcs.need[live].tolist(), arcs.donor[live].tolist(), strict=True
    ):
        by_need.setdefault(n, []).append(i)
        by_donor.setdefault(d, []).append(i)
    return _State(
        steps.tolist(),
        (need_steps - given).tolist(),
        (donor_cents - used).tolist(),
        top.tolist(),
        np.maximum(least, 1).tolist(),
        value.tolist(),
        arcs.need.tolist(),
        arcs.donor.tolist(),
        num.tolist(),
        den.tolist(),
        by_need,
        by_donor,
        (den // num).tolist(),
    )


def _best(s: _State, moves: tuple[Move, ...], d: int, skip: int) -> tuple[float, list[Move]]:
    """The gain of ``moves`` followed by donor ``d``'s best step with what is then left."""
    s.apply(*moves)
    add = s.best_add(d, skip) if s.donor_left[d] >= 0 else None
    s.undo(*moves)
    chain = [*moves, add] if add is not None else list(moves)
    return s.worth(*chain), chain


def _give_up(s: _State, d: int) -> tuple[float, list[Move]]:
    """Donor ``d`` gives less on one arc (another donor may take it) and more elsewhere."""
    best: tuple[float, list[Move]] = (0.0, [])
    for a in s.by_donor.get(d, ()):
        less = s.down(a)
        if less is None:
            continue
        options: list[tuple[Move, ...]] = [(less,)]
        for b in s.by_need[s.need[a]]:
            other = s.donor[b]
            more = s.up(b)
            if other == d or more is None:
                continue
            if more[1] <= s.need_left[s.need[a]] - less[1] and more[2] <= s.donor_left[other]:
                options.append((less, more))
                break
        for moves in options:
            found = _best(s, moves, d, a)
            if found[0] > best[0] + 1e-6 and len(found[1]) > len(moves):
                best = found
    return best


def _push_out(s: _State, d: int) -> tuple[float, list[Move]]:
    """Donor ``d`` gives more on a full need; its lightest other donor gives less there and
    more elsewhere."""
    best: tuple[float, list[Move]] = (0.0, [])
    for b in s.by_donor.get(d, ()):
        more = s.up(b)
        if more is None or more[2] > s.donor_left[d]:
            continue
        n = s.need[b]
        short = more[1] - s.need_left[n]
        if short <= 0:
            continue
        for a in reversed(s.by_need[n]):
            less = s.down(a)
            if s.donor[a] == d or less is None or -less[1] < short:
                continue
            found = _best(s, (less, more), s.donor[a], a)
            if found[0] > best[0] + 1e-6:
                best = found
            break
    return best


def polish(
    arcs: Arcs,
    top: npt.NDArray[np.int64],
    least: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
    need_steps: npt.NDArray[np.int64],
    donor_cents: npt.NDArray[np.int64],
    kept: dict[int, int],
    passes: int = PASSES,
) -> dict[int, int]:
    """``kept`` (a feasible allocation in whole steps) after ``passes`` rounds of exchanges.

    ``top`` is the most steps each arc can carry, ``least`` the fewest it may carry when used,
    ``num[i] / den[i]`` the steps per cent of arc ``i``; the value never falls."""
    s = _state(arcs, top, least, num, den, need_steps, donor_cents, kept)
    for _ in range(passes):
        changed = False
        for d in range(donor_cents.size):
            if s.donor_left[d] > LOOSE:
                continue
            for exchange in (_give_up, _push_out):
                gain, moves = exchange(s, d)
                if gain > 0:
                    s.apply(*moves)
                    changed = True
        if not changed:
            break
    return {i: k for i, k in enumerate(s.steps) if k}
