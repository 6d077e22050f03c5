from typing import Annotated

import typer
from rich.table import Table

from portfolio.commands.common import (
    AsOpt,
    JsonOpt,
    OnOpt,
    console,
    done,
    emit_json,
    options_named,
    reading,
    stamp,
    writing,
)
from portfolio.errors import InvalidInput
from portfolio.services import lookup
from portfolio.services.lifecycle import STATES, change_text, label
from portfolio.services.partners import (
    add_partner,
    edit_partner,
    edit_words,
    list_partners,
    partner_detail,
)

app = typer.Typer(help="Partner organisations.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Organisation name (unique).")],
    kind: Annotated[str, typer.Option("--kind", help="e.g. charity, network.")] = "",
    place: Annotated[str, typer.Option("--place", help="Where it works.")] = "",
    org_id: Annotated[
        str, typer.Option("--org-id", help="360Giving org identifier, e.g. GB-CHC-1234567.")
    ] = "",
    notes: Annotated[str, typer.Option("--notes", help="Internal notes (staff only).")] = "",
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a partner organisation."""
    with writing() as session:
        partner = add_partner(
            session, name=name, kind=kind, place=place, org_id=org_id, notes=notes,
            stamp=stamp(on, actor),
        )  # fmt: skip
        pid = partner.id
    emit_json({"id": pid, "name": name}) if as_json else done(f"partner {pid} added: {name}")


_EDIT_OPTIONS = {"name": "--name", "kind": "--kind", "place": "--place", "org_id": "--org-id",
                 "notes": "--notes", "on": "--on"}  # fmt: skip


@app.command("edit")
def edit(
    partner: Annotated[str, typer.Argument(help="The partner's name as it is now.")],
    name: Annotated[str | None, typer.Option("--name", help="A new name (unique).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="e.g. charity, network.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where it works.")] = None,
    org_id: Annotated[
        str | None,
        typer.Option("--org-id", help="360Giving org identifier, e.g. GB-CHC-1234567."),
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", help="Internal notes (staff only); replaces them.")
    ] = None,
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a partner's details: only the options given change, and an empty one
    (--place '') clears it. Each edit is kept in the partner's history, before and after."""
    with options_named(_EDIT_OPTIONS), writing() as session:
        found = lookup.partner(session, partner)
        assert found.id is not None
        pid = found.id
        changed = edit_partner(
            session, stamp(on, actor), partner_id=pid, name=name, kind=kind, place=place,
            org_id=org_id, notes=notes,
        )  # fmt: skip
        now = found.name
    if as_json:
        emit_json({"id": pid, "name": now, "changed": changed})
    else:
        done(f"partner {pid} edited: {edit_words(changed)}")


@app.command("list")
def list_(
    workstream: Annotated[
        str | None, typer.Option("--workstream", "-w", help="Only partners in this workstream.")
    ] = None,
    state: Annotated[
        str | None,
        typer.Option("--state", help=f"Only with a partnership in: {', '.join(STATES)}."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Partners with where each stands in every workstream."""
    if state is not None and state not in STATES:
        raise InvalidInput(f"'{state}' is not a state; use one of {', '.join(STATES)}.")
    with reading() as session:
        rows = list_partners(session, workstream=workstream, state=state)
    if as_json:
        emit_json([r.as_dict() for r in rows])
        return
    table = Table("id", "partner", "place", "partnerships", box=None)
    for r in rows:
        where = "; ".join(f"{ps.workstream}: {label(ps.state)}" for ps in r.partnerships)
        table.add_row(str(r.id), r.name, r.place, where)
    console().print(table)


@app.command("show")
def show(name: str, as_json: JsonOpt = False) -> None:
    """A partner: partnerships, grants, exit checklist and one timeline across moves."""
    with reading() as session:
        detail = partner_detail(session, name)
    if as_json:
        emit_json(detail.as_dict())
        return
    out = console()
    p = detail.partner
    out.print(f"{p.name}  {p.kind}  {p.place}  {p.org_id}".rstrip())
    if p.notes:
        out.print(f"Notes (internal): {p.notes}")
    table = Table("workstream", "state", "lead", "started", "planned end", box=None)
    for ps in detail.partnerships:
        table.add_row(
            ps.workstream, label(ps.state), ps.lead or "", str(ps.started_on),
            str(ps.planned_end or ""),
        )  # fmt: skip
    out.print(table)
    for ps_id, steps in detail.checklists.items():
        out.print(f"Exit checklist (partnership {ps_id}):")
        for s in steps:
            mark = f"[x] {s['on']} {s['by']}" if s["done"] else "[ ]"
            out.print(f"  {mark}  {s['step']}: {s['text']}")
    if detail.grants:
        grants = Table("id", "awarded", "workstream", "amount", "title", "ref", "", box=None)
        for g in detail.grants:
            withdrawn = f"withdrawn {g['withdrawn_on']}" if g["withdrawn_on"] else ""
            grants.add_row(
                str(g["id"]), g["awarded_on"], g["workstream"], f"{g['currency']} {g['amount']}",
                g["title"], g["reference"], withdrawn,
            )  # fmt: skip
        out.print(grants)
    out.print("Timeline:")
    for e in detail.timeline:
        change = change_text(e.from_state, e.to_state)
        why = f" ({e.reason})" if e.reason else ""
        decision = f" [decision {e.decision_id}]" if e.decision_id else ""
        out.print(
            f"  {e.on} {e.workstream or ''} {e.action} {change} {e.detail} by {e.by}"
            f"{why}{decision}".replace("  ", " ")
        )
