"""Atomic file writes: a reader sees the old file or the new one, never half of one.

A file is written to ``.<name>.<random>.tmp`` in its own folder, flushed to disk with the folder,
and renamed over the target. A folder (the site) is staged in ``.site.<random>`` beside it and
swapped in whole. Nothing is ever written through a symbolic link, new files are created
exclusively, and modes follow the umask (an overwritten file keeps its own). What a killed run
leaves behind is removed by the next run of the same writer.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from solidarity_cli.errors import UsageError
from solidarity_cli.words import M_

#: Leftovers younger than this may belong to a writer still running; they are left alone.
LEFTOVER_AGE = 5.0
STAGING_PREFIX = ".site."


def umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_links(target: Path) -> None:
    """Refuse a target, or any folder above it, that is a symbolic link."""
    for path in (target, *target.parents):
        if path.is_symlink():
            raise UsageError(
                M_("{path} is a symbolic link; nothing is written through a link", path=path),
                hint=M_("write to a real folder and file instead"),
            )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(folder: Path, name: str) -> Path:
    return folder / f".{name}.{secrets.token_hex(6)}.tmp"


def clean_leftovers(folder: Path, name: str, *, age: float = LEFTOVER_AGE) -> list[Path]:
    """Remove ``.<name>.*.tmp`` files older than ``age`` seconds that a killed write left."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.glob(f".{name}.*.tmp"):
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > age:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_text_atomic(
    target: Path, text: str, *, overwrite: bool = False, mode: int | None = None
) -> None:
    """Write ``text`` (UTF-8) to ``target`` as ``write_bytes_atomic`` does."""
    # Encode before anything touches the disk: text that cannot be written writes nothing.
    write_bytes_atomic(target, text.encode("utf-8"), overwrite=overwrite, mode=mode)


def write_bytes_atomic(
    target: Path, data: bytes, *, overwrite: bool = False, mode: int | None = None
) -> None:
    """Write ``data`` to ``target`` through a temporary file, an fsync and a rename.

    The new file's permissions follow the umask; a file replaced keeps its own, and ``mode``
    sets them outright. Raises ``FileExistsError`` when ``target`` exists and ``overwrite`` is
    false, and ``UsageError`` when the target or a folder above it is a symbolic link.
    """
    target = target.absolute()
    _refuse_links(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _refuse_links(target)
    clean_leftovers(target.parent, target.name)
    file_mode = 0o666 & ~umask()
    if overwrite:
        with contextlib.suppress(FileNotFoundError):
            file_mode = stat.S_IMODE(target.lstat().st_mode)
    elif target.exists():
        raise FileExistsError(target)
    if mode is not None:
        file_mode = mode
    tmp = _temp_name(target.parent, target.name)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), file_mode)
            os.fsync(handle.fileno())
        if overwrite:
            tmp.replace(target)
        else:
            # link() fails if the target appeared meanwhile: never clobber a contributor's file.
            os.link(tmp, target)
            tmp.unlink()
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _syncfs_available() -> bool:
    libc = _libc()
    return libc is not None and hasattr(libc, "syncfs")


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system that holds ``folder`` in one call (Linux ``syncfs``).

    A site has thousands of pages; one flush of the file system costs what a few ``fsync``
    calls do, where one per page made writing the site cost more than rendering it.
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "syncfs"):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return bool(libc.syncfs(fd) == 0)
    finally:
        os.close(fd)


def clean_staging(parent: Path, *, age: float = LEFTOVER_AGE) -> list[Path]:
    """Remove ``.site.*`` staging folders older than ``age`` seconds that a killed run left.

    A run still writing holds a lock on its staging folder (``_held``) however long it waits
    between two files: its folder is never taken for a leftover.
    """
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    now = time.time()
    for path in parent.glob(f"{STAGING_PREFIX}*"):
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(info.st_mode) or now - info.st_mtime <= age:
            continue
        with _held(path, wait=False) as free:
            if free:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


@contextlib.contextmanager
def _held(folder: Path, *, wait: bool) -> Iterator[bool]:
    """An exclusive lock on ``folder`` (``flock``) for the block; False when another run holds
    it and ``wait`` is False. Where the system has no such locks, the folder's age decides."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock
        yield True
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


Files = Mapping[str, str] | Iterable[tuple[str, str]]
"""A folder's files as relative path -> text, or as (path, text) pairs made one at a time."""


def file_pairs(files: Files) -> Iterable[tuple[str, str]]:
    """``files`` as (path, text) pairs: a mapping's in the order of its paths."""
    return sorted(files.items()) if isinstance(files, Mapping) else files


#: How often (seconds) a long write touches its staging folder, so that another run's clean-up
#: (``clean_staging``) never takes it for a killed run's leftover.
STAGING_TOUCH = 1.0


def write_tree_atomic(files: Files, out: Path, *, beside: Files | None = None) -> int:
    """Write a folder of files so that ``out`` is the old folder or the new one, whole; the
    number of files written.

    ``files`` may be pairs made one at a time (pages as they are rendered): each is written
    into the staging folder ``.site.<random>`` beside ``out`` as it comes, so that no page is
    held after it is written. The staged files are then flushed to disk (in one ``syncfs``
    where the system has it, else file by file); the old folder is renamed away, the new one
    renamed in, and the old one removed. Where the system can swap two folders in one step
    (Linux), the rename away and the rename in are that one step, so no reader ever finds
    ``out`` missing. Anything that fails before the swap (a path outside the folder, a text
    that cannot be encoded, an error while making the files) removes the staging folder, so
    ``out`` is untouched. Folders get ``0o777 & ~umask``, files ``0o666 & ~umask``.

    ``beside`` are more files, made and written by a second process while this one writes
    ``files`` (``solidarity_cli.beside``; here, where no second process can be made). They
    must lie in folders of their own: no folder at the top holds files of both.
    """
    pairs = file_pairs(files)
    out = out.absolute()
    _refuse_links(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_staging(out.parent)
    mask = umask()
    one_flush = _syncfs_available()
    staging = out.parent / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    staging.mkdir(0o700)
    try:
        with _held(staging, wait=True):  # until swapped in, however long a page takes
            count = _staged(pairs, staging, mask, beside, one_flush=one_flush)
            staging.chmod(0o777 & ~mask)
            old = None
            if out.exists():
                if _exchange(staging, out):
                    old = staging  # the exchange left the old folder under the staging name
                else:
                    old = out.parent / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
                    out.rename(old)
                    staging.rename(out)
            else:
                staging.rename(out)
            _fsync_dir(out.parent)
        if old is not None:
            _remove_old(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _staged(
    pairs: Iterable[tuple[str, str]],
    staging: Path,
    mask: int,
    beside: Files | None,
    *,
    one_flush: bool,
) -> int:
    """Every file written into ``staging`` (``beside`` by a second process) and flushed to
    disk; how many."""
    modes = (0o777 & ~mask, 0o666 & ~mask)
    with _staging_beside(beside, staging, modes, fsync=not one_flush) as theirs:
        made, count = _stage(pairs, staging, *modes, fsync=not one_flush)
        their_folders, their_count = theirs()
    made += their_folders
    count += their_count
    if not (one_flush and _syncfs(staging)):
        for folder in sorted(made, key=lambda p: len(p.parts), reverse=True):
            _fsync_dir(folder)
    return count


#: The folder inside a staging folder where the second process writes (see ``_staging_beside``).
BESIDE_FOLDER = ".beside"


@contextlib.contextmanager
def _staging_beside(
    pairs: Files | None, staging: Path, modes: tuple[int, int], *, fsync: bool
) -> Iterator[Callable[[], tuple[list[Path], int]]]:
    """``pairs`` staged by a second process into a folder of its own inside ``staging``; what
    the block calls moves them beside this process's files once both are written, and gives
    the folders made and the number of files."""
    if pairs is None:
        yield lambda: ([], 0)
        return
    from solidarity_cli.beside import beside

    part = staging / BESIDE_FOLDER
    ordered = file_pairs(pairs)

    def work() -> tuple[list[str], int]:
        shutil.rmtree(part, ignore_errors=True)  # what a failed second process left
        part.mkdir(0o700)
        made, count = _stage(ordered, part, *modes, fsync=fsync, fresh=staging)
        return [p.relative_to(part).as_posix() for p in made], count

    def collect() -> tuple[list[Path], int]:
        made, count = pending.result()
        for entry in sorted(p.name for p in part.iterdir()):
            if (staging / entry).exists():  # a path given twice, as in ``_stage``
                raise FileExistsError(errno.EEXIST, "written by both processes", entry)
            (part / entry).rename(staging / entry)
        part.rmdir()
        return [staging / rel for rel in made if rel != "."], count

    with beside(work) as pending:
        yield collect


def _remove_old(folder: Path) -> None:
    """Remove the folder a swap replaced (a file system mounted with ``discard`` makes this
    wait for the disk: seconds for thousands of flushed files on a busy machine)."""
    shutil.rmtree(folder, ignore_errors=True)


def _stage(
    pairs: Iterable[tuple[str, str]],
    staging: Path,
    folder_mode: int,
    file_mode: int,
    *,
    fsync: bool,
    fresh: Path | None = None,
) -> tuple[list[Path], int]:
    """Write each (relative path, text) into ``staging`` as it comes; the folders made and the
    number of files.

    Files are created exclusively (a path given twice is an error, never an overwrite) relative
    to their folder's open descriptor, so that no path is resolved again per file. ``fresh``
    (``staging`` itself unless given) is touched as the files come (``STAGING_TOUCH``).
    """
    fresh = staging if fresh is None else fresh
    count = 0
    folders: dict[tuple[str, ...], int] = {(): os.open(staging, os.O_RDONLY | os.O_DIRECTORY)}
    touched = time.monotonic()
    try:
        for rel, text in pairs:
            parts = PurePosixPath(rel).parts
            if not parts or PurePosixPath(rel).is_absolute() or ".." in parts or "." in parts:
                raise UsageError(M_("{path} is not a path inside the folder", path=rel))
            data = text.encode("utf-8")
            where = parts[:-1]
            folder = folders.get(where)
            if folder is None:
                folder = _folder(folders, where, folder_mode)
            fd = os.open(
                parts[-1],
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                file_mode,
                dir_fd=folder,
            )
            try:
                _write_all(fd, data)
                os.fchmod(fd, file_mode)
                if fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            count += 1
            now = time.monotonic()
            if now - touched > STAGING_TOUCH:
                os.utime(fresh)
                touched = now
    finally:
        for fd in folders.values():
            os.close(fd)
    return [staging.joinpath(*where) for where in folders], count


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _folder(folders: dict[tuple[str, ...], int], where: tuple[str, ...], mode: int) -> int:
    """The open descriptor of the staged folder ``where``, made (with its parents) if new."""
    for depth in range(1, len(where) + 1):
        if where[:depth] in folders:
            continue
        parent, name = folders[where[: depth - 1]], where[depth - 1]
        os.mkdir(name, mode, dir_fd=parent)
        folders[where[:depth]] = os.open(
            name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent
        )
    return folders[where]
