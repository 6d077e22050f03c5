"""`partnership ACTION`: one command per declared lifecycle action, made from its declaration."""

from typing import Any

import typer

from portfolio.commands.common import (
    change_parameters,
    done,
    options_named,
    stamp,
    stamp_parameters,
    with_signature,
    writing,
)
from portfolio.services import partnerships
from portfolio.services.changes import Change, Names, from_words, on_declare

app = typer.Typer(
    help="The partnership lifecycle: start, review, resume, end, tick, untick, complete, transfer.",
    no_args_is_help=True,
)


def _command(action: type[partnerships.PartnershipAction]) -> None:
    def run(**words: Any) -> None:
        on, actor = words.pop("on"), words.pop("actor")
        with options_named(action), writing() as session:
            change = from_words(session, action, words)
            result = change.run(session, stamp(on, actor))
            message = change.done_message(Names(session), result)
        done(message)

    parameters = change_parameters(action) + stamp_parameters()
    app.command(action.name)(with_signature(run, parameters, action.summary))


def _declared(change: type[Change]) -> None:
    if issubclass(change, partnerships.PartnershipAction):
        _command(change)


on_declare(_declared)  # an action declared later (a plugin, a test) gets its command too
