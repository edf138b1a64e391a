"""What whole steps imply at a donor: rows tighter than its cents, met by every allocation.

A donor gives at most ``C`` cents; an arc of ``k`` steps in a currency takes at least
``k x den / num`` of them. Steps are whole, so the donor's steps in each currency, summed
(``A``, ``B``), are lattice points under that line. The linear relaxation may use the line
itself; these rows are the faces of the convex hull of the lattice points instead:

- one currency: ``A <= floor(C x num / den)``;
- two currencies: the edges of the hull of ``{(A, B) >= 0 whole : P x A + Q x B <= K}`` (the
  cents in a common unit), found exactly from the points where ``B`` loses least to
  rounding (``upper_hull``);
- more currencies: the cents row itself.

Every row has whole coefficients (or, in the last case, the cents per step), so that a bound
proven from them is exact.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MOST_POINTS = 200_000
"""Lattice points ``upper_hull`` may look at (about twice the smaller coefficient); beyond
it a donor keeps its cents row, which is weaker but still holds."""


@dataclass(frozen=True)
class Row:
    """``Σ coeffs x steps[arcs] <= upper``, met by every allocation in whole steps."""

    arcs: npt.NDArray[np.int64]
    coeffs: npt.NDArray[np.float64]
    upper: float


def upper_hull(p: int, q: int, k: int) -> list[tuple[int, int]] | None:
    """The upper hull of ``{(a, b) >= 0 whole : p x a + q x b <= k}``: its vertices from
    ``(0, floor(k / q))`` with ``a`` rising and ``b`` falling; ``None`` when it would look at
    more than ``MOST_POINTS`` points.

    A vertex is a point whose rounding loss ``(k - p x a) mod q`` is below that of every
    point to its left, or of every point to its right (otherwise it lies under the segment
    between two such points). That loss repeats with period ``q`` (``p`` and ``q`` reduced
    by their common divisor), so the vertices lie within ``q`` of either end.
    """
    if p <= 0 or q <= 0 or k < 0:
        raise ValueError("the coefficients must be positive and the capacity not negative")
    g = math.gcd(p, q)
    p, q, k = p // g, q // g, k // g
    most = k // p
    if min(most + 1, 2 * q + 2) > MOST_POINTS or k >= 2**62:
        return None
    if most + 1 <= 2 * q + 2:
        a = np.arange(most + 1, dtype=np.int64)
    else:
        a = np.concatenate(
            [np.arange(q + 1, dtype=np.int64), np.arange(most - q, most + 1, dtype=np.int64)]
        )
    rest = k - p * a
    b = rest // q
    loss = rest - q * b
    records = (loss <= np.minimum.accumulate(loss)) | (
        loss <= np.minimum.accumulate(loss[::-1])[::-1]
    )
    hull: list[tuple[int, int]] = []
    for point in zip(a[records].tolist(), b[records].tolist(), strict=True):
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (point[1] - y1) - (y2 - y1) * (point[0] - x1) < 0:
                break
            hull.pop()  # not strictly above the segment from hull[-2] to the new point
        hull.append(point)
    return hull


def hull_rows(p: int, q: int, k: int) -> list[tuple[int, int, int]] | None:
    """The faces ``ca x a + cb x b <= rhs`` (whole numbers) that bound the lattice points
    of ``p x a + q x b <= k`` from above: one per hull edge, and ``a <= most`` where the
    hull ends above ``b = 0``; ``None`` where ``upper_hull`` gives up."""
    hull = upper_hull(p, q, k)
    if hull is None:
        return None
    rows = []
    for (x1, y1), (x2, y2) in itertools.pairwise(hull):
        ca, cb = y1 - y2, x2 - x1
        g = math.gcd(ca, cb)
        ca, cb = ca // g, cb // g
        rows.append((ca, cb, ca * x1 + cb * y1))
    if len(hull) == 1:
        rows.append((0, 1, hull[0][1]))
    last_a, last_b = hull[-1]
    if last_b > 0 or len(hull) == 1:
        rows.append((1, 0, last_a))
    return rows


def donor_rows(
    arcs: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
    cents: int,
) -> list[Row]:
    """Rows over one donor's ``arcs`` (``num[i] / den[i]`` steps per cent on each) that every
    allocation within its ``cents`` meets."""
    per_step = den / num
    keys = sorted(set(zip(num.tolist(), den.tolist(), strict=True)))
    if len(keys) == 1:
        ((n, d),) = keys
        return [Row(arcs, np.ones(arcs.size), float(cents * n // d))]
    if len(keys) == 2:
        (n1, d1), (n2, d2) = keys
        common = n1 * n2 // math.gcd(n1, n2)
        p1, p2 = d1 * (common // n1), d2 * (common // n2)
        first = (num == n1) & (den == d1)
        # ``a`` is the currency whose step costs more, so that the period (``q``) is short.
        a_side, p, q = (first, p1, p2) if p1 >= p2 else (~first, p2, p1)
        faces = hull_rows(p, q, cents * common)
        if faces is not None:
            return [
                Row(arcs, np.where(a_side, float(ca), float(cb)), float(rhs))
                for ca, cb, rhs in faces
            ]
    return [Row(arcs, per_step, float(cents))]
