"""Seed 003, the National team's closure, as a person would type it into the CLI.

Reusable: pass any callable that runs ``portfolio`` with the given arguments and
fails on a non-zero exit (the ``cli.ok`` of ``tests/conftest.py``), on a
database holding ``portfolio demo``.
"""

from collections.abc import Callable

NATIONAL = "National"
PLACE = "Place"
MENTAL_HEALTH = "Ethnic inequality in mental health"
ENDING = ("MEAM", "Agenda")
TO_PLACE = ("Corra Foundation", "Localmotion")
UNDER_REVIEW = ("Our Agency", "Leeds GATE", "Birmingham Pathfinder")
CLOSED_ON = "2021-02-08"

Run = Callable[..., object]


def close_national(run: Run) -> None:
    """Every step of the National team's closure, back-dated to early 2021."""
    for partner in ENDING:
        run(
            "partnership", "end", partner, "--workstream", NATIONAL, "--by", "2021-12-31",
            "--reason", "National is closing; ending respectfully, with notice and thanks",
            "--exit-type", "out", "--on", "2021-01-11", "--as", "Julian",
        )  # fmt: skip
        run("partnership", "tick", partner, "--workstream", NATIONAL, "decision",
            "--on", "2021-01-11", "--as", "Julian")  # fmt: skip
    for partner in TO_PLACE:
        run(
            "partnership", "transfer", partner, "--from", NATIONAL, "--to", PLACE,
            "--reason", "Place work outside our six areas belongs with the place partners",
            "--on", "2021-01-18", "--as", "Jess",
        )  # fmt: skip
    for partner in UNDER_REVIEW:
        run(
            "partnership", "review", partner, "--workstream", NATIONAL, "--lead", "Jess",
            "--reason", "How best to support this work and tie it into existing work",
            "--on", "2021-01-25",
        )  # fmt: skip
    run(
        "theme", "rehome", MENTAL_HEALTH, "--unhomed", "--lead", "Julian", "--lead", "Cathy",
        "--reason", "No obvious home in the inquiry set-up; a field to relate to as such",
        "--on", "2021-02-01",
    )  # fmt: skip
    run(
        "workstream", "close", NATIONAL, "--reason", "National is not a useful container",
        "--on", CLOSED_ON, "--as", "Julian",
    )  # fmt: skip
