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
    return result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SOLIDARITY_LANG": "pt"}, "Tudo certo: 11 ficheiros verificados"),
        ({"SOLIDARITY_LANG": "fr"}, "Tout va bien\u00a0: 11 fichiers vérifiés"),
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


def test_catalog_template_lists_every_message_of_the_code() -> None:
    # The same extraction as the README's pybabel command: a message added to the code
    # without updating the catalogs fails here.
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (PROJECT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {
        "_": None,
        "N_": None,
        "M_": None,
        "gettext": None,
        "ngettext": (1, 2),
    }
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    with (LOCALES / "messages.pot").open("rb") as handle:
        listed = {m.id for m in read_po(handle) if m.id}
    missing = sorted(map(str, found - listed))[:5]
    stale = sorted(map(str, listed - found))[:5]
    assert found == listed, f"update the catalogs (README): missing {missing}, stale {stale}"


def test_findings_are_said_in_the_users_language(minimal: Path, tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(minimal, repo)
    strategy = next((repo / "data" / "communities").glob("*/strategies/*.yaml"))
    text = strategy.read_text(encoding="utf-8")
    assert "timeframe:" in text
    strategy.write_text(text.replace("timeframe:", "timeframe_removed:", 1), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["check", "--repo", str(repo), "--as-of", "2025-09-15"],
        env={"NO_COLOR": "1", "SOLIDARITY_LANG": "pt"},
    )
    # An unknown field: the finding and its hint in Portuguese, the field names as written.
    assert "erro SC001 campo desconhecido 'timeframe_removed'" in result.stdout
    assert "o que fazer: queria dizer 'timeframe'?" in result.stdout
    # JSON is for scripts: its messages stay in English whatever the language.
    scripted = CliRunner().invoke(
        app,
        ["check", "--repo", str(repo), "--as-of", "2025-09-15", "--format", "json"],
        env={"NO_COLOR": "1", "SOLIDARITY_LANG": "pt"},
    )
    assert "unknown field 'timeframe_removed'" in scripted.stdout


def test_a_translation_that_lost_a_placeholder_falls_back_to_english() -> None:
    from solidarity_cli.words import M_

    words = M_("need '{need}' has no timeframe", need="cisterna")
    assert words == "need 'cisterna' has no timeframe"
    assert words.said_in(lambda _: "a necessidade '{need}' não tem prazo") == (
        "a necessidade 'cisterna' não tem prazo"
    )
    assert words.said_in(lambda _: "a necessidade '{nome}' não tem prazo") == str(words)


def test_the_closing_line_follows_the_languages_punctuation(minimal: Path) -> None:
    """French puts a no-break space before the colon of the closing count."""
    strategy = next((minimal / "data" / "communities").glob("*/strategies/*.yaml"))
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text(text.replace("timeframe:", "timeframe_removed:", 1), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["check", "--repo", str(minimal), "--as-of", "2025-09-15"],
        env={"NO_COLOR": "1", "SOLIDARITY_LANG": "fr", "COLUMNS": "400"},
    )
    assert result.exit_code == 1
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith(")\u00a0: 1 erreur."), last


def test_a_reporting_cadence_is_said_in_the_readers_language() -> None:
    """The overdue report's reasoning names its cadence in words, not as the code."""
    said = {}
    for language in ("pt", "fr", "es", "en"):
        result = CliRunner().invoke(
            app,
            ["check", "--repo", str(PROJECT), "--as-of", "2026-11-21"],
            env={"NO_COLOR": "1", "SOLIDARITY_LANG": language, "COLUMNS": "400"},
        )
        said[language] = next(line for line in result.stdout.splitlines() if " ME002 " in line)
    assert "periodicidade trimestral (3 meses)" in said["pt"]
    assert "périodicité trimestrielle (3 mois)" in said["fr"]
    assert "periodicidad trimestral (3 meses)" in said["es"]
    assert "+ quarterly cadence (3 months)" in said["en"]


def test_no_message_is_hidden_inside_an_f_string() -> None:
    """The extractor does not look inside f-strings: a message written there is never
    translated (write it to a variable first)."""
    hidden = [
        f"{path.relative_to(PROJECT)}:{number}"
        for path in sorted((PROJECT / "src" / "solidarity_cli").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""\{_\(\s*["']""", line)
    ]
    assert hidden == []
