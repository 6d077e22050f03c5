"""What every command shares: the open database, who acts and when, output."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.settings import current_user, database_url


@dataclass
class CliState:
    """Set by the root callback; the database opens only when a command needs it."""

    db: str | None = None
    _factory: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.db)

    def factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._factory = db.open_database(self.url)
        return self._factory


STATE = CliState()


@contextmanager
def writing() -> Iterator[Session]:
    """One user action: one transaction, rolled back on any refusal."""
    with db.unit_of_work(STATE.factory()) as session:
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    with db.read_session(STATE.factory()) as session:
        yield session


def stamp(on: str | None, actor: str | None, decision_id: int | None = None) -> Stamp:
    when = parse_date(on, "--on date") if on else date.today()
    return Stamp(on=when, actor=current_user(actor), decision_id=decision_id)


def optional_date(text: str | None, what: str) -> date | None:
    return parse_date(text, what) if text else None


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def console() -> Console:
    """Plain output: names are printed literally, never read as Rich markup."""
    out = Console(markup=False, highlight=False)
    if not out.is_terminal:
        out.width = max(out.width, 160)  # piped output: do not squeeze tables
    return out


def done(message: str) -> None:
    typer.echo(message)


# Options shared by every write.
OnOpt = Annotated[
    str | None, typer.Option("--on", help="Effective date, YYYY-MM-DD (default today).")
]
AsOpt = Annotated[
    str | None,
    typer.Option("--as", help="Who does this (default PORTFOLIO_USER, config, or OS user)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable; see README).")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why: recorded in the history.")]
WorkstreamOpt = Annotated[
    str, typer.Option("--workstream", "-w", help="The workstream (portfolio team).")
]

# Arguments and options of the lifecycle actions, shared by `partnership ACTION`
# and `decision plan ID ACTION` (which take the same arguments).
PartnerArg = Annotated[str, typer.Argument(help="The partner organisation.")]
StartLeadOpt = Annotated[str | None, typer.Option("--lead", help="Staff lead.")]
ThemesOpt = Annotated[list[str] | None, typer.Option("--theme", help="Theme (repeatable).")]
ReviewLeadOpt = Annotated[str, typer.Option("--lead", help="Who holds the review.")]
ReviewReasonOpt = Annotated[str, typer.Option("--reason", help="Why it is under review.")]
ResumeReasonOpt = Annotated[str, typer.Option("--reason", help="Why it goes on.")]
EndByOpt = Annotated[str, typer.Option("--by", help="Planned end date, YYYY-MM-DD.")]
EndReasonOpt = Annotated[str, typer.Option("--reason", help="Why the funding ends.")]
ExitTypeOpt = Annotated[
    str, typer.Option("--exit-type", help="down, out or over (phasing down/out/over).")
]
StepArg = Annotated[str, typer.Argument(help="Checklist step, e.g. told, notice, tie-off.")]
CompleteReasonOpt = Annotated[
    str, typer.Option("--reason", help="Needed if checklist steps are still open.")
]
FromOpt = Annotated[str, typer.Option("--from", help="Workstream it leaves.")]
ToOpt = Annotated[str, typer.Option("--to", help="Open workstream it joins.")]
TransferReasonOpt = Annotated[str, typer.Option("--reason", help="Why it moves.")]
TransferLeadOpt = Annotated[str | None, typer.Option("--lead", help="New lead (default: same).")]
