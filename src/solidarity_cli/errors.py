"""Operational failures: problems with the environment, not findings about the data."""

from __future__ import annotations


class SolidarityError(Exception):
    """A failure that stops a command; the CLI turns it into a message and exit code 2."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class RepositoryNotFoundError(SolidarityError):
    """No ``solidarity.yaml`` was found."""


class SettingsError(SolidarityError):
    """``solidarity.yaml`` cannot be read or is invalid."""


class UsageError(SolidarityError):
    """A command was given arguments it cannot act on."""


class RevisionError(SolidarityError):
    """A git revision cannot be read (no git, not a repository, unknown or missing commit)."""


class NoHistory(RevisionError):
    """The repository has no saved version (no commit) yet."""
