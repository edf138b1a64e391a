"""pydantic schemas for every record kind of a data repository."""

from __future__ import annotations

from solidarity_cli.models.agreement import Agreement
from solidarity_cli.models.community import Community
from solidarity_cli.models.donor import Donor
from solidarity_cli.models.platform import Platform
from solidarity_cli.models.report import Report
from solidarity_cli.models.rule import NetworkRule
from solidarity_cli.models.settings import Settings
from solidarity_cli.models.strategy import Need, Strategy
from solidarity_cli.models.vocabulary import Vocabulary

__all__ = [
    "Agreement",
    "Community",
    "Donor",
    "Need",
    "NetworkRule",
    "Platform",
    "Report",
    "Settings",
    "Strategy",
    "Vocabulary",
]
