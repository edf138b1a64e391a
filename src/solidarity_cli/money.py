"""Money in one base currency, through dated rates kept in the settings (never fetched)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from solidarity_cli.models.base import Money
from solidarity_cli.models.settings import Settings
from solidarity_cli.words import Amount

#: Fixed pegs that are facts, not settings: the Cape Verde escudo to the euro since 1999.
FIXED_PEGS: dict[tuple[str, str], tuple[dt.date, Decimal]] = {
    ("EUR", "CVE"): (dt.date(1999, 1, 1), Decimal("110.265")),
}


class MissingRate(LookupError):
    """No rate converts this currency into the base currency on that day."""

    def __init__(self, currency: str, base: str, day: dt.date) -> None:
        super().__init__(f"no exchange rate from {currency} to {base} on {day}")
        self.currency = currency
        self.base = base
        self.day = day


class Converter:
    """Converts amounts to the base currency with the rate in force on a day."""

    def __init__(self, settings: Settings | None) -> None:
        self.base = settings.base_currency if settings is not None else "EUR"
        rates: dict[str, list[tuple[dt.date, Decimal]]] = {}
        for (base, currency), (since, rate) in FIXED_PEGS.items():
            if base == self.base:
                rates.setdefault(currency, []).append((since, rate))
        for entry in settings.exchange_rates if settings is not None else ():
            rates.setdefault(entry.currency, []).append((entry.valid_from, entry.units_per_base))
        self._rates = {c: sorted(r) for c, r in rates.items()}
        self._days = {c: [d for d, _ in r] for c, r in self._rates.items()}
        #: Amounts already converted, by the identity of their (frozen) Money: the rules ask
        #: for the same cost or transaction several times. The Money is kept with its value,
        #: so its identity cannot pass to another object while it is here.
        self._converted: dict[int, tuple[Money, dt.date, Decimal]] = {}

    def knows(self, currency: str) -> bool:
        """Whether any rate exists for ``currency``."""
        return currency == self.base or currency in self._rates

    def units_per_base(self, currency: str, day: dt.date) -> Decimal:
        """How many units of ``currency`` one unit of the base buys on ``day``."""
        if currency == self.base:
            return Decimal(1)
        days = self._days.get(currency)
        if not days:
            raise MissingRate(currency, self.base, day)
        index = bisect.bisect_right(days, day) - 1
        # Before the first known rate, the first one is the best estimate there is.
        return self._rates[currency][max(index, 0)][1]

    def to_base(self, money: Money, day: dt.date) -> Decimal:
        """The amount in the base currency, at the money's value date or else ``day``."""
        when = money.value_date or day
        kept = self._converted.get(id(money))
        if kept is not None and kept[0] is money and kept[1] == when:
            return kept[2]
        value = money.amount / self.units_per_base(money.currency, when)
        self._converted[id(money)] = (money, when, value)
        return value

    def total(self, amounts: Iterable[Money], day: dt.date) -> Decimal:
        """Sum of several amounts in the base currency."""
        return sum((self.to_base(m, day) for m in amounts), Decimal(0))


def fmt(amount: Decimal, currency: str) -> Amount:
    """``1234.5, EUR`` -> ``1,234.50 EUR`` for messages, said the reader's way by ``say``."""
    return Amount(amount, currency)
