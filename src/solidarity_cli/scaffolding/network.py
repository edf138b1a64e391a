"""``init``: a new data repository that passes ``check`` at once."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jinja2
from pydantic import ValidationError

from solidarity_cli import standards
from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.errors import UsageError
from solidarity_cli.formatting.canonical import dump_record, format_text
from solidarity_cli.models import Settings
from solidarity_cli.models.base import own_words, validation_errors
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reporting.i18n import LANGUAGES, translations
from solidarity_cli.scaffolding.yamltext import dump
from solidarity_cli.schemas import SCHEMA_DIR, render_schemas
from solidarity_cli.words import M_, N_

#: Hook ids of the tool's .pre-commit-hooks.yaml that a network runs.
HOOKS = ("solidarity-check", "solidarity-fmt")
#: Where the tool is published, until the network names it (the README says to replace it).
TOOL_REPO = "OWNER/solidarity"
RECORD_FOLDERS = ("communities", "donors", "partnerships", "platforms", "rules")

#: A starting list of well-being dimensions; the network edits it as it likes.
_DIMENSIONS = {
    "water": {"en": "Water", "pt": "Água", "fr": "Eau", "es": "Agua"},
    "food-security": {
        "en": "Food security",
        "pt": "Segurança alimentar",
        "fr": "Sécurité alimentaire",
        "es": "Seguridad alimentaria",
    },
    "health": {"en": "Health", "pt": "Saúde", "fr": "Santé", "es": "Salud"},
    "education": {"en": "Education", "pt": "Educação", "fr": "Éducation", "es": "Educación"},
    "income": {"en": "Income", "pt": "Rendimento", "fr": "Revenus", "es": "Ingresos"},
    "housing": {"en": "Housing", "pt": "Habitação", "fr": "Logement", "es": "Vivienda"},
    "environment": {
        "en": "Environment",
        "pt": "Ambiente",
        "fr": "Environnement",
        "es": "Medio ambiente",
    },
    "culture": {"en": "Culture", "pt": "Cultura", "fr": "Culture", "es": "Cultura"},
}
#: The comments of solidarity.yaml, said in the network's language.
_SETTINGS_COMMENTS = {
    "file": N_("Settings of the network: its name, languages and money."),
    "name": N_("The network's name, in one or more languages."),
    "default_language": N_("The language records are written in first."),
    "languages": N_("Every language of the network (ISO 639 codes)."),
    "base_currency": N_("The currency totals are counted in (ISO 4217)."),
    "exchange_rates": N_(
        "How many units of another currency one unit of the base currency buys, from a date on:"
    ),
}
_DIMENSIONS_TITLE = {
    "en": "Well-being dimensions",
    "pt": "Dimensões do bem-estar",
    "fr": "Dimensions du bien-être",
    "es": "Dimensiones del bienestar",
}


@dataclass(frozen=True)
class Rate:
    """An exchange rate given as ``CVE=110.265``."""

    currency: str
    units: Decimal
    valid_from: dt.date


@dataclass
class Created:
    """What ``init`` did: the files written and whether git saved a first version."""

    root: Path
    files: list[Path] = field(default_factory=list)
    git: str = "none"
    """``committed`` (a new repository whose first version holds the files written),
    ``initialised`` (a new repository; git could not save them: no identity), ``existing`` (the
    folder was a repository already: nothing saved), ``empty`` (a new repository, but no file
    was written, so nothing saved), ``none`` (no git)."""
    others: bool = False
    """Files ``init`` did not write are in the folder and were left out of the first version."""


def parse_rate(text: str, today: dt.date) -> Rate:
    """``CVE=110.265`` -> a rate from ``today`` on."""
    currency, _, units = text.partition("=")
    try:
        value = Decimal(units)
    except InvalidOperation:
        value = Decimal(0)
    if currency.upper() not in standards.currency_codes() or value <= 0:
        raise UsageError(
            M_("'{rate}' is not an exchange rate", rate=text),
            hint=M_("write CURRENCY=UNITS, e.g. CVE=110.265 (units of it per base unit)"),
        )
    return Rate(currency.upper(), value, today)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("solidarity_cli.scaffolding", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["yaml_text"] = _yaml_text
    return env


def _yaml_text(value: str) -> str:
    """A text as a YAML scalar: plain where that reads back the same, quoted otherwise."""
    return dump({"x": value})[len("x: ") :].rstrip("\n")


def _empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def render(
    name: str,
    language: str,
    languages: list[str],
    currency: str,
    rates: list[Rate],
    tool_repo: str,
) -> dict[str, str]:
    """Repo-relative path -> text of every file of a new network."""
    env = _environment()
    readme_language = next((x for x in [language, *languages] if x in LANGUAGES), "en")
    gettext = translations(readme_language).gettext
    values = {
        "say": {key: gettext(text) for key, text in _SETTINGS_COMMENTS.items()},
        "name": name,
        "language": language,
        "languages": languages,
        "currency": currency,
        "rates": rates,
        "tool_repo": tool_repo,
        "hooks": HOOKS,
    }
    files = {
        "solidarity.yaml": format_text(
            env.get_template("solidarity.yaml.j2").render(values), Settings
        ),
        "README.md": env.get_template(f"README.{readme_language}.md.j2").render(values),
        ".github/workflows/check-data.yml": env.get_template("workflow.yml.j2").render(values),
        ".pre-commit-config.yaml": env.get_template("pre-commit-config.yaml.j2").render(values),
        ".gitignore": env.get_template("gitignore.j2").render(values),
    }
    wanted = [x for x in dict.fromkeys([language, *languages, "en"]) if x in LANGUAGES]
    vocabulary = {
        "id": "dimensions",
        "title": {x: _DIMENSIONS_TITLE[x] for x in wanted},
        "terms": [
            {"id": term, "label": {x: labels[x] for x in wanted}}
            for term, labels in _DIMENSIONS.items()
        ],
    }
    files["data/vocabularies/dimensions.yaml"] = dump_record(
        vocabulary,
        RecordKind.VOCABULARY,
        {"": "yaml-language-server: $schema=../../schemas/vocabulary.schema.json"},
    )
    for folder in RECORD_FOLDERS:
        files[f"data/{folder}/.gitkeep"] = ""
    for schema_name, text in render_schemas().items():
        files[f"{SCHEMA_DIR}/{schema_name}"] = text
    return files


def _check_settings(text: str) -> None:
    from ruamel.yaml import YAML

    try:
        Settings.model_validate(YAML(typ="safe", pure=True).load(text))
    except ValidationError as exc:
        first = validation_errors(exc)[0]
        raise UsageError(
            M_(
                "the settings would not be valid: {problem}",
                problem=own_words(first) or first["msg"],
            ),
            hint=M_("check --language, --languages and --currency"),
        ) from None


def init_network(
    root: Path,
    *,
    name: str,
    language: str = "en",
    languages: list[str] | None = None,
    currency: str = "EUR",
    rates: list[Rate] | None = None,
    tool_repo: str = TOOL_REPO,
    force: bool = False,
    git: bool = True,
) -> Created:
    """Write a new network into ``root``; refuses a folder with files unless ``force``."""
    if root.exists() and not root.is_dir():
        raise UsageError(
            M_("{folder} is a file, not a folder", folder=root),
            hint=M_("give the folder the network should live in"),
        )
    if not force and not _empty(root):
        raise UsageError(
            M_("{folder} already has files in it", folder=root),
            hint=M_(
                "choose an empty or new folder, or add --force to write beside them "
                "(existing files are never replaced)"
            ),
        )
    all_languages = list(dict.fromkeys([language, *(languages or [])]))
    files = render(name, language, all_languages, currency.upper(), rates or [], tool_repo)
    _check_settings(files["solidarity.yaml"])
    created = Created(root)
    written: list[str] = []
    for rel, text in files.items():
        target = root / rel
        if target.exists():
            continue
        write_text_atomic(target, text)
        created.files.append(target)
        written.append(rel)
    if git:
        created.git, created.others = _first_version(root, written)
    return created


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    assert git is not None
    return subprocess.run(
        [git, "-C", str(root), *args], capture_output=True, text=True, timeout=60, check=False
    )


def _first_version(root: Path, written: list[str]) -> tuple[str, bool]:
    """``git init`` and a first commit of exactly the files ``written``, when git is installed.

    Gives what happened, as a word, and whether other files were left out. The repository is
    meant to be published, so nothing but init's own files goes in by itself: a file that was
    in the folder already (a list of contacts, say) may be private. A folder that is a
    repository already gets no commit at all: what goes into its history, beside the pending
    work of its people, is theirs to decide.
    """
    if shutil.which("git") is None:
        return "none", False
    if (root / ".git").exists():
        return "existing", False
    # A repository of its own, even inside another one: never commit into someone else's.
    if _git(root, "init", "-q").returncode != 0:
        return "none", False
    if not written:
        return "empty", False
    _git(root, "add", "--", *written)
    done = _git(root, "commit", "-q", "-m", "Start the network's data repository")
    others = _git(root, "ls-files", "--others", "--exclude-standard", "--directory")
    return ("committed" if done.returncode == 0 else "initialised"), bool(others.stdout.strip())
