"""360Giving grants: one grant per partnership agreement, with money and org-ids."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from solidarity_cli.exporting.iati import organisation
from solidarity_cli.exporting.public import Public
from solidarity_cli.models.agreement import Agreement, TransactionType
from solidarity_cli.money import Converter, MissingRate


def _amount(value: Decimal) -> float | int:
    """A JSON number: whole amounts as integers, others with at most four decimals."""
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 4))


class _Grants:
    def __init__(self, public: Public) -> None:
        self.p = public
        self.org, _ = organisation(public)
        self.prefix = f"360G-{self.org}"
        self.conv = Converter(public.ds.settings)

    def org_id(self, known: str | None, kind: str, key: str) -> str:
        """A known organisation identifier, or one made under the network's 360Giving prefix."""
        return known or f"{self.prefix}-{kind}-{key}"

    def currency(self, a: Agreement) -> str:
        """The agreement's own currency when all its money is in one, else the base currency."""
        currencies = {t.value.currency for t in a.transactions} | {
            b.value.currency for b in a.budget
        }
        return currencies.pop() if len(currencies) == 1 else self.p.base_currency

    def total(self, a: Agreement, kind: TransactionType, currency: str) -> Decimal:
        out = Decimal(0)
        for t in a.transactions:
            if t.type is not kind:
                continue
            try:
                base = self.conv.to_base(t.value, t.date)
                out += base * self.conv.units_per_base(currency, t.value.value_date or t.date)
            except MissingRate:
                continue
        return out

    def grant(self, a: Agreement) -> dict[str, Any]:
        p = self.p
        currency = self.currency(a)
        accepted = a.acceptance()
        award = a.dates.signed or (accepted.date if accepted else None)
        if award is None:
            award = min((t.date for t in a.transactions), default=p.as_of)
        committed = self.total(a, TransactionType.COMMITMENT, currency)
        community = p.community(a.community)
        recipient: dict[str, Any] = {
            "id": self.org_id(community.org_id if community else None, "community", a.community),
            "name": p.implementer(a.community),
        }
        if community is not None:
            recipient["addressCountry"] = community.country
        donor_ref = p.donor_ref(a.donor)
        funder = {
            "id": self.org_id(p.donor_org_id(a.donor), "donor", donor_ref),
            "name": p.donor_name(a.donor),
        }
        grant: dict[str, Any] = {
            "id": f"{self.prefix}-{a.id}",
            "title": p.first(a.title),
            "description": p.first(a.description or a.title),
            "currency": currency,
            "amountAwarded": _amount(committed),
            "amountDisbursed": _amount(self.total(a, TransactionType.DISBURSEMENT, currency)),
            "awardDate": award.isoformat(),
            "recipientOrganization": [recipient],
            "fundingOrganization": [funder],
        }
        start = a.dates.actual_start or a.dates.planned_start
        end = a.dates.actual_end or a.dates.planned_end
        if start is not None:
            event = {"startDate": start.isoformat()}
            if end is not None:
                event["endDate"] = end.isoformat()
            grant["plannedDates"] = [event]
        if community is not None:
            location: dict[str, Any] = {
                "name": p.community_name(a.community),
                "countryCode": community.country,
            }
            point = p.location(a.community)
            if point is not None:
                location["latitude"] = point.lat
                location["longitude"] = point.lon
            grant["beneficiaryLocation"] = [location]
        disbursements = [
            {
                "id": f"{self.prefix}-{a.id}-{n}",
                "transactionDate": t.date.isoformat(),
                "currency": t.value.currency,
                "value": _amount(t.value.amount),
            }
            for n, t in enumerate(
                (t for t in a.transactions if t.type is TransactionType.DISBURSEMENT), 1
            )
        ]
        if disbursements:
            grant["disbursementTransaction"] = disbursements
        return grant


def grants(public: Public) -> list[dict[str, Any]]:
    """One 360Giving grant per agreement, by agreement id."""
    builder = _Grants(public)
    return [builder.grant(a) for _, a in sorted(public.ds.agreements.items())]


def grants_json(public: Public) -> bytes:
    """The 360Giving package ``{"grants": [...]}`` as UTF-8 JSON."""
    text = json.dumps({"grants": grants(public)}, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode()
