"""Each donor alone: the bound where the relaxation splits a donor's minimum."""

from __future__ import annotations

import math

import numpy as np
import pytest

from solidarity_cli.matching.alone import split_donors, tighter
from solidarity_cli.matching.relax import relax
from solidarity_cli.matching.solver import Arcs

#: A donor of 500 cents (5 steps of 100) and two needs of 4 steps, weights 0.9 and 0.8.
ARCS = Arcs(
    np.array([0, 1], dtype=np.int64),
    np.array([0, 0], dtype=np.int64),
    np.array([0.9, 0.8]),
    np.array([400, 400], dtype=np.int64),
)
TOP = np.array([4, 4], dtype=np.int64)
ONE, HUNDRED = np.array([1, 1], dtype=np.int64), np.array([100, 100], dtype=np.int64)


@pytest.mark.parametrize(
    ("minimum", "split", "proven"),
    [
        # The relaxation gives the second need 1 step (440); with the minimum of 4 steps the
        # best is 4 steps to the first (360), which the donor alone proves.
        (4, [0], 360.0),
        # Without a minimum (one step) nothing is split and the bound stays the relaxation's.
        (1, [], 440.0),
    ],
)
def test_a_split_minimum_costs_the_bound_what_it_costs_the_donor(
    minimum: int, split: list[int], proven: float
) -> None:
    least = np.full(2, minimum, dtype=np.int64)
    relaxation = relax(
        np.array([4, 4], dtype=np.int64), np.array([500]), ARCS, TOP, least, ONE, HUNDRED
    )
    assert relaxation is not None
    assert math.isclose(relaxation.bound, 440.0, rel_tol=1e-8)
    assert split_donors(ARCS, TOP, least, relaxation) == split
    bound = tighter(2, ARCS, TOP, least, HUNDRED / ONE, relaxation)
    assert proven <= bound <= proven * (1 + 1e-6)
    if not split:
        assert bound == relaxation.bound
