"""The dataset of any revision: the working tree (staged or not) or a commit read from git.

``load_revision(root, None)`` is the working tree; ``load_revision(root, "main")`` reads the
commit ``main`` names straight from git's objects. ``load_pair`` reads two revisions sharing one
cache keyed by blob id, so a file unchanged between them is parsed and validated once.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from solidarity_cli.gitrepo import BlobReader, list_tree, resolve_commit
from solidarity_cli.reading import LoadResult, Progress, load_repository
from solidarity_cli.reading.discovery import (
    RevisionSource,
    Source,
    WorkingTreeSource,
    in_skipped,
)
from solidarity_cli.reading.layout import RecordKind, folders_skipped
from solidarity_cli.reading.loader import BlobCache, Fields

#: What rendering and checking read outside ``data/``: the repository's own templates and the
#: CODEOWNERS file that the ownership check compares with the records.
OUTSIDE_DATA = ("templates", ".github/CODEOWNERS")


@dataclass
class Revision:
    """Where one revision's files come from, and how to read one of them again."""

    root: Path
    name: str | None
    commit: str | None
    source: Source
    read: Callable[[str], bytes | None] | None
    """Content by repo-relative path for placing findings; None means the disk."""
    blobs: BlobReader | None = None
    _outside: tempfile.TemporaryDirectory[str] | None = None

    @property
    def short(self) -> str | None:
        """The commit's short id, as ``git rev-parse --short=12`` writes it (None: working tree)."""
        return None if self.commit is None else self.commit[:12]

    def outside_data(self) -> Path:
        """A folder holding this revision's ``templates/`` and ``.github/CODEOWNERS``.

        For the working tree it is the repository itself. For a commit, those few files are
        written from git's objects into a private temporary folder (removed when the revision's
        ``Revisions`` closes), so that the template and ownership checks and the renderer read
        them as they were; a link stays a link, which both refuse to follow.
        """
        if self.commit is None or self.blobs is None:
            return self.root
        if self._outside is None:
            self._outside = tempfile.TemporaryDirectory(prefix="solidarity-rev-")
            folder = Path(self._outside.name)
            for entry in list_tree(self.root, self.commit, *OUTSIDE_DATA):
                target = folder / entry.rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if entry.mode == "120000":
                    target.symlink_to(os.fsdecode(self.blobs.read(entry.oid)))
                elif entry.mode in ("100644", "100755"):
                    target.write_bytes(self.blobs.read(entry.oid))
        return Path(self._outside.name)

    def close(self) -> None:
        """Remove the temporary folder of ``outside_data``, if one was made."""
        if self._outside is not None:
            self._outside.cleanup()
            self._outside = None


@dataclass
class Revisions:
    """Opens revisions of one repository, with one git process and one blob cache."""

    root: Path
    cache: BlobCache = field(default_factory=dict)
    _blobs: BlobReader | None = None
    _opened: list[Revision] = field(default_factory=list)

    def open(self, rev: str | None) -> Revision:
        """The working tree (``None``) or the commit ``rev`` names."""
        if rev is None:
            return Revision(self.root, None, None, WorkingTreeSource(self.root), None)
        commit = resolve_commit(self.root, rev)
        if self._blobs is None:
            self._blobs = BlobReader(self.root)
        source = RevisionSource(self.root, commit, self._blobs)
        revision = Revision(self.root, rev, commit, source, source.read, self._blobs)
        self._opened.append(revision)
        return revision

    def load(
        self,
        revision: Revision,
        progress: Progress | None = None,
        *,
        kinds: Collection[RecordKind] | None = None,
        screen: bool = True,
        fields: Fields | None = None,
    ) -> LoadResult:
        """Read every record of ``revision`` (or those of ``kinds``), reusing the cache."""
        if isinstance(revision.source, RevisionSource) and self._blobs is not None:
            # The blobs the cache lacks, in the order the loader reads them (by path), but
            # for the folders a reader of some kinds does not enter.
            skip = folders_skipped(kinds)
            self._blobs.plan(
                [
                    oid
                    for rel, oid in revision.source.files()
                    if (oid, rel) not in self.cache and not (skip and in_skipped(rel, skip))
                ]
            )
        return load_repository(
            self.root,
            progress,
            kinds=kinds,
            screen=screen,
            source=revision.source,
            # Records of some kinds only are not what a whole load would cache.
            cache=self.cache if kinds is None and screen and fields is None else None,
            fields=fields,
        )

    def close(self) -> None:
        """End the git process, if one was started, and remove temporary folders."""
        for revision in self._opened:
            revision.close()
        self._opened.clear()
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
