"""Which files a repository holds: a source of entries, from git's index or a plain walk.

A source yields one ``SourceEntry`` per path under ``data/``: its repo-relative POSIX path, what
it is (a file, a symlink, a submodule or something else), its size and a bounded ``read``. The
working tree takes its list from git's index where the folder is a git repository (tracked files
plus untracked files that are not ignored), so that what ``check`` reads is what a pull request
can change; elsewhere it walks the folder. Other sources (a git revision) plug in the same way.
"""

from __future__ import annotations

import enum
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from solidarity_cli.gitrepo import BlobReader, list_tree
from solidarity_cli.reading.layout import DATA_DIR, SETTINGS_FILE


class EntryType(enum.StrEnum):
    """What a path is, as git's index (or the file system) says."""

    FILE = "file"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    OTHER = "other"


class SourceEntry(Protocol):
    """One path of a source."""

    @property
    def rel(self) -> str:
        """Repo-relative POSIX path."""

    @property
    def type(self) -> EntryType:
        """What the path is."""

    @property
    def size(self) -> int:
        """Size in bytes (-1 when unknown)."""

    @property
    def content_key(self) -> str | None:
        """A key that changes whenever the content does (a git blob id), or None."""

    def read(self, limit: int) -> bytes:
        """At most ``limit`` bytes of the content; never through a link. Raises OSError."""


class Source(Protocol):
    """Where a repository's files come from."""

    def entries(self) -> Iterator[SourceEntry]:
        """Every entry under ``data/``, in any order."""

    def settings(self) -> bytes | None:
        """The content of the settings file, or None when there is none."""


@dataclass(frozen=True, slots=True)
class DiskEntry:
    """A path in a folder on disk."""

    rel: str
    path: str
    type: EntryType
    size: int
    content_key: str | None = None

    def read(self, limit: int) -> bytes:
        """Read at most ``limit`` bytes, refusing to follow a link at the last component."""
        if self.type is not EntryType.FILE:
            raise OSError(0, "not a regular file")
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
        try:
            chunks = []
            left = limit
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 24))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)


def _hidden(rel: str) -> bool:
    """Whether a path lies in a hidden folder (never a place for records)."""
    return any(part.startswith(".") for part in rel.split("/")[:-1])


def _disk_entry(root: str, rel: str, declared: EntryType | None = None) -> DiskEntry | None:
    path = f"{root}/{rel}"
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if declared is EntryType.SUBMODULE:
        return DiskEntry(rel, path, EntryType.SUBMODULE, -1)
    if stat.S_ISLNK(st.st_mode):
        kind = EntryType.SYMLINK
    elif stat.S_ISREG(st.st_mode):
        kind = EntryType.FILE
    else:
        kind = EntryType.OTHER
    return DiskEntry(rel, path, kind, st.st_size)


def _disk_settings(root: Path) -> bytes | None:
    path = root / SETTINGS_FILE
    return path.read_bytes() if path.is_file() else None


#: A folder (repo-relative) a reader does not need to look into.
Skip = Callable[[str], bool]


def in_skipped(rel: str, skip: Skip) -> bool:
    """Whether a path lies in a folder ``skip`` names (any folder above it)."""
    end = rel.find("/")
    while (end := rel.find("/", end + 1)) != -1:
        if skip(rel[:end]):
            return True
    return False


class WalkSource:
    """Every path under ``root/data`` found by walking the folder; links are not entered.
    ``skip``: folders not entered at all."""

    def __init__(self, root: Path, skip: Skip | None = None) -> None:
        self.root = root
        self.skip = skip

    def settings(self) -> bytes | None:
        return _disk_settings(self.root)

    def entries(self) -> Iterator[SourceEntry]:
        data = self.root / DATA_DIR
        if not data.is_dir():
            return
        root = str(self.root)
        stack = [(str(data), DATA_DIR)]
        while stack:
            folder, rel_folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    found = list(it)
            except OSError:
                continue
            for item in found:
                rel = f"{rel_folder}/{item.name}"
                if item.is_dir(follow_symlinks=False):
                    if not item.name.startswith(".") and not (self.skip and self.skip(rel)):
                        stack.append((item.path, rel))
                    continue
                # The folder listing says what each name is: no stat call per file.
                if item.is_symlink():
                    kind = EntryType.SYMLINK
                elif item.is_file(follow_symlinks=False):
                    kind = EntryType.FILE
                else:
                    kind = EntryType.OTHER
                yield DiskEntry(rel, f"{root}/{rel}", kind, -1)


_GIT_TYPES = {
    "120000": EntryType.SYMLINK,
    "160000": EntryType.SUBMODULE,
    "100644": EntryType.FILE,
    "100755": EntryType.FILE,
}


def _git_lines(root: Path, *args: str) -> list[bytes] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "-C", str(root), "ls-files", "-z", *args, "--", DATA_DIR],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return [item for item in done.stdout.split(b"\0") if item]


class WorkingTreeSource:
    """The working tree: git's index (plus untracked, not ignored files) in a git repository,
    a plain walk elsewhere; ``skip``: folders left out."""

    def __init__(self, root: Path, skip: Skip | None = None) -> None:
        self.root = root
        self.skip = skip

    def settings(self) -> bytes | None:
        return _disk_settings(self.root)

    def _from_git(self) -> list[SourceEntry] | None:
        if not (self.root / ".git").exists() and not _inside_git(self.root):
            return None
        staged = _git_lines(self.root, "--stage")
        others = _git_lines(self.root, "--others", "--exclude-standard")
        if staged is None or others is None:
            return None
        changed = _changed_in_tree(self.root)
        root = str(self.root)
        out: list[SourceEntry] = []
        seen: set[str] = set()
        skip = self.skip
        for line in staged:
            meta, _, name = line.partition(b"\t")
            rel = os.fsdecode(name)
            if rel in seen or _hidden(rel) or (skip is not None and in_skipped(rel, skip)):
                continue  # a conflicted file has several stages
            seen.add(rel)
            mode, oid, *_ = meta.decode().split(" ")
            entry = _disk_entry(root, rel, _GIT_TYPES.get(mode))
            if entry is not None and changed is not None and rel not in changed:
                # Same as the index (by git's own stat check): the blob id names the content.
                entry = replace(entry, content_key=oid) if entry.type is EntryType.FILE else entry
            if entry is not None:
                out.append(entry)
        for name in others:
            rel = os.fsdecode(name)
            if rel in seen or _hidden(rel) or (skip is not None and in_skipped(rel, skip)):
                continue
            entry = _disk_entry(root, rel)
            if entry is not None:
                out.append(entry)
        return out

    def entries(self) -> Iterator[SourceEntry]:
        listed = self._from_git()
        if listed is None:
            yield from WalkSource(self.root, self.skip).entries()
        else:
            yield from listed


def _changed_in_tree(root: Path) -> set[str] | None:
    """Paths whose file may differ from git's index (a conflicted one is listed too)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "-C", str(root), "diff-files", "-z", "--name-only", "--relative", "--", DATA_DIR],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return {os.fsdecode(name) for name in done.stdout.split(b"\0") if name}


def _inside_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in root.resolve().parents)


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    """A path of a commit, read from git's objects; its blob id is its content key."""

    rel: str
    type: EntryType
    size: int
    content_key: str | None
    blobs: BlobReader

    def read(self, limit: int) -> bytes:
        if self.type is not EntryType.FILE or self.content_key is None:
            raise OSError(0, "not a regular file")
        return self.blobs.read(self.content_key)[:limit]


class RevisionSource:
    """The files of one commit, straight from git's objects (no checkout, no copy).

    A link stays a link, reported and never followed, as in the working tree.
    """

    def __init__(self, root: Path, commit: str, blobs: BlobReader) -> None:
        self.root = root
        self.commit = commit
        self.blobs = blobs
        self._tree = {e.rel: e for e in list_tree(root, commit, DATA_DIR, SETTINGS_FILE)}

    def settings(self) -> bytes | None:
        entry = self._tree.get(SETTINGS_FILE)
        return None if entry is None else self.blobs.read(entry.oid)

    def files(self) -> list[tuple[str, str]]:
        """Path and blob id of every regular file under ``data/``, in path order."""
        return [
            (rel, entry.oid)
            for rel, entry in sorted(self._tree.items())
            if rel != SETTINGS_FILE
            and not _hidden(rel)
            and _GIT_TYPES.get(entry.mode) is EntryType.FILE
        ]

    def read(self, rel: str) -> bytes | None:
        """The content of ``rel`` at this commit (for placing findings), or None."""
        entry = self._tree.get(rel)
        if entry is None or _GIT_TYPES.get(entry.mode) is not EntryType.FILE:
            return None
        return self.blobs.read(entry.oid)

    def entries_under(self, folder: str) -> list[SourceEntry]:
        """The files under ``folder`` at this commit (outside ``data/``: e.g. ``templates``)."""
        out: list[SourceEntry] = []
        for entry in list_tree(self.root, self.commit, folder):
            kind = _GIT_TYPES.get(entry.mode, EntryType.OTHER)
            oid = entry.oid if kind is EntryType.FILE else None
            out.append(RevisionEntry(entry.rel, kind, entry.size, oid, self.blobs))
        return out

    def entries(self) -> Iterator[SourceEntry]:
        for rel, entry in self._tree.items():
            if rel == SETTINGS_FILE or _hidden(rel):
                continue
            kind = _GIT_TYPES.get(entry.mode, EntryType.OTHER)
            oid: str | None = entry.oid
            size = entry.size
            if kind is not EntryType.FILE:
                oid = None
            yield RevisionEntry(rel, kind, size, oid, self.blobs)


def read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file; empty for a link, a device, a folder or a
    file that cannot be read (for excerpts and positions, which must never follow a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, limit)
    except OSError:
        return b""
    finally:
        os.close(fd)
