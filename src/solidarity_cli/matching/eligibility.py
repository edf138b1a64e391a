"""Whether a donor may be proposed to a need, seen from both sides, with the reason either way."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from solidarity_cli.dataset import Dataset
from solidarity_cli.matching.problem import SUPPORT_FOR, DonorSupply, OpenNeed
from solidarity_cli.models.agreement import AgreementStatus
from solidarity_cli.models.community import Community
from solidarity_cli.words import M_


class Exclusion(enum.StrEnum):
    """Why a pair was left out, grouped for the unmet-needs report."""

    DECLINED = "declined"
    ALREADY_PROPOSED = "already-proposed"
    KIND = "kind-of-support"
    TIME = "time-window"
    PREFERENCE = "donor-preference"
    CONDITION = "community-condition"
    SIZE = "partnership-size"


@dataclass(frozen=True)
class Verdict:
    """The outcome for one (need, donor) pair."""

    eligible: bool
    reasons: tuple[str, ...]
    """Why it was kept (what matched) or why it was excluded."""
    exclusion: Exclusion | None = None
    fit: tuple[str, ...] = ()
    """The donor preferences this need specifically meets."""


@dataclass
class History:
    """Earlier agreements between needs and donors that shape what may be proposed again."""

    declined: dict[tuple[str, str], str]
    pending: dict[tuple[str, str], str]
    declined_by_need: dict[str, set[str]] = field(default_factory=dict)
    """Donors per need, for checking many donors at once."""
    pending_by_need: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ref, did in self.declined:
            self.declined_by_need.setdefault(ref, set()).add(did)
        for ref, did in self.pending:
            self.pending_by_need.setdefault(ref, set()).add(did)

    @classmethod
    def of(cls, ds: Dataset) -> History:
        declined: dict[tuple[str, str], str] = {}
        pending: dict[tuple[str, str], str] = {}
        for aid, agreement in sorted(ds.agreements.items()):
            for ref in agreement.needs:
                key = (ref, agreement.donor)
                if agreement.status in (AgreementStatus.DECLINED, AgreementStatus.CANCELLED):
                    declined[key] = aid
                elif agreement.status in (AgreementStatus.PROPOSED, AgreementStatus.NEGOTIATING):
                    pending[key] = aid
        return cls(declined, pending)


def judge(
    need: OpenNeed,
    supply: DonorSupply,
    community: Community,
    history: History,
    as_of: dt.date,
) -> Verdict:
    """Check a pair against the donor's offer and preferences and the community's conditions."""
    donor = supply.donor
    key = (need.ref, donor.id)
    if key in history.declined:
        return Verdict(
            False,
            (
                M_(
                    "the community declined {donor} for this need (agreement {agreement})",
                    donor=donor.id,
                    agreement=history.declined[key],
                ),
            ),
            Exclusion.DECLINED,
        )
    if key in history.pending:
        return Verdict(
            False,
            (
                M_(
                    "already proposed to {donor} (agreement {agreement})",
                    donor=donor.id,
                    agreement=history.pending[key],
                ),
            ),
            Exclusion.ALREADY_PROPOSED,
        )
    kinds = SUPPORT_FOR[need.need.kind]
    windows = [(k, start, end) for k, start, end in supply.windows if k in kinds]
    if not windows:
        wanted = " / ".join(sorted(k.value for k in kinds))
        return Verdict(
            False,
            (
                M_(
                    "{donor} offers no {kinds} support on {day}",
                    donor=donor.id,
                    kinds=wanted,
                    day=as_of,
                ),
            ),
            Exclusion.KIND,
        )
    frame = need.need.timeframe
    if (
        frame is not None
        and frame.start is not None
        and all(end < frame.start for _, _, end in windows)
    ):
        last = max(end for _, _, end in windows)
        return Verdict(
            False,
            (
                M_(
                    "the capacity of {donor} ends on {end}, before the need starts on {start}",
                    donor=donor.id,
                    end=last,
                    start=frame.start,
                ),
            ),
            Exclusion.TIME,
        )

    prefs = donor.preferences
    fit: list[str] = []
    checks = [
        (M_("countries"), prefs.countries, [community.country]),
        (M_("subdivisions"), prefs.subdivisions, [community.subdivision]),
        (M_("dimensions"), prefs.dimensions, [need.need.dimension]),
        (M_("need kinds"), [k.value for k in prefs.need_kinds], [need.need.kind.value]),
        (M_("languages"), prefs.languages, community.languages),
    ]
    for label, wanted_values, have in checks:
        if not wanted_values:
            continue
        if not set(wanted_values) & set(have):
            return Verdict(
                False,
                (
                    M_(
                        "{donor} prefers {label} {wanted}; this need has {have}",
                        donor=donor.id,
                        label=label,
                        wanted=", ".join(wanted_values),
                        have=", ".join(have),
                    ),
                ),
                Exclusion.PREFERENCE,
            )
        fit.append(
            M_(
                "{label}: {values}",
                label=label,
                values=", ".join(sorted(set(wanted_values) & set(have))),
            )
        )
    if prefs.sectors:
        codes = {(s.vocabulary, s.code) for s in need.need.sectors}
        wanted_sectors = {(s.vocabulary, s.code) for s in prefs.sectors}
        if not codes & wanted_sectors:
            listed = ", ".join(sorted(code for _, code in wanted_sectors))
            return Verdict(
                False,
                (
                    M_(
                        "{donor} prefers sectors {listed}; this need has none of them",
                        donor=donor.id,
                        listed=listed,
                    ),
                ),
                Exclusion.PREFERENCE,
            )
        fit.append(
            M_(
                "{label}: {values}",
                label=M_("sectors"),
                values=", ".join(sorted(code for _, code in codes & wanted_sectors)),
            )
        )

    conditions = need.strategy.donor_conditions
    if donor.kind in conditions.refused_donor_kinds:
        return Verdict(
            False,
            (
                M_(
                    "the community does not work with donors of kind {kind}",
                    kind=donor.kind.value,
                ),
            ),
            Exclusion.CONDITION,
        )
    if conditions.require_giving_forward and not donor.accepts_giving_forward:
        return Verdict(
            False,
            (
                M_(
                    "the community asks donors to accept giving forward; "
                    "{donor} has not said it does",
                    donor=donor.id,
                ),
            ),
            Exclusion.CONDITION,
        )
    if conditions.reporting_languages and donor.languages:
        shared = set(conditions.reporting_languages) & set(donor.languages)
        if not shared:
            return Verdict(
                False,
                (
                    M_(
                        "the community reports in {languages}; {donor} reads {reads}",
                        languages=", ".join(conditions.reporting_languages),
                        donor=donor.id,
                        reads=", ".join(donor.languages),
                    ),
                ),
                Exclusion.CONDITION,
            )
    refused = [c for c in donor.conditions if c.type not in conditions.accepted_condition_types]
    if refused:
        types = ", ".join(sorted({c.type.value for c in refused}))
        return Verdict(
            False,
            (
                M_(
                    "{donor} attaches {types} conditions the community has not accepted",
                    donor=donor.id,
                    types=types,
                ),
            ),
            Exclusion.CONDITION,
        )

    if need.money and supply.min_per_partnership and need.remaining < supply.min_per_partnership:
        return Verdict(
            False,
            (
                M_(
                    "what remains of the need is below the minimum per partnership of {donor}",
                    donor=donor.id,
                ),
            ),
            Exclusion.SIZE,
        )
    kept: list[str] = [
        M_(
            "{donor} offers {kinds} support",
            donor=donor.id,
            kinds=", ".join(sorted({k.value for k, _, _ in windows})),
        )
    ]
    kept += [M_("matches the donor's {fit}", fit=f) for f in fit]
    return Verdict(True, tuple(kept), None, tuple(fit))


@dataclass(frozen=True)
class Reach:
    """The donors a donor index leaves for a need, from the widest set to the narrowest."""

    everyone: int
    """How many donors the network has."""
    offering: frozenset[str]
    """Offering a kind of support that meets the need."""
    preferring: frozenset[str]
    """Of those, the ones whose preferences admit it."""
    candidates: frozenset[str]
    """Of those, the ones that meet the community's conditions."""


def count_exclusions(
    need: OpenNeed,
    reach: Reach,
    admitted: int,
    history: History,
    ending: tuple[int, int, int],
    latest_end: Callable[[str], int],
) -> Counter[Exclusion]:
    """How many donors were left out of a need, by reason, as ``judge`` would say it of each.

    ``judge`` names the first check a pair fails, in its order: kind, then history, time,
    preferences, conditions and size. A donor index applies the checks in another order, so
    the counts are made from set sizes: ``ending`` says how many of the offering, preferring
    and candidate donors have no window reaching the need's start (zeros when it has none);
    the few donors named by history are counted one by one, with ``latest_end`` of each.
    ``admitted`` is how many candidates passed every check.
    """
    counts: Counter[Exclusion] = Counter()
    counts[Exclusion.KIND] = reach.everyone - len(reach.offering)
    declined = history.declined_by_need.get(need.ref, set()) & reach.offering
    pending = (history.pending_by_need.get(need.ref, set()) & reach.offering) - declined
    named = declined | pending
    counts[Exclusion.DECLINED] = len(declined)
    counts[Exclusion.ALREADY_PROPOSED] = len(pending)
    frame = need.need.timeframe
    start = frame.start.toordinal() if frame is not None and frame.start is not None else None
    late = {d for d in named if start is not None and latest_end(d) < start}

    def clear(donors: frozenset[str], ending: int) -> int:
        """How many of ``donors`` pass history and time."""
        return len(donors) - len(named & donors) - (ending - len(late & donors))

    offering = clear(reach.offering, ending[0])
    preferring = clear(reach.preferring, ending[1])
    candidates = clear(reach.candidates, ending[2])
    counts[Exclusion.TIME] = len(reach.offering) - len(named) - offering
    counts[Exclusion.PREFERENCE] = offering - preferring
    counts[Exclusion.CONDITION] = preferring - candidates
    counts[Exclusion.SIZE] = candidates - admitted
    return counts


def stated_preferences(supply: DonorSupply) -> int:
    """How many kinds of preference a donor states (each met by any pair it is admitted to)."""
    prefs = supply.donor.preferences
    listed = (
        prefs.countries,
        prefs.subdivisions,
        prefs.dimensions,
        prefs.need_kinds,
        prefs.languages,
        prefs.sectors,
    )
    return sum(1 for values in listed if values)
