"""What people type is read strictly: amounts, currencies, dates, names, text and org-ids."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.errors import InvalidInput
from portfolio.services.inputs import (
    MAX_AMOUNT,
    check_org_id,
    clean_name,
    clean_text,
    parse_amount,
    parse_currency,
    parse_date,
    parse_moment,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("25000", "25000.00"), ("25,000.50", "25000.50"), ("1,000,000", "1000000.00"),
     ("4500.5", "4500.50"), (" 12 ", "12.00"), ("0.01", "0.01"), ("9999999999999.99",
     "9999999999999.99")],
)  # fmt: skip
def test_plain_amounts_are_read_exactly(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["25.000,00", "1,50", "1,5", "1e3", "1_000", ".5", "٣", "１２", "1e309", "NaN", "Infinity",
     "1,0000", "10,00,000", "+5", "1.", "5 000", "", "£", "0x10", "1.2.3"],
)  # fmt: skip
def test_amounts_in_other_notations_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="is not an amount"):
        parse_amount(text)


def test_an_amount_with_three_decimals_is_refused_saying_so() -> None:
    with pytest.raises(InvalidInput, match="more than two decimal places"):
        parse_amount("10.005")


@pytest.mark.parametrize("text", ["0", "0.00", "-5", "-0.01"])
def test_zero_and_negative_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="more than zero"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["10000000000000", "10,000,000,000,000", "9" * 400])
def test_amounts_at_or_above_the_bound_are_refused_in_one_line(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_amount(text)
    message = str(refused.value)
    assert "too large" in message and "\n" not in message and len(message) < 200
    assert MAX_AMOUNT == 10**13


def test_a_currency_symbol_must_match_the_currency() -> None:
    assert parse_amount("£25,000", currency="GBP") == Decimal("25000.00")
    assert parse_amount("€5", currency="eur") == Decimal("5.00")
    assert parse_amount("$5.50", currency="USD") == Decimal("5.50")
    with pytest.raises(InvalidInput, match="£ is the sign of GBP, not EUR"):
        parse_amount("£5", currency="EUR")
    with pytest.raises(InvalidInput, match="is not an amount"):
        parse_amount("¥5", currency="JPY")


def test_the_amount_is_named_in_its_refusal() -> None:
    with pytest.raises(InvalidInput, match="'1,5' is not an --amount"):
        parse_amount("1,5", "--amount")


@pytest.mark.parametrize(
    ("text", "code"),
    [("GBP", "GBP"), ("gbp", "GBP"), (" Eur ", "EUR"), ("usd", "USD"), ("JPY", "JPY"),
     ("chf", "CHF")],
)  # fmt: skip
def test_iso_4217_codes_are_accepted_in_any_case_and_kept_upper(text: str, code: str) -> None:
    assert parse_currency(text) == code


@pytest.mark.parametrize("text", ["POUNDS", "XYZ", "=CMD", "", "GB", "£", "ＧＢＰ", "XXX", "XTS",
                                  "HRK", "DEM", "GBP\x1b"])  # fmt: skip
def test_other_currency_codes_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="ISO 4217"):
        parse_currency(text)


@pytest.mark.parametrize(("text", "day"), [("2021-01-01", date(2021, 1, 1)),
                                           ("1900-01-01", date(1900, 1, 1)),
                                           ("2200-12-31", date(2200, 12, 31)),
                                           (" 2024-02-29 ", date(2024, 2, 29))])  # fmt: skip
def test_dates_are_read_as_yyyy_mm_dd(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["20210101", "2021-W01-1", "2021-001", "2021-1-1", "21-01-01",
                                  "2021-02-30", "２０２１-01-01", "2021-01-01T00:00", "01/02/2021",
                                  ""])  # fmt: skip
def test_dates_in_other_forms_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="in the form YYYY-MM-DD"):
        parse_date(text, "--on date")


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_dates_outside_1900_to_2200_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="between 1900-01-01 and 2200-12-31"):
        parse_date(text)


def test_a_moment_is_strict_about_its_date_too() -> None:
    assert parse_moment("2021-03-01T10:00:00").hour == 10
    assert parse_moment("2021-03-01").date() == date(2021, 3, 1)
    for text in ("20210301", "2021-W09-1", "9999-12-31", "0001-01-01T00:00:00", "2021-03-01T25:00"):
        with pytest.raises(InvalidInput):
            parse_moment(text, "--as-recorded-on")


@pytest.mark.parametrize(("text", "char", "position"), [
    ("A\x00B", "U+0000", 2), ("\x1b]0;pwned\x07", "U+001B", 1), ("Tab\there", "U+0009", 4),
    ("new\nline", "U+000A", 4), ("del\x7f", "U+007F", 4), ("c1\x9b", "U+009B", 3),
    ("evil\u202etxt.exe", "U+202E", 5), ("iso\u2066x", "U+2066", 4), ("lrm\u200e", "U+200E", 4),
    ("l\u2028s", "U+2028", 2), ("bad\udcff", "U+DCFF", 4),
])  # fmt: skip
def test_names_with_control_or_direction_characters_are_refused_saying_where(
    text: str, char: str, position: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_name(text, "partner name")
    message = str(refused.value)
    assert char in message and f"position {position}" in message and "partner name" in message
    assert "\n" not in message and "\x1b" not in message


@pytest.mark.parametrize("text", ["MEAM", "Éire Forum", "Straße", "Ünïcødé 名前", "O'Neil & Co",
                                  "👩\u200d👩\u200d👧 Family"])  # fmt: skip
def test_ordinary_names_pass_unchanged(text: str) -> None:
    assert clean_name(f"  {text} ") == text


def test_longer_text_keeps_only_newlines_and_tabs() -> None:
    assert clean_text("line one\r\n\tline two") == "line one\n\tline two"
    assert clean_text("a\x00b\x1b[2Jc\x7fd\x9be") == "ab[2Jcde"
    assert clean_text("abc\u202edef\u2066g\u200fh") == "abcdefgh"
    assert clean_text("x\udcffy") == "xy"
    assert clean_text("Plain text, with £ and é.") == "Plain text, with £ and é."


@pytest.mark.parametrize("text", [
    "GB-CHC-1234567", "GB-CHC-212345", "GB-COH-01234567", "GB-COH-SC123456", "GB-SC-SC012345",
    "GB-NIC-100002", "GB-NIC-NIC100002", "US-EIN-123456789", "XI-GRID-grid.4991.5",
    "NL-KVK-12345678", "360G-examplefunder-org-1", "gb-chc-1234567",
])  # fmt: skip
def test_org_ids_of_the_360giving_shape_are_accepted(text: str) -> None:
    assert check_org_id(text) == text if not text.startswith("gb") else "GB-CHC-1234567"


def test_no_org_id_is_allowed() -> None:
    assert check_org_id("  ") == ""


@pytest.mark.parametrize(("text", "why"), [
    ("GB-CHC-123", "GB-CHC (Charity Commission for England and Wales) number has 6 or 7 digits"),
    ("GB-CHC-12345678", "6 or 7 digits"),
    ("GB-COH-1234", "8 characters"),
    ("GB-SC-012345", "SC and 6 digits"),
    ("GB-NIC-12", "6 digits"),
    ("1234567", "PREFIX-REGISTER-ID"),
    ("GBCHC1234567", "PREFIX-REGISTER-ID"),
    ("GB-CHC-", "PREFIX-REGISTER-ID"),
    ("GB-CHC-12 34", "PREFIX-REGISTER-ID"),
    ("G-CHC-1234567", "PREFIX-REGISTER-ID"),
    ("=HYPERLINK()", "PREFIX-REGISTER-ID"),
])  # fmt: skip
def test_malformed_org_ids_are_refused_saying_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match="is not an org-id") as refused:
        check_org_id(text)
    assert why in str(refused.value)


# Anything at all typed in: each reader gives a value by its rule or refuses, never a crash.
ANY_TEXT = st.text(st.characters(codec=None), max_size=40) | st.from_regex(
    r"[£€$]?-?[0-9,._e]{0,20}", fullmatch=True
)


@settings(max_examples=1000, deadline=None)
@given(ANY_TEXT)
def test_any_text_is_an_amount_by_the_rule_or_refused(text: str) -> None:
    try:
        amount = parse_amount(text, currency="GBP")
    except InvalidInput as exc:
        assert "\n" not in str(exc) and "\x1b" not in str(exc) and len(str(exc)) < 300
    else:
        assert 0 < amount < MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))


@settings(max_examples=1000, deadline=None)
@given(ANY_TEXT | st.dates().map(date.isoformat))
def test_any_text_is_a_date_in_range_or_refused(text: str) -> None:
    try:
        day = parse_date(text)
    except InvalidInput:
        return
    assert date(1900, 1, 1) <= day <= date(2200, 12, 31) and text.strip() == day.isoformat()


@settings(max_examples=1000, deadline=None)
@given(ANY_TEXT)
def test_names_and_text_never_keep_a_control_or_direction_character(text: str) -> None:
    kept = clean_text(text)
    assert all(c in "\n\t" or (c.isprintable() or c == " " or ord(c) > 0x7F) for c in kept)
    assert not set(kept) & set("\x1b\x00\x7f\u202e\u2066")
    try:
        name = clean_name(text)
    except InvalidInput as exc:
        assert "position" in str(exc)
    else:
        assert clean_text(name) == name and "\n" not in name
    for reader in (parse_currency, check_org_id):
        try:
            reader(text)
        except InvalidInput as exc:
            assert "\n" not in str(exc) and "\x1b" not in str(exc)
