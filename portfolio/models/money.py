"""Exact money: amounts are stored as whole minor units (pence).

SQLite has no decimal type (NUMERIC columns hold floats), so a Decimal goes
in as an integer number of pence and comes back as an exact Decimal; sums in
SQL stay exact too.
"""

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
# The largest amount a grant may hold is just below this, in any currency: far above any
# real grant, and low enough that a billion of them still sum exactly in 64-bit pence.
MAX_AMOUNT = Decimal(10**13)


class Money(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        exact = Decimal(value)
        if exact != exact.quantize(CENT):
            raise ValueError(f"{value} has more than two decimal places")
        return int(exact * 100)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def amount_text(amount: Decimal, currency: str, *, pence: bool = True) -> str:
    """``£1,234.50`` with the currency's symbol, else ``CHF 1,234.50`` with its code.

    Without ``pence`` the pence show only when there are some.
    """
    places = ",.2f" if pence or amount != amount.to_integral_value() else ",.0f"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:{places}}" if symbol else f"{currency} {amount:{places}}"


def in_order(amounts: dict[str, Decimal], first: str) -> list[tuple[str, Decimal]]:
    """The portfolio's own currency first, then the others by code; never added together."""
    return sorted(amounts.items(), key=lambda item: (item[0] != first, item[0]))


def amounts_text(amounts: dict[str, Decimal], first: str, *, pence: bool = True) -> str:
    """Each currency's total with its own symbol or code, e.g. ``£100.00 · €50.00``."""
    shown = [(c, a) for c, a in in_order(amounts, first) if a]
    if not shown:
        return amount_text(Decimal("0.00"), first, pence=pence)
    return " · ".join(amount_text(a, c, pence=pence) for c, a in shown)
