"""Each donor alone: the bound where the relaxation splits a donor's minimum."""

from __future__ import annotations

import math

import numpy as np

from solidarity_cli.matching.alone import split_donors, tighter
from solidarity_cli.matching.relax import relax
from solidarity_cli.matching.solver import Arcs


def test_a_split_minimum_costs_the_bound_what_it_costs_the_donor() -> None:
    """A donor of 500 cents (5 steps of 100), minimum 4 steps; two needs of 4 steps, weights
    0.9 and 0.8. The relaxation gives the second need 1 step (440); with the minimum the best
    is 4 steps to the first (360), which the donor alone proves."""
    arcs = Arcs(
        np.array([0, 1], dtype=np.int64),
        np.array([0, 0], dtype=np.int64),
        np.array([0.9, 0.8]),
        np.array([400, 400], dtype=np.int64),
    )
    top = np.array([4, 4], dtype=np.int64)
    least = np.array([4, 4], dtype=np.int64)
    one, hundred = np.array([1, 1], dtype=np.int64), np.array([100, 100], dtype=np.int64)
    relaxation = relax(
        np.array([4, 4], dtype=np.int64), np.array([500]), arcs, top, least, one, hundred
    )
    assert relaxation is not None
    assert math.isclose(relaxation.bound, 440.0, rel_tol=1e-8)
    assert split_donors(arcs, top, least, relaxation) == [0]
    bound = tighter(2, arcs, top, least, hundred / one, relaxation)
    assert 360.0 <= bound <= 360.0 * (1 + 1e-6)


def test_a_donor_whose_minimums_the_relaxation_keeps_is_not_solved_again() -> None:
    """Without a minimum (one step) nothing is split and the bound stays the relaxation's."""
    arcs = Arcs(
        np.array([0, 1], dtype=np.int64),
        np.array([0, 0], dtype=np.int64),
        np.array([0.9, 0.8]),
        np.array([400, 400], dtype=np.int64),
    )
    top = np.array([4, 4], dtype=np.int64)
    least = np.array([1, 1], dtype=np.int64)
    one, hundred = np.array([1, 1], dtype=np.int64), np.array([100, 100], dtype=np.int64)
    relaxation = relax(
        np.array([4, 4], dtype=np.int64), np.array([500]), arcs, top, least, one, hundred
    )
    assert relaxation is not None
    assert split_donors(arcs, top, least, relaxation) == []
    assert tighter(2, arcs, top, least, hundred / one, relaxation) == relaxation.bound
