"""Set indexes that rule out most (need, donor) pairs before any pair is judged one by one.

On a network of 2,000 communities and 1,000 donors there are millions of pairs and only a few
per cent are eligible. The kind of support, the donor's preferences and the community's own
conditions depend on few values, so they are applied as set intersections, cached per distinct
combination; only the survivors go through ``eligibility.judge``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from solidarity_cli.matching.problem import SUPPORT_FOR, DonorSupply, OpenNeed
from solidarity_cli.models.community import Community
from solidarity_cli.models.donor import SupportKind
from solidarity_cli.models.strategy import DonorConditions, NeedKind


class _Preference:
    """Donors with no preference on a field, and donors by each value they prefer."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.by_value: dict[str, set[str]] = defaultdict(set)

    def add(self, donor: str, values: Iterable[str]) -> None:
        listed = list(values)
        if not listed:
            self.open.add(donor)
        for value in listed:
            self.by_value[value].add(donor)

    def accepting(self, among: set[str], values: Iterable[str]) -> set[str]:
        """Donors of ``among`` whose preference (if any) includes one of ``values``."""
        out = among & self.open
        for value in values:
            found = self.by_value.get(value)
            if found:
                out |= among & found
        return out


class DonorIndex:
    """Which donors can be considered for a need, before judging pairs."""

    def __init__(self, supply: dict[str, DonorSupply]) -> None:
        self.supply = supply
        self.everyone = frozenset(supply)
        self.offering: dict[SupportKind, set[str]] = defaultdict(set)
        self.countries, self.subdivisions = _Preference(), _Preference()
        self.dimensions, self.need_kinds = _Preference(), _Preference()
        self.languages, self.sectors = _Preference(), _Preference()
        for did, s in supply.items():
            for kind, _, _ in s.windows:
                self.offering[kind].add(did)
            prefs = s.donor.preferences
            self.countries.add(did, prefs.countries)
            self.subdivisions.add(did, prefs.subdivisions)
            self.dimensions.add(did, prefs.dimensions)
            self.need_kinds.add(did, [k.value for k in prefs.need_kinds])
            self.languages.add(did, prefs.languages)
            self.sectors.add(did, [f"{x.vocabulary.value}:{x.code}" for x in prefs.sectors])
        self._cache: dict[tuple[object, ...], frozenset[str]] = {}
        self._latest: dict[NeedKind, npt.NDArray[np.int64]] = {}
        self._ends: dict[tuple[int, NeedKind], tuple[frozenset[str], npt.NDArray[np.int64]]] = {}
        # Columns by donor position (ids in order), for checking many pairs at once.
        self.ids = sorted(supply)
        self.position = {did: i for i, did in enumerate(self.ids)}
        self.minimums = np.asarray(
            [supply[did].min_per_partnership for did in self.ids], dtype=np.int64
        )
        self.days = {
            kind: np.asarray([supply[did].days.get(kind, 0) for did in self.ids], dtype=np.int64)
            for kind in SupportKind
        }
        self._candidates: dict[tuple[int, int], tuple[frozenset[str], tuple[str, ...]]] = {}

    def offering_for(self, need: OpenNeed) -> frozenset[str]:
        """Donors offering a kind of support that can meet the need."""
        key = ("kind", need.need.kind)
        if key not in self._cache:
            found: set[str] = set()
            for kind in SUPPORT_FOR[need.need.kind]:
                found |= self.offering[kind]
            self._cache[key] = frozenset(found)
        return self._cache[key]

    def preferring(self, need: OpenNeed, community: Community) -> frozenset[str]:
        """Donors among those offering whose preferences admit this need."""
        sectors = tuple(sorted(f"{x.vocabulary.value}:{x.code}" for x in need.need.sectors))
        key = (
            "pref",
            need.need.kind,
            community.country,
            community.subdivision,
            need.need.dimension,
            tuple(community.languages),
            sectors,
        )
        if key not in self._cache:
            found = set(self.offering_for(need))
            found = self.countries.accepting(found, [community.country])
            found = self.subdivisions.accepting(found, [community.subdivision])
            found = self.dimensions.accepting(found, [need.need.dimension])
            found = self.need_kinds.accepting(found, [need.need.kind.value])
            found = self.languages.accepting(found, community.languages)
            found = self.sectors.accepting(found, sectors)
            self._cache[key] = frozenset(found)
        return self._cache[key]

    def latest_end(self, kind: NeedKind) -> npt.NDArray[np.int64]:
        """Per donor position, the ordinal of the last day of its windows for a kind of need."""
        found = self._latest.get(kind)
        if found is None:
            kinds = SUPPORT_FOR[kind]
            found = self._latest[kind] = np.asarray(
                [
                    max(
                        (end for k, _, end in self.supply[did].windows if k in kinds),
                        default=dt.date.min,
                    ).toordinal()
                    for did in self.ids
                ],
                dtype=np.int64,
            )
        return found

    def ends(self, kind: NeedKind, donors: frozenset[str]) -> npt.NDArray[np.int64]:
        """The last day (ordinal) of each of ``donors``' windows for a kind of need, sorted:
        how many end before a day is then one bisection. ``donors`` is a set this index made
        and keeps."""
        key = (id(donors), kind)
        found = self._ends.get(key)
        if found is None:
            latest = self.latest_end(kind)
            positions = np.asarray([self.position[d] for d in donors], dtype=np.int64)
            found = self._ends[key] = (donors, np.sort(latest[positions]))
        return found[1]

    def positions(self, donors: tuple[str, ...]) -> npt.NDArray[np.int64]:
        """The positions of ``donors`` in ``ids``."""
        return np.asarray([self.position[did] for did in donors], dtype=np.int64)

    def candidates(
        self, preferring: frozenset[str], allowed: frozenset[str]
    ) -> tuple[frozenset[str], tuple[str, ...]]:
        """Donors both preferring a need and allowed by its community, as a set and sorted.

        Many needs share the same two sets, which this index caches and keeps alive, so the
        result is cached by their identity.
        """
        key = (id(preferring), id(allowed))
        found = self._candidates.get(key)
        if found is None:
            both = preferring & allowed
            found = self._candidates[key] = (both, tuple(sorted(both)))
        return found

    def allowed(self, conditions: DonorConditions) -> frozenset[str]:
        """Donors that meet a community's own conditions."""
        key = ("conditions", conditions.model_dump_json())
        if key not in self._cache:
            accepted = set(conditions.accepted_condition_types)
            languages = set(conditions.reporting_languages)
            found = set()
            for did, s in self.supply.items():
                donor = s.donor
                if donor.kind in conditions.refused_donor_kinds:
                    continue
                if conditions.require_giving_forward and not donor.accepts_giving_forward:
                    continue
                if languages and donor.languages and not languages & set(donor.languages):
                    continue
                if any(c.type not in accepted for c in donor.conditions):
                    continue
                found.add(did)
            self._cache[key] = frozenset(found)
        return self._cache[key]
