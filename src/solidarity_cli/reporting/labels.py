"""Code values shown to readers, listed so that translators see them (``pybabel extract -k N_``)."""

from __future__ import annotations

from solidarity_cli.layout import RecordKind


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it here."""
    return message


LABELS = (
    # Families of rules and the columns of the rules listing.
    N_("needs"),
    N_("strategies"),
    N_("partnerships"),
    N_("monitoring-and-evaluation"),
    N_("data-protection"),
    N_("references"),
    N_("code"),
    N_("name"),
    N_("family"),
    N_("severity"),
    N_("what it asks"),
    N_("Planned start"),
    N_("Planned end"),
    N_("Signed"),
    N_("Started"),
    N_("Ended"),
    N_("academic"),
    N_("accepted"),
    N_("active"),
    N_("amended"),
    N_("cancelled"),
    N_("co-evaluation"),
    N_("community"),
    N_("company"),
    N_("completed"),
    N_("crowdfunding-platform"),
    N_("declined"),
    N_("disbursement"),
    N_("error"),
    N_("fiduciary"),
    N_("final"),
    N_("financial"),
    N_("foundation"),
    N_("individual"),
    N_("info"),
    N_("informal-group"),
    N_("locality"),
    N_("material"),
    N_("met"),
    N_("micro-regional-platform"),
    N_("national-federation"),
    N_("negotiating"),
    N_("neighbourhood"),
    N_("ngo"),
    N_("open"),
    N_("other"),
    N_("performance"),
    N_("platform"),
    N_("policy"),
    N_("private"),
    N_("progress"),
    N_("proposed"),
    N_("public"),
    N_("public-body"),
    N_("report"),
    N_("resumed"),
    N_("signed"),
    N_("supported"),
    N_("suspended"),
    N_("technical-expertise"),
    N_("terminated"),
    N_("territory-network"),
    N_("training"),
    N_("twinned-municipality"),
    N_("twinning"),
    N_("village"),
    N_("volunteering"),
    N_("warning"),
    N_("withdrawn"),
)

#: What a scoped site says it covers ("Community: Cruzinha").
KIND_LABELS: dict[RecordKind, str] = {
    RecordKind.COMMUNITY: N_("Community"),
    RecordKind.PLATFORM: N_("Platform"),
    RecordKind.DONOR: N_("Donor"),
    RecordKind.AGREEMENT: N_("Partnership"),
}
