"""The findings of the last ``check`` of a repository, kept by the content of what it read.

A second ``check`` of an unchanged repository hashes every file (as ruff and mypy key their
caches by content; a file git's index holds unchanged is named by its blob id, by git's own
check), and gives back the findings of the first without parsing,
validating or running a rule. The key covers every input of a check: the bytes of every file
under ``data/``, the settings, the names at the top of the repository, ``templates/`` and
``.github/``, the day the check judges dates by, the tool's version and the files of the
installed package itself. Any difference is a new key, so an answer is never stale.

The cache lives in the user's cache folder (``$SOLIDARITY_CACHE_DIR``, else
``$XDG_CACHE_HOME/solidarity``, else ``~/.cache/solidarity``), never in the repository: a
pull request cannot plant a cached answer, and CI on a fresh machine always checks in full.
It holds JSON (no code is ever loaded from it) and one entry per repository.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from solidarity_cli import __version__
from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.diagnostics import Diagnostic, Location, Severity
from solidarity_cli.reading.discovery import EntryType, WorkingTreeSource
from solidarity_cli.words import Words

FORMAT = 1
#: Bytes of a file hashed at first (the default bound on a file, plus one).
_HASHED = (1 << 20) + 1
#: The largest bound the settings allow, plus one.
_LARGEST = (1 << 30) + 1
_PACKAGE = Path(__file__).resolve().parent
#: Folders besides ``data/`` that a check reads.
_ALSO_READ = ("templates", ".github")


class _Unsupported(Exception):
    """A value the cache cannot write faithfully: the result is then not kept."""


def cache_dir() -> Path:
    """Where cached results are kept."""
    explicit = os.environ.get("SOLIDARITY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "solidarity"


def package_fingerprint() -> str:
    """The tool's own files by name, size and modification time (an edited rule is new)."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".json", ".j2", ".mo", ".yaml") and "__pycache__" not in str(
            path
        ):
            st = path.stat()
            h.update(f"{path.relative_to(_PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _feed_file(h: Any, rel: str, path: Path) -> None:
    try:
        st = path.lstat()
        if path.is_symlink() or not path.is_file():
            h.update(f"{rel}\0other\0{st.st_mode}\n".encode())
            return
        with path.open("rb") as file:
            data = file.read(_LARGEST)
    except OSError as exc:
        h.update(f"{rel}\0unreadable\0{exc.errno}\n".encode())
        return
    h.update(f"{rel}\0{len(data)}\0".encode())
    h.update(data)


def repository_key(root: Path, as_of: dt.date) -> str:
    """A key that changes whenever anything a check of ``root`` on ``as_of`` reads changes."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT}\0{__version__}\0{package_fingerprint()}\0{as_of.isoformat()}\n".encode())
    h.update(f"{root.resolve()}\n".encode())
    try:
        names = sorted(item.name for item in root.iterdir())
    except OSError:
        names = []
    h.update(("\0".join(names) + "\n").encode())
    source = WorkingTreeSource(root)
    settings = source.settings() or b""
    h.update(f"settings\0{len(settings)}\0".encode() + settings)
    for entry in sorted(source.entries(), key=lambda e: e.rel):
        h.update(f"\n{entry.rel}\0{entry.type.value}\0".encode())
        if entry.content_key is not None:
            # Same as git's index by git's own check: the blob id names the content.
            h.update(f"blob\0{entry.content_key}".encode())
        elif entry.type is EntryType.FILE:
            try:
                data = entry.read(_HASHED)
            except OSError as exc:
                h.update(f"unreadable\0{exc.errno}".encode())
                continue
            if len(data) >= _HASHED:
                # Over the default bound: the settings may raise it, so all of it counts.
                data = entry.read(_LARGEST)
            h.update(f"{len(data)}\0".encode())
            h.update(data)
    for folder in _ALSO_READ:
        base = root / folder
        if base.is_dir() and not base.is_symlink():
            for path in sorted(base.rglob("*")):
                _feed_file(h, path.relative_to(root).as_posix(), path)
    return h.hexdigest()


def _entry_path(root: Path) -> Path:
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
    return cache_dir() / f"check-{name}.json"


# --------------------------------------------------------------------------------------------
# Findings as JSON and back
# --------------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, Words):
        return {"w": _text(value)}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    raise _Unsupported(type(value).__name__)


def _unvalue(value: Any) -> Any:
    if isinstance(value, dict):
        if "w" in value:
            return _untext(value["w"])
        if "d" in value:
            return Decimal(value["d"])
        return dt.date.fromisoformat(value["t"])
    return value


def _text(text: str) -> Any:
    if isinstance(text, Words):
        values = {k: _value(v) for k, v in text.values.items()}
        return {"s": str(text), "template": text.template, "values": values}
    return {"s": str(text)}


def _untext(data: dict[str, Any]) -> str:
    if "template" not in data:
        return str(data["s"])
    words = Words(data["template"], **{k: _unvalue(v) for k, v in data["values"].items()})
    if str(words) != data["s"]:
        raise ValueError("a cached message does not read as it was written")
    return words


def _encode(d: Diagnostic) -> dict[str, Any]:
    loc = d.location
    return {
        "code": d.code,
        "severity": d.severity.value,
        "message": _text(d.message),
        "hint": _text(d.hint),
        "rule": d.rule,
        "location": [loc.path, loc.line, loc.column, list(loc.key_path), loc.anchor],
    }


def _decode(data: dict[str, Any]) -> Diagnostic:
    path, line, column, key_path, anchor = data["location"]
    return Diagnostic(
        code=data["code"],
        severity=Severity(data["severity"]),
        message=_untext(data["message"]),
        location=Location(path, line, column, tuple(key_path), anchor),
        hint=_untext(data["hint"]),
        rule=data["rule"],
    )


# --------------------------------------------------------------------------------------------
# Reading and writing
# --------------------------------------------------------------------------------------------


def load(root: Path, key: str) -> tuple[list[Diagnostic], dict[str, int], int] | None:
    """The findings, record counts and file count kept under ``key``, or None."""
    try:
        document = json.loads(_entry_path(root).read_text(encoding="utf-8"))
        if document.get("key") != key:
            return None
        diagnostics = [_decode(d) for d in document["diagnostics"]]
        counts = {str(k): int(v) for k, v in document["records"].items()}
        return diagnostics, counts, int(document["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no entry, another repository's state, or a damaged file: check in full


def store(
    root: Path, key: str, diagnostics: list[Diagnostic], counts: dict[str, int], files: int
) -> None:
    """Keep the findings of a full check under ``key``; a cache that cannot be written is
    only a slower next run."""
    try:
        document = {
            "format": FORMAT,
            "key": key,
            "records": counts,
            "files": files,
            "diagnostics": [_encode(d) for d in diagnostics],
        }
        target = _entry_path(root)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_text_atomic(target, json.dumps(document, ensure_ascii=False), overwrite=True)
    except (OSError, _Unsupported):
        return
