"""The ``portfolio`` command: thin over services, one clear line on any error.

Exit codes: 0 done, 1 refused (unknown name, wrong state, duplicate), 2 input
that cannot be parsed (bad date or amount, missing option).
"""

import sys
from typing import Annotated

import typer

from portfolio import __version__
from portfolio.commands import actions as action_cmd
from portfolio.commands import decisions as decision_cmd
from portfolio.commands import learning as learning_cmd
from portfolio.commands import partners as partners_cmd
from portfolio.commands import partnerships, people, records, setup, workstreams
from portfolio.commands import reports as reports_cmd
from portfolio.commands.common import STATE, echo
from portfolio.errors import PortfolioError

app = typer.Typer(
    name="portfolio",
    help="A funder's portfolio and partnership-lifecycle tracker. No command opens the app.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file or SQLAlchemy URL (default: PORTFOLIO_DB)."),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    STATE.db = db
    STATE._factory = None
    if version:
        typer.echo(f"portfolio {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        from portfolio.tui import run_app  # Textual loads only for the app itself

        run_app(STATE.factory())


app.command("init")(setup.init)
app.command("demo")(setup.demo)
app.command("history")(setup.history)
app.add_typer(people.app, name="person")
app.add_typer(workstreams.app, name="workstream")
app.add_typer(partners_cmd.app, name="partner")
app.add_typer(partnerships.app, name="partnership")
app.add_typer(records.grant_app, name="grant")
app.add_typer(records.theme_app, name="theme")
app.add_typer(records.checklist_app, name="checklist")
app.add_typer(decision_cmd.app, name="decision")
app.add_typer(learning_cmd.session_app, name="session")
app.add_typer(learning_cmd.template_app, name="template")
app.add_typer(learning_cmd.insight_app, name="insight")
app.add_typer(action_cmd.action_app, name="action")
app.add_typer(action_cmd.group_app, name="group")
app.add_typer(reports_cmd.report_app, name="report")
app.add_typer(reports_cmd.export_app, name="export")
app.add_typer(reports_cmd.import_app, name="import")


def say(message: str) -> None:
    """The one line for a failure; a name or argument in it shows printable."""
    echo(f"portfolio: {message}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn every known failure into one line on stderr and an exit code."""
    from sqlalchemy.exc import OperationalError
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
    from typer.exceptions import Abort

    try:
        result = app(args=argv, prog_name="portfolio", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()
        return 2
    except ClickException as exc:
        message = exc.format_message().replace("\n", " ")
        say(f"{message} (see --help)")
        return exc.exit_code
    except PortfolioError as exc:
        say(str(exc))
        return exc.exit_code
    except (Abort, KeyboardInterrupt):
        say("stopped; nothing was saved.")
        return 1
    except OperationalError as exc:
        say(f"the database could not be used: {exc.orig}")
        return 1
    except Exception as exc:  # a bug: still one line, and the records are untouched
        say(
            f"unexpected error ({type(exc).__name__}: {exc}); nothing was saved. "
            "Please report this."
        )
        return 1
    return result if isinstance(result, int) else 0


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
