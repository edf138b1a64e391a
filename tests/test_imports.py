"""Every module of the package can be imported first, on its own (no import cycle)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import solidarity_cli


def test_every_module_imports_on_its_own() -> None:
    names = sorted(
        m.name
        for m in pkgutil.walk_packages(solidarity_cli.__path__, "solidarity_cli.")
        if not m.name.endswith("__main__")
    )
    probe = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    failed = []
    for name in names:
        done = subprocess.run(
            [sys.executable, "-c", probe, name], capture_output=True, text=True, check=False
        )
        if done.returncode:
            failed.append(f"{name}: {done.stderr.strip().splitlines()[-1]}")
    assert not failed, "\n".join(failed)
