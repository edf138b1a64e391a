"""One walk over a parsed file's values: its texts for the personal-data screen, how deep it
nests for the depth bound, and its texts and dates shared with the files read before it.

Equal values recur across a network's files (ids, codes, currencies, dates, the same phrases);
the parser makes a new object for each, and the records keep them for the whole run. Sharing
one object per value keeps a large network's records much smaller, and a text already screened
for personal data need not be screened again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from solidarity_cli.privacy import texts_may_hold_personal_data

_DATE = dt.date


@dataclass
class Shared:
    """The texts and dates read so far in one load, each kept once, and which of those texts
    may hold personal data. Use one per load, with the same ``screen`` throughout."""

    values: dict[Any, Any] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)
    """Texts read so far that the personal-data screen flags."""


@dataclass
class Walked:
    """What one walk over a parsed file found."""

    texts: list[str]
    """Its text values; when walked with ``Shared``, only those not read in an earlier file."""
    layers: int
    """How many layers deep it nests (containers and the values in the deepest), never fewer
    than its depth."""
    flagged: bool = False
    """Whether a text read in an earlier file, and flagged there, is among its values."""


def walk(value: Any, shared: Shared | None = None) -> Walked:
    """Walk a parsed file once (see the module); with ``shared``, texts and dates equal to ones
    read before are replaced, in place, by those."""
    kind = type(value)
    if kind is str:
        return Walked([value], 1)
    if kind is not dict and kind is not list:
        return Walked([], 1)
    if shared is None:
        return _unshared(value)
    texts: list[str] = []
    append = texts.append
    share = shared.values.setdefault
    flagged = shared.flagged
    seen_flagged = False
    level: list[Any] = [value]
    layers = 0
    while level:
        layers += 1
        below: list[Any] = []
        push = below.append
        items = False
        for node in level:
            pairs: Iterable[tuple[Any, Any]] = (
                node.items() if type(node) is dict else enumerate(node)
            )
            for key, item in pairs:
                kind = type(item)
                if kind is str:
                    kept = share(item, item)
                    if kept is item:
                        append(item)
                    else:
                        node[key] = kept
                        if flagged and kept in flagged:
                            seen_flagged = True
                elif kind is _DATE:
                    kept = share(item, item)
                    if kept is not item:
                        node[key] = kept
                elif kind is dict or kind is list:
                    push(item)
            items = items or bool(node)
        if items and not below:
            layers += 1  # the values of the deepest containers
        level = below
    return Walked(texts, layers, seen_flagged)


def _unshared(value: Any) -> Walked:
    texts: list[str] = []
    level = [value]
    layers = 0
    while level:
        layers += 1
        below: list[Any] = []
        for node in level:
            kind = type(node)
            if kind is str:
                texts.append(node)
            elif kind is dict:
                below.extend(node.values())
            elif kind is list:
                below.extend(node)
        level = below
    return Walked(texts, layers)


def may_be_personal(walked: Walked, shared: Shared | None) -> bool:
    """Whether the walked file's texts may hold personal data (never a false no); the texts
    that do are remembered in ``shared`` for the files that repeat them."""
    found = walked.flagged or texts_may_hold_personal_data(walked.texts)
    if found and shared is not None:
        shared.flagged.update(t for t in walked.texts if texts_may_hold_personal_data([t]))
    return found
