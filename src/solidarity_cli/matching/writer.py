"""Draft agreements for a pull request: one file per proposal, status ``proposed``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.dataset import Dataset
from solidarity_cli.dates import one_year_after
from solidarity_cli.formatting import format_text
from solidarity_cli.matching.result import Proposal
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reporting.i18n import LANGUAGES, Locale
from solidarity_cli.words import M_, say

SCHEMA_LINE = "yaml-language-server: $schema=../../../schemas/agreement.schema.json"


@dataclass(frozen=True)
class Written:
    """What happened to one draft."""

    path: str
    written: bool
    reason: str = ""


def _flow(mapping: dict[str, object]) -> CommentedMap:
    node = CommentedMap(mapping)
    node.fa.set_flow_style()
    return node


def _one_year(start: dt.date, end: dt.date) -> dt.date:
    """``end``, or the last day of the year from ``start`` if that comes first (IATI budgets)."""
    return min(end, one_year_after(start) - dt.timedelta(days=1))


def draft_language(ds: Dataset, languages: list[str]) -> str:
    """The language a draft's comments are written in: its first reporting language the
    catalogs speak, else the network's default language, else English."""
    default = ds.settings.default_language if ds.settings is not None else "en"
    for wanted in (*languages, default):
        if wanted in LANGUAGES:
            return wanted
    return "en"


def draft(ds: Dataset, proposal: Proposal, as_of: dt.date) -> str:
    """The YAML text of a draft agreement for ``proposal``."""
    strategy_id = proposal.need.partition("/")[0]
    strategy = ds.strategies[strategy_id]
    need = ds.need(proposal.need)
    assert need is not None
    community = ds.communities[proposal.community]
    frame = need.timeframe
    start = max(as_of, frame.start) if frame is not None and frame.start is not None else as_of
    end = (
        frame.end
        if frame is not None and frame.end >= start
        else _one_year(start, start + dt.timedelta(days=366))
    )
    languages = strategy.donor_conditions.reporting_languages or community.languages[:1]

    data = CommentedMap()
    data["id"] = proposal.id
    data["title"] = _flow(dict(need.title))
    data["community"] = proposal.community
    data["strategy"] = strategy_id
    data["needs"] = CommentedSeq([proposal.need])
    data["needs"].fa.set_flow_style()
    data["donor"] = proposal.donor
    participants = CommentedSeq(
        [
            _flow({"role": "funding", "donor": proposal.donor}),
            _flow({"role": "implementing", "community": proposal.community}),
        ]
    )
    data["participants"] = participants
    data["status"] = "proposed"
    data["dates"] = _flow({"planned_start": start, "planned_end": end})
    if proposal.amount is not None and proposal.currency is not None:
        line = CommentedMap()
        line["period"] = _flow({"start": start, "end": _one_year(start, end)})
        # Whole steps are written as whole numbers; a step with decimals (0.50) as a float,
        # which prints back exactly at two decimals.
        whole = proposal.amount == proposal.amount.to_integral_value()
        amount: int | float = int(proposal.amount) if whole else float(proposal.amount)
        line["value"] = _flow(
            {"amount": amount, "currency": proposal.currency, "value_date": as_of}
        )
        line["status"] = "indicative"
        data["budget"] = CommentedSeq([line])
    else:
        data["description"] = _flow(
            {"en": f"{proposal.days} person-days of {need.kind.value} offered by {proposal.donor}"}
        )
    data["reporting"] = _flow(
        {"cadence": "quarterly", "grace_days": 30, "languages": list(languages)}
    )

    language = draft_language(ds, languages)
    gettext = Locale(language).gettext
    header = [
        SCHEMA_LINE,
        *(
            say(line, gettext, language)
            for line in (
                M_(
                    "Draft proposed by `solidarity match` on {day}. It awaits the community's"
                    " decision:",
                    day=as_of,
                ),
                M_("nothing here binds the community until its own body accepts it, recorded"),
                M_("under decisions (outcome, body, date, minutes). The community may also"),
                M_("decline it."),
                M_(
                    "Score {score}. Why this donor:",
                    score=Decimal(f"{proposal.score.total:.4f}"),
                ),
            )
        ),
        *(f"  - {say(reason, gettext, language)}" for reason in proposal.reasons),
    ]
    data.yaml_set_start_comment("\n".join(header))
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    # A value shared by two keys is written out twice: check refuses anchors and aliases.
    yaml.representer.ignore_aliases = lambda _data: True
    out = StringIO()
    yaml.dump(data, out)
    # The same date object sits in several places: the canonical form writes each one out
    # instead of an anchor and aliases, so that editing one date never changes another.
    return format_text(out.getvalue(), RecordKind.AGREEMENT)


def write_drafts(
    root: Path, ds: Dataset, proposals: list[Proposal], as_of: dt.date
) -> list[Written]:
    """Write each draft atomically; an existing file is never overwritten."""
    outcomes = []
    for proposal in proposals:
        rel = f"data/partnerships/{proposal.id}/agreement.yaml"
        target = root / rel
        if target.exists():
            outcomes.append(
                Written(rel, False, M_("a file is already there; it was left as it is"))
            )
            continue
        try:
            write_text_atomic(target, draft(ds, proposal, as_of), overwrite=False)
        except FileExistsError:
            outcomes.append(
                Written(rel, False, M_("a file appeared there meanwhile; it was left as it is"))
            )
            continue
        outcomes.append(Written(rel, True))
    return outcomes
