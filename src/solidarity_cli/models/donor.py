"""Donors: individuals, groups, NGOs, foundations, companies, public bodies, crowdfunding."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, HttpUrl, StrictBool, StrictInt, StringConstraints, model_validator

from solidarity_cli.models.base import (
    CountryCode,
    CurrencyCode,
    Date,
    LanguageCode,
    Maintainer,
    Model,
    MultilingualText,
    NonNegative,
    OrgId,
    Period,
    Slug,
    SubdivisionCode,
    Text,
    schema_rules,
    when,
)
from solidarity_cli.models.codes import ConditionType, DonorKind
from solidarity_cli.models.strategy import NeedKind, SectorCode
from solidarity_cli.words import M_


class SupportKind(enum.StrEnum):
    """What a donor can give."""

    MONEY = "money"
    MATERIAL = "material"
    TECHNICAL_EXPERTISE = "technical-expertise"
    TRAINING = "training"
    VOLUNTEERING = "volunteering"
    TWINNING = "twinning"
    ADVOCACY = "advocacy"


class Recurrence(enum.StrEnum):
    """How often a capacity renews."""

    ONCE = "once"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class AmountRange(Model):
    """How much a donor can give in one currency."""

    min: NonNegative = Decimal(0)
    max: NonNegative
    currency: CurrencyCode

    @model_validator(mode="after")
    def _ordered(self) -> AmountRange:
        if self.max < self.min:
            raise ValueError(M_("max ({max}) is below min ({min})", max=self.max, min=self.min))
        return self


class Capacity(Model):
    """One kind of support a donor offers, for a period."""

    model_config = schema_rules(when("kind", "money", {"required": ["amount"]}))

    kind: SupportKind
    amount: AmountRange | None = None
    days: Annotated[StrictInt, Field(ge=0)] | None = Field(
        default=None, description="Person-days offered, for expertise, training, volunteering"
    )
    period: Period
    recurrence: Recurrence = Recurrence.ONCE
    per_partnership: AmountRange | None = Field(
        default=None, description="Least and most the donor gives to one partnership"
    )
    description: MultilingualText | None = None

    @model_validator(mode="after")
    def _money_has_amount(self) -> Capacity:
        if self.kind is SupportKind.MONEY and self.amount is None:
            raise ValueError(M_("a money capacity needs an amount (min, max, currency)"))
        return self


class Preferences(Model):
    """What a donor prefers to support; an empty list means no preference."""

    countries: list[CountryCode] = Field(default_factory=list)
    subdivisions: list[SubdivisionCode] = Field(default_factory=list)
    dimensions: list[Slug] = Field(default_factory=list)
    sectors: list[SectorCode] = Field(default_factory=list)
    need_kinds: list[NeedKind] = Field(default_factory=list)
    languages: list[LanguageCode] = Field(default_factory=list)


class ProposedCondition(Model):
    """A condition a donor proposes; it never applies unless a community accepts it."""

    id: Slug
    type: ConditionType
    text: MultilingualText


class Consent(Model):
    """Whether a donor agreed to be named in public, and when that was recorded."""

    publish_name: StrictBool
    recorded_on: Date


PrivateReference = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"),
    Field(
        description="Key of the donor's entry in the platform secretariat's private register "
        "(kept outside the public repository), e.g. SEC-2026-014"
    ),
]


class Donor(Model):
    """A record in ``data/donors/<id>.yaml``.

    An anonymous donor needs no real name in the repository (which is public): the record
    carries a ``pseudonym`` shown in reports and a ``private_reference`` to the entry in the
    platform secretariat's private register, outside the repository, where the name and
    contact details live.
    """

    model_config = schema_rules(
        {
            "anyOf": [
                {"required": ["name"]},
                {"properties": {"anonymous": {"const": True}}, "required": ["anonymous"]},
                # Individuals are anonymous unless they say otherwise.
                {
                    "properties": {"kind": {"const": "individual"}, "anonymous": {"type": "null"}},
                    "required": ["kind"],
                },
            ]
        }
    )

    id: Slug
    name: Text | None = Field(
        default=None,
        description="The donor's name; required unless anonymous, and then better left out",
    )
    kind: DonorKind
    country: CountryCode
    anonymous: StrictBool | None = Field(
        default=None, description="Hide the name in reports; defaults to true for individuals"
    )
    pseudonym: Text | None = Field(
        default=None,
        description="What reports call an anonymous donor, e.g. 'A donor of the diaspora'",
    )
    private_reference: PrivateReference | None = None
    consent: Consent | None = None
    website: HttpUrl | None = None
    org_id: OrgId | None = Field(
        default=None, description="Organisation identifier (org-id.guide), e.g. GB-CHC-1234567"
    )
    description: MultilingualText | None = None
    languages: list[LanguageCode] = Field(default_factory=list)
    capacities: list[Capacity] = Field(default_factory=list)
    preferences: Preferences = Field(default_factory=Preferences)
    conditions: list[ProposedCondition] = Field(default_factory=list)
    accepts_giving_forward: StrictBool | None = Field(
        default=None,
        description="Whether the donor accepts that what it supports is partly given forward",
    )
    maintainers: list[Maintainer] = Field(
        default_factory=list,
        description="Who approves changes to this donor's file and, with the community's, "
        "to its partnerships",
    )

    @model_validator(mode="before")
    @classmethod
    def _anonymous_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("anonymous") is None:
            return {**data, "anonymous": data.get("kind") == DonorKind.INDIVIDUAL.value}
        return data

    @model_validator(mode="after")
    def _named_unless_anonymous(self) -> Donor:
        if self.name is None and not self.anonymous:
            raise ValueError(M_("a donor who is not anonymous needs a name"))
        return self

    @property
    def is_anonymous(self) -> bool:
        """Whether reports must hide this donor's name."""
        return bool(self.anonymous)
