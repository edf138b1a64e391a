"""Templates from the data repository cannot run code: checked by check, sandboxed in report."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.reporting.site import package_templates
from solidarity_cli.reporting.template_check import check_template, check_templates
from tests.conftest import Run

ESCAPES = {
    "globals": "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
    "subclasses": (
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == 'Popen' %}{{ c(['touch', '{marker}']) }}{% endif %}{% endfor %}"
    ),
    "attr-filter": "{{ (site|attr('__class__')).__init__.__globals__ }}{{ '{marker}' }}",
    "item": "{{ site['__class__']['__subclasses__']() }}{{ '{marker}' }}",
    "format": "{{ '{0.__class__.__init__.__globals__}'.format(site) }}{{ '{marker}' }}",
}


def _own_templates(repo: Path, attack: str) -> Path:
    """The repository gets its own templates/ with ``attack`` at the top of base.html.j2."""
    folder = repo / "templates"
    shutil.copytree(package_templates(), folder)
    base = folder / "base.html.j2"
    base.write_text(attack + "\n" + base.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "report.md.j2").write_text(
        attack + "\n" + (folder / "report.md.j2").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return folder


def test_shipped_templates_are_clean() -> None:
    for path in sorted(package_templates().glob("*.j2")):
        assert check_template(f"templates/{path.name}", path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_check_refuses_a_template_that_reaches_for_internals(
    name: str, minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    marker = tmp_path / "pwned"
    _own_templates(minimal, ESCAPES[name].replace("{marker}", str(marker)))
    found = check_templates(minimal)
    assert {d.code for d in found} >= {"TP004"}
    assert {(d.path, d.line) for d in found if d.code == "TP004"} == {
        ("templates/base.html.j2", 1),
        ("templates/report.md.j2", 1),
    }
    run = cli(["check", "--repo", str(minimal), "--format", "json"])
    assert run.exit_code == 1
    codes = {(f["code"], f["path"], f["line"]) for f in run.json()["diagnostics"]}
    assert ("TP004", "templates/base.html.j2", 1) in codes
    assert "Traceback" not in run.stdout + run.stderr
    assert not marker.exists()


@pytest.mark.parametrize("name", sorted(ESCAPES))
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_report_renders_nothing_dangerous(
    name: str, fmt: str, minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    marker = tmp_path / "pwned"
    _own_templates(minimal, ESCAPES[name].replace("{marker}", str(marker)))
    out = tmp_path / ("site" if fmt == "html" else "report.md")
    run = cli(["report", "--repo", str(minimal), "--format", fmt, "--out", str(out)])
    assert run.exit_code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "template" in run.stderr and "nothing was written" in run.stderr
    assert not marker.exists()
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_syntax_unknown_names_filters_and_tests_are_findings_with_their_line(
    minimal: Path,
) -> None:
    folder = minimal / "templates"
    folder.mkdir()
    (folder / "a.html.j2").write_text("ok\n{% for x in site.communities %}\n", encoding="utf-8")
    (folder / "b.html.j2").write_text(
        "{{ site.stamp.commit }}\n{{ secrets }}\n{{ site|nofilter }}\n"
        "{% if site is nottest %}{% endif %}\n{{ range(10) }}\n",
        encoding="utf-8",
    )
    (folder / "c.md.j2").write_bytes(b"fine\n\xff\n")
    (folder / "d.html.j2").symlink_to("/etc/passwd")
    found = {(d.code, d.path, d.line) for d in check_templates(minimal)}
    assert found == {
        ("TP001", "templates/a.html.j2", 2),
        ("TP002", "templates/b.html.j2", 2),
        ("TP003", "templates/b.html.j2", 3),
        ("TP003", "templates/b.html.j2", 4),
        ("TP002", "templates/b.html.j2", 5),
        ("TP001", "templates/c.md.j2", 2),
        ("TP005", "templates/d.html.j2", 0),
    }
