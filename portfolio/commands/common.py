"""What every command shares: the open database, who acts and when, output."""

import dataclasses
import inspect
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.printable import json_escaped, printable
from portfolio.services.changes import LISTS, Change, Kind, params
from portfolio.services.history import Stamp
from portfolio.services.inputs import clean_name, parse_date
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
    who = clean_name(current_user(actor), "--as name")
    return Stamp(on=when, actor=who, decision_id=decision_id)


def optional_date(text: str | None, what: str) -> date | None:
    return parse_date(text, what) if text else None


def emit_json(data: Any) -> None:
    # JSON is data: the same strings, with any control character as an escape.
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(json_escaped(text) + "\n")


class PrintableConsole(Console):
    """A console that never passes a control character from the records to the terminal.

    Every plain string is made printable before layout (so tables measure what they
    draw), and every segment drawn is made printable again, whatever renderable made
    it; Rich's own styling and control codes are not text, so they stay.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None:
                segment = Segment(printable(segment.text), segment.style)
            yield segment


def console(*, stderr: bool = False) -> Console:
    """Plain output: names are printed literally, never read as Rich markup."""
    out = PrintableConsole(markup=False, highlight=False, stderr=stderr)
    if not out.is_terminal:
        out.width = max(out.width, 160)  # piped output: do not squeeze tables
    return out


def echo(message: str, *, err: bool = False) -> None:
    """A plain line for a person (a result, a warning, an error): always printable."""
    typer.echo(printable(message), err=err)


def done(message: str) -> None:
    echo(message)


def emit_text(data: str) -> None:
    """A document on stdout (a report, a CSV): printable, like all terminal output;
    with ``-o FILE`` the file is written as rendered instead."""
    sys.stdout.write(printable(data))


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


@contextmanager
def options_named(names: "type[Change] | Mapping[str, str]") -> Iterator[None]:
    """Point a service's error about a field at the option a person types for it.

    ``names`` is a declared change, whose fields name their options, or, for a
    hand-written command, the service's field -> what to type for it
    (``{"home": "--home W", "lead_ids": "--lead"}``).
    """
    if isinstance(names, Mapping):
        options = dict(names)
    else:
        options = {attr: p.option.split()[0] for attr, p in params(names) if p.option}
        options["on"] = "--on"
    try:
        yield
    except PortfolioError as exc:
        option = options.get(exc.field or "")
        if option is None:
            raise
        text = str(exc)
        stop = "." if text.endswith(".") else ""
        exc.args = (f"{text.removesuffix(stop)} ({option}){stop}",)
        raise


def change_parameters(change: "type[Change]") -> list[inspect.Parameter]:
    """A change's fields as Typer parameters, as a person types them (names, dates as text)."""
    defaults = {f.name: f.default for f in dataclasses.fields(change)}
    out = []
    for attr, p in params(change):
        kind = inspect.Parameter.KEYWORD_ONLY
        if not p.option:
            spec: Any = typer.Argument(help=p.help)
            out.append(inspect.Parameter(p.arg, kind, annotation=Annotated[str, spec]))
            continue
        option = typer.Option(*p.option.split(), help=p.help)
        if p.kind in LISTS:
            annotation: Any = Annotated[list[str] | None, option]
            default: Any = None
        elif p.kind == Kind.FLAG:
            annotation, default = Annotated[bool, option], False
        elif p.required:
            annotation, default = Annotated[str, option], inspect.Parameter.empty
        elif p.kind in (Kind.CHOICE, Kind.TEXT):
            annotation, default = Annotated[str, option], str(defaults[attr])
        else:
            annotation, default = Annotated[str | None, option], None
        out.append(inspect.Parameter(p.arg, kind, default=default, annotation=annotation))
    return out


def with_signature(
    function: Callable[..., None], parameters: list[inspect.Parameter], doc: str
) -> Callable[..., None]:
    """A command function whose parameters Typer reads from ``parameters``."""
    ordered = sorted(parameters, key=lambda p: p.default is not inspect.Parameter.empty)
    function.__signature__ = inspect.Signature(ordered)  # type: ignore[attr-defined]
    function.__doc__ = doc
    return function


# Options every write takes, as Typer parameters of a generated command.
def stamp_parameters(
    on_help: str = "Effective date, YYYY-MM-DD (default today).",
) -> list[inspect.Parameter]:
    kind = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter("on", kind, default=None,
                          annotation=Annotated[str | None, typer.Option("--on", help=on_help)]),
        inspect.Parameter("actor", kind, default=None, annotation=AsOpt),
    ]  # fmt: skip
