"""What the overview says needs attention about endings, counted in SQL."""

from datetime import date

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services.overview import needs_attention
from tests.conftest import Cli

STEPS = ("decision", "told", "notice", "tie-off", "introductions", "learning", "final-report",
         "follow-up")  # fmt: skip


def end(cli: Cli, partner: str, by: str, ticks: tuple[str, ...] = ()) -> None:
    cli.ok("partnership", "end", partner, "-w", "National", "--by", by, "--reason", "closing",
           "--on", "2021-01-11")  # fmt: skip
    for step in ticks:
        cli.ok("partnership", "tick", partner, "-w", "National", step, "--on", "2021-01-12")


def test_an_ending_needs_attention_while_late_or_with_steps_open_and_a_new_one_starts_afresh(
    cli: Cli, factory: sessionmaker[Session]
) -> None:
    cli.ok("demo")
    end(cli, "MEAM", "2021-12-31", STEPS)  # every step ticked, not yet due: nothing to do
    end(cli, "Agenda", "2021-03-31", STEPS)  # every step ticked, but its planned end passed
    end(cli, "Our Agency", "2021-12-31", STEPS[:3])
    cli.ok("partnership", "resume", "Our Agency", "-w", "National", "--reason", "funded again",
           "--on", "2021-02-01")  # fmt: skip
    end(cli, "Leeds GATE", "2021-11-30", STEPS[:7])
    cli.ok("partnership", "end", "Our Agency", "-w", "National", "--by", "2021-10-31",
           "--reason", "closing after all", "--on", "2021-03-01")  # fmt: skip
    cli.ok("partnership", "tick", "Our Agency", "-w", "National", "told", "--on", "2021-03-02")

    with db.read_session(factory) as session:
        attention = needs_attention(session, date(2021, 6, 1))
        first = needs_attention(session, date(2021, 6, 1), per_kind=1)
    endings = [(i.subject, i.detail) for i in attention.items if i.kind == "ending"]
    assert endings == [
        ("Agenda", "ending in National, planned end 2021-03-31 passed"),
        # The ticks of its first ending do not count for the second.
        ("Our Agency", "ending in National, planned end 2021-10-31, 7 checklist steps open"),
        ("Leeds GATE", "ending in National, planned end 2021-11-30, 1 checklist step open"),
    ]
    assert attention.totals["ending"] == 3
    assert [i.subject for i in first.items if i.kind == "ending"] == ["Agenda"]
    assert first.totals["ending"] == 3
