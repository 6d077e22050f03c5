"""Unticking a checklist step: a new event, never an erase, read the same way by the
partner's checklist, `partner show --json`, the overview's attention and the board."""

import json
from datetime import date
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from portfolio import db
from portfolio.models import Event
from portfolio.services.overview import needs_attention
from tests.conftest import Cli
from tests.dbstate import dump

END = ("partnership", "end", "MEAM", "-w", "National", "--by", "2021-12-31",
       "--reason", "closing", "--on", "2021-03-01")  # fmt: skip


def tick(cli: Cli, step: str, on: str) -> None:
    cli.ok("partnership", "tick", "MEAM", "-w", "National", step, "--on", on)


def untick(cli: Cli, step: str, on: str, reason: str = "ticked in error") -> tuple[int, str, str]:
    return cli("partnership", "untick", "MEAM", "-w", "National", step, "--reason", reason,
               "--on", on)  # fmt: skip


def checklist(cli: Cli) -> dict[str, bool]:
    shown = json.loads(cli.ok("partner", "show", "MEAM", "--json"))
    ending = next(ps for ps in shown["partnerships"] if ps["state"] == "ending")
    return {s["step"]: s["done"] for s in ending["checklist"]}


def open_count(factory: sessionmaker[Session]) -> str:
    with db.read_session(factory) as session:
        items = needs_attention(session, date(2021, 6, 1)).items
    return next(i.detail for i in items if i.subject == "MEAM")


def test_an_untick_is_a_new_event_and_every_reader_agrees(
    cli: Cli, factory: sessionmaker[Session]
) -> None:
    cli.ok("demo")
    cli.ok(*END)
    tick(cli, "told", "2021-03-02")
    tick(cli, "notice", "2021-03-02")
    said = untick(cli, "told", "2021-03-05", "the partner was not told after all")
    assert said[0] == 0 and "MEAM in National: unticked told" in said[1]

    steps = checklist(cli)
    assert steps["told"] is False and steps["notice"] is True
    assert "7 checklist steps open" in open_count(factory)
    board = cli.ok("report", "board", "--from", "2021-01-01", "--to", "2021-06-30")
    assert "1 of 8 (notice)" in board
    # As at a day before the untick, the board still counts the tick.
    before = cli.ok("report", "board", "--from", "2021-01-01", "--to", "2021-03-03")
    assert "2 of 8 (told, notice)" in before

    with db.read_session(factory) as session:
        found = session.exec(
            select(Event).where(col(Event.action).in_(("tick", "untick"))).order_by(col(Event.id))
        ).all()
    # The tick stays as recorded; the untick names it and says why.
    assert [(e.action, e.data["step"]) for e in found] == [
        ("tick", "told"), ("tick", "notice"), ("untick", "told")
    ]  # fmt: skip
    assert found[2].reason == "the partner was not told after all"
    assert found[2].data["tick_event_id"] == found[0].id
    assert found[2].occurred_on == date(2021, 3, 5)
    history = cli.ok("history", "--partner", "MEAM")
    assert "untick" in history and "the partner was not told after all" in history

    # Ticked again after the untick, it is done again everywhere.
    tick(cli, "told", "2021-03-06")
    assert checklist(cli)["told"] is True
    assert "6 checklist steps open" in open_count(factory)
    board = cli.ok("report", "board", "--from", "2021-01-01", "--to", "2021-06-30")
    assert "2 of 8 (told, notice)" in board


def test_an_untick_needs_a_ticked_step_and_a_reason_and_leaves_the_records_as_they_were(
    cli: Cli, db_path: Path
) -> None:
    cli.ok("demo")
    before = dump(db_path)
    code, _out, err = untick(cli, "told", "2021-03-05")
    assert code == 1 and "untick needs it to be ending respectfully" in err
    assert dump(db_path) == before
    cli.ok(*END)
    before = dump(db_path)
    code, _out, err = untick(cli, "told", "2021-03-05")
    assert code == 1 and "'told' is not ticked for MEAM in National" in err
    assert dump(db_path) == before
    tick(cli, "told", "2021-03-02")
    before = dump(db_path)
    code, _out, err = untick(cli, "told", "2021-03-05", reason=" ")
    assert code != 0 and "reason" in err
    code, _out, err = untick(cli, "told", "2021-03-01")  # dated before the tick
    assert code == 1 and "date it then or later" in err
    assert dump(db_path) == before
    assert untick(cli, "told", "2021-03-05")[0] == 0
    before = dump(db_path)
    code, _out, err = untick(cli, "told", "2021-03-06")  # a second time
    assert code == 1 and "not ticked" in err
    assert dump(db_path) == before
