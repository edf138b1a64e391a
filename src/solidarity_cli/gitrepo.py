"""The few git facts the tool needs, through the git command (no library).

A revision is read straight from git's objects: ``git ls-tree -r -z --long`` lists the files of a
commit with their blob ids and sizes, and one long-lived ``git cat-file --batch`` process hands
out the contents. Nothing is checked out and no temporary copy is made.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from solidarity_cli.errors import NoHistory, RevisionError
from solidarity_cli.words import M_


def _git() -> str:
    git = shutil.which("git")
    if git is None:
        raise RevisionError(
            M_("git is not installed, so no earlier version of the data can be read"),
            hint=M_("install git (https://git-scm.com) and run the command again"),
        )
    return git


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [_git(), "-C", str(root), *args], capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise RevisionError(
            M_("git could not run: {reason}", reason=str(exc)),
            hint=M_("check that git works in this folder ('git status')"),
        ) from None


def data_commit(root: Path) -> str:
    """The commit the data is at, with ``-modified`` when the working tree differs from it."""
    with data_commit_later(root) as commit:
        return commit()


@contextmanager
def data_commit_later(root: Path) -> Iterator[Callable[[], str]]:
    """``data_commit`` asked of git on entering, its answer when called inside the block: git's
    two processes run beside this one (``git status`` reads every file's metadata) while it
    reads the records. A process still running when the block ends is stopped."""
    git = shutil.which("git")
    if git is None:
        yield lambda: "unknown (git is not installed)"
        return
    asked = [
        [git, "-C", str(root), "rev-parse", "--short=12", "HEAD"],
        # Without the index lock: a status stopped midway leaves no lock behind it.
        [
            *(git, "--no-optional-locks", "-C", str(root)),
            *("status", "--porcelain", "--", "data", "solidarity.yaml"),
        ],
    ]
    running: list[subprocess.Popen[bytes]] = []
    try:
        for args in asked:
            running.append(
                subprocess.Popen(
                    args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
            )
    except OSError:
        _stop(running)
        yield lambda: "unknown (not a git repository)"
        return
    try:
        yield functools.cache(lambda: _commit_of(running))
    finally:
        _stop(running)


def _stop(running: list[subprocess.Popen[bytes]]) -> None:
    for process in running:
        if process.returncode is None:
            process.kill()
            process.communicate()


def _commit_of(running: list[subprocess.Popen[bytes]]) -> str:
    """The short commit and whether the data differs from it, from ``data_commit_later``."""
    said: list[str] = []
    failed = False
    for process in running:
        try:
            out, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            failed = True
            continue
        failed = failed or process.returncode != 0
        said.append(out.decode("utf-8", "replace").strip())
    if failed:
        return "unknown (not a git repository)"
    head, status = said
    return f"{head}-modified" if status else head


def resolve_commit(root: Path, rev: str) -> str:
    """The full commit id ``rev`` names, or a ``RevisionError`` that says how to get it."""
    if _run(root, "rev-parse", "--git-dir").returncode != 0:
        raise RevisionError(
            M_(
                "{folder} is not a git repository, so version '{rev}' cannot be read",
                folder=root,
                rev=rev,
            ),
            hint=M_("run the command inside a clone of the data repository ('git clone URL')"),
        )
    if rev.startswith("-"):
        raise RevisionError(
            M_("'{rev}' is not a version name", rev=rev),
            hint=M_("give a branch, a tag or a commit, for example main or HEAD~1"),
        )
    done = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    if not _run(root, "rev-list", "-n", "1", "--all").stdout.strip():
        raise NoHistory(
            M_(
                "nothing is saved in this repository's history yet, so there is no version "
                "'{rev}' to read",
                rev=rev,
            ),
            hint=M_(
                "save a first version: git status lists the files; git add those the network "
                'shares (never a private one), then git commit -m "Start" (the first time, git '
                'asks for your name: git config --global user.name "Your Name" and git config '
                "--global user.email you@example.org)"
            ),
        )
    shallow = _run(root, "rev-parse", "--is-shallow-repository").stdout.decode().strip()
    if shallow == "true":
        raise RevisionError(
            M_("version '{rev}' is not in this copy: it holds only the latest history", rev=rev),
            hint=M_(
                "fetch the whole history with 'git fetch --unshallow' (in a GitHub workflow, "
                "give actions/checkout 'fetch-depth: 0')"
            ),
        )
    raise RevisionError(
        M_("there is no version '{rev}' in this repository", rev=rev),
        hint=M_(
            "check the name with 'git log --oneline' or 'git branch -a'; a branch of another "
            "copy may need 'git fetch origin' first (in a GitHub workflow, 'fetch-depth: 0')"
        ),
    )


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One path of a commit's tree."""

    rel: str
    mode: str
    oid: str
    size: int


def list_tree(root: Path, commit: str, *paths: str) -> list[TreeEntry]:
    """Every blob and submodule under ``paths`` at ``commit``, paths relative to ``root``."""
    done = _run(root, "ls-tree", "-r", "-z", "--long", commit, "--", *paths)
    if done.returncode != 0:
        raise RevisionError(
            M_(
                "git could not list version '{rev}': {reason}",
                rev=commit[:12],
                reason=done.stderr.decode(errors="replace").strip(),
            ),
            hint=M_("check that the repository is not damaged ('git fsck')"),
        )
    out = []
    for item in done.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, name = item.partition(b"\t")
        mode, _kind, oid, size = meta.split()
        out.append(
            TreeEntry(
                os.fsdecode(name), mode.decode(), oid.decode(), int(size) if size != b"-" else -1
            )
        )
    return out


#: Blob ids asked of ``git cat-file --batch`` in one write: 512 lines of at most 65 bytes
#: (SHA-256 ids) stay below a pipe's 64 KiB, so the write never waits for git's answers.
_BATCH = 512


class BlobReader:
    """One ``git cat-file --batch`` process serving blob contents by id.

    Asking for one blob at a time costs a round trip between two processes per file, which on
    a busy machine is most of a revision's load. ``plan`` announces the blobs a load will read,
    in order; each miss then asks git for the next ``_BATCH`` of them in one write, and the
    answers are kept until the load has gone past them.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None
        self._plan: list[str] = []
        self._last: dict[str, int] = {}
        self._buffer: dict[str, bytes | None] = {}

    def plan(self, oids: Sequence[str]) -> None:
        """The blobs about to be read, in the order they will be read."""
        self._plan = list(oids)
        self._last = {oid: i for i, oid in enumerate(self._plan)}
        self._buffer = {}

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._process = subprocess.Popen(
                [_git(), "-C", str(self.root), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._process

    def read(self, oid: str) -> bytes:
        """The content of blob ``oid``; ``OSError`` when git does not have it."""
        if oid not in self._buffer:
            at = self._last.get(oid)
            if at is None:
                found = self._ask([oid])[0]
                if found is None:
                    raise OSError(0, f"git has no object {oid}")
                return found
            # Past answers the load went by without reading (a file of a kind it skips).
            self._buffer = {o: d for o, d in self._buffer.items() if self._last[o] >= at}
            wanted = list(dict.fromkeys(self._plan[at : at + _BATCH]))
            self._buffer.update(zip(wanted, self._ask(wanted), strict=True))
        data = self._buffer[oid]
        if data is None:
            raise OSError(0, f"git has no object {oid}")
        return data

    def _ask(self, oids: Sequence[str]) -> list[bytes | None]:
        """The contents of ``oids`` (None for what git does not have), in one round trip."""
        process = self._start()
        stdin: IO[bytes] | None = process.stdin
        stdout: IO[bytes] | None = process.stdout
        if stdin is None or stdout is None:
            raise OSError(0, "git cat-file is not running")
        stdin.write(b"".join(oid.encode() + b"\n" for oid in oids))
        stdin.flush()
        out: list[bytes | None] = []
        for _oid in oids:
            header = stdout.readline().split()
            if len(header) != 3:
                out.append(None)  # "<oid> missing" (or ambiguous): no content follows
                continue
            out.append(stdout.read(int(header[2])))
            stdout.read(1)  # the newline after each object
        return out

    def close(self) -> None:
        """End the git process."""
        if self._process is not None:
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
            self._process.wait(timeout=20)
            self._process = None

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
