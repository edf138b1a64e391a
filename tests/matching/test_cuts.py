"""Rows whole steps imply at a donor, against every lattice point they must keep."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solidarity_cli.matching.cuts import donor_rows, hull_rows, upper_hull
from solidarity_cli.matching.relax import relax
from solidarity_cli.matching.solver import Arcs


def lattice(p: int, q: int, k: int) -> list[tuple[int, int]]:
    """Every ``(a, b) >= 0`` whole with ``p x a + q x b <= k``."""
    return [(a, b) for a in range(k // p + 1) for b in range((k - p * a) // q + 1)]


def hull_of_every_point(p: int, q: int, k: int) -> list[tuple[int, int]]:
    """The upper hull by the monotone chain over the highest point of every column."""
    hull: list[tuple[int, int]] = []
    for point in [(a, (k - p * a) // q) for a in range(k // p + 1)]:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (point[1] - y1) - (y2 - y1) * (point[0] - x1) < 0:
                break
            hull.pop()
        hull.append(point)
    return hull


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(0, 4000))
def test_the_hull_from_the_ends_is_the_hull_of_every_point(p: int, q: int, k: int) -> None:
    """Looking only within one period of either end finds the same vertices."""
    assert upper_hull(p, q, k) == hull_of_every_point(p, q, k)


def test_a_long_line_keeps_its_vertices_near_both_ends() -> None:
    """2,000 points apart and a period of 7: the shortcut looks at 16 columns of 2,001."""
    p, q, k = 7, 3, 14_003
    assert upper_hull(p, q, k) == hull_of_every_point(p, q, k)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 25), st.integers(1, 25), st.integers(0, 400))
def test_rows_keep_every_lattice_point_and_touch_every_vertex(p: int, q: int, k: int) -> None:
    rows = hull_rows(p, q, k)
    assert rows is not None
    points = lattice(p, q, k)
    for ca, cb, rhs in rows:
        assert all(ca * a + cb * b <= rhs for a, b in points)
    for a, b in upper_hull(p, q, k) or []:
        assert any(ca * a + cb * b == rhs for ca, cb, rhs in rows)


def test_one_currency_allows_whole_steps_only() -> None:
    """150 cents at 100 cents a step: one step, where the cents alone allow 1.5."""
    arcs = np.array([3, 7], dtype=np.int64)
    (row,) = donor_rows(arcs, np.array([1, 1]), np.array([100, 100]), 150)
    assert row.upper == 1
    assert row.coeffs.tolist() == [1.0, 1.0]


def test_the_relaxation_bound_is_the_whole_step_optimum() -> None:
    """A donor of 250 cents; a need whose step costs 100 cents (weight 0.9), another whose
    step costs 30 (weight 0.1). Whole steps give at best 2 + 1 steps, worth 183; the cents
    alone would allow 2.5 steps of the first, worth 225, the bound proven before."""
    arcs = Arcs(
        np.array([0, 1], dtype=np.int64),
        np.array([0, 0], dtype=np.int64),
        np.array([0.9, 0.1]),
        np.array([10, 10], dtype=np.int64),
    )
    relaxation = relax(
        np.array([10, 10], dtype=np.int64),
        np.array([250], dtype=np.int64),
        arcs,
        np.array([10, 10], dtype=np.int64),
        np.array([1, 1], dtype=np.int64),
        np.array([1, 1], dtype=np.int64),
        np.array([100, 30], dtype=np.int64),
    )
    assert relaxation is not None
    assert math.isclose(relaxation.bound, 183.0, rel_tol=1e-8)
    assert relaxation.bound >= 183.0
