"""IATI 2.03 activities: one ``iati-activity`` per partnership agreement.

The codes written are the ones kept in ``iati_codes.json`` (a test holds them against IATI's
own code lists). Elements follow the order of the 2.03 schema.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from lxml import etree

from solidarity_cli.errors import UsageError
from solidarity_cli.exporting.public import Public
from solidarity_cli.models.agreement import Agreement, BudgetStatus, BudgetType
from solidarity_cli.models.base import Money
from solidarity_cli.models.community import Precision
from solidarity_cli.models.strategy import SectorCode
from solidarity_cli.words import M_

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3", "other": "9"}
_MEASURE = {"unit": "1", "percentage": "2", "nominal": "3", "ordinal": "4", "qualitative": "5"}
_BUDGET_TYPE = {BudgetType.ORIGINAL: "1", BudgetType.REVISED: "2"}
_BUDGET_STATUS = {BudgetStatus.INDICATIVE: "1", BudgetStatus.COMMITTED: "2"}
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


def _narratives(parent: etree._Element, texts: Mapping[str, str]) -> None:
    for lang, value in texts.items():
        narrative = etree.SubElement(parent, "narrative")
        narrative.set(XML_LANG, lang)
        narrative.text = value


def _named(parent: etree._Element, tag: str, texts: Mapping[str, str]) -> etree._Element:
    element = etree.SubElement(parent, tag)
    _narratives(element, texts)
    return element


def _value(parent: etree._Element, money: Money, default_day: dt.date, tag: str = "value") -> None:
    value = etree.SubElement(parent, tag)
    value.set("currency", money.currency)
    value.set("value-date", (money.value_date or default_day).isoformat())
    value.text = _number(money.amount)


def _date(parent: etree._Element, tag: str, day: dt.date) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.set("iso-date", day.isoformat())
    return element


def _percentages(count: int) -> list[str]:
    """``count`` shares that add up to exactly 100, with two decimals."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    last = Decimal(100) - share * (count - 1)
    return [_number(share)] * (count - 1) + [_number(last)]


class _Activity:
    def __init__(self, public: Public, org: str, org_type: str, agreement: Agreement) -> None:
        self.p, self.org, self.org_type, self.a = public, org, org_type, agreement

    def build(self, parent: etree._Element) -> None:
        a, p = self.a, self.p
        act = etree.SubElement(parent, "iati-activity")
        act.set("last-updated-datetime", f"{p.as_of.isoformat()}T00:00:00Z")
        act.set(XML_LANG, p.language)
        act.set("default-currency", p.base_currency)
        act.set("hierarchy", "1")
        etree.SubElement(act, "iati-identifier").text = f"{self.org}-{a.id}"
        reporting = etree.SubElement(act, "reporting-org")
        reporting.set("ref", self.org)
        reporting.set("type", self.org_type)
        settings = p.ds.settings
        _narratives(reporting, p.texts(settings.name if settings is not None else {"en": "-"}))
        _named(act, "title", p.texts(a.title))
        description = _named(act, "description", p.texts(a.description or a.title))
        description.set("type", _GENERAL_DESCRIPTION)
        self.participants(act)
        etree.SubElement(act, "activity-status").set("code", a.status.iati_activity_status)
        self.dates(act)
        community = p.community(a.community)
        if community is not None:
            country = etree.SubElement(act, "recipient-country")
            country.set("code", community.country)
            country.set("percentage", "100")
            self.location(act)
        self.sectors(act)
        for line in a.budget:
            budget = etree.SubElement(act, "budget")
            budget.set("type", _BUDGET_TYPE[line.type])
            budget.set("status", _BUDGET_STATUS[line.status])
            _date(budget, "period-start", line.period.start)
            _date(budget, "period-end", line.period.end)
            _value(budget, line.value, line.period.start)
        self.transactions(act)
        self.documents(act)
        self.conditions(act)
        self.results(act)

    def participants(self, act: etree._Element) -> None:
        a, p = self.a, self.p
        seen: set[tuple[str, str]] = set()

        def add(role: str, name: str, ref: str | None, org_type: str | None) -> None:
            if (role, name) in seen:
                return
            seen.add((role, name))
            org = etree.SubElement(act, "participating-org")
            if ref:
                org.set("ref", ref)
            org.set("role", role)
            if org_type:
                org.set("type", org_type)
            _narratives(org, {p.language: name})

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

    def dates(self, act: etree._Element) -> None:
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
            _date(act, "activity-date", day).set("type", code)

    def location(self, act: etree._Element) -> None:
        p, cid = self.p, self.a.community
        community = p.community(cid)
        assert community is not None
        location = etree.SubElement(act, "location")
        location.set("ref", f"{self.org}-{cid}")
        etree.SubElement(location, "location-reach").set("code", _ACTIVITY_REACH)
        _named(location, "name", {p.language: p.community_name(cid)})
        where = ", ".join(x for x in (community.island, community.subdivision) if x)
        _named(location, "description", {p.language: where})
        admin = etree.SubElement(location, "administrative")
        admin.set("vocabulary", _COUNTRY_VOCABULARY)
        admin.set("level", "0")
        admin.set("code", community.country)
        point = p.location(cid)
        if point is not None:
            pos = etree.SubElement(location, "point")
            pos.set("srsName", _WGS84)
            etree.SubElement(pos, "pos").text = f"{point.lat:.5f} {point.lon:.5f}"
            etree.SubElement(location, "exactness").set("code", _EXACTNESS[point.precision])
        etree.SubElement(location, "location-class").set("code", _POPULATED_PLACE)

    def sectors(self, act: etree._Element) -> None:
        by_vocabulary: dict[str, list[SectorCode]] = defaultdict(list)
        for ref in self.a.needs:
            need = self.p.ds.need(ref)
            for sector in need.sectors if need is not None else ():
                codes = by_vocabulary[sector.vocabulary.iati_code]
                if sector.code not in {s.code for s in codes}:
                    codes.append(sector)
        for vocabulary in sorted(by_vocabulary, key=int):
            codes = by_vocabulary[vocabulary]
            for sector, share in zip(codes, _percentages(len(codes)), strict=True):
                element = etree.SubElement(act, "sector")
                element.set("vocabulary", vocabulary)
                element.set("code", sector.code)
                element.set("percentage", share)

    def transactions(self, act: etree._Element) -> None:
        a, p = self.a, self.p
        community = p.community(a.community)
        for t in sorted(a.transactions, key=lambda t: (t.date, t.type.iati_code)):
            element = etree.SubElement(act, "transaction")
            etree.SubElement(element, "transaction-type").set("code", t.type.iati_code)
            _date(element, "transaction-date", t.date)
            _value(element, t.value, t.date)
            if t.description:
                _named(element, "description", p.texts(t.description))
            provider = etree.SubElement(element, "provider-org")
            ref = p.donor_org_id(a.donor)
            if ref:
                provider.set("ref", ref)
            _narratives(provider, {p.language: p.donor_name(a.donor)})
            receiver = etree.SubElement(element, "receiver-org")
            if community is not None and community.org_id:
                receiver.set("ref", community.org_id)
            _narratives(receiver, {p.language: p.implementer(a.community)})

    def documents(self, act: etree._Element) -> None:
        p = self.p
        for doc in self.a.documents:
            if doc.url is None:
                continue  # a path inside the repository has no public address
            link = etree.SubElement(act, "document-link")
            link.set("url", str(doc.url))
            link.set("format", _format(str(doc.url)))
            _named(link, "title", p.texts(doc.title))
            # IATI needs a category: one without is published as the summary of the agreement.
            etree.SubElement(link, "category").set("code", doc.category or _UNCATEGORISED)
            if doc.language:
                etree.SubElement(link, "language").set("code", doc.language.partition("-")[0])
            if doc.date:
                _date(link, "document-date", doc.date)

    def conditions(self, act: etree._Element) -> None:
        accepted = [c for c in self.a.conditions if c.accepted]
        conditions = etree.SubElement(act, "conditions")
        conditions.set("attached", "1" if accepted else "0")
        for c in accepted:
            element = _named(conditions, "condition", self.p.texts(c.text))
            element.set("type", c.type.iati_code)

    def results(self, act: etree._Element) -> None:
        p, a = self.p, self.a
        measured: dict[tuple[str, str, dt.date, dt.date], Decimal] = {}
        for report in p.ds.reports_of(a.id):
            for v in report.indicator_values:
                measured[(v.result, v.indicator, v.period.start, v.period.end)] = v.value
        for result in a.results:
            element = etree.SubElement(act, "result")
            element.set("type", _RESULT_TYPE[result.type.value])
            element.set("aggregation-status", "0")
            _named(element, "title", p.texts(result.title))
            for ind in result.indicators:
                indicator = etree.SubElement(element, "indicator")
                indicator.set("measure", _MEASURE[ind.measure.value])
                indicator.set("ascending", "1" if ind.ascending else "0")
                _named(indicator, "title", p.texts(ind.title))
                if ind.baseline is not None:
                    baseline = etree.SubElement(indicator, "baseline")
                    baseline.set("year", str(ind.baseline.year))
                    baseline.set("iso-date", f"{ind.baseline.year}-01-01")
                    if ind.baseline.value is not None:
                        baseline.set("value", _number(ind.baseline.value))
                    if ind.baseline.comment:
                        _named(baseline, "comment", p.texts(ind.baseline.comment))
                for period in ind.periods:
                    key = (result.id, ind.id, period.period.start, period.period.end)
                    actual = period.actual if period.actual is not None else measured.get(key)
                    element_period = etree.SubElement(indicator, "period")
                    _date(element_period, "period-start", period.period.start)
                    _date(element_period, "period-end", period.period.end)
                    target = etree.SubElement(element_period, "target")
                    if period.target is not None:
                        target.set("value", _number(period.target))
                    if actual is not None:
                        etree.SubElement(element_period, "actual").set("value", _number(actual))


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
    root = etree.Element("iati-activities")
    root.set("version", "2.03")
    root.set("generated-datetime", f"{public.as_of.isoformat()}T00:00:00Z")
    for _aid, agreement in sorted(public.ds.agreements.items()):
        _Activity(public, org, org_type, agreement).build(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
