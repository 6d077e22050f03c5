"""Actions (next steps) and standing groups."""

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from portfolio.commands.common import (
    MONTHS_MAX,
    SEATS_MAX,
    AsOpt,
    JsonOpt,
    OnOpt,
    ReasonOpt,
    console,
    count_option,
    done,
    emit_json,
    id_argument,
    id_option,
    optional_date,
    options_named,
    reading,
    stamp,
    writing,
)
from portfolio.services import actions, groups
from portfolio.settings import current_user

action_app = typer.Typer(help="Actions: next steps with an owner and a due date.",
                         no_args_is_help=True)  # fmt: skip
group_app = typer.Typer(help="Standing groups with permanent and rotating members.",
                        no_args_is_help=True)  # fmt: skip

IdArg = Annotated[int, id_argument("The action's number (see `action list`).")]


@action_app.command("add")
def action_add(
    text: Annotated[str, typer.Argument(help="What is to be done.")],
    owner: Annotated[str, typer.Option("--owner", help="Who does it.")],
    due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")] = None,
    decision: Annotated[
        int | None, id_option("--decision", help="The decision it comes from.")
    ] = None,
    session_id: Annotated[
        int | None, id_option("--session", help="The session it comes from.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="Date it was set (default: the session's or decision's, else today)."
        ),
    ] = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an action."""
    due_on = optional_date(due, "--due date")
    with writing() as session:
        item = actions.add_action(
            session, text=text, owner=owner, actor=current_user(actor),
            on=optional_date(on, "--on date"), due=due_on, decision_id=decision,
            session_id=session_id,
        )  # fmt: skip
        out = {
            "id": item.id, "text": item.text, "status": item.status,
            "created_on": item.created_on.isoformat(),
        }  # fmt: skip
    emit_json(out) if as_json else done(f"action {out['id']} added: {text}")


@action_app.command("list")
def action_list(
    overdue: Annotated[bool, typer.Option("--overdue", help="Open and past due.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", help="One person's actions.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="open, done or dropped.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Overdue as of this date (default today).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Actions, soonest due first."""
    as_of = optional_date(on, "--on date") or date.today()
    with reading() as session:
        found = actions.list_actions(session, owner=owner, status=status,
                                     overdue_on=as_of if overdue else None)  # fmt: skip
    if as_json:
        emit_json(found)
        return
    table = Table("id", "due", "owner", "status", "action", "from", box=None)
    for a in found:
        source = (f"decision {a['decision_id']}" if a["decision_id"] else
                  f"session {a['session_id']}" if a["session_id"] else "")  # fmt: skip
        state = "OVERDUE" if a["overdue"] else a["status"]
        table.add_row(str(a["id"]), a["due_on"] or "", a["owner"], state, a["text"], source)
    console().print(table)


@action_app.command("done")
def action_done(action_id: IdArg, on: OnOpt = None, actor: AsOpt = None) -> None:
    """Mark an action done."""
    with options_named({"on": "--on"}), writing() as session:
        actions.mark_done(session, stamp(on, actor), action_id=action_id)
    done(f"action {action_id}: done")


@action_app.command("drop")
def action_drop(
    action_id: IdArg, reason: ReasonOpt = "", on: OnOpt = None, actor: AsOpt = None
) -> None:
    """Drop an action that will not be done."""
    with options_named({"on": "--on"}), writing() as session:
        actions.drop(session, stamp(on, actor), action_id=action_id, reason=reason)
    done(f"action {action_id}: dropped")


@group_app.command("add")
def group_add(
    name: str,
    every: Annotated[str, typer.Option("--every", help="Cadence, e.g. '2 months' or '3 weeks'.")],
    member: Annotated[
        list[str] | None, typer.Option("--member", help="Permanent member (repeatable).")
    ] = None,
    rotating: Annotated[
        list[str] | None, typer.Option("--rotating", help="Rotating pool member (repeatable).")
    ] = None,
    purpose: Annotated[str, typer.Option("--purpose")] = "",
    seats: Annotated[
        int,
        count_option(
            "--seats",
            low=0,
            high=SEATS_MAX,
            help="Rotating seats a meeting (0: enough for everyone once a year).",
        ),
    ] = 0,
    on: Annotated[str | None, typer.Option("--on", help="First meeting (default today).")] = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a standing group."""
    first = optional_date(on, "--on date") or date.today()
    with options_named({"every": "--every", "seats": "--seats"}), writing() as session:
        group = groups.add_group(
            session, name=name, every=every, first_meeting=first, members=member or [],
            rotating=rotating or [], purpose=purpose, seats=seats, actor=current_user(actor),
        )  # fmt: skip
        gid = group.id
    emit_json({"id": gid, "name": name}) if as_json else done(f"group {gid} added: {name}")


@group_app.command("list")
def group_list(as_json: JsonOpt = False) -> None:
    """Standing groups."""
    with reading() as session:
        found = groups.list_groups(session)
    if as_json:
        emit_json(found)
        return
    for g in found:
        console().print(f"{g['id']}. {g['name']} (every {g['every']}): members "
                        f"{', '.join(g['members'])}; pool {', '.join(g['rotating'])}")  # fmt: skip


@group_app.command("schedule")
def group_schedule(
    name: str,
    months: Annotated[
        int, count_option("--months", low=1, high=MONTHS_MAX, help="How far ahead.")
    ] = 12,
    start: Annotated[
        str | None, typer.Option("--from", help="From this date (default today).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The next meetings and who from the rotating pool joins each."""
    since = optional_date(start, "--from date") or date.today()
    with options_named({"months": "--months"}), reading() as session:
        plan = groups.schedule(session, name=name, start=since, months=months)
    if as_json:
        emit_json(plan)
        return
    out = console()
    out.print(f"{plan['group']}: every {plan['every']}, {plan['seats']} rotating seats a meeting")
    for m in plan["meetings"]:
        out.print(f"  {m['on']}: {', '.join(m['members'] + m['rotating'])}")
