"""360Giving grants: funders as donors, grants as the network's agreements with their money.

A grant is the agreement whose id ends its identifier (``360G-<organisation>-<agreement id>``,
as ``solidarity export --format 360giving`` writes it). Its award becomes the agreement's
commitment when the agreement records none, and its disbursements are added when missing.
Where in the file a problem is, is said as a path such as ``grants[2].currency``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.importing.cells import (
    CellAt,
    read_country,
    read_currency,
    read_date,
    read_number,
)
from solidarity_cli.importing.edits import Inline
from solidarity_cli.importing.findings import UNREADABLE, error, warning
from solidarity_cli.importing.iati import Found, TransactionsOf, match_agreement
from solidarity_cli.importing.organisations import Donors, Org
from solidarity_cli.importing.sheets import Unreadable, read_input
from solidarity_cli.models.agreement import TransactionType
from solidarity_cli.words import M_

_FOUNDATION = "60"


def _document(path: Path, shown: str) -> Any:
    data = read_input(path, shown)
    try:
        return json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        problem, line, column = M_("the file is not UTF-8 text"), 0, 0
    except json.JSONDecodeError as exc:
        problem = M_("the JSON is malformed: {reason}", reason=exc.msg)
        line, column = exc.lineno, exc.colno
    raise Unreadable(
        error(
            UNREADABLE,
            shown,
            line,
            column,
            "",
            problem,
            M_("download or export the 360Giving file again; it must be JSON with a grants list"),
        )
    )


def grants_records(path: Path, shown: str, ds: Dataset) -> Found:
    """The donors and transactions a 360Giving JSON file adds to the repository."""
    document = _document(path, shown)
    grants = document.get("grants") if isinstance(document, dict) else None
    if not isinstance(grants, list):
        raise Unreadable(
            error(
                UNREADABLE,
                shown,
                0,
                0,
                "",
                M_("this is not a 360Giving file: there is no grants list"),
                M_('give a 360Giving JSON file, {"grants": [...]}'),
            )
        )
    found = Found()
    donors = Donors(ds)
    settings = ds.settings
    network = settings.iati.organisation if settings is not None and settings.iati else None
    prefix = f"360G-{network}" if network else None
    for index, grant in enumerate(grants):
        if isinstance(grant, dict):
            _Grant(grant, f"grants[{index}]", shown, ds, prefix, donors, found).read()
    found.new_files.update(donors.new_files)
    found.edits.extend(donors.edits)
    return found


class _Grant:
    def __init__(
        self,
        grant: dict[str, Any],
        where: str,
        shown: str,
        ds: Dataset,
        prefix: str | None,
        donors: Donors,
        found: Found,
    ) -> None:
        self.g, self.where, self.shown, self.ds = grant, where, shown, ds
        self.prefix, self.donors, self.found = prefix, donors, found
        self.out: list[Diagnostic] = found.findings

    def at(self, field: str, value: Any) -> CellAt:
        shown = value if isinstance(value, str | int | float) else None
        if isinstance(value, Decimal):
            shown = str(value)
        return CellAt(shown, self.shown, 0, 0, f"{self.where}.{field}")

    def read(self) -> None:
        g = self.g
        identifier = str(g.get("id") or "")
        aid = match_agreement(identifier, self.prefix, self.ds) if identifier else None
        self.countries()
        self.funders(aid)
        if aid is None:
            self.out.append(
                warning(
                    "IM004",
                    self.shown,
                    0,
                    0,
                    f"{self.where}.id",
                    M_(
                        "the grant {identifier} is not one of the network's agreements: its "
                        "money is not imported",
                        identifier=identifier or "?",
                    ),
                    M_(
                        "write the agreement with the community first (solidarity new "
                        "agreement), with the id that ends the grant's identifier, then import "
                        "again"
                    ),
                )
            )
            return
        self.money(aid)

    def countries(self) -> None:
        places = [
            ("recipientOrganization", "addressCountry"),
            ("beneficiaryLocation", "countryCode"),
        ]
        for key, field in places:
            items = self.g.get(key)
            for n, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and field in item:
                    read_country(self.at(f"{key}[{n}].{field}", item[field]), self.out)

    def funders(self, aid: str | None) -> None:
        items = self.g.get("fundingOrganization")
        for n, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            ref = str(item.get("id") or "").strip() or None
            if self.prefix and ref and ref.startswith(f"{self.prefix}-donor-"):
                continue  # one of the network's own donors, as its export names them
            if ref and ref.startswith("360G-"):
                ref = None  # a publisher's own made-up identifier names no organisation
            if aid is not None and ref is None:
                continue
            where = f"{self.where}.fundingOrganization[{n}]"
            org = Org(ref, item.get("name"), _FOUNDATION, self.shown, 0, M_(where))
            created = len(self.donors.new_files)
            self.donors.resolve(org, self.out)
            if len(self.donors.new_files) > created:
                self.out.append(
                    warning(
                        "IM006",
                        self.shown,
                        0,
                        0,
                        where,
                        M_(
                            "the funder {name} is added as a foundation (360Giving files do not "
                            "say the kind of funder)",
                            name=item.get("name") or ref,
                        ),
                        M_("check the kind in its new donor file"),
                    )
                )

    def money(self, aid: str) -> None:
        g, agreement = self.g, self.ds.agreements[aid]
        book = TransactionsOf(self.ds, agreement)
        currency = read_currency(self.at("currency", g.get("currency")), self.out)
        awarded = read_number(self.at("amountAwarded", g.get("amountAwarded")), self.out)
        day = read_date(self.at("awardDate", g.get("awardDate")), self.out)
        if awarded is not None and currency is None and not g.get("currency"):
            self.out.append(
                self.at("currency", None).bad(
                    "IM007",
                    M_("the amount {amount} has no currency", amount=awarded),
                    M_("add the grant's currency (such as EUR or CVE)"),
                )
            )
        commitments = [t for t in agreement.transactions if t.type is TransactionType.COMMITMENT]
        if awarded and currency and day and not commitments:
            record = {
                "type": TransactionType.COMMITMENT,
                "date": day,
                "value": Inline(amount=awarded, currency=currency, value_date=day),
            }
            book.add(self.found, record)
        items = g.get("disbursementTransaction")
        for n, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            base = f"disbursementTransaction[{n}]"
            value = read_number(self.at(f"{base}.value", item.get("value")), self.out)
            when = read_date(
                self.at(f"{base}.transactionDate", item.get("transactionDate")), self.out
            )
            paid_in = read_currency(
                self.at(f"{base}.currency", item.get("currency") or g.get("currency")), self.out
            )
            if value is None or when is None or paid_in is None:
                continue
            record = {
                "type": TransactionType.DISBURSEMENT,
                "date": when,
                "value": Inline(amount=value, currency=paid_in, value_date=when),
            }
            book.add(self.found, record)
