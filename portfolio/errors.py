"""Domain errors: each carries a message a person can act on.

The CLI and the TUI show ``str(error)`` and nothing else; never a traceback.
"""


class PortfolioError(Exception):
    """Base of every error the user is meant to read."""

    exit_code = 1


class NotFound(PortfolioError):
    """A named record does not exist (the message suggests near matches)."""


class Refused(PortfolioError):
    """An action is not allowed in the current state of the records."""

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problems))


class Duplicate(PortfolioError):
    """A record with that unique name already exists."""


class InvalidInput(PortfolioError):
    """Input that cannot be parsed (a bad date, amount or option)."""

    exit_code = 2


class DatabaseError(PortfolioError):
    """The database file cannot be used (not SQLite, not a portfolio db, ...)."""
