"""Organisations named in IATI and 360Giving files, as the network's donors.

A donor is known by its organisation identifier (``org_id``, as org-id.guide writes it). An
organisation the repository does not know becomes a new donor file when the input says enough:
an identifier, a name, a type that tells the kind of donor, and a country (the identifier's
prefix, such as ``GB`` in ``GB-CHC-1234567``, or one given). Otherwise a finding says what is
missing, on the element's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.formatting import dump_record
from solidarity_cli.importing.edits import Edit
from solidarity_cli.importing.findings import error, warning
from solidarity_cli.models.codes import DonorKind
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.scaffolding.ids import slugify
from solidarity_cli.standards import country_codes
from solidarity_cli.words import M_, Words

#: IATI OrganisationType codes (also used by 360Giving's org types) and the donor kind nearest.
KIND_OF_TYPE = {
    "10": DonorKind.PUBLIC_BODY,
    "11": DonorKind.PUBLIC_BODY,
    "15": DonorKind.PUBLIC_BODY,
    "21": DonorKind.NGO,
    "22": DonorKind.NGO,
    "23": DonorKind.NGO,
    "24": DonorKind.NGO,
    "40": DonorKind.PUBLIC_BODY,
    "60": DonorKind.FOUNDATION,
    "70": DonorKind.COMPANY,
    "71": DonorKind.COMPANY,
    "72": DonorKind.COMPANY,
    "73": DonorKind.COMPANY,
    "80": DonorKind.NGO,
}


@dataclass(frozen=True)
class Org:
    """An organisation as an input names it, and where."""

    ref: str | None
    name: str | None
    type: str | None
    file: str
    line: int
    where: Words
    country: str | None = None
    language: str = "en"


@dataclass
class Donors:
    """The repository's donors by organisation identifier, and the new ones an input adds."""

    ds: Dataset
    by_ref: dict[str, str] = field(default_factory=dict)
    new_files: dict[str, str] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    by_name: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for donor_id, donor in sorted(self.ds.donors.items()):
            if donor.org_id:
                self.by_ref.setdefault(donor.org_id, donor_id)
            elif donor.name and not donor.is_anonymous:
                self.by_name.setdefault(_folded(donor.name), donor_id)
        self.taken = set(self.ds.donors) | {key for kind, key in self.ds.broken}

    def known(self, ref: str | None) -> str | None:
        """The id of the donor with this organisation identifier, if any."""
        return self.by_ref.get(ref) if ref else None

    def resolve(self, org: Org, out: list[Diagnostic]) -> str | None:
        """The donor id of ``org``: a known donor, or a new donor file; None with a finding."""
        known = self.known(org.ref)
        if known is not None:
            return known
        named = self.by_name.pop(_folded(org.name), None) if org.name else None
        if named is not None and org.ref:
            # A donor the repository knows by name only: it gains its identifier.
            rel = self.ds.paths[(RecordKind.DONOR, named)]
            self.edits.append(Edit(rel, ("org_id",), org.ref))
            self.by_ref[org.ref] = named
            return named
        if not org.ref:
            out.append(
                warning(
                    "IM008",
                    org.file,
                    org.line,
                    0,
                    org.where,
                    M_(
                        "the organisation {name} has no identifier: it is not added as a donor",
                        name=org.name or "?",
                    ),
                    M_(
                        "give the organisation its identifier (ref) from org-id.guide, or add "
                        "the donor by hand in data/donors/"
                    ),
                )
            )
            return None
        problems: list[Words] = []
        kind = KIND_OF_TYPE.get(org.type or "")
        if kind is None:
            problems.append(M_("its type ({type}) does not tell a kind of donor", type=org.type))
        country = org.country or org.ref.split("-", 1)[0]
        if country not in country_codes():
            problems.append(M_("its country is not known"))
        if not org.name:
            problems.append(M_("it has no name"))
        if problems or kind is None or org.name is None:
            out.extend(
                error(
                    "IM008",
                    org.file,
                    org.line,
                    0,
                    org.where,
                    M_(
                        "the organisation {ref} is not a donor of the network: {why}",
                        ref=org.ref,
                        why=problem,
                    ),
                    M_(
                        "add the donor by hand in data/donors/ with org_id: {ref}, then import "
                        "again",
                        ref=org.ref,
                    ),
                )
                for problem in problems
            )
            return None
        donor_id = self._new_id(org.name)
        record = {
            "id": donor_id,
            "name": org.name,
            "kind": kind.value,
            "country": country,
            "org_id": org.ref,
        }
        comment = f"Imported from {org.file.rsplit('/', 1)[-1]}: check the kind and the country."
        rel = f"data/donors/{donor_id}.yaml"
        self.new_files[rel] = dump_record(record, RecordKind.DONOR, {"": comment})
        self.by_ref[org.ref] = donor_id
        self.taken.add(donor_id)
        return donor_id

    def _new_id(self, name: str) -> str:
        """A donor id made from the name, not yet taken."""
        base = slugify(name) or "donor"
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())
