"""Digests: for each community, donor and platform, a short Markdown of what it owes.

Reports and disbursements come from the obligations the site already computes
(:func:`solidarity_cli.reporting.views.build_site`); a community's decisions on proposed
partnerships are added here, due by the partnership's planned start.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Template

from solidarity_cli.checking import CheckReport
from solidarity_cli.dataset import Dataset
from solidarity_cli.errors import UsageError
from solidarity_cli.models.agreement import AgreementStatus
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.sandbox import environment
from solidarity_cli.reporting.scope import platforms_below
from solidarity_cli.reporting.site import package_templates, templates_for
from solidarity_cli.reporting.views import SiteView, build_site, donor_page
from solidarity_cli.words import M_

LANGUAGES = ("en", "pt", "fr", "es")
KINDS = ("community", "donor", "platform")
SOON = dt.timedelta(days=30)
_BLANK_LINES = re.compile(r"\n{3,}")
AWAITING = (AgreementStatus.PROPOSED, AgreementStatus.NEGOTIATING)


@dataclass(frozen=True)
class Item:
    """One thing due: what, for which partnership, by whom, by when and how that was computed."""

    kind: str
    partnership: str
    who: str
    due: str
    due_date: dt.date | None
    late: bool
    calculation: str


@dataclass(frozen=True)
class Part:
    """Items of a digest, split by the clock: late, in the next 30 days, later."""

    title: str
    late: list[Item]
    soon: list[Item]
    later: list[Item]


@dataclass(frozen=True)
class Digest:
    """One recipient's digest, ready to render."""

    kind: str
    id: str
    name: str
    language: str
    as_of: str
    parts: list[Part]
    lookup: str = field(default="", repr=False)
    """The recipient's own id, to find its digest by; never rendered (an anonymous donor's)."""

    @property
    def empty(self) -> bool:
        return not any(p.late or p.soon or p.later for p in self.parts)

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.id}.md"


def recipient_language(languages: list[str], default: str) -> str:
    """The first of ``languages`` the reports speak, else ``default`` (else English)."""
    for language in languages:
        if language in LANGUAGES:
            return language
    return default if default in LANGUAGES else "en"


def _split(title: str, items: list[Item], as_of: dt.date) -> Part:
    items = sorted(items, key=lambda i: (i.due_date or dt.date.max, i.partnership, i.kind))
    late = [i for i in items if i.late]
    soon = [i for i in items if not i.late and i.due_date and i.due_date <= as_of + SOON]
    later = [i for i in items if i not in late and i not in soon]
    return Part(title, late, soon, later)


class _Items:
    """Every item due in one language, by the partnership it belongs to."""

    def __init__(self, ds: Dataset, site: SiteView, as_of: dt.date) -> None:
        loc = Locale(site.stamp.language)
        _ = loc.gettext
        self.by_agreement: dict[str, list[Item]] = {}
        for o in site.obligations:
            aid = o.agreement.page.removeprefix("agreements/").removesuffix(".html")
            item = Item(
                o.kind, o.agreement.label, o.who, o.due, o.due_date, o.overdue, o.calculation
            )
            self.by_agreement.setdefault(aid, []).append(item)
        titles = {a.page: a for a in site.agreements}
        for aid, agreement in sorted(ds.agreements.items()):
            if agreement.status not in AWAITING or agreement.decisions:
                continue
            view = titles.get(f"agreements/{aid}.html")
            day = agreement.dates.planned_start
            how = (
                _("proposed; to decide before its planned start, {day}").format(day=day.isoformat())
                if day
                else _("proposed; no planned start yet")
            )
            self.by_agreement.setdefault(aid, []).append(
                Item(
                    _("decision"),
                    view.title.value if view else aid,
                    view.community.label if view else agreement.community,
                    loc.date(day) if day else "",
                    day,
                    day is not None and day < as_of,
                    how,
                )
            )
        self.community = {c.id: c.name for c in site.communities}
        self.donor = {d.page: d for d in site.donors}
        self.platform = {p.id: p.name.value for p in site.platforms}
        self.decision = _("decision")
        self.disbursement = _("disbursement")


def build_digests(
    ds: Dataset,
    report: CheckReport,
    as_of: dt.date,
    default_language: str,
    language: str | None = None,
) -> list[Digest]:
    """Every community's, donor's and platform's digest, each in its own language.

    ``language`` forces one language for all of them.
    """
    built: dict[str, _Items] = {}

    def items(lang: str) -> _Items:
        if lang not in built:
            built[lang] = _Items(ds, build_site(ds, report, lang, as_of), as_of)
        return built[lang]

    def own(cid: str) -> str:
        return language or recipient_language(ds.communities[cid].languages, default_language)

    by_community: dict[str, list[str]] = {}
    by_donor: dict[str, list[str]] = {}
    for aid, agreement in sorted(ds.agreements.items()):
        by_community.setdefault(agreement.community, []).append(aid)
        by_donor.setdefault(agreement.donor, []).append(aid)
    out: list[Digest] = []
    for cid in sorted(ds.communities):
        lang = own(cid)
        found = items(lang)
        _ = Locale(lang).gettext
        mine = [
            i
            for aid in by_community.get(cid, [])
            for i in found.by_agreement.get(aid, [])
            if i.kind != found.disbursement
        ]
        name = found.community[cid]
        parts = [_split(_("Due from the community"), mine, as_of)]
        out.append(Digest("community", cid, name, lang, Locale(lang).date(as_of), parts))
    for did in sorted(ds.donors):
        donor = ds.donors[did]
        lang = language or recipient_language(list(donor.languages), default_language)
        found = items(lang)
        _ = Locale(lang).gettext
        view = found.donor[donor_page(ds, did)]
        mine = [
            i
            for aid in by_donor.get(did, [])
            for i in found.by_agreement.get(aid, [])
            if i.kind == found.disbursement
        ]
        parts = [_split(_("Due from the donor"), mine, as_of)]
        public = view.page.removeprefix("donors/").removesuffix(".html")
        out.append(Digest("donor", public, view.name, lang, Locale(lang).date(as_of), parts, did))
    for pid in sorted(ds.platforms):
        lang = language or recipient_language([], default_language)
        found = items(lang)
        _ = Locale(lang).gettext
        below = platforms_below(ds, pid)
        members = {cid for cid, c in ds.communities.items() if set(c.platforms) & below}
        theirs = [
            i
            for cid in sorted(members)
            for aid in by_community.get(cid, [])
            for i in found.by_agreement.get(aid, [])
        ]
        name = found.platform[pid]
        parts = [
            _split(
                _("Due from its communities"),
                [i for i in theirs if i.kind != found.disbursement],
                as_of,
            ),
            _split(
                _("Due to its communities"),
                [i for i in theirs if i.kind == found.disbursement],
                as_of,
            ),
        ]
        out.append(Digest("platform", pid, name, lang, Locale(lang).date(as_of), parts))
    return out


def the_digest(digests: list[Digest], kind: str, ident: str) -> Digest:
    """The digest of one recipient, by kind and id (an anonymous donor by either of its ids)."""
    for digest in digests:
        if digest.kind == kind and ident in (digest.id, digest.lookup):
            return digest
    raise UsageError(
        M_("there is no {kind} with the id {id}", kind=kind, id=ident),
        hint=M_("check the spelling against the file names under data/"),
    )


@functools.lru_cache(maxsize=8)
def _template(templates: Path, language: str) -> Template:
    """The digest template, loaded once per folder and language."""
    return environment(templates, language, html=False).get_template("digest.md.j2")


def render_digest(digest: Digest, root: Path) -> str:
    """One digest as Markdown, with the repository's template when it has one."""
    templates = templates_for(root)
    if not (templates / "digest.md.j2").is_file():
        templates = package_templates()
    text = _template(templates, digest.language).render(digest=digest, soon_days=SOON.days)
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"


def digests(
    root: Path, as_of: dt.date, language: str | None = None, default: str | None = None
) -> list[Digest]:
    """Check the repository at ``root`` and build every recipient's digest.

    Texts that hold personal data are withheld, as in every other output.
    """
    from dataclasses import replace

    from solidarity_cli.checking import check_repository
    from solidarity_cli.withholding import make_public

    checked = check_repository(root, as_of=as_of)
    settings = checked.dataset.settings
    fallback = default or (settings.default_language if settings is not None else "en")
    public = make_public(checked.dataset, language or fallback, root)
    report = replace(checked, dataset=public.dataset)
    return build_digests(report.dataset, report, as_of, fallback, language)
