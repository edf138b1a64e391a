"""Which files ``fmt`` already found in canonical form, kept by their content.

As ruff keeps its format cache: a file whose bytes, path and formatter are those of a file
found canonical before needs no second round trip. The key of an entry covers the file's
path (its kind sets the key order), its bytes, the tool's version, the installed package's own
files and ruamel.yaml's version, so an edited file or a new formatter is always formatted in
full; an answer is never stale. Only the verdict "canonical" is kept, never text, so nothing
read from the cache can reach a file.

The cache lives beside ``check``'s, in the user's cache folder (``$SOLIDARITY_CACHE_DIR``,
else ``$XDG_CACHE_HOME/solidarity``, else ``~/.cache/solidarity``), never in the repository.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import ruamel.yaml

from solidarity_cli import __version__
from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.resultcache import cache_dir, package_fingerprint

FORMAT = 1
#: Entries kept at most; the oldest go first (a 20,000-community network has ~120,000 files).
LIMIT = 400_000


def _entry_path(root: Path) -> Path:
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
    return cache_dir() / f"fmt-{name}.json"


class CanonicalCache:
    """The digests of files found canonical in ``root``, loaded once and saved once."""

    def __init__(self, root: Path) -> None:
        self._path = _entry_path(root)
        self._salt = (
            f"{FORMAT}\0{__version__}\0{ruamel.yaml.__version__}\0{package_fingerprint()}\n"
        ).encode()
        self._known: dict[str, None] = {}
        self._changed = False
        try:
            document = json.loads(self._path.read_text(encoding="utf-8"))
            if document.get("salt") == self._salt.decode():
                self._known = dict.fromkeys(str(d) for d in document["canonical"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self._known = {}  # no cache yet, or a damaged one: format in full

    def key(self, rel: str, raw: bytes) -> str:
        """The digest that names ``raw`` at ``rel`` under this formatter."""
        h = hashlib.blake2b(self._salt, digest_size=16)
        h.update(f"{rel}\0{len(raw)}\0".encode())
        h.update(raw)
        return h.hexdigest()

    def __contains__(self, key: str) -> bool:
        return key in self._known

    def add(self, key: str) -> None:
        """Remember that the file named by ``key`` is canonical."""
        if key not in self._known:
            self._known[key] = None
            self._changed = True

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written only slows a run."""
        if not self._changed:
            return
        keys = list(self._known)[-LIMIT:]
        document = {"format": FORMAT, "salt": self._salt.decode(), "canonical": keys}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_text_atomic(self._path, json.dumps(document), overwrite=True)
        except OSError:
            return
        self._changed = False
