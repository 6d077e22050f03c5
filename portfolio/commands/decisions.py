"""Decisions: record, plan, agree, enact (all or nothing), supersede."""

import inspect
import json
from typing import Annotated, Any

import typer
from rich.table import Table

from portfolio.commands.common import (
    ID_MAX,
    AsOpt,
    JsonOpt,
    OnOpt,
    change_parameters,
    console,
    done,
    dry_running,
    emit_json,
    id_argument,
    id_option,
    optional_date,
    options_named,
    reading,
    stamp,
    stamp_parameters,
    whole_number,
    with_signature,
    writing,
)
from portfolio.errors import Refused
from portfolio.services import decisions, enactment, plans
from portfolio.services.changes import Change, Names, from_words, on_declare

app = typer.Typer(help="Decisions: why things change, planned and enacted at once.",
                  no_args_is_help=True)  # fmt: skip
plan_app = typer.Typer(
    help="Add a change to a decision's plan: decision plan ID ACTION ... "
    "(arguments as in `partnership ACTION`).",
    no_args_is_help=True,
)
app.add_typer(plan_app, name="plan")

IdArg = Annotated[int, id_argument("The decision's number (see `decision list`).")]
CHANGE_ON_HELP = "This change's effective date (default: the decision's date)."


@app.command("add")
def add(
    title: Annotated[str, typer.Argument(help="A short title.")],
    decision: Annotated[str, typer.Option("--decision", help="What was decided.")],
    context: Annotated[str, typer.Option("--context", help="Why it came up.")] = "",
    rationale: Annotated[str, typer.Option("--rationale", help="Why this choice.")] = "",
    options: Annotated[str, typer.Option("--options", help="Options considered.")] = "",
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Who decided: a person or group (repeatable).")
    ] = None,
    workstream: Annotated[
        list[str] | None,
        typer.Option("--workstream", "-w", help="Workstream it concerns (repeatable)."),
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="Partner it concerns (repeatable).")
    ] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="Theme it concerns (repeatable).")
    ] = None,
    status: Annotated[str, typer.Option("--status", help="proposed or agreed.")] = "proposed",
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a decision (proposed, or already agreed)."""
    named = {"decision": "--decision", "status": "--status", "on": "--on"}
    with options_named(named), writing() as session:
        d = decisions.add_decision(
            session, stamp(on, actor), title=title, decision=decision, context=context,
            rationale=rationale, options=options, by=by or [], workstreams=workstream or [],
            partners=partner or [], themes=theme or [], status=status,
        )  # fmt: skip
        out = {"id": d.id, "title": d.title, "status": d.status}
    emit_json(out) if as_json else done(f"decision {out['id']} added: {title} ({out['status']})")


@plan_app.callback()
def plan(ctx: typer.Context, decision_id: IdArg) -> None:
    """Add a change to a decision's plan; names are checked now, states when it is enacted."""
    ctx.obj = decision_id


def _plan_command(change: type[Change]) -> None:
    def run(ctx: typer.Context, **words: Any) -> None:
        decision_id = int(ctx.obj)
        when = optional_date(words.pop("on"), "--on date")
        actor = words.pop("actor")
        with options_named(change), writing() as session:
            planned = plans.plan_change(
                session, decision_id=decision_id, change=from_words(session, change, words),
                on=when, stamp=stamp(None, actor),
            )  # fmt: skip
            n = planned.position
            what = plans.describe(Names(session), change.name, json.loads(planned.arguments))
        done(f"decision {decision_id}: planned change {n}: {what}")

    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                annotation=typer.Context)  # fmt: skip
    parameters = [context, *change_parameters(change), *stamp_parameters(CHANGE_ON_HELP)]
    summary = f"Plan to {change.summary[0].lower()}{change.summary[1:]}"
    if change.summary.startswith("Plan to"):
        summary = change.summary
    plan_app.command(change.name)(with_signature(run, parameters, summary))


on_declare(_plan_command)  # every declared change can be planned, later ones too


@app.command("unplan")
def unplan(
    decision_id: IdArg,
    n: Annotated[
        int, typer.Argument(help="Change number.", parser=whole_number(1, ID_MAX), metavar="N")
    ],
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Remove planned change N (later changes move up)."""
    with writing() as session:
        what = plans.unplan(session, decision_id=decision_id, position=n, stamp=stamp(on, actor))
    done(f"decision {decision_id}: removed planned change {n}: {what}")


@app.command("agree")
def agree(decision_id: IdArg, on: OnOpt = None, actor: AsOpt = None) -> None:
    """Agree a proposed decision."""
    with writing() as session:
        decisions.agree(session, stamp(on, actor), decision_id=decision_id)
    done(f"decision {decision_id}: agreed")


@app.command("supersede")
def supersede(
    decision_id: IdArg,
    with_: Annotated[int, id_option("--with", help="The later decision that replaces it.")],
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Mark a decision superseded by a later one (an enacted one's effects stand)."""
    with writing() as session:
        decisions.supersede(session, stamp(on, actor), decision_id=decision_id, with_id=with_)
    done(f"decision {decision_id}: superseded by decision {with_}")


@app.command("enact")
def enact(
    decision_id: IdArg,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")
    ] = False,
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Apply every planned change at once, or none if any is refused."""
    with dry_running() if dry_run else writing() as session:
        result = enactment.enact(session, stamp(on, actor), decision_id=decision_id,
                                 dry_run=dry_run)  # fmt: skip
    if as_json:
        emit_json(result.as_dict())
    else:
        out = console()
        for o in result.outcomes:
            out.print(f"{o.n}. {o.description} (on {o.on})")
            for effect in o.effects:
                out.print(f"   {'would be' if dry_run else 'now'}: {effect}")
            if o.problem:
                out.print(f"   REFUSED: {o.problem}")
        if dry_run and not result.problems:
            out.print(f"dry run: decision {decision_id} can be enacted; nothing was changed")
        elif not dry_run:
            out.print(f"decision {decision_id} enacted: {len(result.outcomes)} changes applied")
    if result.problems:
        raise Refused(f"Decision {decision_id} cannot be enacted as planned: "
                      f"{result.problems[0]}", *result.problems[1:])  # fmt: skip


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Decisions, oldest first."""
    with reading() as session:
        found = decisions.list_decisions(session, status=status)
    if as_json:
        emit_json(found)
        return
    table = Table("id", "decided", "title", "status", "changes", box=None)
    for d in found:
        table.add_row(str(d["id"]), d["decided_on"], d["title"], d["status"], str(d["changes"]))
    console().print(table)


@app.command("show")
def show(decision_id: IdArg, as_json: JsonOpt = False) -> None:
    """A decision: its reasons, who decided, its plan, actions and resulting events."""
    with reading() as session:
        d = decisions.show_decision(session, decision_id)
    if as_json:
        emit_json(d)
        return
    out = console()
    out.print(f"decision {d['id']}: {d['title']}")
    out.print(f"status: {decisions.status_line(d)}; decided on {d['decided_on']}")
    for key in ("decided_by", "workstreams", "partners", "themes"):
        if d[key]:
            out.print(f"{key.replace('_', ' ')}: {', '.join(d[key])}")
    for key in ("context", "decision", "rationale", "options"):
        if d[key]:
            out.print(f"{key}: {d[key]}")
    for earlier in d["supersedes"]:
        out.print(f"supersedes decision {earlier['id']} '{earlier['title']}'")
    out.print("plan:" if d["changes"] else "plan: (no changes planned)")
    for c in d["changes"]:
        reason = f" - {c['arguments']['reason']}" if c["arguments"].get("reason") else ""
        out.print(f"  {c['n']}. {c['description']} (on {c['on']}){reason}")
    for a in d["actions"]:
        out.print(f"action {a['id']} [{a['status']}]: {a['text']}")
    for e in d["events"]:
        subject = " / ".join(x for x in (e["partner"], e["workstream"]) if x) or e["subject_type"]
        change = f"{e['from_state'] or '-'} -> {e['to_state']}" if e["to_state"] else e["detail"]
        out.print(f"event {e['on']} {e['action']} {subject}: {change}")
