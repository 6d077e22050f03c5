"""Import partners and grants from CSV or XLSX: every row checked before any is written.

A file with bad rows is refused whole, naming the bad rows and why, so nothing
is ever half-imported. The checks read the existing records in a fixed number
of statements and need no write lock (:func:`check`, in a read session); the
write (:func:`apply`, in the caller's one transaction) first sees whether
anything was added meanwhile, checks again only then, and writes grants and
their history in bulk, so the lock is held for seconds, not minutes.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from portfolio.errors import InvalidInput, PortfolioError, Refused
from portfolio.models import Grant, Partner, Partnership, Workstream, name_key
from portfolio.services.currencies import CURRENCIES
from portfolio.services.grants import NewGrant, add_grants
from portfolio.services.history import Stamp
from portfolio.services.inputs import (
    check_org_id,
    clean_name,
    clean_text,
    parse_amount,
    parse_date,
)
from portfolio.services.partners import add_partners
from portfolio.services.query import iso_date, rows

# kind -> (required columns, optional columns)
COLUMNS = {
    "partners": (("name",), ("kind", "place", "org_id", "notes")),
    "grants": (
        ("partner", "workstream", "amount"),
        ("currency", "title", "awarded", "start", "end", "reference"),
    ),
}
# Column names finance teams and 360Giving files use, read as ours (written as
# headers are compared: lower case, spaces as "_").
ALIASES = {
    "partners": {},
    "grants": {
        "award_date": "awarded", "start_date": "start", "end_date": "end",
        "planned_dates:start_date": "start", "planned_dates:end_date": "end",
        "grant_ref": "reference", "identifier": "reference",
        "recipient": "partner", "recipient_org:name": "partner",
        "amount_awarded": "amount",
    },
}  # fmt: skip
IGNORED = ("id",)  # exports carry it; an import gives new ids
SHOWN = 20  # bad rows named in the refusal; --errors FILE lists them all
Progress = Callable[[int, int], None]
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")


@dataclass
class Sheet:
    """A file's header and non-blank rows as text, with what was noticed reading it."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    notes: list[str] = field(default_factory=list)  # said to the user, not refusals
    overlong: list[int] = field(default_factory=list)  # rows with cells past the header


@dataclass
class Plan:
    kind: str
    rows: list[dict[str, Any]]  # checked and converted, as shown in a preview
    grants: list[NewGrant] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the check saw (the newest id of each table it read) and how it checked, so
    # the write can tell whether anything was added since and check again.
    seen: tuple[Any, ...] = ()
    sheet: Sheet | None = None
    options: dict[str, Any] = field(default_factory=dict)


class BadRows(Refused):
    """A file refused for its rows: the message names the first few, ``problems`` all."""

    def __init__(self, problems: list[str]) -> None:
        more = f" (the first {SHOWN} of {len(problems):,}; --errors FILE lists them all)"
        shown = "; ".join(problems[:SHOWN]) + (more if len(problems) > SHOWN else "")
        super().__init__(f"Nothing was imported: {len(problems):,} bad row(s): {shown}")
        self.problems = problems


def read_rows(path: Path) -> Sheet:
    """The file's header and every non-blank row after it, as text."""
    if not path.is_file():
        raise InvalidInput(f"There is no file {path}.")
    suffix = path.suffix.lower()
    notes: list[str] = []
    if suffix == ".csv":
        table = _csv(path, notes)
    elif suffix == ".xlsx":
        table = _xlsx(path)
    else:
        raise InvalidInput(f"{path.name}: import reads .csv or .xlsx files.")
    if not table or not any(c.strip() for c in table[0]):
        raise InvalidInput(f"{path.name} has no header; its first row must name the columns.")
    header = [h.strip() for h in table[0]]
    while not header[-1]:  # Excel keeps columns once typed in and cleared
        header.pop()
    if "" in header:
        raise InvalidInput(
            f"{path.name}: column {header.index('') + 1} has no name in the header row; "
            "name it or delete the column."
        )
    width, found, overlong = len(header), [], []
    for number, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if any(v.strip() for v in values[width:]):
            overlong.append(number)
        found.append((number, (values + [""] * width)[:width]))
    return Sheet(path.name, header, found, notes, overlong)


def _csv(path: Path, notes: list[str]) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as Windows-1252: read it so, and say so, since
        # another 8-bit encoding would read without error but with wrong letters.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InvalidInput(
                f"{path.name} is not UTF-8 or Windows-1252 text; save it as CSV UTF-8."
            ) from None
        notes.append(
            f"{path.name} is not UTF-8; it was read as Windows-1252 (Excel's CSV on "
            "Windows): check names with accents, or save it as CSV UTF-8."
        )
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=_delimiter(text))]
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} cannot be read as CSV ({exc}).") from None


def _delimiter(text: str) -> str:
    """The separator of the header line: comma, semicolon (Excel where the decimal
    separator is a comma) or tab, whichever it holds most of (comma on a tie)."""
    first = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    return max((",", ";", "\t"), key=first.count)


def _xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file it cannot read
        raise InvalidInput(f"{path.name} cannot be read as an XLSX workbook ({exc}).") from None
    sheet = book.worksheets[0]
    table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return str(value)


def _unquote(text: str) -> str:
    """Undo the quote our exports put before formula-like text."""
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def _columns(kind: str, sheet: Sheet) -> list[str]:
    """The sheet's columns as ours; refuse a column named twice, unknown or missing ones."""
    required, optional = COLUMNS[kind]
    columns = []
    for written in sheet.header:
        key = re.sub(r"[\s_]+", "_", written.lower())
        columns.append(ALIASES[kind].get(key, key))
    for i, column in enumerate(columns):
        if column in columns[:i]:
            first = columns.index(column)
            raise InvalidInput(
                f"{sheet.name}: the column '{column}' is named more than once (columns "
                f"{first + 1} '{sheet.header[first]}' and {i + 1} '{sheet.header[i]}'); keep one."
            )
    unknown = [c for c in columns if c not in required + optional + IGNORED]
    missing = [c for c in required if c not in columns]
    if missing or unknown:
        raise InvalidInput(
            f"The {kind} file's columns do not fit: "
            + (f"missing {', '.join(missing)}; " if missing else "")
            + (f"unknown {', '.join(unknown)}; " if unknown else "")
            + f"the columns are {', '.join(required + optional)} (first {len(required)} required)."
        )
    if sheet.overlong:
        listed = ", ".join(str(n) for n in sheet.overlong[:SHOWN])
        more = f" and {len(sheet.overlong) - SHOWN:,} more" if len(sheet.overlong) > SHOWN else ""
        raise InvalidInput(
            f"{sheet.name}: rows {listed}{more} have more cells than the header "
            f"({len(columns)} columns); a comma in an amount needs quotes, or name the column."
        )
    return columns


def check(
    session: Session,
    kind: str,
    sheet: Sheet,
    *,
    on: date,
    day_first: bool = False,
    allow_duplicates: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """Check every row; refuse the whole file naming the bad rows and why.

    ``on`` is the award date of a grant row without one. Needs no write lock.
    """
    if kind not in COLUMNS:
        raise InvalidInput(f"'{kind}' cannot be imported; choose partners or grants.")
    columns = _columns(kind, sheet)
    options = {"on": on, "day_first": day_first, "allow_duplicates": allow_duplicates}
    context = _context(session, kind)
    context.update(options)
    plan = Plan(kind, [], seen=context["seen_ids"], sheet=sheet, options=options)
    bad: list[str] = []
    total = len(sheet.rows)
    for done, (number, values) in enumerate(sheet.rows, start=1):
        row = {c: _unquote(v.strip()) for c, v in zip(columns, values, strict=True)}
        try:
            if kind == "partners":
                plan.rows.append(_check_partner(row, context))
            else:
                shown, grant = _check_grant(number, row, context, plan.warnings)
                plan.rows.append(shown)
                plan.grants.append(grant)
        except PortfolioError as exc:
            bad.append(f"row {number}: {exc}")
        if progress is not None and (done % 1000 == 0 or done == total):
            progress(done, total)
    if bad:
        raise BadRows(bad)
    if plan.warnings:
        plan.warnings = [_repeats(plan.warnings)]
    return plan


def _repeats(rows_seen: list[str]) -> str:
    listed = ", ".join(rows_seen[:SHOWN]) + (" ..." if len(rows_seen) > SHOWN else "")
    return (
        f"{len(rows_seen):,} rows repeat a grant without a reference that is already "
        f"recorded or earlier in the file (rows {listed}); imported as --allow-duplicates asks."
    )


_NEWEST = (Partner.id, Workstream.id, Partnership.id, Grant.id)


def _newest(session: Session) -> tuple[Any, ...]:
    """The newest id in each table the checks read (one statement, from the indexes)."""
    return tuple(
        rows(
            session, sa.select(*(sa.select(sa.func.max(col(c))).scalar_subquery() for c in _NEWEST))
        )[0]
    )


def _context(session: Session, kind: str) -> dict[str, Any]:
    """What the checks need from the database, read in a fixed number of statements."""
    context: dict[str, Any] = {"seen_ids": _newest(session), "seen": set()}
    found = rows(session, sa.select(col(Partner.id), col(Partner.name)))
    context["partners"] = {name_key(name): (pid, name) for pid, name in found}
    if kind == "grants":
        workstreams = rows(session, sa.select(col(Workstream.id), col(Workstream.name)))
        context["workstreams"] = {name_key(name): (wid, name) for wid, name in workstreams}
        # A grant goes to the partner's latest partnership in the workstream: read in
        # that order, the latest of each pair is the last one seen.
        latest = rows(session, sa.select(
            col(Partnership.partner_id), col(Partnership.workstream_id), col(Partnership.id),
        ).order_by(col(Partnership.started_on), col(Partnership.id)))  # fmt: skip
        context["pairs"] = {(pid, wid): ps for pid, wid, ps in latest}
        refs = rows(session, sa.select(col(Grant.reference)).where(col(Grant.reference) != ""))
        context["refs"] = {r[0] for r in refs}
        # Every grant's partner, workstream, amount (in pence), currency and award date,
        # read raw (fast), for rows without a reference; key -> 0: in the database.
        recorded = rows(session, sa.select(
            col(Partnership.partner_id), col(Partnership.workstream_id),
            sa.type_coerce(col(Grant.amount), sa.BigInteger), col(Grant.currency),
            iso_date(col(Grant.awarded_on)),
        ).join(Partnership, col(Partnership.id) == col(Grant.partnership_id)))  # fmt: skip
        context["grants"] = dict.fromkeys(map(tuple, recorded), 0)
    return context


def _check_partner(row: dict[str, str], context: dict[str, Any]) -> dict[str, Any]:
    name = clean_name(row.get("name", ""), "partner name")
    if not name:
        raise InvalidInput("a partner needs a name")
    key = name_key(name)
    if key in context["partners"]:
        raise InvalidInput(f"there is already a partner named '{context['partners'][key][1]}'")
    if key in context["seen"]:
        raise InvalidInput(f"'{name}' appears more than once in the file")
    context["seen"].add(key)
    return {
        "name": name, "kind": clean_name(row.get("kind", ""), "kind"),
        "place": clean_name(row.get("place", ""), "place"),
        "org_id": check_org_id(row.get("org_id", "")), "notes": clean_text(row.get("notes", "")),
    }  # fmt: skip


def _date(row: dict[str, str], key: str, day_first: bool) -> date | None:
    text = row.get(key, "")
    if not text:
        return None
    dmy = _DAY_FIRST.fullmatch(text) if "-" not in text else None
    if dmy and day_first:
        text = f"{dmy[3]}-{int(dmy[2]):02d}-{int(dmy[1]):02d}"
    try:
        return parse_date(text, f"date for {key}")
    except InvalidInput as exc:
        if dmy and not day_first:
            hint = "for dates written day first (31/07/2021) give --day-first"
            raise InvalidInput(f"{str(exc).rstrip('.')}; {hint}") from None
        raise


def _check_grant(
    number: int, row: dict[str, str], context: dict[str, Any], repeats: list[str]
) -> tuple[dict[str, Any], NewGrant]:
    problems = []
    partner = context["partners"].get(name_key(row.get("partner", "")))
    workstream = context["workstreams"].get(name_key(row.get("workstream", "")))
    partnership = None
    if partner is None:
        problems.append(f"no partner named '{row.get('partner', '')}'")
    if workstream is None:
        problems.append(f"no workstream named '{row.get('workstream', '')}'")
    if partner and workstream:
        partnership = context["pairs"].get((partner[0], workstream[0]))
        if partnership is None:
            problems.append(f"{partner[1]} has no partnership in {workstream[1]}")
    values: dict[str, Any] = {}
    day_first = context["day_first"]
    for key, parse in (
        (
            "amount",
            lambda r: parse_amount(r.get("amount", ""), currency=r.get("currency") or "GBP"),
        ),
        ("awarded", lambda r: _date(r, "awarded", day_first)),
        ("start", lambda r: _date(r, "start", day_first)),
        ("end", lambda r: _date(r, "end", day_first)),
    ):
        try:
            values[key] = parse(row)
        except InvalidInput as exc:
            problems.append(str(exc).rstrip("."))
    currency = (row.get("currency") or "GBP").strip().upper()
    if currency not in CURRENCIES:
        problems.append(f"'{currency}' is not an ISO 4217 currency code like GBP")
    if values.get("start") and values.get("end") and values["end"] < values["start"]:
        problems.append(f"the end {values['end']} is before the start {values['start']}")
    reference = row.get("reference", "")
    if reference and reference in context["refs"]:
        problems.append(f"the reference '{reference}' is already used")
    if problems:
        raise InvalidInput(" and ".join(problems))
    assert partner is not None and workstream is not None and partnership is not None
    awarded = values["awarded"] or context["on"]
    if reference:
        context["refs"].add(reference)
    else:
        same = (partner[0], workstream[0], int(values["amount"] * 100), currency, awarded)
        _check_repeat(number, same, context, repeats)
    shown = {
        "partner": partner[1], "workstream": workstream[1], "amount": values["amount"],
        "currency": currency, "title": row.get("title", ""), "awarded": awarded,
        "start": values["start"], "end": values["end"], "reference": reference,
    }  # fmt: skip
    grant = NewGrant(
        partnership_id=partnership, partner_id=partner[0], workstream_id=workstream[0],
        amount=values["amount"], currency=currency, awarded=awarded, title=row.get("title", ""),
        start=values["start"], end=values["end"], reference=reference,
    )  # fmt: skip
    return shown, grant


def _check_repeat(
    number: int, key: tuple[Any, ...], context: dict[str, Any], repeats: list[str]
) -> None:
    """A grant without a reference is the same grant as one with the same partner,
    workstream, amount, currency and award date: refused, unless --allow-duplicates."""
    earlier = context["grants"].get(key)
    context["grants"].setdefault(key, number)
    if earlier is None:
        return
    if context["allow_duplicates"]:
        repeats.append(str(number))
        return
    where = "is already recorded" if earlier == 0 else f"is also on row {earlier}"
    raise InvalidInput(
        f"the same grant ({key[3]} {Decimal(key[2]).scaleb(-2):,.2f} awarded {key[4]}, "
        f"no reference) {where}; "
        "give it a reference, or --allow-duplicates if it is another grant"
    )


def apply(session: Session, stamp: Stamp, plan: Plan, progress: Progress | None = None) -> int:
    """Write a checked plan in the caller's (writer's) transaction.

    If anything was added since the plan was checked, the file is checked again here
    first. A partner's history is dated by ``stamp``; a grant's by its award date.
    """
    if plan.sheet is not None and _newest(session) != plan.seen:
        plan = replace(check(session, plan.kind, plan.sheet, **plan.options), warnings=[])
    total = len(plan.rows)
    step = 5_000  # a progress report per step; each is a few statements
    if plan.kind == "partners":
        for start in range(0, total, step):
            add_partners(session, stamp, plan.rows[start : start + step])
            if progress is not None:
                progress(min(start + step, total), total)
        return total
    for start in range(0, total, step):
        add_grants(session, stamp.actor, plan.grants[start : start + step])
        if progress is not None:
            progress(min(start + step, total), total)
    return total
