"""What of the network may leave the repository, for every export format.

Fields a community keeps private, maintainers' names, who submitted a report and anonymous
donors (their name, website, description, organisation id and even their id) never leave.
Texts that could hold an e-mail address, a phone or an ID number are withheld by
``withholding.make_public``, the same function every other output goes through: a ``Public``
holds only its copy of the dataset, so that no format can read the records as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.models.community import Community, Location, PrivateField
from solidarity_cli.models.donor import Donor
from solidarity_cli.models.strategy import Need
from solidarity_cli.withholding import make_public

ANONYMOUS = "Anonymous donor"


@dataclass
class Public:
    """The dataset as it may be published, with the day the export describes.

    ``ds`` is given as read and replaced, on creation, by ``make_public``'s copy, in which
    every text the data-protection rules flag is the withheld mark (in the network's
    language); ``withheld`` has one finding per withheld text.
    """

    ds: Dataset
    as_of: dt.date
    withheld: list[Diagnostic] = field(init=False)
    cache: dict[str, Any] = field(init=False, default_factory=dict)
    """Results several formats share (the tables), by name."""
    unreadable: int = 0
    """Files left out because they could not be read or validated (``check`` says why)."""

    def __post_init__(self) -> None:
        shared = make_public(self.ds, self.language)
        self.ds, self.withheld = shared.dataset, shared.withheld

    @property
    def language(self) -> str:
        """The network's default language."""
        return self.ds.settings.default_language if self.ds.settings is not None else "en"

    @property
    def base_currency(self) -> str:
        """The network's base currency."""
        return self.ds.settings.base_currency if self.ds.settings is not None else "EUR"

    def texts(self, values: Mapping[str, str] | None) -> dict[str, str]:
        """Every language of a multilingual text, by language code."""
        return dict(sorted((values or {}).items()))

    def first(self, values: Mapping[str, str] | None) -> str:
        """A multilingual text in the network's language, or else its first language."""
        if not values:
            return ""
        chosen = values.get(self.language) or values[min(values)]
        return chosen

    def need(self, ref: str) -> Need | None:
        """The need named by ``<strategy-id>/<need-id>``, if it exists (as ``Dataset.need``,
        from an index made once rather than a search of the strategy's needs each time)."""
        index: dict[str, Need] | None = self.cache.get("needs")
        if index is None:
            index = {}
            for sid, strategy in self.ds.strategies.items():
                for n in strategy.needs:
                    index.setdefault(f"{sid}/{n.id}", n)  # the first, as Strategy.need finds
            self.cache["needs"] = index
        return index.get(ref)

    # -- donors --------------------------------------------------------------------------
    def donor(self, donor_id: str) -> Donor | None:
        """The donor record, if it exists."""
        return self.ds.donors.get(donor_id)

    def anonymous(self, donor_id: str) -> bool:
        """Whether the donor must not be named (unknown donors are treated as anonymous)."""
        donor = self.ds.donors.get(donor_id)
        return donor is None or donor.is_anonymous

    def donor_ref(self, donor_id: str) -> str:
        """The donor's id, or a stable pseudonym that does not reveal an anonymous donor."""
        if self.anonymous(donor_id):
            return "anonymous-" + hashlib.sha256(donor_id.encode()).hexdigest()[:10]
        return donor_id

    def donor_name(self, donor_id: str) -> str:
        """The donor's name, or ``Anonymous donor``."""
        donor = self.ds.donors.get(donor_id)
        if donor is None or donor.is_anonymous or donor.name is None:
            return ANONYMOUS
        return donor.name

    def donor_org_id(self, donor_id: str) -> str | None:
        """The donor's organisation identifier, never for an anonymous donor."""
        donor = self.ds.donors.get(donor_id)
        return None if donor is None or donor.is_anonymous else donor.org_id

    # -- communities ---------------------------------------------------------------------
    def community(self, community_id: str) -> Community | None:
        """The community record, if it exists."""
        return self.ds.communities.get(community_id)

    def community_name(self, community_id: str) -> str:
        """The community's public name."""
        c = self.ds.communities.get(community_id)
        return c.name if c is not None else community_id

    def implementer(self, community_id: str) -> str:
        """The association's name, or the community's when the association is private."""
        c = self.ds.communities.get(community_id)
        if c is None:
            return community_id
        if PrivateField.ASSOCIATION in c.private:
            return c.name
        return c.association.name

    def location(self, community_id: str) -> Location | None:
        """The community's location unless it keeps it private."""
        c = self.ds.communities.get(community_id)
        if c is None or PrivateField.LOCATION in c.private:
            return None
        return c.location

    def population(self, community_id: str) -> int | None:
        """The community's population unless it keeps it private."""
        c = self.ds.communities.get(community_id)
        if c is None or PrivateField.POPULATION in c.private or c.population is None:
            return None
        return c.population.count
