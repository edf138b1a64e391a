"""Identifiers offered from names, and refused when taken."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection

from solidarity_cli.errors import UsageError
from solidarity_cli.words import M_

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str, max_length: int = 60) -> str:
    """A lowercase ascii id from a name: ``Ribeira da Cruz 2`` -> ``ribeira-da-cruz-2``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def is_slug(value: str) -> bool:
    """Whether ``value`` is a valid id."""
    return bool(_SLUG.match(value)) and len(value) <= 80


def check_new_id(value: str, taken: Collection[str], what: str) -> str:
    """``value`` if it is a well-formed id that no record of the kind has yet."""
    if not is_slug(value):
        raise UsageError(
            M_("'{value}' cannot be an id", value=value),
            hint=M_(
                "use lowercase letters, digits and single hyphens, e.g. {slug}",
                slug=slugify(value) or "ribeira-da-cruz",
            ),
        )
    if value in taken:
        free = next(f"{value}-{n}" for n in range(2, 1000) if f"{value}-{n}" not in taken)
        raise UsageError(
            M_("there is already a {what} with the id {value}", what=what, value=value),
            hint=M_("choose another id, e.g. {free}", free=free),
        )
    return value


def existing(value: str, known: Collection[str], what: str) -> str:
    """``value`` if it names a known record, else an error with a did-you-mean."""
    if value in known:
        return value
    close = difflib.get_close_matches(value, sorted(known), n=1)
    if close:
        hint = M_("did you mean {close}?", close=close[0])
    elif known:
        hint = M_("known: {ids}", ids=", ".join(sorted(known)[:10]))
    else:
        hint = M_("create it first with solidarity new {what}", what=what)
    raise UsageError(
        M_("there is no {what} with the id {value}", what=what, value=value), hint=hint
    )
