"""Staff data exports: partners, partnerships and grants as CSV or XLSX.

Text cells that a spreadsheet would run as a formula are neutralised with a
leading quote. Partner notes are internal: only with ``include_internal``.
The column names of partners and grants are the import columns, so an
export can be edited and imported into another database.
"""

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from portfolio.errors import InvalidInput
from portfolio.models import Grant, Partner, Partnership, Person, Workstream
from portfolio.printable import printable
from portfolio.services.query import rows

TABLES = ("partners", "partnerships", "grants")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | Decimal | date | None


def neutralise(value: Cell) -> Cell:
    """A text that a spreadsheet would read as a formula gets a leading quote; a control
    character shows as its stand-in (a workbook cannot hold one, a terminal would run it)."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def table(
    session: Session, name: str, *, include_internal: bool = False
) -> tuple[list[str], list[tuple[Cell, ...]]]:
    """The named table's header and rows (one statement)."""
    if name == "partners":
        columns: list[Any] = [
            col(Partner.id),
            col(Partner.name),
            col(Partner.kind),
            col(Partner.place),
            col(Partner.org_id),
        ]
        headers = ["id", "name", "kind", "place", "org_id"]
        if include_internal:
            columns.append(col(Partner.notes))
            headers.append("notes")
        query = sa.select(*columns).order_by(col(Partner.name))
    elif name == "partnerships":
        headers = [
            "id", "partner", "workstream", "state", "lead", "started_on", "changed_on",
            "planned_end", "exit_type", "predecessor_id",
        ]  # fmt: skip
        query = (
            sa.select(
                col(Partnership.id),
                col(Partner.name),
                col(Workstream.name),
                col(Partnership.state),
                col(Person.name),
                col(Partnership.started_on),
                col(Partnership.changed_on),
                col(Partnership.planned_end),
                col(Partnership.exit_type),
                col(Partnership.predecessor_id),
            )
            .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
            .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
            .outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
            .order_by(col(Partner.name), col(Partnership.started_on), col(Partnership.id))
        )
    elif name == "grants":
        headers = [
            "id", "reference", "partner", "workstream", "amount", "currency", "title",
            "awarded", "start", "end", "withdrawn",
        ]  # fmt: skip
        ws = aliased(Workstream)
        query = (
            sa.select(
                col(Grant.id),
                col(Grant.reference),
                col(Partner.name),
                col(ws.name),
                col(Grant.amount),
                col(Grant.currency),
                col(Grant.title),
                col(Grant.awarded_on),
                col(Grant.planned_start),
                col(Grant.planned_end),
                col(Grant.withdrawn_on),  # recorded in error: kept, and counted nowhere
            )
            .join(Partnership, Partnership.id == Grant.partnership_id)  # type: ignore[arg-type]
            .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
            .join(ws, col(ws.id) == Partnership.workstream_id)
            .order_by(col(Grant.awarded_on), col(Grant.id))
        )
    else:
        raise InvalidInput(f"'{name}' is not a table; choose one of {', '.join(TABLES)}.")
    return headers, [tuple(r) for r in rows(session, query)]


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(headers: Sequence[str], found: Sequence[tuple[Cell, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in found:
        writer.writerow([neutralise(_text(v)) for v in row])
    return out.getvalue()


def to_xlsx(name: str, headers: Sequence[str], found: Sequence[tuple[Cell, ...]]) -> bytes:
    # openpyxl loads only when a workbook is written: it costs every command ~0.2 s to start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=name)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in found:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
