"""Values inside the sentences of a diff, said the reader's way when the sentence is rendered.

A sentence is a ``Words`` (``M_``): its English text is built with these values' ``str``, and
``speak`` says it again in another language, formatting amounts, dates and code words there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.words import Words

_ENGLISH = Locale("en")


@dataclass(frozen=True)
class Amount:
    """Money in its own currency and, when they differ, in the network's base currency."""

    value: Decimal
    currency: str
    base_value: Decimal | None = None
    base: str = ""

    def said(self, loc: Locale) -> str:
        """The amount as the reader writes it."""
        own = loc.money(self.value, self.currency)
        if self.base_value is None or self.currency == self.base:
            return own
        return f"{own} ({loc.money(self.base_value, self.base)})"

    def __str__(self) -> str:
        return self.said(_ENGLISH)


@dataclass(frozen=True)
class Day:
    """A date."""

    day: dt.date

    def said(self, loc: Locale) -> str:
        """The date in the reader's medium format."""
        return loc.date(self.day)

    def __str__(self) -> str:
        return self.said(_ENGLISH)


@dataclass(frozen=True)
class Label:
    """A code word (a status, a kind) that the catalogs translate."""

    code: str

    def said(self, loc: Locale) -> str:
        """The word in the reader's language."""
        return loc.gettext(self.code)

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Named:
    """Text the data gives in several languages (a title): the reader's, else a fallback."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, texts: dict[str, str] | None) -> Named:
        """From a record's multilingual text."""
        return cls(tuple(sorted((texts or {}).items())))

    def said(self, loc: Locale) -> str:
        """The text in the reader's language, else English, else Portuguese."""
        return loc.text(dict(self.texts))[0]

    def __str__(self) -> str:
        return self.said(_ENGLISH)


@dataclass(frozen=True)
class Number:
    """A measured value (an indicator's)."""

    value: Decimal

    def said(self, loc: Locale) -> str:
        """The number as the reader writes it, with its decimals."""
        exponent = self.value.normalize().as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return loc.number(self.value, min(decimals, 4))

    def __str__(self) -> str:
        return self.said(_ENGLISH)


Spoken = Amount | Day | Label | Named | Number


def speak(text: str, loc: Locale) -> str:
    """``text`` in the reader's language, its values formatted the reader's way."""
    if not isinstance(text, Words):
        return loc.gettext(text) if text else text
    if loc.language == "en":
        return str(text)
    values = {
        k: speak(v, loc) if isinstance(v, Words) else v.said(loc) if isinstance(v, Spoken) else v
        for k, v in text.values.items()
    }
    try:
        return loc.gettext(text.template).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(text)
