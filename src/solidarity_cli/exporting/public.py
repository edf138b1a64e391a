"""What of the network may leave the repository, for every export format.

Fields a community keeps private, maintainers' names, who submitted a report and anonymous
donors (their name, website, description, organisation id and even their id) never leave;
any text value that could hold an e-mail address, a phone or an ID number is withheld whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.models.community import Community, Location, PrivateField
from solidarity_cli.models.donor import Donor
from solidarity_cli.privacy import text_may_be_personal
from solidarity_cli.reading.layout import SETTINGS_FILE, RecordKind

WITHHELD = "[withheld]"
"""What replaces a text that may hold personal data."""

ANONYMOUS = "Anonymous donor"


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)


@dataclass
class Public:
    """The dataset as it may be published, with the day the export describes.

    The loader notes which files may hold personal data (``Dataset.personal``); only their
    texts are searched, once, and the ones found are withheld wherever they appear.
    """

    ds: Dataset
    as_of: dt.date
    withheld: frozenset[str] = field(init=False)
    cache: dict[str, Any] = field(init=False, default_factory=dict)
    """Results several formats share (the tables), by name."""
    unreadable: int = 0
    """Files left out because they could not be read or validated (``check`` says why)."""

    def __post_init__(self) -> None:
        found: set[str] = set()
        for kind, key, record in self.records():
            if self.risky(kind, key):
                found.update(s for s in _strings(record.model_dump()) if text_may_be_personal(s))
        settings, personal = self.ds.settings, self.ds.personal
        if settings is not None and (personal is None or SETTINGS_FILE in personal):
            # The network's name is published too (IATI's reporting organisation, JSON).
            found.update(s for s in _strings(settings.model_dump()) if text_may_be_personal(s))
        self.withheld = frozenset(found)

    def records(self) -> Iterator[tuple[RecordKind, str, Any]]:
        """Every record with its kind and key (reports keyed ``<agreement>/<id>``)."""
        ds = self.ds
        for kind in (
            RecordKind.PLATFORM,
            RecordKind.COMMUNITY,
            RecordKind.STRATEGY,
            RecordKind.DONOR,
            RecordKind.AGREEMENT,
        ):
            for key, record in ds.table(kind).items():
                yield kind, key, record
        for aid, reports in ds.reports.items():
            for rid, report in reports.items():
                yield RecordKind.REPORT, f"{aid}/{rid}", report

    def risky(self, kind: RecordKind, key: str) -> bool:
        """Whether the record's file may hold personal data (every file, when not known)."""
        personal = self.ds.personal
        if personal is None:
            return True
        path = self.ds.paths.get((kind, key))
        return path is None or path in personal

    @property
    def language(self) -> str:
        """The network's default language."""
        return self.ds.settings.default_language if self.ds.settings is not None else "en"

    @property
    def base_currency(self) -> str:
        """The network's base currency."""
        return self.ds.settings.base_currency if self.ds.settings is not None else "EUR"

    def text(self, value: str) -> str:
        """``value``, or ``[withheld]`` when it may hold personal data."""
        return WITHHELD if value in self.withheld else value

    def texts(self, values: Mapping[str, str] | None) -> dict[str, str]:
        """Every language of a multilingual text, each made safe, by language code."""
        return {lang: self.text(v) for lang, v in sorted((values or {}).items())}

    def first(self, values: Mapping[str, str] | None) -> str:
        """A multilingual text in the network's language, or else its first language."""
        if not values:
            return ""
        chosen = values.get(self.language) or values[min(values)]
        return self.text(chosen)

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
        return self.text(donor.name)

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
        return self.text(c.name) if c is not None else community_id

    def implementer(self, community_id: str) -> str:
        """The association's name, or the community's when the association is private."""
        c = self.ds.communities.get(community_id)
        if c is None:
            return community_id
        if PrivateField.ASSOCIATION in c.private:
            return self.text(c.name)
        return self.text(c.association.name)

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
