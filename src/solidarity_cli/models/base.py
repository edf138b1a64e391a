"""Shared types: the strict base model, slugs, ISO codes, multilingual text, money, periods."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

from solidarity_cli import standards

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_NEED_REF = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
_LANG = re.compile(r"^([a-z]{2,3})(?:-([A-Z]{2}|[0-9]{3}))?$")


class Model(BaseModel):
    """Base of every schema: unknown keys are errors, values are frozen once loaded."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        use_enum_values=False,
        validate_default=False,
    )


def _code_check(kind: str, table: Callable[[], frozenset[str]]) -> Callable[[str], str]:
    """A validator that upper-cases a code and looks it up in an ISO table."""

    def check(value: str) -> str:
        code = value.upper()
        if code not in table():
            raise ValueError(f"{value!r} is not a known {kind}")
        return code

    return check


_check_country = _code_check("ISO 3166-1 country code (e.g. CV, BR)", standards.country_codes)
_check_subdivision = _code_check(
    "ISO 3166-2 subdivision code (e.g. CV-PN, BR-BA)", standards.subdivision_codes
)
_check_currency = _code_check(
    "ISO 4217 currency code (e.g. CVE, EUR, BRL, USD)", standards.currency_codes
)


@functools.cache
def _check_language(value: str) -> str:
    match = _LANG.match(value)
    if match is None or match.group(1) not in standards.language_codes():
        raise ValueError(
            f"{value!r} is not an ISO 639 language code (e.g. pt, en, fr, es, kea, pt-BR)"
        )
    return value


def _check_need_ref(value: str) -> str:
    if _NEED_REF.match(value) is None:
        raise ValueError(f"{value!r} is not a need reference: write <strategy-id>/<need-id>")
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
]
"""A lowercase identifier made of letters, digits and single hyphens."""

CountryCode = Annotated[str, AfterValidator(_check_country)]
SubdivisionCode = Annotated[str, AfterValidator(_check_subdivision)]
CurrencyCode = Annotated[str, AfterValidator(_check_currency)]
LanguageCode = Annotated[str, AfterValidator(_check_language)]
NeedRef = Annotated[str, AfterValidator(_check_need_ref)]
Text = Annotated[str, StringConstraints(min_length=1)]
GitHubHandle = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$")]

MultilingualText = Annotated[dict[LanguageCode, Text], Field(min_length=1)]
"""Text in one or more languages, keyed by ISO 639 code: ``{pt: ..., en: ...}``."""

NonNegative = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)]


class Maintainer(Model):
    """A person allowed to speak for a record in pull requests (its GitHub handle)."""

    name: Text
    github: GitHubHandle
    role: Text | None = None


class Money(Model):
    """An amount in one ISO 4217 currency, with the date its value is taken at (IATI value-date)."""

    amount: NonNegative
    currency: CurrencyCode
    value_date: dt.date | None = None


class Period(Model):
    """A closed range of dates; ``end`` on or after ``start``."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the period, both ends included."""
        return self.start <= day <= self.end


class DocumentLink(Model):
    """A document: a web address or a path inside the repository (IATI document-link)."""

    title: MultilingualText
    url: HttpUrl | None = None
    path: str | None = None
    category: Annotated[str, StringConstraints(pattern=r"^[AB][0-9]{2}$")] | None = Field(
        default=None, description="IATI DocumentCategory code, e.g. A07 for an evaluation"
    )
    language: LanguageCode | None = None
    date: dt.date | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> DocumentLink:
        if self.url is None and self.path is None:
            raise ValueError("a document needs a url or a path inside the repository")
        return self


class Source(Model):
    """A count with the year it refers to and where it comes from."""

    count: Annotated[int, Field(ge=0)]
    year: Annotated[int, Field(ge=1900, le=2100)]
    source: Text
