"""A who-does-what-where table with HXL hashtags, one row per partnership agreement."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from solidarity_cli.commitments import binding
from solidarity_cli.exporting.public import Public
from solidarity_cli.exporting.tables import text_of
from solidarity_cli.models.strategy import SectorVocabulary
from solidarity_cli.money import Converter, MissingRate

DAC_5 = SectorVocabulary.DAC_5

#: (header people read, HXL hashtag) per column.
COLUMNS = (
    ("Funder", "#org +funder"),
    ("Implementer", "#org +impl"),
    ("Sector", "#sector"),
    ("Region", "#adm1 +code"),
    ("Island or district", "#adm2 +name"),
    ("Community", "#loc +name"),
    ("Latitude", "#geo +lat"),
    ("Longitude", "#geo +lon"),
    ("Start", "#date +start"),
    ("End", "#date +end"),
    ("Status", "#status"),
    ("Committed", "#value"),
    ("Currency", "#currency"),
    ("People reached", "#reached"),
)


def hxl_csv(public: Public) -> bytes:
    """The HXL-tagged CSV: a header row, a hashtag row, then one row per agreement."""
    p = public
    conv = Converter(p.ds.settings)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h for h, _ in COLUMNS])
    writer.writerow([tag for _, tag in COLUMNS])
    for _aid, a in sorted(p.ds.agreements.items()):
        community = p.community(a.community)
        point = p.location(a.community)
        needs = [n for n in (p.need(ref) for ref in a.needs) if n is not None]
        sectors = sorted({s.code for n in needs for s in n.sectors if s.vocabulary is DAC_5})
        reached = sum(n.beneficiaries.count for n in needs if n.beneficiaries is not None)
        money = [t.value for t in a.transactions if t.type is binding(a)]
        currencies = {m.currency for m in money}
        # Money in several currencies is summed in the base currency.
        currency = currencies.pop() if len(currencies) == 1 else p.base_currency
        try:
            value = (
                sum((m.amount for m in money), Decimal(0))
                if len(currencies) <= 1 and money
                else conv.total(money, p.as_of)
            )
        except MissingRate:
            value, currency = None, ""
        writer.writerow(
            [
                p.donor_name(a.donor),
                p.implementer(a.community),
                " ".join(sectors),
                community.subdivision if community else "",
                (community.island or "") if community else "",
                p.community_name(a.community),
                f"{point.lat:.5f}" if point else "",
                f"{point.lon:.5f}" if point else "",
                text_of(a.dates.actual_start or a.dates.planned_start),
                text_of(a.dates.actual_end or a.dates.planned_end),
                a.status.value,
                text_of(value),
                currency or "",
                reached or "",
            ]
        )
    return out.getvalue().encode()
