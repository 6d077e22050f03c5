"""360Giving export of grants: CSV and JSON with the standard's required fields.

Published data is kept exact (no spreadsheet neutralising); names that look
like formulas are returned as warnings for the person exporting. Partner
notes are never read.
"""

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from portfolio.errors import PortfolioError
from portfolio.models import Grant, Partner, Partnership, Workstream
from portfolio.printable import json_escaped
from portfolio.services import positions
from portfolio.services.query import rows
from portfolio.settings import config_path, load_config

COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Grant Programme:Title",
)
FORMULA_START = ("=", "+", "-", "@")

# setting key, environment variable, command-line option, what it is
SETTINGS = (
    ("funder_id", "PORTFOLIO_FUNDER_ID", "--funder-id", "the funder's organisation identifier"),
    ("funder_name", "PORTFOLIO_FUNDER_NAME", "--funder-name", "the funder's name"),
    ("prefix_360", "PORTFOLIO_360_PREFIX", "--prefix", "the 360Giving identifier prefix"),
)


@dataclass(frozen=True)
class Funder:
    id: str
    name: str
    prefix: str


def funder_settings(
    *, funder_id: str | None = None, funder_name: str | None = None, prefix: str | None = None
) -> Funder:
    """Options first, then environment, then the config file; every missing one named."""
    given = {"funder_id": funder_id, "funder_name": funder_name, "prefix_360": prefix}
    config = load_config()
    found: dict[str, str] = {}
    missing = []
    for key, env, option, what in SETTINGS:
        value = given[key] or os.environ.get(env) or str(config.get(key) or "")
        if value.strip():
            found[key] = value.strip()
        else:
            missing.append(f"{what} ({option}, {env} or {key} in {config_path()})")
    if missing:
        raise PortfolioError("The 360Giving export needs " + "; ".join(missing) + ".")
    return Funder(found["funder_id"], found["funder_name"], found["prefix_360"])


@dataclass(frozen=True)
class GivingGrant:
    identifier: str
    title: str
    description: str
    currency: str
    amount: Decimal
    award_date: date
    recipient_id: str
    recipient_name: str
    start: date | None
    end: date | None
    programme: str


def grants(
    session: Session, funder: Funder, recorded_by: datetime | None = None
) -> tuple[list[GivingGrant], list[str]]:
    """Every grant (recorded by ``recorded_by``) in award order, and warnings about names
    that look like formulas."""
    found = rows(
        session,
        sa.select(
            col(Grant.id),
            col(Grant.title),
            col(Grant.currency),
            col(Grant.amount),
            col(Grant.awarded_on),
            col(Grant.planned_start),
            col(Grant.planned_end),
            col(Partner.id),
            col(Partner.name),
            col(Partner.org_id),
            col(Workstream.name),
        )
        .join(Partnership, Partnership.id == Grant.partnership_id)  # type: ignore[arg-type]
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .where(
            # A grant withdrawn as recorded in error was never awarded: not published.
            positions.still_granted(date.max, recorded_by),
            *([] if recorded_by is None else [col(Grant.recorded_at) <= recorded_by]),
        )
        .order_by(col(Grant.awarded_on), col(Grant.id)),
    )
    out, warnings = [], []
    for g_id, title, currency, amount, awarded, start, end, p_id, name, org_id, ws in found:
        grant = GivingGrant(
            # Database ids never change or get reused, so identifiers are stable.
            identifier=f"{funder.prefix}-{g_id}",
            title=title or f"Grant to {name}",
            description=f"A grant to {name} through the {ws} programme"
            + (f": {title}." if title else "."),
            currency=currency,
            amount=Decimal(amount).quantize(Decimal("0.01")),
            award_date=awarded,
            # 360Giving asks for an identifier of the funder's own making when a
            # recipient has no registered one.
            recipient_id=org_id or f"{funder.prefix}-ORG-{p_id}",
            recipient_name=name,
            start=start,
            end=end,
            programme=ws,
        )
        for field, value in (
            ("Title", grant.title),
            ("Recipient Org:Name", name),
            ("Grant Programme:Title", ws),
        ):
            if value.startswith(FORMULA_START):
                warnings.append(
                    f"{grant.identifier}: {field} {value!r} looks like a spreadsheet formula; "
                    "published as recorded"
                )
        out.append(grant)
    return out, warnings


def _row(g: GivingGrant, funder: Funder) -> list[str]:
    return [
        g.identifier,
        g.title,
        g.description,
        g.currency,
        f"{g.amount:.2f}",
        g.award_date.isoformat(),
        g.recipient_id,
        g.recipient_name,
        funder.id,
        funder.name,
        g.start.isoformat() if g.start else "",
        g.end.isoformat() if g.end else "",
        g.programme,
    ]


def to_csv(found: list[GivingGrant], funder: Funder) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in found:
        writer.writerow(_row(g, funder))
    return out.getvalue()


def _package(g: GivingGrant, funder: Funder) -> dict[str, Any]:
    grant: dict[str, Any] = {
        "id": g.identifier,
        "title": g.title,
        "description": g.description,
        "currency": g.currency,
        "amountAwarded": g.amount,
        "awardDate": g.award_date.isoformat(),
        "recipientOrganization": [{"id": g.recipient_id, "name": g.recipient_name}],
        "fundingOrganization": [{"id": funder.id, "name": funder.name}],
        "grantProgramme": [{"title": g.programme}],
    }
    dates = {"startDate": g.start, "endDate": g.end}
    if any(dates.values()):
        grant["plannedDates"] = [{k: v.isoformat() for k, v in dates.items() if v}]
    return grant


def _json(value: Any, indent: str = "") -> str:
    """JSON with Decimals written as exact number literals (json.dumps would need floats)."""
    inner = indent + "  "
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _json(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


def to_json(found: list[GivingGrant], funder: Funder) -> str:
    return json_escaped(_json({"grants": [_package(g, funder) for g in found]})) + "\n"
