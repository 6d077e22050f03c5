"""Parsing what people type: ISO dates and exact amounts."""

from datetime import date
from decimal import Decimal, InvalidOperation

from portfolio.errors import InvalidInput


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"'{text}' is not a {what} in the form YYYY-MM-DD.") from None


def parse_amount(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "").lstrip("£")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"'{text}' is not an amount; write it like 25000 or 45000.50.") from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(f"'{text}' is not a positive amount.")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"'{text}' has more than two decimal places.")
    return amount.quantize(Decimal("0.01"))
