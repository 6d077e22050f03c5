"""Create, migrate and fill a database; read its history."""

from typing import Annotated

import typer
from rich.table import Table

from portfolio import db
from portfolio.commands.common import (
    STATE,
    JsonOpt,
    console,
    done,
    emit_json,
    options_named,
    reading,
    writing,
)
from portfolio.services import lookup
from portfolio.services.demo import load_demo
from portfolio.services.history import events
from portfolio.services.lifecycle import change_text


def init() -> None:
    """Create the database, or bring it to the newest revision (backing it up first)."""
    db.check_target(STATE.url)
    engine = db.make_engine(STATE.url)
    try:
        backup = db.migrate(engine)
    finally:
        engine.dispose()
    if backup:
        done(f"backed up to {backup}")
    done(f"database ready: {STATE.url}")


def demo() -> None:
    """Load the demo portfolio (seed 003's foundation) into an empty database."""
    with options_named({"database": "use --db demo.db for a separate file"}), writing() as session:
        summary = load_demo(session)
    done(f"demo portfolio loaded into {STATE.url}: {summary}")


def history(
    partner: Annotated[
        str | None, typer.Option("--partner", help="One partner's timeline.")
    ] = None,
    workstream: Annotated[
        str | None, typer.Option("--workstream", "-w", help="One workstream's history.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The append-only history of changes, oldest first."""
    with reading() as session:
        pid = lookup.partner(session, partner).id if partner else None
        wid = lookup.workstream(session, workstream).id if workstream else None
        rows = events(session, partner_id=pid, workstream_id=wid)
    if as_json:
        emit_json([r.as_dict() for r in rows])
        return
    table = Table("on", "by", "action", "subject", "change", "reason", "decision", box=None)
    for e in rows:
        subject = " / ".join(x for x in (e.partner, e.workstream) if x) or e.subject_type
        change = change_text(e.from_state, e.to_state) or e.detail
        table.add_row(
            str(e.on), e.by, e.action, subject, change, e.reason, str(e.decision_id or "")
        )
    console().print(table)
