"""Words of findings that can be said again in the reader's language.

A rule writes ``M_("need '{need}' is costed at 0", need=need.id)``: the result is the English
text (a ``str``, so sorting, JSON and tests see plain text), which also keeps its template and
values, so that the command line and the reports can say it in Portuguese, French or Spanish
through the gettext catalogs (``pybabel extract -k M_ -k N_``). Values are never translated
unless they are themselves ``Words``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Translate = Callable[[str], str]


class Words(str):
    """English text with the template and values it was made from."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Words:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def said_in(self, translate: Translate) -> str:
        """The text in the language of ``translate`` (a gettext function)."""
        values = {
            k: v.said_in(translate) if isinstance(v, Words) else v for k, v in self.values.items()
        }
        try:
            return translate(self.template).format(**values) if values else translate(self.template)
        except (KeyError, IndexError, ValueError):
            # A translation that lost a placeholder: the English text rather than nothing.
            return str(self)


def M_(template: str, /, **values: Any) -> Words:
    """A finding's message or hint, to be shown in the reader's language."""
    return Words(template, **values)


def N_(message: str) -> str:
    """Mark a fixed text for translation without translating it here."""
    return message


def say(text: str, translate: Translate) -> str:
    """``text`` in the language of ``translate`` when it can be, else as it is."""
    if isinstance(text, Words):
        return text.said_in(translate)
    return translate(text) if text else text
