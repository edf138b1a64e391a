"""What a match gives: proposals, unmet needs, donors with capacity left, as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from solidarity_cli.matching.scoring import Score

JSON_VERSION = 1


@dataclass(frozen=True)
class Proposal:
    """Support proposed from one donor to one need."""

    id: str
    community: str
    need: str
    donor: str
    amount: Decimal | None
    currency: str | None
    amount_base: Decimal | None
    days: int | None
    score: Score
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "community": self.community,
            "need": self.need,
            "donor": self.donor,
            "amount": None
            if self.amount is None
            else {"value": str(self.amount), "currency": self.currency},
            "amount_base": None if self.amount_base is None else str(self.amount_base),
            "days": self.days,
            "weight": self.score.total,
            "score": self.score.as_dict(),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Unmet:
    """A need left (partly) without support, and why."""

    community: str
    need: str
    remaining: Decimal | int
    unit: str
    reason: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "community": self.community,
            "need": self.need,
            "remaining": {"value": str(self.remaining), "unit": self.unit},
            "reason": self.reason,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class DonorLeft:
    """What a donor can still give after the proposals."""

    donor: str
    money_declared: Decimal
    money_committed: Decimal
    money_proposed: Decimal
    money_left: Decimal
    days_left: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "donor": self.donor,
            "money": {
                "declared": str(self.money_declared),
                "committed": str(self.money_committed),
                "proposed": str(self.money_proposed),
                "left": str(self.money_left),
            },
            "days_left": dict(sorted(self.days_left.items())),
        }


@dataclass
class MatchResult:
    """Everything ``solidarity match`` prints."""

    as_of: dt.date
    base_currency: str
    objective: dict[str, Any]
    proposals: list[Proposal]
    unmet: list[Unmet]
    donors: list[DonorLeft]
    candidates: dict[str, Any] | None = None
    open_needs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``solidarity match --format json``."""
        out: dict[str, Any] = {
            "version": JSON_VERSION,
            "as_of": self.as_of.isoformat(),
            "base_currency": self.base_currency,
            "objective": self.objective,
            "proposals": [p.to_dict() for p in self.proposals],
            "unmet": [u.to_dict() for u in self.unmet],
            "donors": [d.to_dict() for d in self.donors],
        }
        if self.candidates is not None:
            out["candidates"] = self.candidates
        return out
