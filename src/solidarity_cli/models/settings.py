"""The repository's settings file, ``solidarity.yaml``."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Field, StrictFloat, StrictInt

from solidarity_cli.models.base import (
    CurrencyCode,
    Date,
    LanguageCode,
    Model,
    MultilingualText,
    PositiveNumber,
    Text,
)


class ExchangeRate(Model):
    """How many units of ``currency`` one unit of the base currency buys, from a date on."""

    currency: CurrencyCode
    units_per_base: PositiveNumber
    valid_from: Date
    source: Text | None = None


class Level(enum.StrEnum):
    """A severity a rule can be set to, or ``off``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


class PathIgnore(Model):
    """Rules that do not apply to some files."""

    paths: Annotated[
        list[Text], Field(min_length=1, description="Glob patterns, e.g. data/donors/*")
    ]
    rules: Annotated[list[Text], Field(min_length=1, description="Codes, code prefixes or names")]


class RuleSettings(Model):
    """Which rules run, how severe they are, and their options."""

    select: list[Text] = Field(
        default_factory=list, description="Codes, code prefixes (ND, PA0) or names; empty: all"
    )
    ignore: list[Text] = Field(default_factory=list, description="Codes, prefixes or names")
    severity: dict[str, Level] = Field(
        default_factory=dict, description="Code or name -> error, warning, info or off"
    )
    options: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Code or name -> the rule's options"
    )
    per_path_ignores: list[PathIgnore] = Field(default_factory=list)


class MatchWeights(Model):
    """How much each part of a pair's score counts; the community's priority counts most."""

    priority: Annotated[StrictFloat, Field(ge=0)] = 0.4
    urgency: Annotated[StrictFloat, Field(ge=0)] = 0.2
    fit: Annotated[StrictFloat, Field(ge=0)] = 0.2
    solidarity: Annotated[StrictFloat, Field(ge=0)] = 0.2


class MatchSettings(Model):
    """Settings of ``solidarity match``."""

    weights: MatchWeights = Field(default_factory=MatchWeights)
    time_limit_seconds: Annotated[StrictFloat, Field(gt=0, le=600)] = 0.2
    """How long CP-SAT may search the whole-need assignment beyond its relaxation, in CP-SAT's
    deterministic time (roughly seconds of one fast core; the same data stops at the same point
    anywhere). Raise it to search longer on large networks; the proven gap is reported."""
    money_time_limit_seconds: Annotated[StrictFloat, Field(gt=0, le=600)] = 0.5
    """How long CP-SAT may search the money allocation in whole steps with donors' minimums,
    in deterministic time; it stops earlier once proven within 1e-7 of the best possible."""
    rounding: dict[CurrencyCode, PositiveNumber] = Field(
        default_factory=dict,
        description="Currency -> the step proposals are rounded to, e.g. {CVE: 100, EUR: 10}; "
        "default: the largest power of ten worth no more than one unit of the base currency",
    )


class IatiSettings(Model):
    """How the network names itself when it publishes to IATI and 360Giving."""

    organisation: Annotated[
        str,
        Field(
            pattern=r"^[A-Z]{2}-[A-Za-z0-9]+-[A-Za-z0-9._-]+$",
            description="The network's organisation identifier, e.g. XI-IATI-EXAMPLE",
        ),
    ]
    organisation_type: Annotated[
        str, Field(pattern=r"^[0-9]{2}$", description="IATI OrganisationType code, e.g. 21")
    ] = "21"


class ReadingLimits(Model):
    """Bounds on what one file may hold; a file beyond them is a finding, not a slow run."""

    max_file_bytes: Annotated[int, Field(gt=0, le=1 << 30)] = 1 << 20
    max_depth: Annotated[int, Field(ge=4, le=200)] = 20
    max_needs: Annotated[int, Field(gt=0)] = 2000
    """Needs in one strategy."""
    max_indicators: Annotated[int, Field(gt=0)] = 500
    """Indicators in one partnership agreement."""


class Settings(Model):
    """Network-wide settings at the root of a data repository."""

    version: Annotated[StrictInt, Field(ge=1, le=1)] = 1
    name: MultilingualText
    default_language: LanguageCode = "en"
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"])
    base_currency: CurrencyCode = "EUR"
    exchange_rates: list[ExchangeRate] = Field(default_factory=list)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    matching: MatchSettings = Field(default_factory=MatchSettings)
    iati: IatiSettings | None = Field(
        default=None, description="Needed by export --format iati and 360giving"
    )
    limits: ReadingLimits = Field(default_factory=ReadingLimits)
