"""Micro-regional dialogue platforms, territory networks and the national federation."""

from __future__ import annotations

import enum

from pydantic import Field, model_validator

from solidarity_cli.models.base import (
    CountryCode,
    Date,
    Maintainer,
    Model,
    MultilingualText,
    Slug,
    SubdivisionCode,
    Text,
    schema_rules,
)
from solidarity_cli.words import M_


class PlatformKind(enum.StrEnum):
    """What kind of body a platform is."""

    MICRO_REGIONAL_PLATFORM = "micro-regional-platform"
    NATIONAL_FEDERATION = "national-federation"
    TERRITORY_NETWORK = "territory-network"


class Sector(enum.StrEnum):
    """Which part of society a platform member comes from."""

    COMMUNITY = "community"
    PUBLIC = "public"
    PRIVATE = "private"
    NGO = "ngo"
    ACADEMIC = "academic"


class Scope(Model):
    """Where a platform works."""

    country: CountryCode
    subdivisions: list[SubdivisionCode] = Field(default_factory=list)
    islands: list[Text] = Field(default_factory=list)


class Member(Model):
    """A member of a platform: a community of the network or another entity."""

    model_config = schema_rules(
        {"anyOf": [{"required": ["sector"]}, {"required": ["platform"]}]},
        {
            "if": {"required": ["community"]},
            "then": {"required": ["sector"], "properties": {"sector": {"const": "community"}}},
        },
    )

    name: Text
    sector: Sector | None = Field(
        default=None, description="Required unless the member is a platform of the network"
    )
    community: Slug | None = Field(
        default=None, description="The community's id when the member is one of ours"
    )
    platform: Slug | None = Field(
        default=None, description="The platform's id when a federation lists its platforms"
    )
    joined: Date | None = None

    @model_validator(mode="after")
    def _sector(self) -> Member:
        if self.sector is None and self.platform is None:
            raise ValueError(
                M_("a member needs its sector: community, public, private, ngo or academic")
            )
        if self.community is not None and self.sector is not Sector.COMMUNITY:
            raise ValueError(M_("a member that names a community must have sector: community"))
        return self


class Platform(Model):
    """A record in ``data/platforms/<id>.yaml``."""

    id: Slug
    name: MultilingualText
    kind: PlatformKind
    scope: Scope
    parent: Slug | None = Field(default=None, description="The platform this one belongs to")
    founded: Date | None = None
    description: MultilingualText | None = None
    members: list[Member] = Field(default_factory=list)
    maintainers: list[Maintainer] = Field(
        default_factory=list,
        description="Who approves changes to this platform's file (a national federation's "
        "maintainers also approve the network's settings, rules and vocabularies)",
    )
