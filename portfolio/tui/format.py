"""How values read on screen."""

from datetime import date
from decimal import Decimal

from portfolio.models.money import amount_text, amounts_text


def money(amount: Decimal, currency: str = "GBP") -> str:
    """The currency's symbol (or code) and thousands separators; pence only when there are some."""
    return amount_text(amount, currency, pence=False)


def moneys(amounts: dict[str, Decimal], currency: str) -> str:
    """Each currency's total on its own, the portfolio's ``currency`` first: never one sum."""
    return amounts_text(amounts, currency, pence=False)


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"
