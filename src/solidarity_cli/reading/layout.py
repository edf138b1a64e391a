"""Where each kind of record lives in a data repository, and how a path maps to a kind."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass

from pydantic import BaseModel

from solidarity_cli import models
from solidarity_cli.words import M_

SETTINGS_FILE = "solidarity.yaml"
DATA_DIR = "data"
#: Files that may sit anywhere under data/ without being records.
ALLOWED_EXTRAS = frozenset({"README.md", "LICENSE", "LICENSE.md", ".gitkeep", ".gitignore"})
#: Folders whose contents are documents referenced by records, never records themselves.
DOCUMENT_DIRS = frozenset({"documents"})


class RecordKind(enum.StrEnum):
    """Every kind of record, in loading order."""

    VOCABULARY = "vocabulary"
    PLATFORM = "platform"
    COMMUNITY = "community"
    STRATEGY = "strategy"
    DONOR = "donor"
    AGREEMENT = "agreement"
    REPORT = "report"
    RULE = "rule"

    @property
    def model(self) -> type[BaseModel]:
        """The pydantic schema of this kind."""
        return _MODELS[self]

    @property
    def plural(self) -> str:
        """The name used in summaries."""
        return {
            "vocabulary": "vocabularies",
            "community": "communities",
            "strategy": "strategies",
        }.get(self.value, self.value + "s")

    @property
    def where(self) -> str:
        """Where files of this kind live, for messages."""
        return _WHERE[self]


_MODELS: dict[RecordKind, type[BaseModel]] = {
    RecordKind.VOCABULARY: models.Vocabulary,
    RecordKind.PLATFORM: models.Platform,
    RecordKind.COMMUNITY: models.Community,
    RecordKind.STRATEGY: models.Strategy,
    RecordKind.DONOR: models.Donor,
    RecordKind.AGREEMENT: models.Agreement,
    RecordKind.REPORT: models.Report,
    RecordKind.RULE: models.NetworkRule,
}

_WHERE = {
    RecordKind.VOCABULARY: "data/vocabularies/<id>.yaml",
    RecordKind.PLATFORM: "data/platforms/<id>.yaml",
    RecordKind.COMMUNITY: "data/communities/<id>/community.yaml",
    RecordKind.STRATEGY: "data/communities/<community>/strategies/<id>.yaml",
    RecordKind.DONOR: "data/donors/<id>.yaml",
    RecordKind.AGREEMENT: "data/partnerships/<id>/agreement.yaml",
    RecordKind.REPORT: "data/partnerships/<agreement>/reports/<id>.yaml",
    RecordKind.RULE: "data/rules/<name>.yaml",
}


@dataclass(frozen=True)
class Slot:
    """What the layout says about one file: its kind, expected id and owning record."""

    kind: RecordKind
    expected_id: str
    owner: str = ""


@dataclass(frozen=True)
class Unreadable:
    """A file where a record belongs that gave none: a syntax or schema error, or an id that is
    not the one its place gives."""

    path: str
    content: str | None
    """A key that changes whenever the content does (a git blob id); None when not known."""

    def same_as(self, other: Unreadable) -> bool:
        """Whether ``other`` is surely this file with this content."""
        return (
            self.path == other.path and self.content is not None and self.content == other.content
        )


def classify(rel: str) -> Slot | None:
    """The slot of a repo-relative POSIX path, or None when no record belongs there."""
    parts = rel.split("/")
    if len(parts) < 3 or parts[0] != DATA_DIR or not parts[-1].endswith(".yaml"):
        return None
    stem = parts[-1][: -len(".yaml")]
    match parts[1:]:
        case ["vocabularies", _]:
            return Slot(RecordKind.VOCABULARY, stem)
        case ["platforms", _]:
            return Slot(RecordKind.PLATFORM, stem)
        case ["donors", _]:
            return Slot(RecordKind.DONOR, stem)
        case ["rules", _]:
            return Slot(RecordKind.RULE, stem)
        case ["communities", community, "community.yaml"]:
            return Slot(RecordKind.COMMUNITY, community)
        case ["communities", community, "strategies", _]:
            return Slot(RecordKind.STRATEGY, stem, community)
        case ["partnerships", agreement, "agreement.yaml"]:
            return Slot(RecordKind.AGREEMENT, agreement)
        case ["partnerships", agreement, "reports", _]:
            return Slot(RecordKind.REPORT, stem, agreement)
    return None


#: The kinds each top folder of data/ holds.
_TOP = {
    "vocabularies": {RecordKind.VOCABULARY},
    "platforms": {RecordKind.PLATFORM},
    "donors": {RecordKind.DONOR},
    "rules": {RecordKind.RULE},
    "communities": {RecordKind.COMMUNITY, RecordKind.STRATEGY},
    "partnerships": {RecordKind.AGREEMENT, RecordKind.REPORT},
}


def kinds_under(folder: str) -> set[RecordKind] | None:
    """The kinds of record a folder (repo-relative, under data/) may hold; None when any file
    may sit there (a folder outside the layout, whose files are reported as strays)."""
    parts = folder.split("/")
    if len(parts) < 2 or parts[0] != DATA_DIR or parts[1] not in _TOP:
        return None
    match parts[1:]:
        case [top] | [top, _]:
            return _TOP[top]
        case ["communities", _, "strategies"]:
            return {RecordKind.STRATEGY}
        case ["partnerships", _, "reports"]:
            return {RecordKind.REPORT}
    return None


def holds_none_of(folder: str, kinds: Collection[RecordKind]) -> bool:
    """Whether no record of ``kinds`` can lie in ``folder``, so that a reader of those kinds
    alone may skip it (``match`` skips the reports, for one)."""
    held = kinds_under(folder)
    return held is not None and held.isdisjoint(kinds)


def folders_skipped(kinds: Collection[RecordKind] | None) -> Callable[[str], bool] | None:
    """For a reader of ``kinds`` alone, the folders it need not enter (None: every folder);
    each folder is judged once, however many files it holds."""
    if kinds is None:
        return None
    wanted = frozenset(kinds)

    @functools.cache
    def skipped(folder: str) -> bool:
        return holds_none_of(folder, wanted)

    return skipped


def stray_hint(rel: str) -> str:
    """What to do with a file that has no place in the layout."""
    if rel.endswith(".yml"):
        return M_("rename it to {name}", name=f"{rel[:-4]}.yaml")
    kinds = "; ".join(k.where for k in RecordKind)
    return M_(
        "move it to where its kind of record lives ({kinds}), or into a documents/ folder",
        kinds=kinds,
    )


def in_documents(rel: str) -> bool:
    """Whether a path lies inside a documents/ folder."""
    return any(part in DOCUMENT_DIRS for part in rel.split("/")[1:-1])
