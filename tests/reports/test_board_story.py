"""The board update tells what happened, faithfully, as at its --to date."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from report_story import PERIOD, board
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.models import ActionItem, Decision, Person
from portfolio.reports import board as formats
from portfolio.reports.board_data import build_board_update
from portfolio.services.demo import MENTAL_HEALTH


def test_the_update_for_the_national_decision_tells_the_seed_003_story(
    story_cli: Any, tmp_path: Path
) -> None:
    text = story_cli.ok("report", "board", "--from", PERIOD[0], "--to", PERIOD[1])
    national = text[text.index("\n## National") : text.index("\n## Place")]
    assert "National closed." in national
    for partner in ("MEAM", "Agenda"):
        assert f"{partner} began ending respectfully (phasing out by 2021-12-31)" in national
        assert f"| {partner} | phasing out | 2021-12-31 |" in national
    for partner in ("Corra Foundation", "Localmotion"):
        assert f"{partner} moved to Place." in national
    place = text[text.index("\n## Place") : text.index("\n## Who")]
    assert "Corra Foundation moved here from National." in place
    for partner in ("Our Agency", "Leeds GATE", "Birmingham Pathfinder"):
        assert f"{partner} put under review with Jess." in national
        assert f"| {partner} | Jess | 2021-02-15 |" in national
    assert f"{MENTAL_HEALTH}: unhomed since 2021-02-15 (last held by National); Julian and " in (
        national
    )
    assert "Julian and Cathy lead its next steps." in national


def test_the_data_model_holds_the_position_as_at_the_end_of_the_period(
    story_factory: sessionmaker[Session],
) -> None:
    update = board(story_factory, *PERIOD)
    national = next(s for s in update.sections if s.name == "National")
    assert national.status == "closed" and national.closed_on == date(2021, 2, 16)
    assert national.counts == {"ending": 2, "review": 3, "transferred": 2}
    meam = next(e for e in national.endings if e.partner == "MEAM")
    assert meam.steps_done == ("told",) and meam.progress == "1 of 8"
    assert [r.lead for r in national.reviews] == ["Jess", "Jess", "Jess"]
    assert [(t.name, t.leads) for t in update.portfolio.unhomed] == [
        (MENTAL_HEALTH, ("Julian", "Cathy"))
    ]
    # Corra and Localmotion's grants follow them to Place.
    place = next(s for s in update.sections if s.name == "Place")
    assert place.committed == {"GBP": Decimal("630000.00")}
    assert update.summary.committed == {"GBP": Decimal("1680000.00")}
    assert update.summary.ending_12_months == {"GBP": Decimal("725000.00")}


def test_an_update_for_a_past_period_reads_the_same_after_later_changes(
    story_cli: Any, story_factory: sessionmaker[Session]
) -> None:
    before = {f: formats.render(board(story_factory, *PERIOD), f) for f in ("md", "html", "term")}
    story_cli.ok("partnership", "complete", "MEAM", "-w", "National", "--on", "2021-12-31",
                 "--reason", "Ended as planned")  # fmt: skip
    story_cli.ok("partnership", "transfer", "Our Agency", "--from", "National", "--to", "Place",
                 "--on", "2021-06-01", "--reason", "Jess found a way")  # fmt: skip
    story_cli.ok("theme", "rehome", MENTAL_HEALTH, "--to", "Who", "--on", "2021-09-01")
    story_cli.ok("partnership", "tick", "Agenda", "-w", "National", "told", "--on", "2021-04-02")
    after = {f: formats.render(board(story_factory, *PERIOD), f) for f in ("md", "html", "term")}
    assert after == before
    later = board(story_factory, "2021-01-01", "2021-12-31")
    national = next(s for s in later.sections if s.name == "National")
    assert any(h.text.startswith("The ending of MEAM was completed") for h in national.happenings)
    assert [t.name for t in later.portfolio.unhomed] == []


def test_an_update_for_2020_shows_national_open_with_its_partners_active(
    story_factory: sessionmaker[Session],
) -> None:
    update = board(story_factory, "2020-01-01", "2020-12-31", "National")
    (national,) = update.sections
    assert national.status == "open" and national.counts == {"active": 7}
    assert national.themes == [MENTAL_HEALTH]
    assert not national.endings and not national.reviews
    assert update.portfolio.unhomed == []


def test_shared_insights_decisions_and_open_actions_are_filed_under_their_workstreams(
    story_factory: sessionmaker[Session],
) -> None:
    with db.unit_of_work(story_factory) as session:
        julian = session.exec(select(Person).where(Person.name == "Julian")).one()
        wide = Decision(title="Start an external messaging group", decided_on=date(2021, 2, 1))
        session.add(wide)
        session.flush()
        session.add(
            ActionItem(text="Draft the first key national messages", owner_id=julian.id,
                       due_on=date(2021, 5, 1), created_on=date(2021, 2, 1),
                       decision_id=wide.id)
        )  # fmt: skip
    update = board(story_factory, *PERIOD)
    national = next(s for s in update.sections if s.name == "National")
    # The demo's decision (agreed; the story above was carried out by hand).
    assert [d.title for d in national.decisions] == ["Close the National portfolio team"]
    assert national.decisions[0].status == "agreed"
    # The six board insights of seed 003 concern National; the internal one stays out.
    assert len(national.insights) == 6
    assert any(i.text.startswith("\u201cNational\u201d is not a useful container") or
               "not a useful container" in i.text for i in national.insights)  # fmt: skip
    assert {a.owner for a in national.actions} >= {"Jess", "Julian"}
    assert [d.title for d in update.portfolio.decisions] == ["Start an external messaging group"]
    text = formats.render(update, "md")
    assert "Close the National portfolio team (agreed)" in text
    assert "Draft the first key national messages (Julian, due 2021-05-01)" in text


def test_enacting_the_demo_decision_tells_the_seed_003_story_with_the_decision(
    cli: Any,
) -> None:
    cli.ok("demo")
    cli.ok("decision", "enact", "1", "--on", "2021-02-10")
    text = cli.ok("report", "board", "--from", PERIOD[0], "--to", PERIOD[1])
    national = text[text.index("\n## National") : text.index("\n## Place")]
    assert "National closed." in national
    assert "Close the National portfolio team (enacted on 2021-02-10)" in national
    for partner in ("MEAM", "Agenda"):
        assert f"{partner} began ending respectfully (phasing out by 2021-12-31)" in national
    for partner in ("Corra Foundation", "Localmotion"):
        assert f"{partner} moved to Place." in national
    for partner in ("Our Agency", "Leeds GATE", "Birmingham Pathfinder"):
        assert f"{partner} put under review with Jess." in national
    assert "Julian and Cathy lead its next steps." in national


def _count_statements(factory: sessionmaker[Session], start: str, end: str) -> int:
    engine = factory.kw["bind"]
    seen: list[str] = []

    def count(*_args: Any) -> None:
        seen.append("x")

    with db.read_session(factory) as session:
        session.connection()  # the connection's own set-up is not the report's
        event.listen(engine, "before_cursor_execute", count)
        try:
            build_board_update(session, date_from=date.fromisoformat(start),
                               date_to=date.fromisoformat(end))  # fmt: skip
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_update_runs_the_same_number_of_statements_whatever_the_size(
    story_cli: Any, story_factory: sessionmaker[Session]
) -> None:
    small = _count_statements(story_factory, *PERIOD)
    for n in range(12):
        name = f"Extra partner {n}"
        story_cli.ok("partner", "add", name)
        story_cli.ok("partnership", "start", name, "-w", "Place", "--on", "2021-01-05")
        story_cli.ok("grant", "add", name, "-w", "Place", "--amount", "1000", "--on", "2021-01-06")
        if n % 2:
            story_cli.ok("partnership", "end", name, "-w", "Place", "--by", "2021-06-30",
                         "--reason", "Short project", "--on", "2021-02-01")  # fmt: skip
            story_cli.ok("partnership", "tick", name, "-w", "Place", "told", "--on", "2021-02-02")
    assert _count_statements(story_factory, *PERIOD) == small
    place = next(s for s in board(story_factory, *PERIOD).sections if s.name == "Place")
    assert len(place.endings) == 6 and len(place.grants) == 12


def test_unknown_workstreams_and_reversed_periods_are_refused_in_one_line(story_cli: Any) -> None:
    code, _, err = story_cli("report", "board", "--from", PERIOD[0], "--to", PERIOD[1], "-w", "Nat")
    assert code == 1 and "No workstream named 'Nat'. Did you mean: National?" in err
    code, _, err = story_cli("report", "board", "--from", "2021-03-31", "--to", "2021-01-01")
    assert code == 2 and err.count("\n") == 1


def test_a_decision_superseded_after_the_period_shows_as_it_stood_then(
    story_factory: sessionmaker[Session],
) -> None:
    from portfolio.services import decisions
    from portfolio.services.history import Stamp

    with db.unit_of_work(story_factory) as session:
        later = decisions.add_decision(
            session, Stamp(date(2021, 2, 20), "tester"), title="Rethink National",
            decision="rethink", status="agreed", workstreams=["National"],
        ).id  # fmt: skip
        assert later is not None
        decisions.supersede(session, Stamp(date(2021, 6, 1), "tester"), decision_id=1,
                            with_id=later)  # fmt: skip

    def status_in(update: Any) -> str:
        national = next(s for s in update.sections if s.name == "National")
        return next(d.status for d in national.decisions if d.id == 1)

    assert status_in(board(story_factory, *PERIOD)) == "agreed"  # superseded only in June
    assert status_in(board(story_factory, PERIOD[0], "2021-06-30")) == "superseded"
