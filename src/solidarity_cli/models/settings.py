"""The repository's settings file, ``solidarity.yaml``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from solidarity_cli.models.base import (
    CurrencyCode,
    LanguageCode,
    Model,
    MultilingualText,
    Text,
)


class ExchangeRate(Model):
    """How many units of ``currency`` one unit of the base currency buys, from a date on."""

    currency: CurrencyCode
    units_per_base: Annotated[Decimal, Field(gt=0)]
    valid_from: dt.date
    source: Text | None = None


class Settings(Model):
    """Network-wide settings at the root of a data repository."""

    version: Literal[1] = 1
    name: MultilingualText
    default_language: LanguageCode = "en"
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"])
    base_currency: CurrencyCode = "EUR"
    exchange_rates: list[ExchangeRate] = Field(default_factory=list)
