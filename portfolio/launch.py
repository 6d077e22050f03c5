"""The ``portfolio`` command's entry point.

With no command (``portfolio`` or ``portfolio --db FILE``) it opens the app
without loading the CLI's command modules and Typer, which would add a few
hundred milliseconds to every start; anything else goes to the CLI.
"""

import gc
import sys


def app_only(argv: list[str]) -> tuple[bool, str | None]:
    """Whether the arguments only ask for the app, and the ``--db`` they give."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db":
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db="):
        return True, argv[0].removeprefix("--db=")
    return False, None


def entry() -> None:
    wanted, chosen = app_only(sys.argv[1:])
    if wanted:
        # Start-up makes a million objects that live as long as the app; collecting
        # garbage among them meanwhile only costs time. The app turns collection back
        # on once the overview shows (PortfolioApp.overview_ready).
        gc.disable()
        from portfolio import db
        from portfolio.settings import database_url

        try:
            factory = db.open_database(database_url(chosen or None))
        except Exception:  # the CLI reports it in its one-line form
            factory = None
        if factory is not None:
            from portfolio.tui import run_app

            run_app(factory)
            sys.exit(0)
    from portfolio.cli import entry as cli_entry

    cli_entry()
