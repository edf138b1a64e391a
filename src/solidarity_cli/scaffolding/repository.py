"""What ``new`` needs to know about the repository it adds to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from solidarity_cli.dataset import Dataset
from solidarity_cli.errors import SettingsError
from solidarity_cli.reading import load_repository
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reporting.i18n import LANGUAGES
from solidarity_cli.words import M_


@dataclass(frozen=True)
class Repository:
    """A data repository as ``new`` sees it: its records and the contributor's language."""

    root: Path
    dataset: Dataset

    @property
    def text_language(self) -> str:
        """The language new texts are keyed under: the network's default language."""
        settings = self.dataset.settings
        return settings.default_language if settings is not None else "en"

    @property
    def language(self) -> str:
        """The language of the comments: the network's first language the tool speaks."""
        settings = self.dataset.settings
        wanted = [settings.default_language, *settings.languages] if settings else []
        return next((lang for lang in wanted if lang in LANGUAGES), "en")

    @property
    def base_currency(self) -> str:
        """The network's base currency."""
        settings = self.dataset.settings
        return settings.base_currency if settings is not None else "EUR"

    def ids(self, kind: RecordKind) -> set[str]:
        """The ids taken by records of ``kind``, read or not (a broken file still takes its id)."""
        taken = {key for (k, key) in self.dataset.paths if k is kind}
        return taken | {key for (k, key) in self.dataset.broken if k is kind}

    def handles(self, community: str) -> list[str]:
        """GitHub handles of the people who approve changes to a community's files."""
        record = self.dataset.communities.get(community)
        return [f"@{m.github}" for m in record.maintainers] if record is not None else []


def open_repository(root: Path) -> Repository:
    """Read the repository at ``root`` for ``new``."""
    result = load_repository(root, screen=False)
    if result.dataset.settings is None:
        raise SettingsError(
            M_("{file} cannot be read", file=root / "solidarity.yaml"),
            hint=M_("run solidarity check to see what is wrong with it"),
        )
    return Repository(root, result.dataset)
