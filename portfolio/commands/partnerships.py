import typer

from portfolio.commands.common import (
    AsOpt,
    CompleteReasonOpt,
    EndByOpt,
    EndReasonOpt,
    ExitTypeOpt,
    FromOpt,
    OnOpt,
    PartnerArg,
    ReasonOpt,
    ResumeReasonOpt,
    ReviewLeadOpt,
    ReviewReasonOpt,
    StartLeadOpt,
    StepArg,
    ThemesOpt,
    ToOpt,
    TransferLeadOpt,
    TransferReasonOpt,
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


def _report(partner: str, workstream: str, state: str) -> None:
    done(f"{partner} in {workstream}: {label(state)}")


@app.command("start")
def start(
    partner: PartnerArg,
    workstream: WorkstreamOpt,
    lead: StartLeadOpt = None,
    theme: ThemesOpt = None,
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
    lead: ReviewLeadOpt,
    reason: ReviewReasonOpt,
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
    reason: ResumeReasonOpt,
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
    by: EndByOpt,
    reason: EndReasonOpt,
    exit_type: ExitTypeOpt = "out",
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
    step: StepArg,
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
    reason: CompleteReasonOpt = "",
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
    from_: FromOpt,
    to: ToOpt,
    reason: TransferReasonOpt,
    lead: TransferLeadOpt = None,
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
