"""A small known portfolio for the overview's pictures and its money, typed into the CLI.

Today (the app's) is 2021-06-01. A workstream with a long name holds Ada (active:
GBP 413,345,327.35 to 2021-09-30 and EUR 1,000,000 to 2022-12-31) and Bo (under
review, no grant); North holds Cy (active, GBP 665,000, no planned end), Di (ending,
GBP 100 to 2023-01-15) and Ed (ended).
"""

from collections.abc import Callable

LONG = "Community Power and Place-Based Funding"

STEPS: tuple[tuple[str, ...], ...] = (
    ("person", "add", "Jo"),
    ("workstream", "add", LONG, "--lead", "Jo", "--on", "2020-01-01"),
    ("workstream", "add", "North", "--lead", "Jo", "--on", "2020-01-01"),
    *(("partner", "add", p) for p in ("Ada", "Bo", "Cy", "Di", "Ed")),
    *(("partnership", "start", p, "-w", ws, "--lead", "Jo", "--on", "2020-02-01")
      for p, ws in (("Ada", LONG), ("Bo", LONG), ("Cy", "North"), ("Di", "North"),
                    ("Ed", "North"))),
    ("grant", "add", "Ada", "-w", LONG, "--amount", "413,345,327.35", "--end", "2021-09-30",
     "--awarded", "2020-03-01"),
    ("grant", "add", "Ada", "-w", LONG, "--amount", "1,000,000", "--currency", "EUR",
     "--end", "2022-12-31", "--awarded", "2020-03-01"),
    ("grant", "add", "Cy", "-w", "North", "--amount", "665,000", "--awarded", "2020-03-01"),
    ("grant", "add", "Di", "-w", "North", "--amount", "100", "--end", "2023-01-15",
     "--awarded", "2020-03-01"),
    ("partnership", "review", "Bo", "-w", LONG, "--lead", "Jo", "--reason", "fit",
     "--on", "2021-01-10"),
    ("partnership", "end", "Di", "-w", "North", "--by", "2021-12-31", "--reason", "strategy",
     "--on", "2021-02-01"),
    ("partnership", "end", "Ed", "-w", "North", "--by", "2021-03-31", "--reason", "strategy",
     "--on", "2021-02-01"),
    ("partnership", "complete", "Ed", "-w", "North", "--reason", "done", "--on", "2021-03-31"),
)  # fmt: skip


def build(run: Callable[..., object]) -> None:
    for step in STEPS:
        run(*step)
