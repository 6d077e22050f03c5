"""Import partners and grants from CSV or XLSX: every row checked before any is written.

A file with bad rows is refused whole, naming every bad row and why, so
nothing is ever half-imported. The checks read the existing records in a
fixed number of statements; the writes go through the ordinary services (so
grants get their history events) inside the caller's one transaction.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from portfolio.errors import InvalidInput, PortfolioError, Refused
from portfolio.models import Grant, Partner, Partnership, Workstream, name_key
from portfolio.services.currencies import CURRENCIES
from portfolio.services.grants import add_grant
from portfolio.services.history import Stamp
from portfolio.services.inputs import check_org_id, clean_name, parse_amount, parse_date
from portfolio.services.partners import add_partner
from portfolio.services.query import rows

# kind -> (required columns, optional columns)
COLUMNS = {
    "partners": (("name",), ("kind", "place", "org_id", "notes")),
    "grants": (
        ("partner", "workstream", "amount"),
        ("currency", "title", "awarded", "start", "end", "reference"),
    ),
}
IGNORED = ("id",)  # exports carry it; an import gives new ids
Progress = Callable[[int, int], None]


@dataclass
class Plan:
    kind: str
    rows: list[dict[str, Any]]  # checked and converted, ready to write


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for every non-blank row after the header."""
    if not path.is_file():
        raise InvalidInput(f"There is no file {path}.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            table = [list(r) for r in csv.reader(handle)]
    elif suffix == ".xlsx":
        table = _xlsx(path)
    else:
        raise InvalidInput(f"{path.name}: import reads .csv or .xlsx files.")
    if not table:
        raise InvalidInput(f"{path.name} is empty; its first row must name the columns.")
    header = [h.strip().lower().replace(" ", "_") for h in table[0]]
    found = []
    for number, values in enumerate(table[1:], start=2):
        if any(v.strip() for v in values):
            found.append(
                (number, {h: _unquote(v.strip()) for h, v in zip(header, values, strict=False)})
            )
    return found


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


def check(session: Session, kind: str, found: list[tuple[int, dict[str, str]]]) -> Plan:
    """Check every row; refuse the whole file listing each bad row and its reason."""
    if kind not in COLUMNS:
        raise InvalidInput(f"'{kind}' cannot be imported; choose partners or grants.")
    required, optional = COLUMNS[kind]
    columns = set(found[0][1]) if found else set(required)
    unknown = sorted(columns - set(required) - set(optional) - set(IGNORED))
    missing = [c for c in required if c not in columns]
    if missing or unknown:
        raise InvalidInput(
            f"The {kind} file's columns do not fit: "
            + (f"missing {', '.join(missing)}; " if missing else "")
            + (f"unknown {', '.join(unknown)}; " if unknown else "")
            + f"the columns are {', '.join(required + optional)} (first {len(required)} required)."
        )
    checker = _check_partner if kind == "partners" else _check_grant
    context = _context(session, kind)
    good, bad = [], []
    for number, row in found:
        try:
            good.append(checker(row, context))
        except PortfolioError as exc:
            bad.append(f"row {number}: {exc}")
    if bad:
        raise Refused(f"Nothing was imported: {len(bad)} bad row(s): {bad[0]}", *bad[1:])
    return Plan(kind, good)


def _context(session: Session, kind: str) -> dict[str, Any]:
    """What the checks need from the database, read once."""
    found = rows(session, sa.select(col(Partner.id), col(Partner.name)))
    partners = {name_key(name): (pid, name) for pid, name in found}
    context: dict[str, Any] = {"partners": partners, "seen": set()}
    if kind == "grants":
        workstreams = rows(session, sa.select(col(Workstream.id), col(Workstream.name)))
        context["workstreams"] = {name_key(name): (wid, name) for wid, name in workstreams}
        context["pairs"] = set(
            rows(session, sa.select(col(Partnership.partner_id), col(Partnership.workstream_id)))
        )
        refs = rows(session, sa.select(col(Grant.reference)).where(col(Grant.reference) != ""))
        context["seen"] = {r[0] for r in refs}
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
    found = {"name": name, **{k: row.get(k, "") for k in ("kind", "place", "org_id", "notes")}}
    return {**found, "org_id": check_org_id(found["org_id"])}


def _optional_date(row: dict[str, str], key: str) -> date | None:
    return parse_date(row[key], f"date for {key}") if row.get(key) else None


def _check_grant(row: dict[str, str], context: dict[str, Any]) -> dict[str, Any]:
    problems = []
    partner = context["partners"].get(name_key(row.get("partner", "")))
    workstream = context["workstreams"].get(name_key(row.get("workstream", "")))
    if partner is None:
        problems.append(f"no partner named '{row.get('partner', '')}'")
    if workstream is None:
        problems.append(f"no workstream named '{row.get('workstream', '')}'")
    if partner and workstream and (partner[0], workstream[0]) not in context["pairs"]:
        problems.append(f"{partner[1]} has no partnership in {workstream[1]}")
    values: dict[str, Any] = {}
    for key, parse in (
        (
            "amount",
            lambda r: parse_amount(r.get("amount", ""), currency=r.get("currency") or "GBP"),
        ),
        ("awarded", lambda r: _optional_date(r, "awarded")),
        ("start", lambda r: _optional_date(r, "start")),
        ("end", lambda r: _optional_date(r, "end")),
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
    if reference and reference in context["seen"]:
        problems.append(f"the reference '{reference}' is already used")
    if problems:
        raise InvalidInput(" and ".join(problems))
    if reference:
        context["seen"].add(reference)
    assert partner is not None and workstream is not None
    return {
        "partner": partner[1], "workstream": workstream[1], "amount": values["amount"],
        "currency": currency, "title": row.get("title", ""), "awarded": values["awarded"],
        "start": values["start"], "end": values["end"], "reference": reference,
    }  # fmt: skip


def apply(session: Session, stamp: Stamp, plan: Plan, progress: Progress | None = None) -> int:
    """Write a checked plan in the caller's transaction. A partner's history is dated
    by ``stamp``; a grant's by its award date (``stamp``'s date when the row has none)."""
    total = len(plan.rows)
    for done, row in enumerate(plan.rows, start=1):
        if plan.kind == "partners":
            add_partner(session, **row, stamp=stamp)
        else:
            on = row["awarded"] or stamp.on
            add_grant(session, Stamp(on, stamp.actor), **{**row, "awarded": on})
        if progress is not None:
            progress(done, total)
    return total
