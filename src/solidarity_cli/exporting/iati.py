"""IATI 2.03 activities: one ``iati-activity`` per partnership agreement.

The codes written are the ones kept in ``iati_codes.json`` (a test holds them against IATI's
own code lists). Elements follow the order of the 2.03 schema.

The file is written as indented text directly, escaped as lxml escapes it (a test holds the two
to the same bytes): building an lxml tree first cost one Python call per element and attribute,
about 1.2 s of the export at 2,000 communities against about 0.3 s for the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from solidarity_cli.errors import UsageError
from solidarity_cli.exporting.public import Public
from solidarity_cli.models.agreement import Agreement, BudgetStatus, BudgetType, TransactionType
from solidarity_cli.models.base import Money
from solidarity_cli.models.community import Precision
from solidarity_cli.models.strategy import SectorCode
from solidarity_cli.words import M_

_RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3", "other": "9"}
_MEASURE = {"unit": "1", "percentage": "2", "nominal": "3", "ordinal": "4", "qualitative": "5"}
_BUDGET_TYPE = {BudgetType.ORIGINAL: "1", BudgetType.REVISED: "2"}
_BUDGET_STATUS = {BudgetStatus.INDICATIVE: "1", BudgetStatus.COMMITTED: "2"}
_TRANSACTION_TYPE = {t: t.iati_code for t in TransactionType}
_IMPLEMENTING, _FUNDING = "4", "1"
#: An association of inhabitants: a civil-society organisation based in the partner country.
_COMMUNITY_TYPE = "24"
_ACTIVITY_REACH = "1"
_POPULATED_PLACE = "2"
_COUNTRY_VOCABULARY = "A4"
_EXACTNESS = {Precision.EXACT: "1", Precision.APPROXIMATE: "2"}
_GENERAL_DESCRIPTION = "1"
_PLANNED_START, _ACTUAL_START, _PLANNED_END, _ACTUAL_END = "1", "2", "3", "4"
_UNCATEGORISED = "A06"
_WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"

_IN = ["\n" + "  " * depth for depth in range(8)]
"""A line break and the indentation of an element at each depth, as lxml's pretty print."""

#: What XML 1.0 cannot hold at all (lxml refuses it).
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
# Every text from the records passes through _t or _a: what XML cannot hold is looked for
# there, in the same search as what must be escaped, rather than in the whole document.
_TEXT_SPECIAL = re.compile(f"[&<>\r{_NOT_XML}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\n\r\t{_NOT_XML}]')
_REFUSED = re.compile(f"[{_NOT_XML}]")


def _refuse(value: str) -> None:
    """Raise lxml's error for a text that XML cannot hold."""
    if _REFUSED.search(value) is not None:
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
            "characters"
        )


def _t(value: str) -> str:
    """Text content, escaped."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    _refuse(value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _a(value: str) -> str:
    """An attribute value (between double quotes), escaped."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    _refuse(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def organisation(public: Public) -> tuple[str, str]:
    """The network's IATI organisation identifier and type; a clear error when not set."""
    settings = public.ds.settings
    if settings is None or settings.iati is None:
        raise UsageError(
            M_("solidarity.yaml does not say the network's organisation identifier"),
            hint=M_(
                "add to solidarity.yaml the lines 'iati:' and '  organisation: XI-IATI-...' "
                "with the identifier your network registered (see org-id.guide)"
            ),
        )
    return settings.iati.organisation, settings.iati.organisation_type


def _number(value: Decimal) -> str:
    """A decimal as IATI writes it: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percentages(count: int) -> list[str]:
    """``count`` shares that add up to exactly 100, with two decimals."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    last = Decimal(100) - share * (count - 1)
    return [_number(share)] * (count - 1) + [_number(last)]


class _Lines:
    """The document as a list of strings, one element's opening or closing at a time."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._narrative: dict[tuple[int, str], str] = {}

    def narratives(self, depth: int, texts: Mapping[str, str]) -> None:
        parts, start = self.parts, self._narrative
        for lang, value in texts.items():
            opening = start.get((depth, lang))
            if opening is None:
                opening = start[depth, lang] = f'{_IN[depth]}<narrative xml:lang="{_a(lang)}">'
            parts.append(f"{opening}{_t(value)}</narrative>")

    def named(self, depth: int, tag: str, texts: Mapping[str, str], attrs: str = "") -> None:
        """An element holding one narrative per language (empty when there is none)."""
        if not texts:
            self.parts.append(f"{_IN[depth]}<{tag}{attrs}/>")
            return
        self.parts.append(f"{_IN[depth]}<{tag}{attrs}>")
        self.narratives(depth + 1, texts)
        self.parts.append(f"{_IN[depth]}</{tag}>")

    def block(self, depth: int, tag: str, texts: Mapping[str, str], attrs: str = "") -> str:
        """What ``named`` writes, as one string to be written again and again."""
        lines = _Lines()
        lines.named(depth, tag, texts, attrs)
        return "".join(lines.parts)

    def value(self, depth: int, money: Money, default_day: dt.date) -> None:
        day = (money.value_date or default_day).isoformat()
        self.parts.append(
            f'{_IN[depth]}<value currency="{_a(money.currency)}" value-date="{day}">'
            f"{_number(money.amount)}</value>"
        )

    def date(self, depth: int, tag: str, day: dt.date, attrs: str = "") -> None:
        self.parts.append(f'{_IN[depth]}<{tag} iso-date="{day.isoformat()}"{attrs}/>')


class _Activity:
    def __init__(
        self, public: Public, org: str, reporting: str, agreement: Agreement, out: _Lines
    ) -> None:
        self.p, self.org, self.reporting, self.a, self.out = public, org, reporting, agreement, out

    def build(self) -> None:
        a, p, out = self.a, self.p, self.out
        parts = out.parts
        parts.append(
            f'{_IN[1]}<iati-activity last-updated-datetime="{p.as_of.isoformat()}T00:00:00Z" '
            f'xml:lang="{_a(p.language)}" default-currency="{_a(p.base_currency)}" '
            f'hierarchy="1">'
            f"{_IN[2]}<iati-identifier>{_t(f'{self.org}-{a.id}')}</iati-identifier>"
        )
        parts.append(self.reporting)
        out.named(2, "title", p.texts(a.title))
        out.named(
            2,
            "description",
            p.texts(a.description or a.title),
            f' type="{_GENERAL_DESCRIPTION}"',
        )
        self.participants()
        parts.append(f'{_IN[2]}<activity-status code="{a.status.iati_activity_status}"/>')
        self.dates()
        community = p.community(a.community)
        if community is not None:
            parts.append(
                f'{_IN[2]}<recipient-country code="{_a(community.country)}" percentage="100"/>'
            )
            self.location()
        self.sectors()
        for line in a.budget:
            parts.append(
                f'{_IN[2]}<budget type="{_BUDGET_TYPE[line.type]}" '
                f'status="{_BUDGET_STATUS[line.status]}">'
            )
            out.date(3, "period-start", line.period.start)
            out.date(3, "period-end", line.period.end)
            out.value(3, line.value, line.period.start)
            parts.append(f"{_IN[2]}</budget>")
        self.transactions()
        self.documents()
        self.conditions()
        self.results()
        parts.append(f"{_IN[1]}</iati-activity>")

    def participants(self) -> None:
        a, p = self.a, self.p
        seen: set[tuple[str, str]] = set()
        depth = 2

        def add(role: str, name: str, ref: str | None, org_type: str | None) -> None:
            if (role, name) in seen:
                return
            seen.add((role, name))
            attrs = f' ref="{_a(ref)}"' if ref else ""
            attrs += f' role="{role}"'
            if org_type:
                attrs += f' type="{_a(org_type)}"'
            self.out.named(depth, "participating-org", {p.language: name}, attrs)

        donor = p.donor(a.donor)
        donor_type = None if donor is None or p.anonymous(a.donor) else donor.kind
        add(
            _FUNDING,
            p.donor_name(a.donor),
            p.donor_org_id(a.donor),
            donor_type.iati_organisation_type if donor_type is not None else None,
        )
        community = p.community(a.community)
        add(
            _IMPLEMENTING,
            p.implementer(a.community),
            community.org_id if community else None,
            _COMMUNITY_TYPE,
        )
        for who in a.participants:
            if who.donor is not None:
                d = p.donor(who.donor)
                kind = None if d is None or p.anonymous(who.donor) else d.kind
                add(
                    who.role.iati_code,
                    p.donor_name(who.donor),
                    p.donor_org_id(who.donor),
                    kind.iati_organisation_type if kind is not None else None,
                )
            elif who.community is not None:
                c = p.community(who.community)
                add(
                    who.role.iati_code,
                    p.implementer(who.community),
                    c.org_id if c else None,
                    _COMMUNITY_TYPE,
                )
            elif who.name is not None:
                add(who.role.iati_code, who.name, None, None)

    def dates(self) -> None:
        d = self.a.dates
        found = [
            (code, day)
            for code, day in (
                (_PLANNED_START, d.planned_start),
                (_ACTUAL_START, d.actual_start),
                (_PLANNED_END, d.planned_end),
                (_ACTUAL_END, d.actual_end),
            )
            if day is not None
        ]
        if not found:
            # IATI needs one date: the day the agreement was signed or accepted, else its
            # first transaction, stands for its planned start.
            accepted = self.a.acceptance()
            first = min((t.date for t in self.a.transactions), default=None)
            day = d.signed or (accepted.date if accepted else None) or first or self.p.as_of
            found = [(_PLANNED_START, day)]
        for code, day in found:
            self.out.date(2, "activity-date", day, f' type="{code}"')

    def location(self) -> None:
        p, cid, out = self.p, self.a.community, self.out
        parts = out.parts
        community = p.community(cid)
        assert community is not None
        parts.append(
            f'{_IN[2]}<location ref="{_a(f"{self.org}-{cid}")}">'
            f'{_IN[3]}<location-reach code="{_ACTIVITY_REACH}"/>'
        )
        out.named(3, "name", {p.language: p.community_name(cid)})
        where = ", ".join(x for x in (community.island, community.subdivision) if x)
        out.named(3, "description", {p.language: where})
        parts.append(
            f'{_IN[3]}<administrative vocabulary="{_COUNTRY_VOCABULARY}" level="0" '
            f'code="{_a(community.country)}"/>'
        )
        point = p.location(cid)
        if point is not None:
            parts.append(
                f'{_IN[3]}<point srsName="{_WGS84}">'
                f"{_IN[4]}<pos>{point.lat:.5f} {point.lon:.5f}</pos>"
                f"{_IN[3]}</point>"
                f'{_IN[3]}<exactness code="{_EXACTNESS[point.precision]}"/>'
            )
        parts.append(f'{_IN[3]}<location-class code="{_POPULATED_PLACE}"/>{_IN[2]}</location>')

    def sectors(self) -> None:
        by_vocabulary: dict[str, list[SectorCode]] = defaultdict(list)
        for ref in self.a.needs:
            need = self.p.need(ref)
            for sector in need.sectors if need is not None else ():
                codes = by_vocabulary[sector.vocabulary.iati_code]
                if sector.code not in {s.code for s in codes}:
                    codes.append(sector)
        parts = self.out.parts
        for vocabulary in sorted(by_vocabulary, key=int):
            codes = by_vocabulary[vocabulary]
            for sector, share in zip(codes, _percentages(len(codes)), strict=True):
                parts.append(
                    f'{_IN[2]}<sector vocabulary="{vocabulary}" code="{_a(sector.code)}" '
                    f'percentage="{share}"/>'
                )

    def transactions(self) -> None:
        a, p, out = self.a, self.p, self.out
        parts = out.parts
        community = p.community(a.community)
        ref = p.donor_org_id(a.donor)
        receiver = (
            f' ref="{_a(community.org_id)}"' if community is not None and community.org_id else ""
        )
        # The same provider and receiver close every transaction of the agreement.
        parties = (
            out.block(
                3,
                "provider-org",
                {p.language: p.donor_name(a.donor)},
                f' ref="{_a(ref)}"' if ref else "",
            )
            + out.block(3, "receiver-org", {p.language: p.implementer(a.community)}, receiver)
            + f"{_IN[2]}</transaction>"
        )
        for code, t in sorted(
            ((_TRANSACTION_TYPE[t.type], t) for t in a.transactions),
            key=lambda pair: (pair[1].date, pair[0]),
        ):
            parts.append(
                f"{_IN[2]}<transaction>"
                f'{_IN[3]}<transaction-type code="{code}"/>'
                f'{_IN[3]}<transaction-date iso-date="{t.date.isoformat()}"/>'
            )
            out.value(3, t.value, t.date)
            if t.description:
                out.named(3, "description", p.texts(t.description))
            parts.append(parties)

    def documents(self) -> None:
        p, out = self.p, self.out
        for doc in self.a.documents:
            if doc.url is None:
                continue  # a path inside the repository has no public address
            url = str(doc.url)
            out.parts.append(f'{_IN[2]}<document-link url="{_a(url)}" format="{_a(_format(url))}">')
            out.named(3, "title", p.texts(doc.title))
            # IATI needs a category: one without is published as the summary of the agreement.
            out.parts.append(f'{_IN[3]}<category code="{_a(doc.category or _UNCATEGORISED)}"/>')
            if doc.language:
                out.parts.append(f'{_IN[3]}<language code="{_a(doc.language.partition("-")[0])}"/>')
            if doc.date:
                out.date(3, "document-date", doc.date)
            out.parts.append(f"{_IN[2]}</document-link>")

    def conditions(self) -> None:
        accepted = [c for c in self.a.conditions if c.accepted]
        parts = self.out.parts
        if not accepted:
            parts.append(f'{_IN[2]}<conditions attached="0"/>')
            return
        parts.append(f'{_IN[2]}<conditions attached="1">')
        for c in accepted:
            self.out.named(3, "condition", self.p.texts(c.text), f' type="{c.type.iati_code}"')
        parts.append(f"{_IN[2]}</conditions>")

    def results(self) -> None:
        p, a, out = self.p, self.a, self.out
        parts = out.parts
        measured: dict[tuple[str, str, dt.date, dt.date], Decimal] = {}
        for report in p.ds.reports_of(a.id):
            for v in report.indicator_values:
                measured[(v.result, v.indicator, v.period.start, v.period.end)] = v.value
        for result in a.results:
            parts.append(
                f'{_IN[2]}<result type="{_RESULT_TYPE[result.type]}" aggregation-status="0">'
            )
            out.named(3, "title", p.texts(result.title))
            for ind in result.indicators:
                parts.append(
                    f'{_IN[3]}<indicator measure="{_MEASURE[ind.measure]}" '
                    f'ascending="{"1" if ind.ascending else "0"}">'
                )
                out.named(4, "title", p.texts(ind.title))
                base = ind.baseline
                if base is not None:
                    attrs = f' year="{base.year}" iso-date="{base.year}-01-01"'
                    if base.value is not None:
                        attrs += f' value="{_number(base.value)}"'
                    if base.comment:
                        parts.append(f"{_IN[4]}<baseline{attrs}>")
                        out.named(5, "comment", p.texts(base.comment))
                        parts.append(f"{_IN[4]}</baseline>")
                    else:
                        parts.append(f"{_IN[4]}<baseline{attrs}/>")
                for period in ind.periods:
                    start, end = period.period.start, period.period.end
                    actual = period.actual
                    if actual is None:
                        actual = measured.get((result.id, ind.id, start, end))
                    target = (
                        f' value="{_number(period.target)}"' if period.target is not None else ""
                    )
                    parts.append(
                        f"{_IN[4]}<period>"
                        f'{_IN[5]}<period-start iso-date="{start.isoformat()}"/>'
                        f'{_IN[5]}<period-end iso-date="{end.isoformat()}"/>'
                        f"{_IN[5]}<target{target}/>"
                    )
                    if actual is not None:
                        parts.append(f'{_IN[5]}<actual value="{_number(actual)}"/>')
                    parts.append(f"{_IN[4]}</period>")
                parts.append(f"{_IN[3]}</indicator>")
            parts.append(f"{_IN[2]}</result>")


_FORMATS = {
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".htm": "text/html",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}


def _format(url: str) -> str:
    """The IANA media type of a document, guessed from its address; a web page otherwise."""
    path = url.split("?", 1)[0].lower()
    for suffix, media in _FORMATS.items():
        if path.endswith(suffix):
            return media
    return "text/html"


def iati_xml(public: Public) -> bytes:
    """The IATI 2.03 activities file of every agreement in ``public``, as UTF-8 bytes."""
    org, org_type = organisation(public)
    out = _Lines()
    settings = public.ds.settings
    reporting = out.block(
        2,
        "reporting-org",
        public.texts(settings.name if settings is not None else {"en": "-"}),
        f' ref="{_a(org)}" type="{_a(org_type)}"',
    )
    for _aid, agreement in sorted(public.ds.agreements.items()):
        _Activity(public, org, reporting, agreement, out).build()
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<iati-activities version="2.03" generated-datetime="{public.as_of.isoformat()}'
        'T00:00:00Z"'
    )
    text = f"{head}/>\n" if not out.parts else f"{head}>{''.join(out.parts)}\n</iati-activities>\n"
    return text.encode()
