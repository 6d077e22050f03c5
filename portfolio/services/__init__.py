"""Use cases and lifecycle rules: the only code that writes to the database.

Every function takes a keyword-only ``session`` and flushes but never commits;
the caller wraps one user action in :func:`portfolio.db.unit_of_work`.
"""

# Registers the listener that keeps the summary of positions in step with every write,
# whichever service makes it.
from portfolio.services import positions as _positions  # noqa: E402, F401
