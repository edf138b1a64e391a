"""Work done beside this process: in a forked second process where that is safe and cheap.

A report can check the rules while it builds its views: the two share the records just read.
On Linux, ``beside`` forks a process that computes the work's result and hands it back
(pickled, through a pipe); this process goes on meanwhile. A fork shares the records without
copying them until one side writes to them, and every record touched copies its memory page
(reference counts), so a fork is only taken while this process is small (``FORK_LIMIT``).
Elsewhere, and for larger processes, the work is done here at once, before anything else (its
memory is freed before what follows is built, as if there were no second process); when the
second process fails in any way (killed, out of memory, a result that cannot be pickled), the
work is done here when its result is asked for. The result is always the same, only the time
differs.

A fork copies only the thread that made it. The second process therefore writes nothing to
this process's streams (another thread, a progress bar, may hold their locks) and touches no
other shared state; should it still hang (no processor time used for ``WAIT_LIMIT`` seconds), it
is stopped and the work is done here. Where no process can be made (no memory, a limit on
processes), the work is done here.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import os
import select
import signal
import struct
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

#: A process whose resident memory is above this does its work itself: a second process may
#: come to copy most of it, and two copies of a large network's records would not fit beside
#: a report's own memory.
FORK_LIMIT = 768 * 1024 * 1024

#: Seconds the second process may go without using the processor while its result is
#: awaited (a process stuck on a lock uses none) before it is stopped and the work done here
#: instead. A slow process that still works is waited for.
WAIT_LIMIT = 60.0

#: Seconds between two calls of a ``result`` caller's ``waiting`` (a progress bar's pace).
TICK = 0.2

_PR_SET_PDEATHSIG = 1


class Pending(Generic[T]):
    """A result being computed beside this process (or to be computed here when asked)."""

    def __init__(self, work: Callable[[], T], pid: int | None, fd: int | None) -> None:
        self._work, self._pid, self._fd = work, pid, fd
        self._done = False
        self._value: T | None = None
        self.forked = pid is not None
        """Whether the work was handed to a second process (if that failed, it is redone here)."""

    def result(self, waiting: Callable[[], None] | None = None) -> T:
        """The work's result: read from the second process, or computed here. ``waiting`` is
        called every ``TICK`` seconds while the second process is still at work."""
        if not self._done:
            value = self._collect(waiting)
            self._value = self._work() if value is None else value[0]
            self._done = True
        return self._value  # type: ignore[return-value]

    def _collect(self, waiting: Callable[[], None] | None) -> tuple[T] | None:
        """The second process's result, or None where there is none to trust."""
        if self._pid is None or self._fd is None:
            return None
        chunks = _read_while_working(self._fd, self._pid, waiting)
        os.close(self._fd)
        self._fd = None
        if chunks is None:  # stuck: stopped, the work is done here
            self.cancel()
            return None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        import pickle  # here: a check that never forks does not pay for it

        try:
            return (pickle.loads(b"".join(chunks)),)
        except Exception:  # a torn or foreign result: computed here instead
            return None

    def cancel(self) -> None:
        """Stop the second process if it still runs (the result was not needed)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None


class SharedCount:
    """A count the second process raises and this one reads while it works (a page of memory
    the fork shares: no pipe, no lock; a count read mid-write is only a progress bar's)."""

    def __init__(self) -> None:
        self._page = mmap.mmap(-1, 8)  # anonymous: shared with processes forked from here

    def set(self, value: int) -> None:
        """Set the count (in either process)."""
        struct.pack_into("q", self._page, 0, value)

    def get(self) -> int:
        """The count as last set."""
        value: int = struct.unpack_from("q", self._page, 0)[0]
        return value


def _read_while_working(
    fd: int, pid: int, waiting: Callable[[], None] | None = None
) -> list[bytes] | None:
    """Everything written to ``fd`` until its writer closed it, or None once process ``pid``
    has used no processor time for ``WAIT_LIMIT`` seconds (stuck); ``waiting`` is called
    whenever nothing came for ``TICK`` seconds."""
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    used, since = _processor_ticks(pid), time.monotonic()
    tick = min(TICK if waiting is not None else 1.0, WAIT_LIMIT)
    while True:
        if not poller.poll(tick * 1000):
            if waiting is not None:
                waiting()
            now, ticks = time.monotonic(), _processor_ticks(pid)
            if ticks is None or ticks != used:
                used, since = ticks, now
            elif now - since >= WAIT_LIMIT:
                return None
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return chunks
        chunks.append(chunk)


def _processor_ticks(pid: int) -> int | None:
    """The processor time process ``pid`` has used so far (Linux clock ticks), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime and stime
    except (OSError, IndexError, ValueError):
        return None


def resident() -> int | None:
    """This process's resident memory in bytes (Linux), or None where it cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_bytes().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def can_fork(limit: int | None = None) -> bool:
    """Whether a second process may be forked here: Linux, and this process still small
    (at most ``limit`` bytes resident, ``FORK_LIMIT`` unless given)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    size = resident()
    return size is not None and size <= (FORK_LIMIT if limit is None else limit)


@contextlib.contextmanager
def beside(
    work: Callable[[], T], *, fork: bool = True, limit: int | None = None
) -> Iterator[Pending[T]]:
    """``work`` started in a second process (see the module), its result to ask for inside the
    block; a second process still running when the block ends is stopped. ``limit`` raises
    or lowers ``FORK_LIMIT`` for work known to touch little of this process's memory."""
    pending = _start(work) if fork and can_fork(limit) else _here(work)
    try:
        yield pending
    finally:
        pending.cancel()


def _start(work: Callable[[], T]) -> Pending[T]:
    """``work`` handed to a forked process; done here at once if no process can be made."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # nothing written before the fork is written twice
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    parent = os.getpid()
    try:
        read, write = os.pipe()
    except OSError:  # no descriptor left
        return _here(work)
    try:
        with warnings.catch_warnings():
            # Python 3.12 and later warn of a fork beside other threads: see the module's note.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:  # no process or memory left for one
        os.close(read)
        os.close(write)
        return _here(work)
    if pid == 0:  # pragma: no cover - the second process; its result is what the tests check
        _child(work, read, write, parent)
    os.close(write)
    return Pending(work, pid, read)


def _here(work: Callable[[], T]) -> Pending[T]:
    """``work`` done here, now: its memory freed before what follows is built."""
    pending = Pending(work, None, None)
    pending.result()
    return pending


def _child(work: Callable[[], T], read: int, write: int, parent: int) -> None:
    """Compute, send the pickled result, and leave without running anything of the parent's
    (no exit handlers, no buffered output flushed twice)."""
    code = 1
    try:
        os.close(read)
        _die_with(parent)
        sys.stdout = sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115
        import pickle

        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write, view) :]
        code = 0
    except BaseException:  # any failure: the parent computes the result itself
        code = 1
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process if ``parent`` dies (a killed report leaves nothing)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)
