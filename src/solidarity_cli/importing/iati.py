"""IATI 2.03 activities: funding organisations as donors, activities as the network's
agreements with their transactions.

The XML is read with lxml without resolving entities, loading a DTD or touching the network.
An activity is the agreement whose id ends its identifier (``<organisation>-<agreement id>``,
as ``solidarity export --format iati`` writes it); its commitments, disbursements and
expenditures that the agreement does not record yet are added to it. An activity that is not
one of the network's agreements becomes a *proposed* agreement (never signed: the community
decides) when the file says enough to tie it to the network: a funding organisation with an
identifier (the donor), an implementing organisation that is one of the communities (by its
``org_id`` or its name), and sectors shared with that community's open needs. Otherwise it is
said, with what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.formatting import dump_record
from solidarity_cli.importing.cells import (
    CellAt,
    read_country,
    read_currency,
    read_date,
    read_number,
)
from solidarity_cli.importing.edits import Edit, Inline, plain
from solidarity_cli.importing.findings import UNREADABLE, error, warning
from solidarity_cli.importing.organisations import Donors, Org
from solidarity_cli.importing.sheets import Unreadable, read_input
from solidarity_cli.models.agreement import Agreement, TransactionType
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.scaffolding.ids import slugify
from solidarity_cli.words import M_, Words

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TYPES = {t.iati_code: t for t in TransactionType}
#: Roles of participating organisations that give money: funding (1) and extending (3).
_GIVING_ROLES = frozenset({"1", "3"})


@dataclass
class Found:
    """What an input maps to: edits of existing files, new files, findings."""

    edits: list[Edit] = field(default_factory=list)
    new_files: dict[str, str] = field(default_factory=dict)
    findings: list[Diagnostic] = field(default_factory=list)


def parse_xml(path: Path, shown: str) -> Any:
    """The root element of an XML file, read safely; malformed XML is one finding."""
    data = read_input(path, shown)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 0, 0)
        raise Unreadable(
            error(
                UNREADABLE,
                shown,
                line or 0,
                column + 1 if column else 0,
                "",
                M_("the XML is malformed: {reason}", reason=exc.msg),
                M_(
                    "the file was cut short or edited by hand: download or export it again, "
                    "or mend the XML at that line"
                ),
            )
        ) from None


def element(tag: str) -> Words:
    """Where in an XML file: the element's name (the line is the finding's)."""
    return M_("element {element}", element=tag)


def _text(node: Any) -> str | None:
    if node is None:
        return None
    narrative = node.find("narrative")
    text = narrative.text if narrative is not None else node.text
    return text.strip() if isinstance(text, str) and text.strip() else None


def _texts(node: Any, language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for narrative in node.iterfind("narrative"):
        if narrative.text and narrative.text.strip():
            out.setdefault(narrative.get(XML_LANG) or language, narrative.text.strip())
    return out


def match_agreement(identifier: str, network: str | None, ds: Dataset) -> str | None:
    """The agreement an activity or grant identifier names: ``<network>-<id>``, the proposed
    agreement an import made of it (its identifier as an id), or else the longest agreement id
    that ends the identifier after a hyphen."""
    if network and identifier.startswith(network + "-"):
        rest = identifier[len(network) + 1 :]
        if rest in ds.agreements:
            return rest
    if (own := slugify(identifier)) in ds.agreements:
        return own
    ends = [aid for aid in ds.agreements if identifier.endswith("-" + aid) or identifier == aid]
    return max(ends, key=len) if ends else None


def _network(ds: Dataset) -> str | None:
    settings = ds.settings
    return settings.iati.organisation if settings is not None and settings.iati else None


class TransactionsOf:
    """New transactions for one agreement, never one it records already."""

    def __init__(self, ds: Dataset, agreement: Agreement) -> None:
        self.rel = ds.paths[(RecordKind.AGREEMENT, agreement.id)]
        self.next = len(agreement.transactions)
        self.seen = {
            (t.type, t.date, t.value.amount, t.value.currency) for t in agreement.transactions
        }

    def add(self, found: Found, record: dict[str, Any]) -> None:
        """Append the transaction unless the agreement has the same one."""
        value = record["value"]
        key = (record["type"], record["date"], value["amount"], value["currency"])
        if key in self.seen:
            return
        self.seen.add(key)
        record = {**record, "type": record["type"].value}
        found.edits.append(Edit(self.rel, ("transactions", self.next), record))
        self.next += 1


def iati_records(path: Path, shown: str, ds: Dataset) -> Found:
    """The donors and transactions an IATI activities file adds to the repository."""
    root = parse_xml(path, shown)
    if root.tag != "iati-activities":
        raise Unreadable(
            error(
                UNREADABLE,
                shown,
                root.sourceline or 0,
                0,
                "",
                M_("this is not an IATI activities file (it starts with {tag})", tag=root.tag),
                M_("give a file of IATI 2.03 activities, starting with <iati-activities>"),
            )
        )
    found = Found()
    donors = Donors(ds)
    network = _network(ds)
    for activity in root.iterfind("iati-activity"):
        _activity(activity, shown, ds, network, donors, found)
    found.new_files.update(donors.new_files)
    found.edits.extend(donors.edits)
    return found


def _activity(
    act: Any, shown: str, ds: Dataset, network: str | None, donors: Donors, found: Found
) -> None:
    out = found.findings
    identifier = _text(act.find("iati-identifier")) or ""
    language = act.get(XML_LANG) or "en"
    aid = match_agreement(identifier, network, ds) if identifier else None
    for country in act.iterfind("recipient-country"):
        code = CellAt(
            country.get("code"), shown, country.sourceline or 0, 0, element("recipient-country")
        )
        read_country(code, out)
    orgs: list[Org] = []
    reporting = act.find("reporting-org")
    if reporting is not None and reporting.get("ref") != network:
        orgs.append(_org(reporting, shown, language))
    orgs += [
        _org(o, shown, language)
        for o in act.iterfind("participating-org")
        if o.get("role") in _GIVING_ROLES
    ]
    funders: list[str] = []
    for org in orgs:
        if aid is not None and not org.ref:
            continue  # an agreement's own donor, anonymous in the export: nothing to add
        if (donor := donors.resolve(org, out)) is not None:
            funders.append(donor)
    if aid is None:
        why = _proposal(act, shown, ds, identifier, language, funders, found)
        if why is None:
            return
        out.append(
            warning(
                "IM004",
                shown,
                act.sourceline or 0,
                0,
                element("iati-activity"),
                M_(
                    "the activity {identifier} is not one of the network's agreements and is "
                    "not imported: {why}",
                    identifier=identifier or "?",
                    why=why,
                ),
                M_(
                    "write the agreement with the community first (solidarity new agreement), "
                    "with the id that ends the activity's identifier, then import again"
                ),
            )
        )
        return
    book = TransactionsOf(ds, ds.agreements[aid])
    default_currency = act.get("default-currency")
    for tx in act.iterfind("transaction"):
        record = _transaction(tx, shown, default_currency, language, out)
        if record is not None:
            book.add(found, record)


_IMPLEMENTING = "4"
_DATES = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}


def _community_of(act: Any, ds: Dataset) -> str | None:
    """The community an activity's implementing organisation is: by org_id, else by name."""
    by_ref = {c.org_id: cid for cid, c in sorted(ds.communities.items()) if c.org_id}
    by_name: dict[str, str] = {}
    for cid, c in sorted(ds.communities.items()):
        by_name.setdefault(_folded(c.name), cid)
        by_name.setdefault(_folded(c.association.name), cid)
    for org in act.iterfind("participating-org"):
        if org.get("role") != _IMPLEMENTING:
            continue
        ref, name = (org.get("ref") or "").strip(), _text(org)
        if ref and ref in by_ref:
            return by_ref[ref]
        if name and _folded(name) in by_name:
            return by_name[_folded(name)]
    return None


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def _needs_of(act: Any, ds: Dataset, community: str) -> tuple[str, list[str]] | None:
    """The strategy and the open needs of ``community`` that share the activity's sectors
    (the adopted strategy with most such needs)."""
    codes = {(s.get("code") or "").strip() for s in act.iterfind("sector")} - {""}
    found: list[tuple[bool, int, str, list[str]]] = []
    for sid in sorted(ds.strategies):
        if ds.strategy_owner.get(sid) != community:
            continue
        strategy = ds.strategies[sid]
        needs = [
            f"{sid}/{n.id}"
            for n in strategy.needs
            if n.status.value == "open" and codes & {s.code for s in n.sectors}
        ]
        if needs:
            found.append((strategy.status.value == "adopted", len(needs), sid, needs))
    if not found:
        return None
    # max keeps the first of equals: strategies are in id order.
    _adopted, _count, sid, needs = max(found, key=lambda f: (f[0], f[1]))
    return sid, needs


def _proposal(
    act: Any,
    shown: str,
    ds: Dataset,
    identifier: str,
    language: str,
    funders: list[str],
    found: Found,
) -> Words | None:
    """Write an activity unknown to the network as a proposed agreement; why not, if not."""
    aid = slugify(identifier)
    if not aid:
        return M_("it has no identifier")
    if not funders:
        return M_("no funding organisation with an identifier is a donor of the network")
    community = _community_of(act, ds)
    if community is None:
        return M_("no implementing organisation (role 4) is one of the network's communities")
    chosen = _needs_of(act, ds, community)
    if chosen is None:
        return M_(
            "none of the open needs of {community} shares the activity's sectors",
            community=community,
        )
    title = _texts(act.find("title"), language) if act.find("title") is not None else {}
    if not title:
        return M_("it has no title")
    strategy, needs = chosen
    donor = funders[0]
    record: dict[str, Any] = {
        "id": aid,
        "title": title,
        "community": community,
        "strategy": strategy,
        "needs": needs,
        "donor": donor,
        "participants": [
            Inline(role="funding", donor=donor),
            Inline(role="implementing", community=community),
        ],
        "status": "proposed",
    }
    description = act.find("description")
    if description is not None and (texts := _texts(description, language)):
        record["description"] = texts
    dates = {
        _DATES[d.get("type")]: read_date(
            CellAt(d.get("iso-date"), shown, d.sourceline or 0, 0, element("activity-date")),
            found.findings,
        )
        for d in act.iterfind("activity-date")
        if d.get("type") in _DATES
    }
    if dates := {k: v for k, v in dates.items() if v is not None}:
        record["dates"] = dates
    default_currency = act.get("default-currency")
    transactions = []
    for tx in act.iterfind("transaction"):
        tx_record = _transaction(tx, shown, default_currency, language, found.findings)
        if tx_record is not None:
            transactions.append({**tx_record, "type": tx_record["type"].value})
    if transactions:
        record["transactions"] = transactions
    rel = f"data/partnerships/{aid}/agreement.yaml"
    comment = (
        f"Imported from {shown.rsplit('/', 1)[-1]} as a proposal: the community decides.\n"
        "Check the needs it covers, then record the community's decision before any signature."
    )
    found.new_files[rel] = dump_record(plain(record), RecordKind.AGREEMENT, {"": comment})
    found.findings.append(
        warning(
            "IM013",
            shown,
            act.sourceline or 0,
            0,
            element("iati-activity"),
            M_(
                "the activity {identifier} is written as the proposed agreement {agreement}, "
                "covering {needs}",
                identifier=identifier,
                agreement=aid,
                needs=", ".join(needs),
            ),
            M_(
                "the community decides: check the needs it covers, add its results and "
                "reporting, and record the community's decision (decisions:) in {file}",
                file=rel,
            ),
        )
    )
    return None


def _org(node: Any, shown: str, language: str) -> Org:
    tag = node.tag if isinstance(node.tag, str) else "organisation"
    return Org(
        ref=(node.get("ref") or "").strip() or None,
        name=_text(node),
        type=node.get("type"),
        file=shown,
        line=node.sourceline or 0,
        where=element(tag),
        language=language,
    )


def _transaction(
    tx: Any, shown: str, default_currency: str | None, language: str, out: list[Diagnostic]
) -> dict[str, Any] | None:
    line = tx.sourceline or 0
    type_node = tx.find("transaction-type")
    code = type_node.get("code") if type_node is not None else None
    kind = _TYPES.get(code or "")
    if kind is None:
        out.append(
            warning(
                "IM005",
                shown,
                line,
                0,
                element("transaction-type"),
                M_("the transaction type {code} is not one the network records", code=code),
                M_("the transaction is left out; record it by hand if it matters"),
            )
        )
        return None
    before = len([d for d in out if d.severity.value == "error"])
    date_node = tx.find("transaction-date")
    day = read_date(
        CellAt(
            date_node.get("iso-date") if date_node is not None else None,
            shown,
            date_node.sourceline if date_node is not None else line,
            0,
            element("transaction-date"),
        ),
        out,
    )
    value_node = tx.find("value")
    at = CellAt(
        value_node.text if value_node is not None else None,
        shown,
        value_node.sourceline if value_node is not None else line,
        0,
        element("value"),
    )
    amount = read_number(at, out)
    given = value_node.get("currency") if value_node is not None else None
    currency = read_currency(
        CellAt(given or default_currency, shown, at.line, 0, element("value")), out
    )
    if amount is not None and currency is None and not (given or default_currency):
        out.append(
            at.bad(
                "IM007",
                M_("the amount {amount} has no currency", amount=amount),
                M_(
                    'add currency="..." to the value, or default-currency to the activity '
                    "(such as EUR or CVE)"
                ),
            )
        )
    if day is None or amount is None:
        if len([d for d in out if d.severity.value == "error"]) == before:
            out.append(
                error(
                    "IM005",
                    shown,
                    line,
                    0,
                    element("transaction"),
                    M_("the transaction has no date or no value"),
                    M_("give it a transaction-date and a value"),
                )
            )
        return None
    if currency is None:
        return None
    # The day the value is taken at: IATI's value-date, else the transaction's own day.
    value_day = value_node.get("value-date") if value_node is not None else None
    taken = read_date(CellAt(value_day, shown, at.line, 0, element("value")), out) or day
    value = Inline(amount=amount, currency=currency, value_date=taken)
    record: dict[str, Any] = {"type": kind, "date": day, "value": value}
    description = tx.find("description")
    if description is not None and (texts := _texts(description, language)):
        record["description"] = texts
    return record
