"""Eligible pairs as columns: a large network has millions, too many for one object each.

Each pair is a row of four arrays: the need (its position among the open needs), the donor
(its position among the donors, in id order), its score (an index into a short list of
distinct scores: a score depends only on the need and on how many preferences the donor
states) and the kind of support for needs met whole. ``PairTable.pair(i)`` gives one row as a
``Pair`` when a proposal, an explanation or a test wants to read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.eligibility import Verdict
from solidarity_cli.matching.scoring import FIT_CATEGORIES, Base, Score, with_fit
from solidarity_cli.models.donor import SupportKind
from solidarity_cli.models.settings import MatchWeights

#: Kinds of support as small integers; -1 is "no kind" (money, or no capacity large enough).
KINDS: tuple[SupportKind, ...] = tuple(sorted(SupportKind))
NO_KIND = -1

Ints = npt.NDArray[np.int32]

INDEX_MAX = int(np.iinfo(np.int32).max)
"""Positions and row numbers are kept as 32-bit integers: half the memory of 64-bit ones for
the millions of pairs of a large network."""


def as_index(values: npt.NDArray[np.integer[Any]], what: str) -> Ints:
    """``values`` (positions or row numbers, none negative) as 32-bit integers; a clear error,
    not a silent wrap-around, where one of them does not fit."""
    if values.size and int(values.max()) > INDEX_MAX:
        raise OverflowError(
            f"{int(values.max()):,} {what}: more than 32-bit positions can number ({INDEX_MAX:,})"
        )
    found: Ints = values.astype(np.int32, copy=False)
    return found


@dataclass(frozen=True)
class Pair:
    """One eligible pair, read from the table."""

    need: int
    donor: str
    score: Score
    verdict: Verdict | None
    """Kept for explained needs; judged again when a pair becomes a proposal."""
    kind: SupportKind | None = None


@dataclass
class PairTable:
    """Every eligible pair, column by column."""

    donors: list[str]
    """Donor ids; ``donor`` holds positions in this list."""
    scores: list[Score]
    need: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    donor: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    score: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    kind: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    verdicts: dict[int, Verdict] = field(default_factory=dict)
    """Verdicts of the pairs of explained needs, by row."""

    def __len__(self) -> int:
        return int(self.need.size)

    def pair(self, row: int) -> Pair:
        """One row as a ``Pair``."""
        kind = int(self.kind[row])
        return Pair(
            int(self.need[row]),
            self.donors[int(self.donor[row])],
            self.scores[int(self.score[row])],
            self.verdicts.get(row),
            None if kind == NO_KIND else KINDS[kind],
        )

    def __iter__(self) -> Iterator[Pair]:
        return (self.pair(row) for row in range(len(self)))

    def weights(self, rows: npt.NDArray[np.integer[Any]] | None = None) -> npt.NDArray[np.float64]:
        """The score total of the pairs at ``rows`` (of every pair without it).

        Computed on each call rather than kept: a large network has millions of pairs and the
        solvers want the weights of only some of them.
        """
        count = len(self.scores)
        totals = np.fromiter((s.total for s in self.scores), dtype=np.float64, count=count)
        score = self.score if rows is None else self.score[rows]
        if not len(self.scores):
            return np.zeros(score.size, dtype=np.float64)
        found: npt.NDArray[np.float64] = totals[score]
        return found

    def starts(self, needs: int) -> npt.NDArray[np.int64]:
        """Where the pairs of each of the ``needs`` open needs begin, and one past the last
        pair: the pairs of need ``i`` are the rows ``starts[i]`` to ``starts[i + 1]``, since
        the table is ordered by need. A slice of the columns reads a need's pairs without a
        list of rows for each."""
        out = np.zeros(needs + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.need, minlength=needs), out=out[1:])
        return out

    def rows_of(self, need: int) -> range:
        """The rows of one need's pairs (the table is ordered by need)."""
        first = int(np.searchsorted(self.need, need, side="left"))
        return range(first, int(np.searchsorted(self.need, need, side="right")))


class PairBuilder:
    """Collects pairs, one need or a block of needs at a time, then makes the table ordered by
    need (the pairs of each need in the order they were added)."""

    def __init__(self, donors: list[str]) -> None:
        self.table = PairTable(donors, [])
        self._chunks: list[tuple[Ints, Ints, Ints, npt.NDArray[np.int8]]] = []
        self._verdicts: list[tuple[int, list[Verdict]]] = []
        self._score_ids: dict[tuple[float, float, float, int], int] = {}

    def score_id(self, base: Base, fit: int, weights: MatchWeights) -> int:
        """The index in the table's list of the score of a need's ``base`` with ``fit``,
        added once (the key is the components, cheaper to hash than the score itself)."""
        key = (*base, min(fit, FIT_CATEGORIES))
        found = self._score_ids.get(key)
        if found is None:
            found = self._score_ids[key] = len(self.table.scores)
            self.table.scores.append(with_fit(base, fit, weights))
        return found

    def add(
        self,
        need: int,
        donors: Ints,
        scores: Ints,
        kinds: npt.NDArray[np.int8],
        verdicts: list[Verdict] | None = None,
    ) -> None:
        """The pairs of one need: donor positions, score ids and kinds, row by row."""
        if donors.size == 0:
            return
        if verdicts is not None:
            self._verdicts.append((need, verdicts))
        self.add_block(np.full(donors.size, need, dtype=np.int32), donors, scores, kinds)

    def add_block(
        self, needs: Ints, donors: Ints, scores: Ints, kinds: npt.NDArray[np.int8]
    ) -> None:
        """The pairs of several needs, a need's pairs in order; needs need not come in order,
        but each need's pairs all come in one call."""
        if needs.size:
            self._chunks.append((needs, donors, scores, kinds))

    def build(self) -> PairTable:
        """The table of every pair added, ordered by need.

        Column by column, each column's pieces let go as soon as it is joined, so that no more
        than one column is held twice at a time (a large network has millions of pairs).
        """
        if self._chunks:
            columns = [list(parts) for parts in zip(*self._chunks, strict=True)]
            self._chunks = []
            need = as_index(np.concatenate(columns[0]), "needs")
            columns[0] = []
            as_index(np.asarray([need.size - 1]), "pairs")
            order: npt.NDArray[np.intp] | None = None
            if need.size > 1 and bool(np.any(need[1:] < need[:-1])):
                order = np.argsort(need, kind="stable")
                need = need[order]
            self.table.need = need
            self.table.donor = self._column(columns, 1, order, "donors")
            self.table.score = self._column(columns, 2, order, "scores")
            kind = np.concatenate(columns[3]).astype(np.int8, copy=False)
            columns[3] = []
            self.table.kind = kind if order is None else kind[order]
            for position, verdicts in self._verdicts:
                first = int(np.searchsorted(self.table.need, position))
                for offset, verdict in enumerate(verdicts):
                    self.table.verdicts[first + offset] = verdict
        return self.table

    @staticmethod
    def _column(
        columns: list[list[Ints]], position: int, order: npt.NDArray[np.intp] | None, what: str
    ) -> Ints:
        """One column joined (its pieces let go) and put in need order."""
        column = as_index(np.concatenate(columns[position]), what)
        columns[position] = []
        return column if order is None else column[order]
