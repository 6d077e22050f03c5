"""A small portfolio with transfers, endings and three currencies, typed into the CLI.

Reusable like ``tests/scenario.py``: pass ``cli.ok`` (or anything that runs
``portfolio`` and fails on a non-zero exit). ``STEPS`` are the commands one at a
time, so a test can check the read model after each write.

North and South open on 2020-01-01.
- Ada (North): GBP 100 (no planned end) and EUR 50 (to 2022-12-31); moves to South
  on 2021-03-01 with both still to run.
- Bo (North): GBP 1,000 planned to end 2021-01-31, before Bo moves to South on
  2021-03-01 (it stays in North's history, committed nowhere), and GBP 300 to
  2022-06-30, which moves.
- Cy (North): GBP 200, ending from 2021-04-01: still committed (ending is current).
- Di (South): GBP 400, ending on 2021-04-10, completed on 2021-05-01: ended.
- Ed (North): USD 70, to South on 2021-03-01 and back to North on 2021-06-01.
"""

from collections.abc import Callable
from decimal import Decimal

Run = Callable[..., object]

PARTNERS = ("Ada", "Bo", "Cy", "Di", "Ed")
HOMES = {"Ada": "North", "Bo": "North", "Cy": "North", "Di": "South", "Ed": "North"}
GRANTS = (
    ("Ada", "North", "100", "GBP", None),
    ("Ada", "North", "50", "EUR", "2022-12-31"),
    ("Bo", "North", "1000", "GBP", "2021-01-31"),
    ("Bo", "North", "300", "GBP", "2022-06-30"),
    ("Cy", "North", "200", "GBP", "2022-03-31"),
    ("Di", "South", "400", "GBP", "2022-03-31"),
    ("Ed", "North", "70", "USD", None),
)


def _setup() -> list[tuple[str, ...]]:
    steps: list[tuple[str, ...]] = [("person", "add", "Jo")]
    for ws in ("North", "South"):
        steps.append(("workstream", "add", ws, "--lead", "Jo", "--on", "2020-01-01"))
    for partner in PARTNERS:
        steps.append(("partner", "add", partner))
        steps.append(("partnership", "start", partner, "--workstream", HOMES[partner],
                      "--lead", "Jo", "--on", "2020-02-01"))  # fmt: skip
    for partner, ws, amount, currency, end in GRANTS:
        grant = ["grant", "add", partner, "--workstream", ws, "--amount", amount,
                 "--currency", currency, "--awarded", "2020-03-01"]  # fmt: skip
        steps.append(tuple(grant + (["--end", end] if end else [])))
    return steps


def _moves() -> list[tuple[str, ...]]:
    move = ("--reason", "the work belongs there")
    return [
        ("partnership", "transfer", "Ada", "--from", "North", "--to", "South", *move,
         "--on", "2021-03-01"),
        ("partnership", "transfer", "Bo", "--from", "North", "--to", "South", *move,
         "--on", "2021-03-01"),
        ("partnership", "transfer", "Ed", "--from", "North", "--to", "South", *move,
         "--on", "2021-03-01"),
        ("partnership", "end", "Cy", "--workstream", "North", "--by", "2021-09-30",
         "--reason", "strategy", "--on", "2021-04-01"),
        ("partnership", "end", "Di", "--workstream", "South", "--by", "2021-04-30",
         "--reason", "strategy", "--on", "2021-04-10"),
        ("partnership", "complete", "Di", "--workstream", "South", "--reason", "done early",
         "--on", "2021-05-01"),
        ("partnership", "transfer", "Ed", "--from", "South", "--to", "North", *move,
         "--on", "2021-06-01"),
    ]  # fmt: skip


STEPS: tuple[tuple[str, ...], ...] = (*_setup(), *_moves())


def build(run: Run) -> None:
    for step in STEPS:
        run(*step)


def gbp(amount: str) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


# The position once every step is done, by workstream name.
COMMITTED = {
    "North": {"GBP": gbp("200"), "USD": gbp("70")},
    "South": {"GBP": gbp("400"), "EUR": gbp("50")},
}
COUNTS = {
    "North": {"transferred": 3, "ending": 1, "active": 1},
    "South": {"active": 2, "ended": 1, "transferred": 1},
}
