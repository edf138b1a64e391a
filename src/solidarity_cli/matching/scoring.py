"""How strongly a pair is favoured: the community's priority first, with a readable breakdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from solidarity_cli.matching.problem import OpenNeed
from solidarity_cli.models.settings import MatchWeights
from solidarity_cli.words import M_

FIT_CATEGORIES = 6


@dataclass(frozen=True)
class Score:
    """Each component in [0, 1] and the weighted total that the allocation maximises."""

    priority: float
    urgency: float
    fit: float
    solidarity: float
    total: float

    def as_dict(self) -> dict[str, float]:
        """Plain data for JSON."""
        return {
            "priority": self.priority,
            "urgency": self.urgency,
            "fit": self.fit,
            "solidarity": self.solidarity,
            "total": self.total,
        }

    def explain(self, rank: int, of: int) -> list[str]:
        """The breakdown in words, to be said in the reader's language."""
        return [
            M_(
                "priority {priority}: rank {rank} of {of} open needs, set by the community",
                priority=_two(self.priority),
                rank=rank,
                of=of,
            ),
            M_("urgency {urgency}: from the need's own timeframe", urgency=_two(self.urgency)),
            M_(
                "fit {fit}: how specifically the donor's preferences match",
                fit=_two(self.fit),
            ),
            M_(
                "solidarity {solidarity}: communities that received least so far come first",
                solidarity=_two(self.solidarity),
            ),
        ]


def _two(value: float) -> Decimal:
    """A component with two decimals, written the reader's way (``0.87``, ``0,87``)."""
    return Decimal(f"{value:.2f}")


def urgency(need: OpenNeed, as_of: dt.date) -> float:
    """1 when the need is due within three months, falling to 0 three years out."""
    frame = need.need.timeframe
    if frame is None:
        return 0.5
    days = (frame.end - as_of).days
    if days <= 90:
        return 1.0
    if days >= 1095:
        return 0.0
    return round(1 - (days - 90) / (1095 - 90), 4)


Base = tuple[float, float, float]
"""What a need's pairs share: priority, urgency and solidarity, each in [0, 1]."""


def need_base(rank: int, of: int, need: OpenNeed, solidarity: float, as_of: dt.date) -> Base:
    """The components of a need's score that no donor changes."""
    priority = round((of - rank + 1) / of, 4) if of else 1.0
    return priority, urgency(need, as_of), round(solidarity, 4)


def with_fit(base: Base, fit: int, weights: MatchWeights) -> Score:
    """The weighted score of a pair: its need's base and how many preferences the donor states."""
    priority, urgent, solidarity = base
    fitted = round(min(fit, FIT_CATEGORIES) / FIT_CATEGORIES, 4)
    total = (
        weights.priority * priority
        + weights.urgency * urgent
        + weights.fit * fitted
        + weights.solidarity * solidarity
    ) / (weights.priority + weights.urgency + weights.fit + weights.solidarity)
    return Score(priority, urgent, fitted, solidarity, round(total, 4))
