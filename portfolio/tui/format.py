"""How values read on screen."""

from datetime import date
from decimal import Decimal


def money(amount: Decimal) -> str:
    """Pounds with thousands separators; pence only when there are some."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"
