"""What a rule is: identity, documentation, examples, options, and a check over the dataset."""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import KeyPath, Severity
from solidarity_cli.models.rule import Family
from solidarity_cli.reading.layout import RecordKind

CODE_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class NoOptions(BaseModel):
    """Options of a rule that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


OptionsT = TypeVar("OptionsT", bound=BaseModel)
_T = TypeVar("_T")


#: The day examples are judged on: the example repository is clean on it.
EXAMPLE_AS_OF = dt.date(2025, 9, 15)


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""Marks a key an example edit removes."""


@dataclass(frozen=True)
class Example:
    """Changes laid over the example repository to show a rule failing or passing.

    ``edits`` maps a file to ``{key path: new value}`` (``needs[0].priority``; ``DELETE``
    removes the key); ``files`` adds whole files (text) or removes them (``None``).
    """

    description: str
    edits: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    files: Mapping[str, str | None] = field(default_factory=dict)
    as_of: dt.date = EXAMPLE_AS_OF

    def describe(self) -> dict[str, Any]:
        """Plain data for documentation."""
        return {
            "description": self.description,
            "as_of": self.as_of.isoformat(),
            "edits": {
                path: {k: None if v is DELETE else v for k, v in edits.items()}
                for path, edits in self.edits.items()
            },
            "files": dict(self.files),
        }


@dataclass(frozen=True)
class Finding:
    """What a rule reports: where and what; the engine adds code, rule name and severity."""

    path: str
    key_path: KeyPath
    message: str
    hint: str = ""
    anchor: str = "value"


@dataclass
class RuleContext:
    """What rules see: the dataset, the day to judge dates by, and lookups they share."""

    dataset: Dataset
    as_of: dt.date
    cache: dict[str, Any] = field(default_factory=dict)

    def path(self, kind: RecordKind, key: str) -> str:
        """The repo-relative file of a record."""
        return self.dataset.path_of(kind, key)

    def shared(self, key: str, build: Callable[[], _T]) -> _T:
        """What ``build`` gives, built once per run and shared by every rule that asks."""
        if key not in self.cache:
            self.cache[key] = build()
        found: _T = self.cache[key]
        return found

    def with_files(self, kind: RecordKind) -> list[tuple[str, Any]]:
        """Every record of ``kind`` with its file (listed once per run)."""
        return self.shared(
            f"{kind} with files",
            lambda: [
                (self.path(kind, key), record) for key, record in self.dataset.table(kind).items()
            ],
        )


class Reads(Enum):
    """What a rule's findings depend on, besides the settings, its options and the day."""

    OWN_RECORD = "own-record"
    """Only the record of the file a finding is on (and whether that file may hold personal
    data): a file unchanged between two versions gets the same findings in both."""
    NETWORK = "network"
    """Any record: a change anywhere may add or remove a finding anywhere."""


class Rule(ABC, Generic[OptionsT]):
    """A built-in rule. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    family: ClassVar[Family]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    rationale: ClassVar[str]
    failing: ClassVar[Example]
    passing: ClassVar[Example]
    options: ClassVar[type[BaseModel]] = NoOptions
    reads: ClassVar[Reads] = Reads.NETWORK
    """Declared by each rule from what its ``check`` reads; ``NETWORK`` unless shown otherwise."""

    @abstractmethod
    def check(self, ctx: RuleContext, options: OptionsT) -> Iterator[Finding]:
        """Yield a finding for every record that breaks the rule."""

    def run(self, ctx: RuleContext, options: OptionsT) -> Iterator[Finding]:
        """What the engine calls."""
        return self.check(ctx, options)

    def effective(self, as_of: dt.date) -> bool:
        """Built-in rules always speak."""
        return True

    def forced_severity(self) -> Severity | None:
        """Built-in rules report at their configured severity."""
        return None

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """Documentation of the rule as plain data."""
        return {
            "code": cls.code,
            "name": cls.name,
            "family": cls.family.value,
            "severity": cls.severity.value,
            "summary": cls.summary,
            "rationale": cls.rationale,
            "options": cls.options.model_json_schema().get("properties", {}),
            "examples": {"failing": cls.failing.describe(), "passing": cls.passing.describe()},
            "source": "built-in",
        }
