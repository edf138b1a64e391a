"""Communities: a village or neighbourhood organised in an association of inhabitants."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import (
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from solidarity_cli.models.base import (
    CountryCode,
    Date,
    LanguageCode,
    Maintainer,
    Model,
    Money,
    MultilingualText,
    OrgId,
    Slug,
    Source,
    SubdivisionCode,
    Text,
    schema_rules,
)
from solidarity_cli.words import M_

#: Countries whose communities must say which island they are on.
ISLAND_COUNTRIES = frozenset({"CV", "ST", "KM", "MU", "SC", "FJ", "PH", "ID"})


class PrivateField(enum.StrEnum):
    """Top-level fields a community may keep out of every published report."""

    LOCATION = "location"
    POPULATION = "population"
    HOUSEHOLDS = "households"
    ASSOCIATION = "association"
    SOLIDARITY_FUND = "solidarity_fund"
    MAINTAINERS = "maintainers"


class CommunityKind(enum.StrEnum):
    """What kind of local territorial unit a community is."""

    VILLAGE = "village"
    NEIGHBOURHOOD = "neighbourhood"
    LOCALITY = "locality"


class Precision(enum.StrEnum):
    """How exact a location is; public records keep places approximate."""

    EXACT = "exact"
    APPROXIMATE = "approximate"


class Location(Model):
    """Where the community is, in WGS 84 degrees."""

    lat: Annotated[StrictFloat, Field(ge=-90, le=90)]
    lon: Annotated[StrictFloat, Field(ge=-180, le=180)]
    precision: Precision = Precision.APPROXIMATE


class Governance(Model):
    """How the association takes its decisions."""

    decision_body: Text = Field(
        description="The body that adopts strategies, e.g. general assembly"
    )
    board: Text | None = None
    meets: Text | None = Field(default=None, description="How often, e.g. every month")
    women_in_board: Annotated[StrictInt, Field(ge=0)] | None = None


class Association(Model):
    """The inhabitants' association that speaks for the community."""

    name: Text
    legal_form: Text
    founded: Date | None = None
    registration: Text | None = None
    governance: Governance


class SolidarityFund(Model):
    """The community's own fund, fed by members and by what it gives forward."""

    exists: StrictBool
    balance: Money | None = None
    rules: MultilingualText | None = None


class Community(Model):
    """A record in ``data/communities/<id>/community.yaml``."""

    model_config = schema_rules(
        {
            "if": {"properties": {"country": {"enum": sorted(ISLAND_COUNTRIES)}}},
            "then": {"required": ["island"]},
        }
    )

    id: Slug
    name: Text
    kind: CommunityKind
    country: CountryCode
    subdivision: SubdivisionCode
    island: Text | None = None
    location: Location | None = None
    population: Source | None = None
    households: Source | None = None
    association: Association
    org_id: OrgId | None = Field(
        default=None, description="Organisation identifier (org-id.guide), e.g. GB-CHC-1234567"
    )
    platforms: list[Slug] = Field(default_factory=list)
    languages: Annotated[list[LanguageCode], Field(min_length=1)]
    solidarity_fund: SolidarityFund | None = None
    private: list[PrivateField] = Field(
        default_factory=list, description="Top-level fields kept out of published reports"
    )
    maintainers: list[Maintainer] = Field(default_factory=list)
    description: MultilingualText | None = None

    @field_validator("subdivision")
    @classmethod
    def _in_country(cls, subdivision: str, info: ValidationInfo) -> str:
        country = info.data.get("country")
        if country is not None and not subdivision.startswith(country + "-"):
            raise ValueError(
                M_(
                    "subdivision {subdivision} is not in country {country}",
                    subdivision=subdivision,
                    country=country,
                )
            )
        return subdivision

    @model_validator(mode="after")
    def _island_where_there_are_islands(self) -> Community:
        if self.country in ISLAND_COUNTRIES and self.island is None:
            raise ValueError(
                M_(
                    "communities in {country} must say which island they are on",
                    country=self.country,
                )
            )
        return self
