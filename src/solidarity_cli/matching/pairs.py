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
    _weights: npt.NDArray[np.float64] | None = field(default=None, repr=False, compare=False)

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

    def weights(self) -> npt.NDArray[np.float64]:
        """The score total of every pair (computed once: the table is complete when read)."""
        if self._weights is None:
            totals = np.fromiter(
                (s.total for s in self.scores), dtype=np.float64, count=len(self.scores)
            )
            self._weights = (
                totals[self.score] if len(self.scores) else np.zeros(len(self), dtype=np.float64)
            )
        return self._weights


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
        """The table of every pair added, ordered by need."""
        if self._chunks:
            need, donor, score, kind = (
                np.concatenate(parts) for parts in zip(*self._chunks, strict=True)
            )
            if need.size > 1 and bool(np.any(need[1:] < need[:-1])):
                order = np.argsort(need, kind="stable")
                need, donor, score, kind = need[order], donor[order], score[order], kind[order]
            self.table.need = need.astype(np.int32, copy=False)
            self.table.donor = donor.astype(np.int32, copy=False)
            self.table.score = score.astype(np.int32, copy=False)
            self.table.kind = kind.astype(np.int8, copy=False)
            for position, verdicts in self._verdicts:
                first = int(np.searchsorted(self.table.need, position))
                for offset, verdict in enumerate(verdicts):
                    self.table.verdicts[first + offset] = verdict
        return self.table
