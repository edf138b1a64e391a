"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(
    target: Path, text: str, *, overwrite: bool = False, mode: int | None = None
) -> None:
    """Write ``text`` to ``target`` through a temporary file and a rename.

    Raises ``FileExistsError`` when ``target`` exists and ``overwrite`` is false. ``mode``
    gives the new file those permissions (e.g. the ones of the file it replaces).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            Path(tmp).chmod(mode)
        if overwrite:
            Path(tmp).replace(target)
        else:
            # link() fails if the target appeared meanwhile: never clobber a contributor's file.
            os.link(tmp, target)
            Path(tmp).unlink()
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
