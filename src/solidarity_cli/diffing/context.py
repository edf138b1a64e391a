"""What the sentences need to know about both states: names, money in the base currency."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from solidarity_cli.dataset import Dataset
from solidarity_cli.diffing.values import Amount
from solidarity_cli.models.base import Money
from solidarity_cli.money import Converter, MissingRate
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.words import M_, Words


@dataclass
class Context:
    """The two datasets being compared, and the head's exchange rates."""

    base: Dataset
    head: Dataset
    converter: Converter = field(init=False)
    hidden: frozenset[str] = field(init=False)
    """The ids of anonymous donors, in either state, and of donors whose file cannot be read in
    either (nothing says they are not anonymous): never shown."""

    def __post_init__(self) -> None:
        self.converter = Converter(self.head.settings or self.base.settings)
        states = (self.base, self.head)
        read = self.base.donors.keys() | self.head.donors.keys()
        self.hidden = frozenset(
            did for ds in states for did, donor in ds.donors.items() if donor.is_anonymous
        ) | frozenset(
            did
            for ds in states
            for kind, did in ds.unreadable
            if kind is RecordKind.DONOR and did not in read
        )

    def stand_in(self, kind: RecordKind, key: str, path: str) -> tuple[str, str]:
        """The id and path shown for a record: an anonymous donor's are a digest of its id."""
        if kind is not RecordKind.DONOR or key not in self.hidden:
            return key, path
        digest = hashlib.sha256(key.encode()).hexdigest()[:10]
        return f"anonymous-{digest}", f"{path.rpartition('/')[0]}/anonymous-{digest}.yaml"

    def amount(self, money: Money, day: dt.date) -> Amount:
        """Money in its currency and in the base currency on ``day`` (when a rate is known)."""
        try:
            base_value: object = self.converter.to_base(money, day)
        except MissingRate:
            base_value = None
        return Amount(
            money.amount,
            money.currency,
            base_value if isinstance(base_value, type(money.amount)) else None,
            self.converter.base,
        )

    def donor(self, donor_id: str) -> str | Words:
        """A donor's public name: never the name of one who asked to stay anonymous."""
        donor = self.head.donors.get(donor_id) or self.base.donors.get(donor_id)
        if donor is None:
            return donor_id
        if donor.is_anonymous or donor.name is None:
            return M_("an anonymous donor")
        return donor.name

    def community(self, community_id: str) -> str:
        """A community's name, else its id."""
        community = self.head.communities.get(community_id) or self.base.communities.get(
            community_id
        )
        return community.name if community is not None else community_id
