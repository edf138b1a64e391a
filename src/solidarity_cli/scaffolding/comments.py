"""What each field of a new record means, said in the contributor's language."""

from __future__ import annotations

from collections.abc import Callable

from solidarity_cli.reporting.i18n import LANGUAGES, translations
from solidarity_cli.words import N_

_BY_KEY = {
    "id": N_("Identifier: lowercase letters, digits and hyphens; the same as the file name."),
    "name": N_("The name as people know it."),
    "title": N_("A short title, in one or more languages (en, pt, fr, es...)."),
    "country": N_("ISO 3166-1 country code, e.g. CV or BR."),
    "subdivision": N_("ISO 3166-2 code of the region or municipality, e.g. CV-PN."),
    "island": N_("The island the community is on."),
    "association": N_("The inhabitants' association that speaks for the community."),
    "languages": N_("Languages the community speaks and writes (ISO 639 codes)."),
    "maintainers": N_("People who approve changes to this community's files (GitHub accounts)."),
    "period": N_("First and last day (YYYY-MM-DD)."),
    "community": N_("The id of the community (its folder name under data/communities/)."),
    "strategy": N_("The id of the community's strategy that holds the needs."),
    "donor": N_("The id of the donor (its file name under data/donors/)."),
    "needs": N_("The needs this covers, written <strategy-id>/<need-id>."),
    "participants": N_("Who takes part: the donor funds, the community carries out."),
    "dimension": N_("A well-being dimension from data/vocabularies/dimensions.yaml."),
    "estimated_cost": N_("What it costs, and in which currency."),
    "priority": N_("The community's own order: 1 is its first priority."),
    "partnership": N_("The id of the agreement this report is about."),
    "submitted": N_("Who submitted the report, and on which day."),
    "indicator_values": N_(
        "Values measured in this period, one per indicator of the agreement; "
        "they start from the last reported value: write what was measured."
    ),
    "scope": N_("Where the platform works."),
    "code": N_("Two letters of the family and a number from 500 to 999, e.g. ND501."),
    "family": N_("The area the rule is about."),
    "severity": N_("How serious a finding is: error, warning or info."),
    "applies_to": N_("The kind of record the rule looks at."),
    "condition": N_("A CEL expression that is true when the record follows the rule."),
    "summary": N_("One sentence saying what the rule asks."),
    "rationale": N_("Why the network wants this rule."),
    "message": N_("What a finding says when a record does not follow the rule."),
    "governance": N_("Who proposed the rule and where it is in the network's process."),
    "examples": N_("Records the rule must accept (good) and flag (bad)."),
}

_BY_KIND = {
    ("community", "kind"): N_("village, neighbourhood or locality."),
    ("strategy", "status"): N_(
        "draft until the community adopts it; then adopted, with the adoption recorded."
    ),
    ("strategy", "needs"): N_("The needs the community cannot meet alone, in its own words."),
    ("donor", "kind"): N_(
        "individual, informal-group, ngo, foundation, crowdfunding-platform, company, "
        "public-body or twinned-municipality."
    ),
    ("donor", "anonymous"): N_("true keeps the donor's name out of every report."),
    ("agreement", "status"): N_(
        "proposed until the community decides; the community's decision is recorded under "
        "decisions."
    ),
    ("report", "kind"): N_("progress, financial, final or co-evaluation."),
    ("report", "period"): N_("The period the report covers (YYYY-MM-DD)."),
    ("platform", "kind"): N_("micro-regional-platform, territory-network or national-federation."),
    ("need", "kind"): N_(
        "financial, material, technical-expertise, training, twinning, volunteering or other."
    ),
}

#: Fields inside a record, by their dotted key path.
_BY_PATH = {
    ("community", "association.name"): N_("The association's name as its members write it."),
    ("community", "association.legal_form"): N_(
        "How the association is constituted, e.g. association or cooperative."
    ),
    ("community", "association.governance"): N_("How the association takes its decisions."),
    ("community", "association.governance.decision_body"): N_(
        "The body that adopts the community's strategy, e.g. general assembly."
    ),
    ("strategy", "period.start"): N_("The first day the strategy covers (YYYY-MM-DD)."),
    ("strategy", "period.end"): N_("The last day the strategy covers (YYYY-MM-DD)."),
    ("strategy", "adoption"): N_(
        "The community's own decision adopting the strategy: no one else adopts it."
    ),
    ("strategy", "adoption.body"): N_("The community's body that decided, e.g. general assembly."),
    ("strategy", "adoption.date"): N_("The day it decided (YYYY-MM-DD)."),
    ("strategy", "adoption.participants"): N_(
        "How many people took part; add women and youth when the minutes say."
    ),
    ("strategy", "adoption.minutes"): N_("Where the minutes of the meeting are kept."),
    ("need", "estimated_cost.amount"): N_("The amount, a number without spaces or symbols."),
    ("need", "estimated_cost.currency"): N_("ISO 4217 currency code, e.g. CVE, BRL or EUR."),
    ("report", "period.start"): N_("The first day the report covers (YYYY-MM-DD)."),
    ("report", "period.end"): N_("The last day the report covers (YYYY-MM-DD)."),
    ("report", "submitted.by"): N_("Who submitted it: a person or a body of the community."),
    ("report", "submitted.on"): N_("The day it was submitted (YYYY-MM-DD)."),
    ("platform", "scope.country"): N_("ISO 3166-1 country code, e.g. CV or BR."),
    ("rule", "governance.status"): N_(
        "proposed, then trial while the network tries it, then adopted by the network."
    ),
    ("rule", "examples.good"): N_("Records the rule must accept."),
    ("rule", "examples.bad"): N_("Records the rule must flag."),
}


def explainer(kind: str, language: str) -> Callable[[str], str | None]:
    """A function giving the comment above each field of ``kind``, in ``language``.

    A field inside another is named by its dotted key path (``"adoption.date"``).
    """
    gettext = translations(language if language in LANGUAGES else "en").gettext

    def explain(key: str) -> str | None:
        text = _BY_PATH.get((kind, key))
        if text is None and "." not in key:
            text = _BY_KIND.get((kind, key)) or _BY_KEY.get(key)
        return gettext(text) if text else None

    return explain
