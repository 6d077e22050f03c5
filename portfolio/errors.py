"""Domain errors: each carries a message a person can act on.

The CLI and the TUI show ``str(error)`` and nothing else; never a traceback.
An error about one field names it (``field``, as the service calls it) so that
each interface can point at it in its own words: the CLI names its option, the
app its form field.
"""


class PortfolioError(Exception):
    """Base of every error the user is meant to read."""

    exit_code = 1

    def __init__(self, *args: object, field: str | None = None) -> None:
        self.field = field
        super().__init__(*args)


class NotFound(PortfolioError):
    """A named record does not exist (the message suggests near matches)."""


class Refused(PortfolioError):
    """An action is not allowed in the current state of the records."""

    def __init__(self, *problems: str, field: str | None = None) -> None:
        self.problems = list(problems)
        # One sentence: each problem but the last loses its full stop before the "; ".
        parts = [p.removesuffix(".") for p in problems[:-1]] + list(problems[-1:])
        super().__init__("; ".join(parts), field=field)


class Duplicate(PortfolioError):
    """A record with that unique name already exists."""


class InvalidInput(PortfolioError):
    """Input that cannot be parsed (a bad date, amount or option)."""

    exit_code = 2


class DatabaseError(PortfolioError):
    """The database file cannot be used (not SQLite, not a portfolio database, ...)."""
