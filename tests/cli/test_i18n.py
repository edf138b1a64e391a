"""The command line speaks the user's language, and every catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from solidarity_cli.cli.app import app
from solidarity_cli.reporting.i18n import LANGUAGES
from tests.conftest import PROJECT

LOCALES = PROJECT / "src" / "solidarity_cli" / "locales"


def _check(env: dict[str, str], repo: Path) -> str:
    result = CliRunner().invoke(
        app, ["check", "--repo", str(repo), "--as-of", "2025-09-15"], env={"NO_COLOR": "1", **env}
    )
    assert result.exit_code == 0
    return result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SOLIDARITY_LANG": "pt"}, "Tudo certo: 11 ficheiros verificados"),
        ({"SOLIDARITY_LANG": "fr"}, "Tout va bien : 11 fichiers vérifiés"),
        ({"LANG": "es_ES.UTF-8", "SOLIDARITY_LANG": ""}, "Todo bien: 11 archivos revisados"),
        ({"LANG": "C.UTF-8", "SOLIDARITY_LANG": ""}, "All good: 11 files checked"),
        ({"SOLIDARITY_LANG": "xx", "LANG": "pt_CV.UTF-8"}, "Tudo certo:"),
    ],
)
def test_language_of_the_messages(minimal: Path, env: dict[str, str], expected: str) -> None:
    assert expected in _check(env, minimal)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_catalog_is_complete_and_keeps_placeholders(language: str) -> None:
    with (LOCALES / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    assert {m.id for m in template if m.id} == {m.id for m in catalog if m.id}
    placeholder = re.compile(r"%\(\w+\)s|\{\w+\}")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(" ".join(ids)))
        for text in strings:
            assert text, f"{language}: {message.id!r} is not translated"
            assert set(placeholder.findall(text)) == wanted, (language, message.id, text)
        assert not message.fuzzy
