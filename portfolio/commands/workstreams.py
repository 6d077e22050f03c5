from typing import Annotated

import typer
from rich.table import Table

from portfolio.commands.common import (
    AsOpt,
    JsonOpt,
    OnOpt,
    ReasonOpt,
    console,
    done,
    emit_json,
    options_named,
    reading,
    stamp,
    writing,
)
from portfolio.models.money import amounts_text
from portfolio.services.changes import from_words
from portfolio.services.lifecycle import STATES, label
from portfolio.services.partners import list_partners
from portfolio.services.workstreams import (
    WorkstreamClose,
    add_workstream,
    get_workstream_row,
    list_workstreams,
    themes_of,
)
from portfolio.settings import portfolio_currency

app = typer.Typer(help="Workstreams (portfolio teams).", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Unique name, e.g. Place.")],
    purpose: Annotated[str, typer.Option("--purpose", help="What the team is for.")] = "",
    lead: Annotated[str | None, typer.Option("--lead", help="Lead person.")] = None,
    opened: Annotated[
        str | None, typer.Option("--opened", "--on", help="Date it opened (default today).")
    ] = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open a workstream."""
    with writing() as session:
        ws = add_workstream(session, stamp(opened, actor), name=name, purpose=purpose, lead=lead)
        wid = ws.id
    emit_json({"id": wid, "name": name}) if as_json else done(f"workstream {wid} added: {name}")


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """Every workstream with partnership counts by state and committed funding."""
    currency = portfolio_currency()
    with reading() as session:
        rows = list_workstreams(session, currency=currency)
    if as_json:
        emit_json([r.as_dict() for r in rows])
        return
    table = Table("name", "status", "lead", *[label(s) for s in STATES], "committed", box=None)
    for r in rows:
        counts = [str(r.counts.get(s, 0)) for s in STATES]
        committed = amounts_text(r.committed_by_currency, currency)
        table.add_row(r.name, r.status, r.lead or "", *counts, committed)
    console().print(table)


@app.command("show")
def show(name: str, as_json: JsonOpt = False) -> None:
    """A workstream: purpose, lead, themes and its partnerships."""
    with reading() as session:
        row = get_workstream_row(session, name, currency=portfolio_currency())
        themes = themes_of(session, row.id)
        partners = list_partners(session, workstream=row.name)
    partnerships = [ps for p in partners for ps in p.partnerships if ps.workstream == row.name]
    if as_json:
        emit_json(
            {**row.as_dict(), "themes": themes, "partnerships": [p.as_dict() for p in partnerships]}
        )
        return
    out = console()
    out.print(f"{row.name} ({row.status}) lead: {row.lead or '-'}")
    if row.purpose:
        out.print(row.purpose)
    out.print(f"Themes: {', '.join(themes) or '-'}")
    out.print(f"Committed: {amounts_text(row.committed_by_currency, row.currency)}")
    table = Table("partner", "state", "lead", "since", "planned end", box=None)
    for ps in partnerships:
        table.add_row(
            ps.partner, label(ps.state), ps.lead or "", str(ps.changed_on),
            str(ps.planned_end or ""),
        )  # fmt: skip
    out.print(table)


@app.command("close")
def close(
    name: str,
    reason: ReasonOpt = "",
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Close a workstream (refused while a partnership is undecided or a theme unplaced)."""
    with options_named(WorkstreamClose), writing() as session:
        ws = from_words(session, WorkstreamClose, {"name": name, "reason": reason}).run(
            session, stamp(on, actor)
        )
        closed = ws.closed_on
    done(f"workstream {name} closed on {closed}")
