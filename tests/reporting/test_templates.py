"""Templates from the data repository cannot run code: checked by check, sandboxed in report."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from solidarity_cli.reporting.i18n import translations
from solidarity_cli.reporting.report import render
from solidarity_cli.reporting.sandbox import Sandbox, Shipped, environment, fast_escape
from solidarity_cli.reporting.site import package_templates
from solidarity_cli.reporting.template_check import check_template, check_templates
from solidarity_cli.reporting.views import IndicatorView, Link, ObligationView, Row, Text
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


def test_the_sandbox_refuses_the_same_attribute_every_time(tmp_path: Path) -> None:
    # The sandbox remembers its answer per (type, attribute): a refusal stays a refusal, and a
    # method still goes through the sandbox (str.format is wrapped) after a safe read.
    (tmp_path / "t.html.j2").write_text(
        "{{ site.stamp }}|{% for s in [site, site] %}{{ s.__class__ }}{% endfor %}",
        encoding="utf-8",
    )
    (tmp_path / "f.html.j2").write_text(
        "{% for s in ['a', 'b'] %}{{ s.upper() }}{{ '{0.__class__}'.format(s) }}{% endfor %}",
        encoding="utf-8",
    )
    env = environment(tmp_path, "en", html=True)
    site = SimpleNamespace(stamp="ok")
    for _ in range(2):
        with pytest.raises(SecurityError):
            env.get_template("t.html.j2").render(site=site)
        with pytest.raises(SecurityError):
            env.get_template("f.html.j2").render()


@pytest.mark.parametrize("language", ["en", "pt"])
def test_constant_translations_render_as_the_call_would(language: str, tmp_path: Path) -> None:
    # A constant _("...") is translated when the template is compiled; the page must read the
    # same as when each text is looked up while rendering (newstyle gettext: "%%" gives "%").
    body = (
        "<p title=\"{{ _('Overview') }}\">{{ _(\"Communities\") }} {{ gettext('Donors') }}</p>"
        "{{ _('%(n)s%% of it', n=3) }}{{ _('100%% & <b>') }}{{ x._('Overview') if x else '' }}"
    )
    (tmp_path / "p.html.j2").write_text(body, encoding="utf-8")
    env = environment(tmp_path, language, html=True)
    plain = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    plain.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    expected = plain.from_string(body).render(x=None)
    assert env.get_template("p.html.j2").render(x=None) == expected
    if language == "pt":
        assert "Comunidades" in expected and "100% &amp; <b>" not in expected
    # Compiled away in HTML (no call left), kept as a call where nothing is escaped.
    one = '<p>{{ _("Communities") }}</p>'
    assert "resolve('_')" not in env.compile(one, "one.html.j2", "one.html.j2", raw=True)
    assert "resolve('_')" in env.compile(one, "one.md.j2", "one.md.j2", raw=True)


@pytest.mark.parametrize("body", ["{{ 'x'|text }}", "{{ 3|link(root) }}"])
def test_a_filter_given_something_else_is_a_template_problem(
    body: str, minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    _own_templates(minimal, body)
    out = tmp_path / "site"
    run = cli(["report", "--repo", str(minimal), "--out", str(out)])
    assert run.exit_code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "filter takes a" in run.stderr and "nothing was written" in run.stderr
    assert not out.exists()


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_fast_escape_writes_what_markupsafe_writes(value: object) -> None:
    for v in (value, Markup(str(value)), SimpleNamespace(__html__=lambda: "<b>x</b>")):
        fast, slow = fast_escape(v), escape(v)
        assert type(fast) is Markup
        assert fast == slow


def test_pages_print_through_fast_escape_as_jinja_would(tmp_path: Path) -> None:
    body = '<p title="{{ a }}">{{ b }}{{ c }}{% for x in d %}{{ x }}{% endfor %}</p>'
    (tmp_path / "p.html.j2").write_text(body, encoding="utf-8")
    values = {"a": "\"'<&>", "b": Markup("<i>kept</i>"), "c": 12.5, "d": ["<", "é & ü"]}
    template = environment(tmp_path, "en", html=True).get_template("p.html.j2")
    assert template.root_render_func.__globals__["escape"] is fast_escape
    assert template.render(**values) == Environment(autoescape=True).from_string(body).render(
        **values
    )


@pytest.mark.parametrize("language", ["en", "pt"])
def test_table_filters_write_what_the_macros_wrote(language: str, tmp_path: Path) -> None:
    link = Link('<Água> & "co"', "agreements/a'b.html")
    rows = [Row("Período <1>", "1 & 2"), Row("'x'", '"y"')]
    indicators = [
        IndicatorView(
            link,
            Text("r", "pt", False),
            Text("Wells <dug>", "en", True),
            "1 (2024)",
            "5",
            "",
            "<svg></svg>",
            False,
        ),
        IndicatorView(
            link, Text("r", "pt", False), Text("Poços", "pt", False), "0 (2023)", "3", "2", "", True
        ),
    ]
    due = dt.date(2026, 1, 1)
    obligations = [
        ObligationView("report", "Cruzinha & co", link, "1 jan", due, True, "a < b"),
        ObligationView("disbursement", "<d>", link, "2 jan", due, False, "held"),
    ]
    shutil.copy(package_templates() / "macros.html.j2", tmp_path)
    (tmp_path / "m.html.j2").write_text(
        '{% from "macros.html.j2" import rows, indicators, obligations %}'
        "{{ rows(r) }}|{{ indicators(i, root) }}|{{ indicators([], root) }}|"
        "{{ obligations(o, root) }}|{{ obligations([], root) }}",
        encoding="utf-8",
    )
    (tmp_path / "f.html.j2").write_text(
        "{{ r|rows }}|{{ i|indicators(root) }}|{{ []|indicators(root) }}|"
        "{{ o|obligations(root) }}|{{ []|obligations(root) }}",
        encoding="utf-8",
    )
    env = environment(tmp_path, language, html=True)
    given = {"r": rows, "i": indicators, "o": obligations, "root": "../"}
    by_macros = env.get_template("m.html.j2").render(**given)
    assert env.get_template("f.html.j2").render(**given) == by_macros
    assert "&lt;Água&gt; &amp; &#34;co&#34;" in by_macros and "overdue" in by_macros


@pytest.mark.parametrize("language", ["en", "pt"])
def test_shipped_templates_render_unsandboxed_as_the_sandbox_would(
    language: str, minimal: Path
) -> None:
    # The tool's own templates are trusted code; a repository's templates/, even a byte-copy
    # of them, stay in the sandbox. Both write the same site.
    assert type(environment(package_templates(), language, html=True)) is Shipped
    shipped = render(minimal, dt.date(2026, 11, 21), language, "html", None).files
    shutil.copytree(package_templates(), minimal / "templates")
    assert isinstance(environment(minimal / "templates", language, html=True), Sandbox)
    assert render(minimal, dt.date(2026, 11, 21), language, "html", None).files == shipped
    assert len(shipped) > 10
