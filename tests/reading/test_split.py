"""A load split in two processes: the same records and findings, in the same order."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from solidarity_cli import beside as beside_module
from solidarity_cli.matching.engine import MATCH_FIELDS, MATCH_KINDS
from solidarity_cli.reading import load_repository
from solidarity_cli.reading import loader as loader_module
from solidarity_cli.reading.discovery import WorkingTreeSource
from solidarity_cli.reading.layout import classify
from solidarity_cli.reading.loader import LoadResult
from tests.conftest import generator

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Any load of a record or more is split, however large the test process has grown;
    the list fills with a pid for each second process started."""
    monkeypatch.setattr(loader_module, "SPLIT_FILES", 1)
    monkeypatch.setattr(beside_module, "FORK_LIMIT", 1 << 40)
    started: list[int] = []
    start = beside_module._start

    def counted(work: Any) -> Any:
        pending = start(work)
        if pending.forked:
            started.append(pending._pid)
        return pending

    monkeypatch.setattr(beside_module, "_start", counted)
    return started


def _spoiled(tmp_path: Path) -> Path:
    """A generated network with findings in both halves of its files: a stray file, a file
    that is not YAML, records failing their schema, a strategy with a need that fails (kept
    without it), an id that is not its file's, and personal data in a donor and an
    agreement."""
    root: Path = generator().generate(tmp_path / "net", 40, 20, seed=3).root
    data = root / "data"
    (data / "communities" / "notes.txt").write_text("minutes of the meeting\n", encoding="utf-8")
    community = sorted((data / "communities").glob("*/community.yaml"))[0]
    community.write_text("id: [unclosed\n", encoding="utf-8")
    donors = sorted((data / "donors").glob("*.yaml"))
    text = donors[0].read_text(encoding="utf-8")
    donors[0].write_text(text.replace("kind: ", "kind: spaceship-", 1), encoding="utf-8")
    text = donors[1].read_text(encoding="utf-8").replace("recurrence: once", "recurrence: 7", 1)
    donors[1].write_text(text, encoding="utf-8")
    text = donors[2].read_text(encoding="utf-8")
    donors[2].write_text(text.replace("id: ", "id: another-", 1), encoding="utf-8")
    text = donors[3].read_text(encoding="utf-8")
    donors[3].write_text(
        text.replace("languages:", "contact: maria.silva@example.org\nlanguages:", 1),
        encoding="utf-8",
    )
    strategy = sorted((data / "communities").glob("*/strategies/*.yaml"))[-1]
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text(text.replace("    priority: ", "    priority: first-", 1), encoding="utf-8")
    agreement = sorted((data / "partnerships").glob("*/agreement.yaml"))[-1]
    text = agreement.read_text(encoding="utf-8")
    agreement.write_text(text + "notes: call +238 991 23 45\n", encoding="utf-8")
    return root


def _same(one: LoadResult, two: LoadResult) -> None:
    """Every record, finding and note of two loads is the same, in the same order."""
    a, b = one.dataset, two.dataset
    for table in ("platforms", "communities", "strategies", "donors", "agreements"):
        assert list(getattr(a, table)) == list(getattr(b, table)), table
        for key, record in getattr(a, table).items():
            other = getattr(b, table)[key]
            assert record.__dict__ == other.__dict__, (table, key)
            assert record.__pydantic_fields_set__ == other.__pydantic_fields_set__
    assert a.reports == b.reports
    assert a.paths == b.paths and a.strategy_owner == b.strategy_owner
    assert a.broken == b.broken and a.files == b.files
    assert a.unreadable == b.unreadable
    assert a.personal == b.personal
    assert a.incomplete == b.incomplete
    assert [(d.code, d.location, str(d.message), str(d.hint)) for d in one.diagnostics] == [
        (d.code, d.location, str(d.message), str(d.hint)) for d in two.diagnostics
    ]


@linux
@pytest.mark.parametrize(
    "options",
    [{}, {"kinds": MATCH_KINDS, "screen": True, "fields": MATCH_FIELDS}],
    ids=["whole", "as-match-reads"],
)
def test_a_split_load_reads_what_one_process_reads(
    tmp_path: Path, forks: list[int], options: dict[str, Any]
) -> None:
    root = _spoiled(tmp_path)
    alone = load_repository(root, **options)
    split = load_repository(root, split=True, **options)
    assert len(forks) == 1
    codes = {d.code for d in alone.diagnostics}
    assert len(alone.diagnostics) >= 4 and "LY002" in codes, codes
    assert alone.dataset.personal and alone.dataset.incomplete
    _same(alone, split)


def _second_process_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process reading part of a load dies before it sends anything."""
    here, prepared = os.getpid(), loader_module._Loader.prepared

    def dies_beside(self: Any, *args: Any) -> Any:
        if os.getpid() != here:
            os._exit(3)
        return prepared(self, *args)

    monkeypatch.setattr(loader_module._Loader, "prepared", dies_beside)


@linux
def test_a_failed_second_process_leaves_its_half_to_this_one(
    tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process dies before it sends anything: this process reads that half."""
    root = _spoiled(tmp_path)
    _second_process_dies(monkeypatch)
    alone = load_repository(root)
    split = load_repository(root, split=True)
    assert len(forks) == 1
    _same(alone, split)


def test_a_load_split_where_no_process_may_be_forked_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second half is then read first, here: its findings still come in their turn."""
    monkeypatch.setattr(loader_module, "SPLIT_FILES", 1)
    monkeypatch.setattr(beside_module, "FORK_LIMIT", 0)
    root = _spoiled(tmp_path)
    _same(load_repository(root), load_repository(root, split=True))


def test_the_halves_hold_about_half_the_bytes(tmp_path: Path) -> None:
    root = _spoiled(tmp_path)
    loader = loader_module._Loader(root, None, True)
    entries = sorted(WorkingTreeSource(root).entries(), key=lambda e: e.rel)
    slots = [classify(e.rel) for e in entries]
    wanted = [e for e, slot in zip(entries, slots, strict=True) if loader.of_kinds(slot)]
    assert loader_module._second_half(entries, loader, slots) == len(entries)  # too few records
    loader_module.SPLIT_FILES, before = 1, loader_module.SPLIT_FILES
    try:
        cut = loader_module._second_half(entries, loader, slots)
    finally:
        loader_module.SPLIT_FILES = before
    assert 0 < cut < len(entries)
    weight = [loader_module._size(e) + loader_module.PER_FILE for e in wanted]
    second = sum(w for e, w in zip(wanted, weight, strict=True) if entries.index(e) >= cut)
    share = second / sum(weight)
    assert abs(share - loader_module.SECOND_SHARE) <= max(weight) / sum(weight)


@linux
def test_check_finds_the_same_with_its_records_read_in_two_processes(
    tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from solidarity_cli.checking import check_repository

    root = _spoiled(tmp_path)
    day = generator().REFERENCE_DATE
    split = check_repository(root, as_of=day)
    assert len(forks) == 1
    monkeypatch.setattr(loader_module, "SPLIT_FILES", 1 << 40)
    alone = check_repository(root, as_of=day)
    assert len(forks) == 1
    assert len(alone.diagnostics) >= 6
    assert [d.to_dict() for d in split.diagnostics] == [d.to_dict() for d in alone.diagnostics]


def _cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fills with where each load's second part starts."""
    cuts: list[int] = []
    halve = loader_module._second_half
    monkeypatch.setattr(
        loader_module, "_second_half", lambda *a: cuts.append(halve(*a)) or cuts[-1]
    )
    return cuts


@linux
def test_the_progress_counts_the_second_process_while_this_one_waits(
    tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files the second process reads count as it reads them, also while this process,
    done with its own part, waits for them: no stall, never a step back, all at the end."""
    root = generator().generate(tmp_path / "net", 40, 20, seed=5).root
    monkeypatch.setattr(loader_module, "PROGRESS_EVERY", 5)
    monkeypatch.setattr(beside_module, "TICK", 0.02)
    parent, validate = os.getpid(), loader_module._Loader.validate

    def slow_beside(self: Any, *args: Any) -> Any:
        if os.getpid() != parent:  # the second process reads slowly
            import time

            time.sleep(0.01)
        return validate(self, *args)

    monkeypatch.setattr(loader_module._Loader, "validate", slow_beside)
    later = _cuts(monkeypatch)
    seen: list[tuple[int, int]] = []
    loaded = load_repository(root, lambda done, total: seen.append((done, total)), split=True)
    assert forks and loaded.dataset.communities
    total = seen[-1][1]
    assert seen[-1] == (total, total) and all(t == total for _, t in seen)
    counts = [done for done, _ in seen]
    assert counts == sorted(counts)
    # Counts beyond this process's own part came while it waited for the second process.
    assert later[0] < total
    assert len({c for c in counts if later[0] < c < total}) >= 3


@pytest.mark.parametrize("how", ["no fork", pytest.param("failed", marks=linux)])
def test_the_progress_counts_the_second_part_read_here(
    tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Where no process may be forked (the second part is read first, here) or the second
    process fails (read here after the first part), its files count as they are read."""
    root = generator().generate(tmp_path / "net", 40, 20, seed=5).root
    monkeypatch.setattr(loader_module, "PROGRESS_EVERY", 5)
    if how == "no fork":
        monkeypatch.setattr(beside_module, "FORK_LIMIT", 0)
    else:
        _second_process_dies(monkeypatch)
    later = _cuts(monkeypatch)
    seen: list[int] = []
    load_repository(root, lambda done, total: seen.append(done), split=True)
    total = seen[-1]
    assert seen == sorted(seen) and total > later[0] > 0
    second = total - later[0]
    if how == "no fork":
        assert not forks
        # Read first: the first counts are the second part's alone.
        assert 0 < seen[0] <= second and len([c for c in seen if c <= second]) >= 3
    else:
        assert forks
        # Read after the first part: counts between the first part and the whole.
        assert len({c for c in seen if later[0] < c < total}) >= 3
