"""Work beside the process: the same result forked or not, and every failure falls back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from solidarity_cli import beside as beside_module
from solidarity_cli.beside import beside, can_fork

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


@pytest.fixture(autouse=True)
def _any_size_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test process grows over a whole run past ``FORK_LIMIT``: these tests fork anyway
    (the tests of the limit set it themselves)."""
    monkeypatch.setattr(beside_module, "FORK_LIMIT", 1 << 40)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@linux
def test_a_small_process_hands_the_work_to_a_second_process() -> None:
    here = os.getpid()
    with beside(lambda: (os.getpid(), sum(range(1000)))) as pending:
        assert pending.forked
        pid, total = pending.result()
    assert pid != here
    assert total == 499500


def test_without_a_fork_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside_module, "FORK_LIMIT", 0)
    assert not can_fork()
    here = os.getpid()
    with beside(os.getpid) as pending:
        assert not pending.forked
        assert pending.result() == here


def test_without_a_fork_the_work_is_done_first() -> None:
    """Its memory is freed before the block builds anything else, as without ``beside``."""
    order: list[str] = []
    with beside(lambda: order.append("work"), fork=False) as pending:
        order.append("block")
        pending.result()
        pending.result()
    assert order == ["work", "block"]


def test_fork_false_does_the_work_here() -> None:
    with beside(os.getpid, fork=False) as pending:
        assert not pending.forked
        assert pending.result() == os.getpid()


@linux
@pytest.mark.parametrize("how", ["raises", "killed", "unpicklable", "exits"])
def test_a_failed_second_process_leaves_the_work_to_this_one(how: str) -> None:
    here = os.getpid()

    def work() -> object:
        if os.getpid() != here:  # only the second process fails
            if how == "raises":
                raise RuntimeError("broken")
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            if how == "unpicklable":
                return lambda: None
            os._exit(0)  # leaves without a result
        return "done here"

    with beside(work) as pending:
        assert pending.forked
        assert pending.result() == "done here"


@linux
def test_a_second_process_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside_module, "WAIT_LIMIT", 0.5)
    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            time.sleep(60)
        return os.getpid()

    start = time.monotonic()
    with beside(work) as pending:
        child = pending._pid
        assert child is not None
        assert pending.result() == here
    assert time.monotonic() - start < 30
    assert not _alive(child)


@linux
def test_leaving_the_block_stops_a_second_process_still_running() -> None:
    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            time.sleep(60)
        return 1

    with beside(work) as pending:
        child = pending._pid
        assert child is not None
    assert not _alive(child)


@linux
def test_the_second_process_dies_with_a_killed_parent(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, sys, time
            from solidarity_cli import beside as module
            from solidarity_cli.beside import beside
            module.FORK_LIMIT = 1 << 40
            here = os.getpid()
            def work():
                if os.getpid() != here:
                    time.sleep(60)
                return 1
            with beside(work) as pending:
                print(pending._pid, flush=True)
                time.sleep(60)
            """
        ),
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


@linux
def test_the_second_process_writes_nothing_to_this_ones_streams(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def work() -> int:
        print("from the work")
        print("to stderr", file=sys.stderr)
        return 7

    with beside(work) as pending:
        assert pending.forked
        assert pending.result() == 7
    out, err = capfd.readouterr()
    assert "from the work" not in out
    assert "to stderr" not in err


@linux
def test_a_slow_second_process_that_still_works_is_waited_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(beside_module, "WAIT_LIMIT", 0.5)
    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            end = time.monotonic() + 2.5
            while time.monotonic() < end:  # busy, well past the limit
                pass
        return os.getpid()

    with beside(work) as pending:
        assert pending.forked
        assert pending.result() != here


@linux
@pytest.mark.parametrize("failing", ["fork", "pipe"])
def test_no_process_to_be_had_leaves_the_work_here_and_no_descriptor_open(
    monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def refused(*args: object) -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, failing, refused)
    before = sum(1 for _ in Path("/proc/self/fd").iterdir())
    with beside(os.getpid) as pending:
        assert not pending.forked
        assert pending.result() == os.getpid()
    assert sum(1 for _ in Path("/proc/self/fd").iterdir()) == before
