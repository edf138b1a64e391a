"""Personal data never published: markers planted in private fields, texts the data-protection
rules flag and anonymous donors' records reach no output of any command."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from solidarity_cli.reading import load_repository
from solidarity_cli.withholding import make_public, withheld_mark
from tests.conftest import Run

DAY = "2026-11-21"
#: Every planted marker; none may appear in any output.
MARKERS = ("PRIVMARK", "FLAGMARK", "ANONMARK")


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    yaml = YAML(typ="rt")
    yaml.width = 200
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _plant(repo: Path) -> None:
    """Markers in a private field, in flagged texts of every record kind, in anonymous donors."""

    def private(c: Any) -> None:
        c["association"]["name"] = "PRIVMARK Associação"
        c["private"] = ["households", "association"]

    _edit(repo / "data/communities/monte-sossego/community.yaml", private)

    def community(c: Any) -> None:
        c["description"] = {
            "pt": "FLAGMARK-c1 telefone +238 991 23 45",
            "en": "FLAGMARK-c2 write to maria.lopes@example.cv",
        }

    for folder in sorted((repo / "data/communities").iterdir()):
        _edit(folder / "community.yaml", community)
        for strategy in sorted(folder.glob("strategies/*.yaml")):

            def needs(s: Any) -> None:
                for i, need in enumerate(s.get("needs", [])):
                    need["title"] = {
                        "pt": f"FLAGMARK-n{i} contacto joana{i}@example.cv",
                        "en": f"FLAGMARK-n{i} NIF 12345678{i % 10}",
                    }

            _edit(strategy, needs)

    def agreement(a: Any) -> None:
        a["title"] = {"pt": "FLAGMARK-a1 CPF 123.456.789-09", "en": "FLAGMARK-a2 +351 912 345 678"}

    for path in sorted((repo / "data/partnerships").glob("*/agreement.yaml")):
        _edit(path, agreement)

    def anonymous(d: Any) -> None:
        d["name"] = "ANONMARK Jorge Semedo"
        d["description"] = {"pt": "ANONMARK-desc emigrante", "en": "ANONMARK-desc emigrant"}
        d["private_reference"] = "ANONMARK-REF"

    _edit(repo / "data/donors/doador-diaspora-boston.yaml", anonymous)

    def network(settings: Any) -> None:
        settings["name"]["pt"] = "FLAGMARK-net secretaria@example.cv"

    _edit(repo / "solidarity.yaml", network)


def _outputs(repo: Path, cli: Callable[..., Run], tmp: Path) -> dict[str, str]:
    """Every output of every command, as text: stdout, stderr and files written."""
    seen: dict[str, str] = {}

    def run(name: str, *args: str, code: int | None = None) -> Run:
        result = cli(list(args), cwd=tmp)
        seen[f"{name} stdout"] = result.stdout
        seen[f"{name} stderr"] = result.stderr
        assert "Traceback" not in result.stdout + result.stderr, name
        if code is not None:
            assert result.exit_code == code, (name, result.stdout, result.stderr)
        return result

    r = str(repo)
    for fmt in ("text", "json", "github"):
        run(f"check {fmt}", "check", "--repo", r, "--format", fmt, "--as-of", DAY, code=1)
    run("match text", "match", "--repo", r, "--as-of", DAY, code=0)
    match = run("match json", "match", "--repo", r, "--as-of", DAY, "--format", "json", code=0)
    proposals = json.loads(match.stdout)["proposals"]
    assert proposals, "the planted repository still gets proposals"
    run("match explain", "match", "--repo", r, "--as-of", DAY, "--explain", proposals[0]["need"])
    for fmt, out in (("html", "site"), ("md", "report.md"), ("geojson", "map.geojson")):
        for lang in ("en", "pt"):
            target = tmp / f"{lang}-{out}"
            run(
                f"report {fmt} {lang}",
                *("report", "--repo", r, "--format", fmt, "--lang", lang),
                *("--as-of", DAY, "--out", str(target)),
                code=0,
            )
            files = [target] if target.is_file() else sorted(target.rglob("*"))
            for f in files:
                if f.is_file():
                    rel = f.relative_to(tmp).as_posix()
                    seen[f"report {fmt} {rel}"] = f.read_text(encoding="utf-8")
    run("report md scope", "report", "--repo", r, "--format", "md", "--as-of", DAY, "cha-de-igreja")
    digests = tmp / "digests"
    run("report digest", "report", "--repo", r, "--format", "digest", "--as-of", DAY, code=0)
    run(
        "report digest files",
        *("report", "--repo", r, "--format", "digest", "--as-of", DAY, "--out", str(digests)),
        code=0,
    )
    for f in sorted(digests.glob("*")):
        seen[f"report digest {f.name}"] = f.read_text(encoding="utf-8")
    assert len([k for k in seen if k.startswith("report digest ")]) > 3
    for fmt in ("iati", "360giving", "hxl", "csv", "xlsx", "geojson", "json"):
        target = tmp / f"export-{fmt}"
        run(
            f"export {fmt}",
            "export",
            "--repo",
            r,
            "--format",
            fmt,
            "--as-of",
            DAY,
            "--out",
            str(target),
            code=0,
        )
        for f in [target] if target.is_file() else sorted(target.rglob("*")):
            if zipfile.is_zipfile(f):
                with zipfile.ZipFile(f) as book:
                    seen[f"export {fmt}"] = "".join(book.read(n).decode() for n in book.namelist())
            elif f.is_file():
                seen[f"export {fmt} {f.name}"] = f.read_text(encoding="utf-8")
    strict = tmp / "strict-site"
    run("report strict", "report", "--repo", r, "--strict", "--out", str(strict), code=1)
    assert not strict.exists()
    for fmt in ("text", "json", "markdown"):
        run(f"rules {fmt}", "rules", "--repo", r, "--format", fmt, code=0)
    run("schema", "schema", code=0)
    return seen


def _assert_clean(seen: dict[str, str]) -> None:
    leaks = [(name, m) for name, text in seen.items() for m in MARKERS if m in text]
    assert leaks == [], leaks


def test_no_marker_reaches_any_output(
    shipped: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    _plant(shipped)
    work = tmp_path / "work"
    work.mkdir()
    seen = _outputs(shipped, cli, work)
    _assert_clean(seen)
    # The texts were there, and shown as withheld in the reader's language.
    page = "communities/monte-sossego.html"
    assert withheld_mark("en") in seen[f"report html en-site/{page}"]
    assert withheld_mark("pt") in seen[f"report html pt-site/{page}"]
    assert r"\[retido: dados pessoais\]" in seen["report md pt-report.md"]
    assert len([k for k in seen if k.startswith("report html en-site/")]) > 50
    assert withheld_mark("pt") != withheld_mark("en")
    assert "data/communities/monte-sossego/community.yaml:" in seen["report html en stderr"]
    assert "DP001" in seen["report html en stderr"] and "DP003" in seen["report md en stderr"]


def test_drafts_carry_no_marker_even_with_the_rules_turned_off(
    shipped: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """Withholding does not depend on the rules' settings: turned off, nothing leaks either."""
    _plant(shipped)
    settings = shipped / "solidarity.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\nrules:\n  ignore: [DP]\n", encoding="utf-8"
    )
    run = cli(["match", "--repo", str(shipped), "--as-of", DAY, "--write"])
    assert run.exit_code == 0, run.stdout + run.stderr
    drafts = [
        p
        for p in shipped.glob("data/partnerships/*/agreement.yaml")
        if "status: proposed" in p.read_text(encoding="utf-8")
        and "solidarity match" in p.read_text(encoding="utf-8")
    ]
    assert drafts
    seen = {str(p): p.read_text(encoding="utf-8") for p in drafts}
    seen["stdout"], seen["stderr"] = run.stdout, run.stderr
    _assert_clean(seen)
    assert any(withheld_mark("en") in text for text in seen.values())
    site = tmp_path / "site"
    report = cli(["report", "--repo", str(shipped), "--as-of", DAY, "--out", str(site)])
    assert report.exit_code == 0
    _assert_clean({str(p): p.read_text(encoding="utf-8") for p in site.rglob("*.html")})


@pytest.mark.parametrize("language", ["en", "pt", "fr", "es"])
def test_make_public_leaves_the_records_as_they_are(shipped: Path, language: str) -> None:
    _plant(shipped)
    ds = load_repository(shipped).dataset
    before = ds.communities["monte-sossego"].model_dump_json()
    public = make_public(ds, language, shipped)
    assert ds.communities["monte-sossego"].model_dump_json() == before
    after = public.dataset.communities["monte-sossego"]
    assert after.description == {
        "pt": withheld_mark(language),
        "en": withheld_mark(language),
    }
    assert all(d.line > 0 and d.path.startswith("data/") for d in public.withheld[:-1])
    # The network's name, planted last, is withheld from what reports show of it too.
    assert [d.path for d in public.withheld if not d.path.startswith("data/")] == [
        "solidarity.yaml"
    ]
    assert public.dataset.settings is not None
    assert public.dataset.settings.name["pt"] == withheld_mark(language)
    assert {d.code for d in public.withheld} == {"DP001", "DP002", "DP003"}
