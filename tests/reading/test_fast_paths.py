"""The byte-level shortcuts of the reading layer never skip what the full checks would find.

``screening.quiet`` lets most files skip the regular expressions and the token scan of
``screening.screen``; it may say "look closer" too often, never "nothing here" wrongly. One walk
over a parsed file gives its text values (for the personal-data screen) and a bound on its depth
that is never below the depth the nesting check measures.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from solidarity_cli.privacy import text_values
from solidarity_cli.reading.screening import Bounds, _deeper, quiet, screen
from solidarity_cli.reading.values import walk
from tests.reading.test_properties import PROFILE

BOUNDS = Bounds(depth=4)

#: Characters that start, or look like they start, something the screen refuses.
_TRICKY = (
    "!&*%\\<=>|\t\r\n #'\"-:[]{}"
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\xa0\xad"
    "\u202a\u202e\u2066\u2069\u200b\u2013\ufeff"
    "aé1"
)
_PIECES = st.sampled_from(
    [
        "key: value\n",
        "  ",
        "    ",
        "<<<<<<< HEAD\n",
        "=======\n",
        ">>>>>>> branch\n",
        "||||||| base\n",
        "%YAML 1.2\n",
        "name: !!str 1\n",
        "a: &x 1\nb: *x\n",
        'text: "\\e[31m"\n',
        'text: "\\u202e"\n',
        "# comment \x1b\n",
        "text: |-\n  line\n",
        "text: >-\n  folded\n",
    ]
)
_TEXT = st.lists(st.one_of(st.text(alphabet=_TRICKY, max_size=12), _PIECES), max_size=12).map(
    "".join
)


@settings(PROFILE)
@given(_TEXT)
def test_quiet_never_hides_a_refusal(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    if quiet(data, BOUNDS):
        assert screen("f.yaml", text, BOUNDS) is None


def test_quiet_lets_ordinary_records_through() -> None:
    plain = "id: a\nname: {pt: Água \u2013 ação, en: water}\nnotes: |-\n  50% < 60% > 40%\n"
    assert quiet(plain.encode(), BOUNDS)
    assert screen("f.yaml", plain, BOUNDS) is None


def test_quiet_sends_each_refusal_to_the_screen() -> None:
    refused = [
        "a: 1\n<<<<<<< HEAD\n",
        "a: \x1b[31m\n",
        "a: \u202eb\n",
        "a: \x85\n",
        'a: "\\e[31m"\n',
        "a: !!str 1\n",
        "a: &x 1\nb: *x\n",
        "%YAML 1.2\n---\na: 1\n",
        "a:\n b:\n  c:\n   d:\n    e: 1\n",
    ]
    for text in refused:
        assert screen("f.yaml", text, BOUNDS) is not None, text
        assert not quiet(text.encode(), BOUNDS), text


_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(max_size=5)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=30,
)


@settings(PROFILE)
@given(_VALUES, st.integers(min_value=0, max_value=6))
def test_layers_never_undercount_the_depth(value: object, depth: int) -> None:
    walked = walk(value)
    if _deeper(value, depth):
        assert walked.layers > depth
    assert sorted(walked.texts) == sorted(text for _, text in text_values(value))


def test_layers_of_a_deep_value() -> None:
    value: object = "x"
    for _ in range(6):
        value = {"a": [value]}
    walked = walk(value)
    assert (walked.texts, walked.layers) == (["x"], 13)
    assert _deeper(value, 11)
