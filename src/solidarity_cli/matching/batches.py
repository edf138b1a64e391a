"""The pairs of many needs at once: needs that share their candidate donors are checked together.

A donor index gives each need its candidates (kind of support, the donors' preferences, the
community's conditions); many needs share the same ones. What is left to check depends on the
need (history, its start date, what remains of it), so a group of needs is checked against its
candidates as one table of needs x donors instead of need by need.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.eligibility import Exclusion, History, Reach, count_exclusions
from solidarity_cli.matching.index import DonorIndex
from solidarity_cli.matching.pairs import KINDS, NO_KIND, PairBuilder
from solidarity_cli.matching.problem import SUPPORT_FOR, OpenNeed
from solidarity_cli.matching.scoring import Base
from solidarity_cli.models.settings import MatchWeights

CELLS = 1 << 22
"""Needs x donors checked in one step at most (a few MB of booleans)."""
NO_START = np.iinfo(np.int64).min
FITS = 8
"""More than the number of preferences a donor can state: a (need, fit) pair as one integer."""


@dataclass
class Group:
    """Needs with the same candidate donors (hence the same kind of need)."""

    reach: Reach
    ordered: tuple[str, ...]
    """The candidates in id order."""
    needs: list[int] = field(default_factory=list)
    """Positions among the open needs, in order."""


def admit_group(
    group: Group,
    needs: list[OpenNeed],
    index: DonorIndex,
    history: History,
    fits: npt.NDArray[np.int64],
    bases: list[Base],
    base_of: npt.NDArray[np.int64],
    weights: MatchWeights,
    builder: PairBuilder,
) -> dict[int, Counter[Exclusion]]:
    """Add the pairs of a group's needs to ``builder``; each need's exclusions by reason.

    The checks a donor index cannot make (history, time window, size, in ``judge``'s terms),
    on a table of needs x candidates; each need's pairs come out with donors in id order.
    ``base_of`` numbers each need's base, equal bases alike.
    """
    members = [needs[p] for p in group.needs]
    kind, money = members[0].need.kind, members[0].money
    candidates = index.positions(group.ordered)
    latest = index.latest_end(kind)
    ends, minimums = latest[candidates], index.minimums[candidates]
    starts = np.asarray(
        [
            n.need.timeframe.start.toordinal()
            if n.need.timeframe is not None and n.need.timeframe.start is not None
            else NO_START
            for n in members
        ],
        dtype=np.int64,
    )
    remaining = np.asarray([n.remaining for n in members], dtype=np.int64)
    positions = np.asarray(group.needs, dtype=np.int64)
    admitted = np.zeros(len(members), dtype=np.int64)
    step = max(1, CELLS // max(1, candidates.size))
    for lo in range(0, len(members), step):
        hi = min(lo + step, len(members))
        keep = ends[None, :] >= starts[lo:hi, None]
        if money:
            keep &= minimums[None, :] <= remaining[lo:hi, None]
        for row in range(lo, hi):
            _drop_named(keep[row - lo], members[row].ref, history, candidates, index)
        rows, cols = np.nonzero(keep)
        rows += lo
        admitted += np.bincount(rows, minlength=len(members))
        donors = candidates[cols]
        score = _score_ids(positions[rows], fits[donors], bases, base_of, weights, builder)
        kinds = support_kinds(index, members[0], donors, remaining[rows])
        builder.add_block(positions[rows].astype(np.int32), donors.astype(np.int32), score, kinds)
    reach = group.reach
    ending = [
        np.where(starts == NO_START, 0, np.searchsorted(index.ends(kind, donors), starts))
        for donors in (reach.offering, reach.preferring, reach.candidates)
    ]

    def last_day(did: str) -> int:
        return int(latest[index.position[did]])

    out = {}
    for row, (position, need) in enumerate(zip(group.needs, members, strict=True)):
        counted = (int(ending[0][row]), int(ending[1][row]), int(ending[2][row]))
        out[position] = count_exclusions(
            need, reach, int(admitted[row]), history, counted, last_day
        )
    return out


def support_kinds(
    index: DonorIndex,
    need: OpenNeed,
    donors: npt.NDArray[np.int64] | npt.NDArray[np.int32],
    days: int | npt.NDArray[np.int64],
) -> npt.NDArray[np.int8]:
    """For pairs of needs of ``need``'s kind met whole, the first kind of support (in name
    order) of which each donor has ``days`` enough; ``NO_KIND`` for money needs and for donors
    with too few days."""
    kinds = np.full(donors.size, NO_KIND, dtype=np.int8)
    if need.money:
        return kinds
    for support in sorted(SUPPORT_FOR[need.need.kind], reverse=True):
        kinds[index.days[support][donors] >= days] = KINDS.index(support)
    return kinds


def _drop_named(
    row: npt.NDArray[np.bool_],
    ref: str,
    history: History,
    candidates: npt.NDArray[np.int64],
    index: DonorIndex,
) -> None:
    """Leave out the candidates a need declined or was already proposed to."""
    named = history.declined_by_need.get(ref, set()) | history.pending_by_need.get(ref, set())
    for did in named:
        position = index.position.get(did)
        if position is None:
            continue
        col = int(np.searchsorted(candidates, position))
        if col < candidates.size and candidates[col] == position:
            row[col] = False


def _score_ids(
    positions: npt.NDArray[np.int64],
    fits: npt.NDArray[np.int64],
    bases: list[Base],
    base_of: npt.NDArray[np.int64],
    weights: MatchWeights,
    builder: PairBuilder,
) -> npt.NDArray[np.int32]:
    """The score id of each pair (its need's position and the donor's preferences stated):
    one score per base and number of preferences, looked up once for all needs sharing it."""
    keys = base_of[positions] * FITS + fits
    distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    ids = np.asarray(
        [
            builder.score_id(bases[position], key % FITS, weights)
            for position, key in zip(positions[first].tolist(), distinct.tolist(), strict=True)
        ],
        dtype=np.int32,
    )
    found: npt.NDArray[np.int32] = ids[inverse.reshape(-1)]
    return found
