"""Words of findings that can be said again in the reader's language.

A rule writes ``M_("need '{need}' is costed at 0", need=need.id)``: the result is the English
text (a ``str``, so sorting, JSON and tests see plain text), which also keeps its template and
values, so that the command line and the reports can say it in Portuguese, French or Spanish
through the gettext catalogs (``pybabel extract -k M_ -k N_``). Values are never translated
unless they are themselves ``Words``; amounts (``Amount``), decimals and dates among them are
written the reader's way (``11 803,28 EUR`` in French), and ``ngettext`` makes a message whose
form follows a count (``1 record``, ``3 records``) by the catalog's plural rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

Translate = Callable[[str], str]


class Amount(str):
    """``1,234.50 EUR`` in English, with the amount and currency kept to say it another way."""

    amount: Decimal
    currency: str

    def __new__(cls, amount: Decimal, currency: str) -> Amount:
        text = super().__new__(cls, f"{amount:,.2f} {currency}")
        text.amount = amount
        text.currency = currency
        return text


class Words(str):
    """English text with the template and values it was made from."""

    template: str
    plural: str | None
    tally: int | None
    values: dict[str, Any]

    def __new__(
        cls,
        template: str,
        plural: str | None = None,
        count: int | None = None,
        /,
        **values: Any,
    ) -> Words:
        chosen = template if plural is None or count == 1 else plural
        if count is not None:
            values = {"n": count, **values}
        text = super().__new__(cls, chosen.format(**values) if values else chosen)
        text.template = template
        text.plural = plural
        text.tally = count
        text.values = values
        return text

    def said_in(self, translate: Translate, language: str | None = None) -> str:
        """The text in the language of ``translate`` (a gettext function).

        ``language`` (else the ``language`` of the object ``translate`` belongs to) chooses
        the plural form and the way numbers, amounts and dates are written.
        """
        language = language or _language_of(translate)
        if language in (None, "en"):
            language = None
        values = {k: _said(v, translate, language) for k, v in self.values.items()}
        if self.plural is not None and self.tally is not None:
            if language is not None:
                values["n"] = _locale(language).number(self.tally)
            template = _plural(self.template, self.plural, self.tally, translate, language)
        else:
            template = translate(self.template)
        try:
            return template.format(**values) if values else template
        except (KeyError, IndexError, ValueError):
            # A translation that lost a placeholder: the English text rather than nothing.
            return str(self)


def _language_of(translate: Translate) -> str | None:
    """The language a gettext function speaks, when it says so (cli ``_``, ``Locale``)."""
    owner = getattr(translate, "__self__", translate)
    language = getattr(owner, "language", None)
    return language if isinstance(language, str) else None


def _plural(
    singular: str, plural: str, count: int, translate: Translate, language: str | None
) -> str:
    if language is None:
        return singular if count == 1 else plural
    from solidarity_cli.reporting.i18n import translations

    return translations(language).ngettext(singular, plural, count)


def _said(value: Any, translate: Translate, language: str | None) -> Any:
    """One value of a message, as the reader writes it."""
    if isinstance(value, Words):
        return value.said_in(translate, language)
    if language is None or isinstance(value, bool):
        return value
    if isinstance(value, Amount):
        return _locale(language).money(value.amount, value.currency)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        return _locale(language).number(value, decimals)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _locale(language).date(value)
    return value


def _locale(language: str) -> Any:
    from solidarity_cli.reporting.i18n import Locale

    return Locale(language)


def M_(template: str, /, **values: Any) -> Words:
    """A finding's message or hint, to be shown in the reader's language."""
    return Words(template, **values)


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> Words:
    """A message whose form follows the count ``n`` (``{n}`` in the text), in any language.

    The counterpart of ``M_`` for counts: extracted by the same ``ngettext:1,2`` keyword.
    """
    return Words(singular, plural, n, **values)


def did_you_mean(given: str, known: Iterable[str], otherwise: Words) -> Words:
    """ "did you mean 'x'?" with the closest of ``known`` to ``given``, else ``otherwise``."""
    close = difflib.get_close_matches(given, list(known), n=1, cutoff=0.6)
    return M_("did you mean '{name}'?", name=close[0]) if close else otherwise


def joined(items: list[str], separator: str = ", ") -> Words:
    """``items`` joined by ``separator``, each still said in the reader's language."""
    template = separator.join("{" + f"i{k}" + "}" for k in range(len(items)))
    return Words(template, **{f"i{k}": item for k, item in enumerate(items)})


def N_(message: str) -> str:
    """Mark a fixed text for translation without translating it here."""
    return message


def say(text: str, translate: Translate, language: str | None = None) -> str:
    """``text`` in the language of ``translate`` when it can be, else as it is."""
    if isinstance(text, Words):
        return text.said_in(translate, language)
    return translate(text) if text else text


def plain(text: str) -> str:
    """``São Nicolau`` and ``sao  nicolau`` alike: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


def code_named(name: str, codes: Iterable[str]) -> str | None:
    """The code whose name in one of the tool's languages is ``name`` (``povoado``: village)."""
    from solidarity_cli.reporting.i18n import LANGUAGES, translations

    wanted = plain(name)
    for code in codes:
        if any(plain(translations(lang).gettext(code)) == wanted for lang in LANGUAGES):
            return code
    return None
