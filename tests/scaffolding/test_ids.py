"""Ids offered from names, and refused when taken."""

from __future__ import annotations

import pytest

from solidarity_cli.errors import UsageError
from solidarity_cli.scaffolding.ids import check_new_id, existing, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ribeira da Cruz", "ribeira-da-cruz"),
        ("Associação  Comunitária de São João!", "associacao-comunitaria-de-sao-joao"),
        ("  Ñandú 2 ", "nandu-2"),
        ("Água / Saúde", "agua-saude"),
    ],
)
def test_slug_from_a_name(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_taken_id_is_refused_with_a_free_one_offered() -> None:
    with pytest.raises(UsageError) as caught:
        check_new_id("cruzinha", {"cruzinha", "cruzinha-2"}, "community")
    assert "already" in caught.value.message
    assert "cruzinha-3" in caught.value.hint


def test_a_malformed_id_is_refused_with_its_slug() -> None:
    with pytest.raises(UsageError) as caught:
        check_new_id("Cruz Alta", set(), "community")
    assert "cruz-alta" in caught.value.hint


def test_an_unknown_reference_says_did_you_mean() -> None:
    with pytest.raises(UsageError) as caught:
        existing("cruzina", {"cruzinha", "ribeira"}, "community")
    assert "did you mean cruzinha?" in caught.value.hint
