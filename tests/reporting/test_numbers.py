"""Numbers in reports are written exactly as Babel writes them, in every report language."""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale as BabelLocale
from babel.numbers import parse_pattern
from hypothesis import given, settings
from hypothesis import strategies as st

from solidarity_cli.reporting.i18n import LOCALES, format_number

VALUES = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
    st.sampled_from([2.675, 0.005, -0.001, -0.0, Decimal("-0.000"), Decimal("1E+3")]),
)


@settings(max_examples=400, deadline=None)
@given(
    value=VALUES,
    decimals=st.sampled_from([0, 1, 2]),
    locale=st.sampled_from(sorted(LOCALES.values())),
)
def test_a_number_reads_as_babel_writes_it(
    value: Decimal | float | int, decimals: int, locale: str
) -> None:
    pattern = parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))
    assert format_number(value, decimals, locale) == pattern.apply(value, BabelLocale.parse(locale))


def test_separators_are_the_locales() -> None:
    assert format_number(-1234567.125, 2, "en_GB") == "-1,234,567.12"
    assert format_number(1234567.5, 2, "es_ES") == "1.234.567,50"
    assert format_number(2.675, 2, "pt_PT") == "2,68"
