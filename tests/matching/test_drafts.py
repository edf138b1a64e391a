"""Drafts written by ``match --write`` give their reasons in the draft's own language."""

from __future__ import annotations

import datetime as dt

from solidarity_cli.matching.engine import match
from solidarity_cli.matching.writer import draft, draft_language
from solidarity_cli.reading import load_repository
from tests.conftest import PROJECT

AS_OF = dt.date(2026, 11, 21)


def test_reasons_in_drafts_are_said_in_the_drafts_language() -> None:
    dataset = load_repository(PROJECT).dataset
    result = match(dataset, AS_OF)
    languages = set()
    for proposal in result.proposals:
        strategy = dataset.strategies[proposal.need.partition("/")[0]]
        community = dataset.communities[proposal.community]
        wanted = strategy.donor_conditions.reporting_languages or community.languages[:1]
        language = draft_language(dataset, list(wanted))
        languages.add(language)
        text = draft(dataset, proposal, AS_OF)
        comments = [line for line in text.splitlines() if line.startswith("#")]
        if language == "pt":
            # the community's reasons, in Portuguese: the catalog has them
            assert any("corresponde ao doador em" in line for line in comments), comments
            assert not any("matches the donor's" in line for line in comments), comments
        # every reason of the proposal is in the header, said in the draft's language
        assert len(comments) >= len(proposal.reasons) + 5
    assert "pt" in languages
