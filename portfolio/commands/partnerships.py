from typing import Annotated

import typer

from portfolio.commands.common import (
    AsOpt,
    OnOpt,
    ReasonOpt,
    WorkstreamOpt,
    done,
    stamp,
    writing,
)
from portfolio.services import partnerships as lifecycle
from portfolio.services.inputs import parse_date
from portfolio.services.lifecycle import label

app = typer.Typer(
    help="The partnership lifecycle: start, review, resume, end, tick, complete, transfer.",
    no_args_is_help=True,
)

PartnerArg = Annotated[str, typer.Argument(help="The partner organisation.")]


def _report(partner: str, workstream: str, state: str) -> None:
    done(f"{partner} in {workstream}: {label(state)}")


@app.command("start")
def start(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    lead: Annotated[str | None, typer.Option("--lead", help="Staff lead.")] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help="Theme (repeatable).")] = None,
    reason: ReasonOpt = "",
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Start a partnership in an open workstream."""
    with writing() as session:
        ps = lifecycle.start(
            session, stamp(on, actor), partner=partner, workstream=workstream, lead=lead,
            themes=theme or [], reason=reason,
        )  # fmt: skip
        state = ps.state
    _report(partner, workstream, state)


@app.command("review")
def review(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    lead: Annotated[str, typer.Option("--lead", help="Who holds the review.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is under review.")],
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Put an active partnership under review with a lead."""
    with writing() as session:
        ps = lifecycle.review(
            session, stamp(on, actor), partner=partner, workstream=workstream, lead=lead,
            reason=reason,
        )  # fmt: skip
        state = ps.state
    _report(partner, workstream, state)


@app.command("resume")
def resume(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    reason: Annotated[str, typer.Option("--reason", help="Why it goes on.")],
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Make a partnership under review, or an ending, active again."""
    with writing() as session:
        ps = lifecycle.resume(
            session, stamp(on, actor), partner=partner, workstream=workstream, reason=reason
        )
        state = ps.state
    _report(partner, workstream, state)


@app.command("end")
def end(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    by: Annotated[str, typer.Option("--by", help="Planned end date, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the funding ends.")],
    exit_type: Annotated[
        str, typer.Option("--exit-type", help="down, out or over (phasing down/out/over).")
    ] = "out",
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Begin ending a partnership respectfully, with notice and an exit checklist."""
    planned = parse_date(by, "--by date")
    with writing() as session:
        ps = lifecycle.end(
            session, stamp(on, actor), partner=partner, workstream=workstream, by=planned,
            reason=reason, exit_type=exit_type,
        )  # fmt: skip
        state = ps.state
    _report(partner, workstream, state)


@app.command("tick")
def tick(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    step: Annotated[str, typer.Argument(help="Checklist step, e.g. told, notice, tie-off.")],
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Tick a step of an ending's exit checklist."""
    with writing() as session:
        lifecycle.tick(session, stamp(on, actor), partner=partner, workstream=workstream, step=step)
    done(f"{partner} in {workstream}: ticked {step}")


@app.command("complete")
def complete(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    reason: Annotated[
        str, typer.Option("--reason", help="Needed if checklist steps are still open.")
    ] = "",
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Complete an ending: the partnership is ended."""
    with writing() as session:
        ps = lifecycle.complete(
            session, stamp(on, actor), partner=partner, workstream=workstream, reason=reason
        )
        state = ps.state
    _report(partner, workstream, state)


@app.command("transfer")
def transfer(
    partner: PartnerArg,
    from_: Annotated[str, typer.Option("--from", help="Workstream it leaves.")],
    to: Annotated[str, typer.Option("--to", help="Open workstream it joins.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it moves.")],
    lead: Annotated[str | None, typer.Option("--lead", help="New lead (default: same).")] = None,
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Transfer a partnership to another workstream; its history carries on there."""
    with writing() as session:
        lifecycle.transfer(
            session, stamp(on, actor), partner=partner, from_workstream=from_,
            to_workstream=to, reason=reason, lead=lead,
        )  # fmt: skip
    done(f"{partner}: transferred from {from_} to {to} (active there)")
