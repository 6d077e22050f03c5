"""Parsing what people type: ISO dates and exact amounts."""

from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from portfolio.errors import InvalidInput


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"'{text}' is not a {what} in the form YYYY-MM-DD.") from None


def parse_moment(text: str, what: str = "date") -> datetime:
    """A moment in UTC: YYYY-MM-DD is the end of that day; YYYY-MM-DDTHH:MM:SS is that
    second (UTC unless it gives an offset)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.max, UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a {what} in the form YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC)."
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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
