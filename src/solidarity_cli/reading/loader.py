"""Read a whole data repository into a ``Dataset``, turning every problem into a diagnostic."""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from solidarity_cli.diagnostics import Diagnostic, Location, Severity
from solidarity_cli.errors import RepositoryNotFoundError
from solidarity_cli.models import Settings
from solidarity_cli.models.base import equal_values_shared, with_fields_only
from solidarity_cli.models.settings import ReadingLimits
from solidarity_cli.reading.discovery import (
    DiskEntry,
    EntryType,
    RevisionSource,
    Source,
    SourceEntry,
    WorkingTreeSource,
    in_skipped,
)
from solidarity_cli.reading.findings import schema_diagnostics
from solidarity_cli.reading.items import Incomplete, without_broken_items
from solidarity_cli.reading.layout import (
    ALLOWED_EXTRAS,
    SETTINGS_FILE,
    RecordKind,
    Slot,
    Unreadable,
    classify,
    folders_skipped,
    in_documents,
    stray_hint,
)
from solidarity_cli.reading.parse import parse_bytes
from solidarity_cli.reading.positions import place
from solidarity_cli.reading.screening import Bounds
from solidarity_cli.reading.values import Shared
from solidarity_cli.words import M_, N_, Words

if TYPE_CHECKING:
    # The dataset names record kinds from this package: imported where a dataset is made.
    from solidarity_cli.dataset import Dataset

BlobCache = dict[tuple[str, str], tuple[Any, tuple[Diagnostic, ...], bool, Incomplete | None]]
"""Validated records, their findings, whether they may hold personal data and the items left
out of them, by (content key, path): a file whose blob is the same in two revisions is parsed
and validated once per run."""

Prepared = dict[str, tuple[Any, tuple[Diagnostic, ...], bool, Incomplete | None]]
"""What ``BlobCache`` holds, by path: the records of a load's second part, read beside it."""

SPLIT_FILES = 1_000
"""A load of fewer record files than this is read in one process: a fork and the pickled
records would cost more than reading half of them saves."""
SECOND_SHARE = 0.45
"""The second process's share of the records (it pickles them and this process unpickles
them, so it takes a little less than half)."""
PER_FILE = 6_000
"""What reading a record file costs besides its bytes, in bytes' worth: the halves are
halves of this plus the files' bytes."""

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) while loading."""
PROGRESS_EVERY = 200
"""Files read between two calls of ``Progress``."""

Fields = Mapping[RecordKind, frozenset[str]]
"""The fields kept of each record of some kinds, once the whole record is checked."""


@dataclass
class LoadResult:
    """The dataset and every problem found while reading it."""

    dataset: Dataset
    diagnostics: list[Diagnostic]


def find_root(start: Path) -> Path:
    """Walk up from ``start`` to the folder holding ``solidarity.yaml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise RepositoryNotFoundError(
        M_("no {file} found in {start} or any folder above it", file=SETTINGS_FILE, start=start),
        hint=M_(
            "run the command inside a data repository, give its folder with --repo DIR, or "
            "start a network there with solidarity init"
        ),
    )


def _layout_finding(
    code: str, rule: str, rel: str, message: str, hint: str, key: tuple[str | int, ...] = ()
) -> Diagnostic:
    line = 0 if key else 1
    return Diagnostic(
        code=code,
        severity=Severity.ERROR,
        message=message,
        hint=hint,
        rule=rule,
        location=Location(rel, line, line, key),
    )


def _unreadable(rel: str, exc: OSError) -> Diagnostic:
    return _layout_finding(
        "LY005",
        "unreadable",
        rel,
        M_("the file cannot be read: {reason}", reason=exc.strerror),
        M_("check that the file exists and that you may read it"),
    )


#: One sentence per kind of record, so that each language can say the kind its own way.
_DUPLICATE_ID: dict[RecordKind, tuple[str, str]] = {
    RecordKind.VOCABULARY: (
        N_("another vocabulary already uses the id '{id}' ({other})"),
        N_("vocabulary ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.PLATFORM: (
        N_("another platform already uses the id '{id}' ({other})"),
        N_("platform ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.COMMUNITY: (
        N_("another community already uses the id '{id}' ({other})"),
        N_("community ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.STRATEGY: (
        N_("another strategy already uses the id '{id}' ({other})"),
        N_("strategy ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.DONOR: (
        N_("another donor already uses the id '{id}' ({other})"),
        N_("donor ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.AGREEMENT: (
        N_("another agreement already uses the id '{id}' ({other})"),
        N_("agreement ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.REPORT: (
        N_("another report already uses the id '{id}' ({other})"),
        N_("report ids must be unique across the repository: rename this file and its id"),
    ),
    RecordKind.RULE: (
        N_("another rule already uses the id '{id}' ({other})"),
        N_("rule ids must be unique across the repository: rename this file and its id"),
    ),
}


def _duplicate_id(kind: RecordKind, id_: str, other: str) -> tuple[Words, Words]:
    """The message and hint of a second record of ``kind`` using the id ``id_``."""
    message, hint = _DUPLICATE_ID[kind]
    return Words(message, id=id_, other=other), Words(hint)


@contextmanager
def collector_paused(*, freeze: bool = True) -> Iterator[None]:
    """The cyclic collector off for the block, and what lives at its end frozen out of the
    collector's sight (``freeze``): objects made to last, never to be scanned again.

    Loading allocates many small objects that all live on; the cyclic collector would re-scan
    them again and again (2-3x slower on large repositories). Work done in the middle of
    something else (``freeze=False``) leaves that something's garbage to the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


class _Loader:
    def __init__(
        self,
        root: Path,
        kinds: Collection[RecordKind] | None,
        screen: bool,
        cache: BlobCache | None = None,
        fields: Fields | None = None,
    ) -> None:
        self.root = root
        self.cache = cache
        self.kinds = kinds
        self.fields = fields or {}
        self.screen = screen
        from solidarity_cli.dataset import Dataset

        self.dataset = Dataset(root=root)
        self.diagnostics: list[Diagnostic] = []
        self.personal: set[str] = set()
        self.limits = ReadingLimits()
        self.bounds = Bounds(depth=self.limits.max_depth)
        self.shared = Shared()
        self.ready: Prepared = {}
        """Records read beside this load (``prepared``), taken by ``cached`` in order."""
        if screen:
            self.dataset.personal = self.personal

    def read(self, entry: SourceEntry) -> bytes | None:
        """At most the size bound plus one byte; links and submodules are never entered."""
        if entry.type is EntryType.SYMLINK:
            # Never say where the link points: that could print a private path.
            self.diagnostics.append(
                _layout_finding(
                    "LY004",
                    "symlink",
                    entry.rel,
                    M_("the file is a link to another file; links are never followed"),
                    M_("put a copy of the file itself here instead of a link"),
                )
            )
            return None
        if entry.type is EntryType.SUBMODULE:
            self.diagnostics.append(
                _layout_finding(
                    "LY006",
                    "submodule",
                    entry.rel,
                    M_(
                        "this folder is a git submodule; records from another repository are "
                        "not read"
                    ),
                    M_("copy the records into this repository, or remove the submodule"),
                )
            )
            return None
        limit = self.limits.max_file_bytes
        try:
            data = entry.read(limit + 1)
        except OSError as exc:
            self.diagnostics.append(_unreadable(entry.rel, exc))
            return None
        if len(data) > limit:
            self.diagnostics.append(
                _layout_finding(
                    "SY017",
                    "file-too-large",
                    entry.rel,
                    M_(
                        "the file is larger than {limit} bytes, the bound set for one record",
                        limit=limit,
                    ),
                    M_(
                        "split the record, or raise 'limits: max_file_bytes' in {file}",
                        file=SETTINGS_FILE,
                    ),
                )
            )
            return None
        return data

    def validate(self, rel: str, model: type[BaseModel], data: bytes) -> Any:
        parsed = parse_bytes(rel, data, screen=self.screen, bounds=self.bounds, shared=self.shared)
        if parsed.diagnostics:
            self.diagnostics.extend(parsed.diagnostics)
            return None
        too_many = self.too_many(rel, parsed.data, data)
        if too_many is not None:
            self.diagnostics.append(too_many)
            return None
        if parsed.personal:
            self.personal.add(rel)
        try:
            return model.model_validate(parsed.data)
        except ValidationError as exc:
            found = schema_diagnostics(rel, model, parsed.data, exc)
            self.diagnostics.extend(found)
        # Every finding in one pass: a record whose errors all lie inside items of its lists
        # is kept without those items, and the rules check the rest of it.
        kept = without_broken_items(model, parsed.data, found)
        if kept is None:
            return None
        self.dataset.incomplete[rel] = kept[1]
        return kept[0]

    def too_many(self, rel: str, data: dict[str, Any], raw: bytes) -> Diagnostic | None:
        """A collection longer than its bound, before any model is built from it.

        Placed here, from the key's line in ``raw``, rather than by composing the whole (long)
        file again to find it.
        """
        for key, bound, setting in (
            ("needs", self.limits.max_needs, "max_needs"),
            ("indicators", self.limits.max_indicators, "max_indicators"),
        ):
            items = data.get(key)
            if isinstance(items, list) and len(items) > bound:
                found = _layout_finding(
                    "SY018",
                    "too-many-items",
                    rel,
                    M_(
                        "'{key}' holds {count} items, more than the bound of {bound}",
                        key=key,
                        count=len(items),
                        bound=bound,
                    ),
                    M_(
                        "split the record, or raise 'limits: {setting}' in {file}",
                        setting=setting,
                        file=SETTINGS_FILE,
                    ),
                    (key,),
                )
                at = re.search(rb"^" + key.encode() + rb"[ \t]*:", raw, re.MULTILINE)
                if at is None:
                    return found  # a flow mapping: placed with the other findings
                return found.at(raw.count(b"\n", 0, at.start()) + 1, 1)
        return None

    def settings(self, source: Source) -> None:
        path = self.root / SETTINGS_FILE
        data = b""
        if isinstance(source, WorkingTreeSource) and path.is_symlink():
            self.diagnostics.append(
                _layout_finding(
                    "LY004",
                    "symlink",
                    SETTINGS_FILE,
                    M_("the file is a link to another file; links are never followed"),
                    M_("put a copy of the file itself here instead of a link"),
                )
            )
        elif isinstance(source, WorkingTreeSource):
            if path.is_file():
                with path.open("rb") as file:
                    data = file.read(self.limits.max_file_bytes + 1)
        else:
            data = (source.settings() or b"")[: self.limits.max_file_bytes + 1]
        self.dataset.settings = self.validate(SETTINGS_FILE, Settings, data)
        if self.dataset.settings is not None:
            self.limits = self.dataset.settings.limits
            self.bounds = Bounds(depth=self.limits.max_depth)

    def staging_leftovers(self) -> None:
        """Temporary drafts and ``.site.*`` staging folders at the top of the repository."""
        try:
            names = sorted(item.name for item in self.root.iterdir())
        except OSError:
            return
        for name in names:
            if name.startswith(".site.") or (name.startswith(".") and name.endswith(".tmp")):
                self.leftover(name)

    def leftover(self, rel: str) -> None:
        """A temporary draft a killed writer left (``.<name>.*.tmp``)."""
        self.diagnostics.append(
            Diagnostic(
                code="LY007",
                severity=Severity.WARNING,
                message=M_("a temporary file left by an interrupted write"),
                hint=M_("delete it: the file it was written for is complete without it"),
                rule="leftover",
                location=Location(rel, 1, 1),
            )
        )

    def record(self, entry: SourceEntry, slot: Slot | None) -> None:
        """Read one entry, whose place in the layout is ``slot`` (``classify``)."""
        name = entry.rel.rsplit("/", 1)[-1]
        if slot is None:
            if name.startswith(".") and name.endswith(".tmp"):
                self.leftover(entry.rel)
                return
            if name in ALLOWED_EXTRAS or name.startswith(".") or in_documents(entry.rel):
                return
            self.diagnostics.append(
                _layout_finding(
                    "LY001",
                    "stray-file",
                    entry.rel,
                    M_("this file is not where any kind of record lives, so it would be ignored"),
                    stray_hint(entry.rel),
                )
            )
            return
        if self.of_kinds(slot) is None:
            return
        self.dataset.files += 1
        record = self.cached(entry, slot.kind)
        if record is not None and self.store(entry.rel, slot, record):
            return
        if record is None and slot.kind is not RecordKind.REPORT:
            # Known to exist, so references to it are not reported a second time.
            self.dataset.broken.add((slot.kind, slot.expected_id))
        # The file is there all the same: ``diff`` must not call its record removed.
        key = slot.expected_id
        if slot.kind is RecordKind.REPORT:
            key = f"{slot.owner}/{key}"
        self.dataset.unreadable.setdefault(
            (slot.kind, key), Unreadable(entry.rel, self.content_key(entry))
        )

    def content_key(self, entry: SourceEntry) -> str | None:
        """``entry``'s git blob id: git's own where it knows the file unchanged, else worked
        out from the bytes (a file only touched is the same file); None past the size bound."""
        if entry.content_key is not None or entry.type is not EntryType.FILE:
            return entry.content_key
        try:
            data = entry.read(self.limits.max_file_bytes + 1)
        except OSError:
            return None
        if len(data) > self.limits.max_file_bytes:
            return None
        return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()

    def cached(self, entry: SourceEntry, kind: RecordKind) -> Any:
        """The validated record of ``entry`` (None if it has findings), once per content key."""
        ready = self.ready.pop(entry.rel, None)
        if ready is not None:
            return self.taken(entry.rel, *ready)
        key = (entry.content_key, entry.rel) if entry.content_key is not None else None
        if key is not None and self.cache is not None and key in self.cache:
            return self.taken(entry.rel, *self.cache[key])
        before = len(self.diagnostics)
        data = self.read(entry)
        record = None if data is None else self.validate(entry.rel, kind.model, data)
        if key is not None and self.cache is not None:
            found = tuple(self.diagnostics[before:])
            incomplete = self.dataset.incomplete.get(entry.rel)
            self.cache[key] = (record, found, entry.rel in self.personal, incomplete)
        return record

    def taken(
        self,
        rel: str,
        record: Any,
        findings: tuple[Diagnostic, ...],
        personal: bool,
        incomplete: Incomplete | None,
    ) -> Any:
        """A record read before (or beside), with what reading it found."""
        self.diagnostics.extend(findings)
        if personal:
            self.personal.add(rel)
        if incomplete is not None:
            self.dataset.incomplete[rel] = incomplete
        return record

    def of_kinds(self, slot: Slot | None) -> Slot | None:
        """``slot``, if its record is one of the kinds read."""
        if slot is None or (self.kinds is not None and slot.kind not in self.kinds):
            return None
        return slot

    def prepared(
        self,
        entries: list[SourceEntry],
        slots: list[Slot | None],
        tally: Callable[[int], None] | None = None,
    ) -> Prepared:
        """What ``cached`` finds for each record of ``entries`` (their places are ``slots``),
        each record already kept to its ``fields``: the part of a load read beside it
        (``split``). ``tally`` is told how many entries are done, now and then."""
        out: Prepared = {}
        for done, (entry, where) in enumerate(zip(entries, slots, strict=True), 1):
            if tally is not None and done % PROGRESS_EVERY == 0:
                tally(done)
            slot = self.of_kinds(where)
            if slot is None:
                continue
            before = len(self.diagnostics)
            data = self.read(entry)
            record = None if data is None else self.validate(entry.rel, slot.kind.model, data)
            if record is not None and slot.kind is not RecordKind.REPORT:
                record = self.kept(slot.kind, record)  # fewer bytes to send back
            # Taken back out of this load: ``cached`` adds them again, in their turn.
            found = tuple(self.diagnostics[before:])
            del self.diagnostics[before:]
            personal = entry.rel in self.personal
            self.personal.discard(entry.rel)
            out[entry.rel] = (record, found, personal, self.dataset.incomplete.pop(entry.rel, None))
        if tally is not None:
            tally(len(entries))
        return out

    def kept(self, kind: RecordKind, record: Any) -> Any:
        """``record`` holding only the ``fields`` kept of its kind (and its id)."""
        keep = self.fields.get(kind)
        return record if keep is None else with_fields_only(record, keep | {"id"})

    def store(self, rel: str, slot: Slot, record: Any) -> bool:
        """Keep ``record``, read from ``rel`` at ``slot``; False when its place refuses it."""
        ds = self.dataset
        if record.id != slot.expected_id:
            if rel.endswith(("/community.yaml", "/agreement.yaml")):
                message = M_(
                    "the id '{id}' does not match the folder name '{name}'",
                    id=record.id,
                    name=slot.expected_id,
                )
            else:
                message = M_(
                    "the id '{id}' does not match the file name '{name}'",
                    id=record.id,
                    name=slot.expected_id,
                )
            self.diagnostics.append(
                _layout_finding(
                    "LY002",
                    "id-mismatch",
                    rel,
                    message,
                    M_(
                        "set 'id: {name}', or rename the file or folder to match the id",
                        name=slot.expected_id,
                    ),
                    ("id",),
                )
            )
            return False
        kind = slot.kind
        if kind is RecordKind.REPORT:
            if record.partnership != slot.owner:
                self.diagnostics.append(
                    _layout_finding(
                        "LY002",
                        "id-mismatch",
                        rel,
                        M_(
                            "the report names partnership '{named}' but sits in the folder of "
                            "'{owner}'",
                            named=record.partnership,
                            owner=slot.owner,
                        ),
                        M_("set 'partnership: {owner}', or move the report", owner=slot.owner),
                        ("partnership",),
                    )
                )
                return False
            ds.reports.setdefault(slot.owner, {})[record.id] = record
            ds.paths[(kind, f"{slot.owner}/{record.id}")] = rel
            return True
        table = ds.table(kind)
        if record.id in table:
            other = ds.paths[(kind, record.id)]
            message, hint = _duplicate_id(kind, record.id, other)
            self.diagnostics.append(
                _layout_finding("LY003", "duplicate-id", rel, message, hint, ("id",))
            )
            return False
        table[record.id] = self.kept(kind, record)
        ds.paths[(kind, record.id)] = rel
        if kind is RecordKind.STRATEGY:
            ds.strategy_owner[record.id] = slot.owner
        return True


@dataclass(frozen=True, slots=True)
class TextEntry:
    """A file given as bytes rather than found on disk."""

    rel: str
    data: bytes
    type: EntryType = EntryType.FILE
    content_key: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def read(self, limit: int) -> bytes:
        """At most ``limit`` bytes of the content."""
        return self.data[:limit]


def read_file(
    rel: str, data: bytes, model: type[BaseModel], *, limits: ReadingLimits | None = None
) -> tuple[Any, list[Diagnostic]]:
    """One file's bytes through the steps ``check`` takes for every record (size bound,
    decoding, screening, parse, collection bounds, schema) with the findings placed.

    Returns the validated record (None when there are findings) and the findings.
    """
    loader = _Loader(Path(), None, screen=True)
    if limits is not None:
        loader.limits = limits
        loader.bounds = Bounds(depth=limits.max_depth)
    raw = loader.read(TextEntry(rel, data))
    record = None if raw is None else loader.validate(rel, model, raw)
    found = place(Path(), loader.diagnostics, read=lambda path: data if path == rel else None)
    return record, found


def load_repository(
    root: Path,
    progress: Progress | None = None,
    *,
    kinds: Collection[RecordKind] | None = None,
    screen: bool = True,
    source: Source | None = None,
    cache: BlobCache | None = None,
    fields: Fields | None = None,
    split: bool = False,
) -> LoadResult:
    """Read every record under ``root`` (or only those of ``kinds``); positions of findings
    are not placed yet.

    ``screen`` notes the files whose text may hold personal data, for the data-protection
    rules (``Dataset.personal``; left ``None`` without it, and the rules then read every file).
    ``fields`` keeps only those fields (and the id) of the records of its kinds, each record
    checked whole first: the same findings, less memory for a reader of few fields.
    ``split`` reads the second half of a large working tree's records in a second process
    (``beside``) while this one reads the first: the same records and findings, in the same
    order, sooner where a second processor is free.
    """
    from solidarity_cli.beside import SharedCount, beside

    loader = _Loader(root, kinds, screen, cache, fields)
    # A reader of some kinds does not look into folders that hold none of them.
    skip = folders_skipped(kinds)
    if source is None:
        source = WorkingTreeSource(root, skip)
        listed: Iterable[SourceEntry] = source.entries()
    else:
        listed = source.entries()
        if skip is not None:
            listed = (entry for entry in listed if not in_skipped(entry.rel, skip))
    entries = sorted(listed, key=lambda e: e.rel)
    slots = [classify(entry.rel) for entry in entries]
    later = (
        _second_half(entries, loader, slots)
        if split and cache is None and isinstance(source, WorkingTreeSource)
        else len(entries)
    )
    # The second part's progress, as whoever reads it counts it: the second process, or this
    # one when no process could be forked (or the second failed).
    beside_done = SharedCount() if progress is not None and later < len(entries) else None
    here, mine, shown = os.getpid(), 0, 0

    def report() -> None:
        nonlocal shown
        if progress is not None:
            ahead = beside_done.get() if beside_done is not None else 0
            shown = max(shown, mine + ahead)
            progress(min(shown, len(entries)), len(entries))

    def tally(done: int) -> None:
        if beside_done is not None:
            beside_done.set(done)
            if os.getpid() == here:  # a second process never touches the progress bar
                report()

    with collector_paused(), equal_values_shared():
        loader.settings(source)
        if not isinstance(source, RevisionSource):  # a commit holds no interrupted writes
            loader.staging_leftovers()
        with beside(
            lambda: loader.prepared(entries[later:], slots[later:], tally),
            fork=later < len(entries),
        ) as part:
            for done, (entry, slot) in enumerate(zip(entries, slots, strict=True), 1):
                if done == later + 1:
                    loader.ready = part.result(report if progress is not None else None)
                loader.record(entry, slot)
                mine = min(done, later)
                if done % PROGRESS_EVERY == 0:
                    report()
    if progress is not None:
        progress(len(entries), len(entries))
    return LoadResult(loader.dataset, loader.diagnostics)


def _second_half(entries: list[SourceEntry], loader: _Loader, slots: list[Slot | None]) -> int:
    """Where the second half of the records' bytes starts in ``entries`` (their length when
    they hold fewer than ``SPLIT_FILES`` records); ``slots``: their places in the layout."""
    wanted = [index for index, slot in enumerate(slots) if loader.of_kinds(slot)]
    if len(wanted) < SPLIT_FILES:
        return len(entries)
    sizes = [_size(entries[index]) + PER_FILE for index in wanted]
    first, running = sum(sizes) * (1 - SECOND_SHARE), 0
    for index, size in zip(wanted, sizes, strict=True):
        running += size
        if running >= first:
            return index + 1
    return len(entries)


def _size(entry: SourceEntry) -> int:
    """The bytes of ``entry``, or 1 where they cannot be known."""
    if entry.size >= 0:
        return entry.size
    if isinstance(entry, DiskEntry):
        try:
            return os.lstat(entry.path).st_size
        except OSError:
            return 1
    return 1
