"""The dataset of any revision: the working tree (staged or not) or a commit read from git.

``load_revision(root, None)`` is the working tree; ``load_revision(root, "main")`` reads the
commit ``main`` names straight from git's objects. ``load_pair`` reads two revisions sharing one
cache keyed by blob id, so a file unchanged between them is parsed and validated once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from solidarity_cli.gitrepo import BlobReader, resolve_commit
from solidarity_cli.reading import LoadResult, Progress, load_repository
from solidarity_cli.reading.discovery import RevisionSource, Source, WorkingTreeSource
from solidarity_cli.reading.loader import BlobCache


@dataclass
class Revision:
    """Where one revision's files come from, and how to read one of them again."""

    root: Path
    name: str | None
    commit: str | None
    source: Source
    read: Callable[[str], bytes | None] | None
    """Content by repo-relative path for placing findings; None means the disk."""


@dataclass
class Revisions:
    """Opens revisions of one repository, with one git process and one blob cache."""

    root: Path
    cache: BlobCache = field(default_factory=dict)
    _blobs: BlobReader | None = None

    def open(self, rev: str | None) -> Revision:
        """The working tree (``None``) or the commit ``rev`` names."""
        if rev is None:
            return Revision(self.root, None, None, WorkingTreeSource(self.root), None)
        commit = resolve_commit(self.root, rev)
        if self._blobs is None:
            self._blobs = BlobReader(self.root)
        source = RevisionSource(self.root, commit, self._blobs)
        return Revision(self.root, rev, commit, source, source.read)

    def load(self, revision: Revision, progress: Progress | None = None) -> LoadResult:
        """Read every record of ``revision``, reusing what the cache holds."""
        return load_repository(self.root, progress, source=revision.source, cache=self.cache)

    def close(self) -> None:
        """End the git process, if one was started."""
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None


@contextmanager
def revisions(root: Path) -> Iterator[Revisions]:
    """A ``Revisions`` that ends its git process on leaving."""
    opened = Revisions(root)
    try:
        yield opened
    finally:
        opened.close()


def load_revision(root: Path, rev: str | None, progress: Progress | None = None) -> LoadResult:
    """Records and reading findings of ``rev`` (None: the working tree, staged or not)."""
    with revisions(root) as opened:
        return opened.load(opened.open(rev), progress)


def load_pair(root: Path, base: str, head: str | None) -> tuple[LoadResult, LoadResult]:
    """Two revisions read with one cache: unchanged files are parsed and validated once."""
    with revisions(root) as opened:
        first = opened.load(opened.open(base))
        return first, opened.load(opened.open(head))
