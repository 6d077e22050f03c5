"""Reading what people type, strictly: amounts, currencies, dates, names, text, org-ids.

Every way in (CLI options, the app's forms, declared changes, imports) reads its
values here, so one rule holds everywhere and a refusal says what to type instead.
A value that is not plainly one thing is refused rather than guessed at: "1,50"
is a euro and a half to some and a hundred and fifty pounds to others.
"""

import re
import unicodedata
from datetime import UTC, date, datetime, time
from decimal import Decimal

from portfolio.errors import InvalidInput
from portfolio.models.money import MAX_AMOUNT
from portfolio.services.currencies import CURRENCIES, SIGNS

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)

# [0-9], not \d: \d also matches Arabic-Indic, full-width and other digits.
_AMOUNT = re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<cents>[0-9]+))?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?")

# Characters that change the direction text is shown in: they make a name read
# differently from what is stored ("evil\u202etxt.exe").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control (C0, DEL, C1), line and paragraph separators, and lone surrogates (what
# Python makes of bytes that are not UTF-8; SQLite cannot store them).
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x09: "TAB", 0x0A: "LF", 0x0D: "CR",
                  0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}  # fmt: skip


def parse_amount(text: str, what: str = "amount", *, currency: str | None = None) -> Decimal:
    """A positive amount below MAX_AMOUNT, to the penny: ASCII digits, thousands commas
    only in groups of three, up to two decimals, and a leading £, € or $ only if it is
    the sign of ``currency`` (when given)."""
    text = str(text)
    cleaned = text.strip()
    if cleaned[:1] in SIGNS:
        sign, cleaned = cleaned[0], cleaned[1:]
        code = currency.strip().upper() if currency else SIGNS[sign]
        if SIGNS[sign] != code:
            raise InvalidInput(f"{_shown(text)}: {sign} is the sign of {SIGNS[sign]}, not {code}.")
    negative = cleaned.startswith("-")
    found = _AMOUNT.fullmatch(cleaned.removeprefix("-"))
    if found is None:
        raise InvalidInput(
            f"{_shown(text)} is not an {what}; write digits, with commas between thousands if you "
            "like and up to two decimals after a point, like 25000 or 25,000.50."
        )
    whole, cents = found["whole"].replace(",", ""), found["cents"] or ""
    if len(cents) > 2:
        raise InvalidInput(f"{_shown(text)} has more than two decimal places.")
    # Counting digits first keeps a 400-digit number from being built at all.
    if len(whole.lstrip("0")) > len(str(MAX_AMOUNT)) or Decimal(whole) >= MAX_AMOUNT:
        raise InvalidInput(f"{_shown(text)} is too large: amounts must be below {MAX_AMOUNT:,}.")
    amount = Decimal(f"{whole}.{cents or '0'}").quantize(Decimal("0.01"))
    if negative or amount <= 0:
        raise InvalidInput(f"{_shown(text)} is not a positive {what}; it must be more than zero.")
    return amount


def parse_currency(text: str) -> str:
    """An ISO 4217 currency code, in any letter case, as upper case."""
    code = str(text).strip()
    if not (code.isascii() and code.upper() in CURRENCIES):
        raise InvalidInput(
            f"{_shown(text)} is not an ISO 4217 currency code; use a code like GBP, EUR or USD."
        )
    return code.upper()


def parse_date(text: str, what: str = "date") -> date:
    """A date written YYYY-MM-DD, between 1900-01-01 and 2200-12-31."""
    cleaned = str(text).strip()
    try:
        if not _DATE.fullmatch(cleaned):
            raise ValueError
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(f"{_shown(text)} is not a {what} in the form YYYY-MM-DD.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{_shown(text)}: a {what} must be between {FIRST_DAY} and {LAST_DAY}.")
    return day


def parse_moment(text: str, what: str = "date") -> datetime:
    """A moment in UTC: YYYY-MM-DD is the end of that day; YYYY-MM-DDTHH:MM:SS is that
    second (UTC unless it gives an offset). The date part is read as ``parse_date`` reads."""
    text = str(text).strip()
    day_text, _t, time_text = text.partition("T")
    day = parse_date(day_text, what)
    if not _t:
        return datetime.combine(day, time.max, UTC)
    try:
        if not _TIME.fullmatch(time_text):
            raise ValueError
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{_shown(text)} is not a {what} in the form YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC)."
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _refused(char: str) -> bool:
    return char in _BIDI or unicodedata.category(char) in _REFUSED_CATEGORIES


def _shown(text: str) -> str:
    """What was typed, quoted for a one-line message: cut short, control characters as
    escapes (an error line must not itself carry them)."""
    text = str(text)
    short = text if len(text) <= 40 else text[:40] + "…"
    return "'" + "".join(f"\\u{ord(c):04x}" if _refused(c) else c for c in short) + "'"


def _describe(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "") or "a control character"
    return f"U+{code:04X} {name}"


def clean_name(text: str, what: str = "name", *, field: str | None = None) -> str:
    """A name without surrounding spaces; refused if it holds a control character, a
    line break or a character that changes the direction text is shown in. ``field``
    is the service's name for it, so a form can show the refusal under it."""
    name = str(text).strip()
    for position, char in enumerate(name, start=1):
        if _refused(char):
            raise InvalidInput(
                f"The {what} has {_describe(char)} at position {position}; "
                "names cannot hold control, line-break or text-direction characters.",
                field=field,
            )
    return name


def clean_text(text: str) -> str:
    """Longer text (notes, reasons) with every control character but newline and tab
    removed, and the direction-changing ones too; Windows line ends become newlines."""
    text = str(text).replace("\r\n", "\n")
    return "".join(c for c in text if c in "\n\t" or not _refused(c))


# 360Giving org-ids: a list code from org-id.guide (a country code and a register,
# "GB-CHC", "XI-GRID"), or a funder's own "360G-" prefix, then the register's id.
_ORG_ID = re.compile(r"(?P<list>[A-Z]{2}-[A-Z0-9_]{2,}|360G)-(?P<id>[A-Za-z0-9][A-Za-z0-9._/:-]*)")
# The UK registers whose numbers have a known form: list code -> (pattern, what it is).
_REGISTERS = {
    "GB-CHC": (r"[0-9]{6,7}", "(Charity Commission for England and Wales) number has 6 or 7 "
               "digits, like GB-CHC-1234567"),
    "GB-COH": (r"[0-9]{8}|[A-Z]{2}[0-9]{6}", "(Companies House) number has 8 characters: "
               "8 digits or 2 letters and 6 digits, like GB-COH-01234567 or GB-COH-SC123456"),
    "GB-SC": (r"SC[0-9]{6}", "(Scottish Charity Regulator) number is SC and 6 digits, "
              "like GB-SC-SC012345"),
    "GB-NIC": (r"(?:NIC)?[0-9]{6}", "(Charity Commission for Northern Ireland) number has "
               "6 digits, like GB-NIC-100002"),
    "GB-EDU": (r"[0-9]{6}", "(Department for Education URN) number has 6 digits, "
               "like GB-EDU-123456"),
    "GB-UKPRN": (r"1[0-9]{7}", "(UK Register of Learning Providers) number has 8 digits "
                 "starting 1, like GB-UKPRN-10001234"),
}  # fmt: skip


def check_org_id(text: str, *, field: str | None = None) -> str:
    """An org-id as 360Giving writes it (PREFIX-REGISTER-ID), or '' for none."""
    raw = str(text).strip()
    if not raw:
        return ""
    found = _ORG_ID.fullmatch(raw)
    if found is None:
        head, _dash, rest = raw.partition("-")
        register, _dash, number = rest.partition("-")
        found = _ORG_ID.fullmatch(f"{head.upper()}-{register.upper()}-{number}")
    if found is None:
        raise InvalidInput(
            f"{_shown(text)} is not an org-id; write it as PREFIX-REGISTER-ID, like GB-CHC-1234567 "
            "(the list codes are on org-id.guide).",
            field=field,
        )
    code, number = found["list"], found["id"]
    if code in _REGISTERS:
        number = number.upper()
        pattern, form = _REGISTERS[code]
        if not re.fullmatch(pattern, number):
            raise InvalidInput(f"{_shown(text)} is not an org-id: a {code} {form}.", field=field)
    return f"{code}-{number}"
