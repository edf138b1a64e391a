"""When a planned disbursement falls due: on its date, or later once what it waits for holds
(a report received, a date, a condition met). One rule for the check (ME006), the donor's page
in the report and the match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from solidarity_cli.models.agreement import Transaction
from solidarity_cli.models.report import Report
from solidarity_cli.words import M_, Words


@dataclass(frozen=True)
class Timing:
    """When a tranche falls due on a given day, or why it does not yet."""

    due: dt.date | None
    """The day the obligation starts (``None`` while held or without a due date)."""
    held: Words | None = None
    """Why it is held, in words, while it is."""


def timing(t: Transaction, reports: Iterable[Report], as_of: dt.date) -> Timing:
    """When the commitment ``t`` falls due, seen on ``as_of``."""
    if t.due is None:
        return Timing(None)
    hold = t.after
    if hold is None:
        return Timing(t.due)
    if hold.report is not None:
        received = next(
            (r.submitted.on for r in reports if r.id == hold.report and r.submitted.on <= as_of),
            None,
        )
        if received is None:
            return Timing(
                None, M_("waits for report '{report}', not received yet", report=hold.report)
            )
        return Timing(max(t.due, received))
    if hold.date is not None:
        if hold.date > as_of:
            return Timing(None, M_("waits until {day}", day=hold.date))
        return Timing(max(t.due, hold.date))
    words = hold.condition or {}
    text = words.get("en") or next(iter(words.values()), "")
    if hold.met_on is None or hold.met_on > as_of:
        return Timing(None, M_("waits for a condition to be met: {condition}", condition=text))
    return Timing(max(t.due, hold.met_on))
