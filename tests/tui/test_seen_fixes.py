"""What was seen using the app (issue 11, item 6), each fixed as a person would notice:
the guided closure asks which workstream, an overdue action opens on itself, Enact is
not offered when the plan cannot be made, a new decision is highlighted, detail panes
start at their top, the colour scheme is called that, a future session is not held."""

import os
import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from portfolio import db
from portfolio.models import Decision
from portfolio.models.base import name_key
from portfolio.services import actions, decisions, sessions
from portfolio.tui.screens.decisions import DecisionsScreen, EnactRefusedScreen, PickScreen
from portfolio.tui.screens.form import FormScreen
from tests.tui.tui_support import event_count, make_app, on, read, settle, wait_for
from tests.words import make


async def _open_decisions(pilot: Pilot[Any]) -> DecisionsScreen:
    await settle(pilot)
    await pilot.press("d")

    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, DecisionsScreen) and screen.detail is not None

    await wait_for(pilot, shown, "the decisions")
    return pilot.app.screen  # type: ignore[return-value]


def _add_decision(
    factory: sessionmaker[Session], title: str, workstreams: list[str], context: str = ""
) -> None:
    with db.unit_of_work(factory) as s:
        decisions.add_decision(
            s, on("2021-05-01"), title=title, decision=f"{title}.", workstreams=workstreams,
            context=context,
        )  # fmt: skip


async def _highlight(pilot: Pilot[Any], screen: DecisionsScreen, decision_id: int) -> None:
    table = screen.query_one("#decisions", DataTable)
    table.move_cursor(row=table.get_row_index(str(decision_id)))
    await wait_for(
        pilot, lambda: screen.detail is not None and screen.detail["id"] == decision_id, "it"
    )


async def test_plan_closing_asks_which_workstream_when_the_decision_names_none(
    demo_factory: sessionmaker[Session],
) -> None:
    _add_decision(demo_factory, "Reshape the teams", [])
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_decisions(pilot)
        await _highlight(pilot, screen, 2)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), "the question")
        offered = app.screen.query_one(OptionList)
        names = [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)]
        assert names == ["How", "National", "Place", "Who"]
        assert "Which workstream does decision 2 close?" in str(
            app.screen.query_one("#pick-title").render()
        )
        await pilot.press("down", "down", "enter")  # Place
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the closing form")
        assert str(app.screen.query_one("#title").render()) == "Plan closing Place (decision 2)"


async def test_plan_closing_asked_nothing_closes_nothing(
    demo_factory: sessionmaker[Session],
) -> None:
    _add_decision(demo_factory, "Reshape the teams", [])
    before = event_count(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_decisions(pilot)
        await _highlight(pilot, screen, 2)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), "the question")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the decisions")
    assert event_count(demo_factory) == before


async def test_plan_closing_uses_the_workstream_the_decision_names(
    demo_factory: sessionmaker[Session],
) -> None:
    _add_decision(demo_factory, "Close Who", ["Who"])
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_decisions(pilot)
        await _highlight(pilot, screen, 2)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the closing form")
        assert str(app.screen.query_one("#title").render()) == "Plan closing Who (decision 2)"


def _spoil_the_plan(factory: sessionmaker[Session]) -> None:
    """MEAM and Agenda begin ending before the plan that ends them is enacted."""
    with db.unit_of_work(factory) as s:
        for partner in ("MEAM", "Agenda"):
            make(
                s, on("2021-03-01"), "end", partner=partner, workstream="National",
                by=date(2021, 5, 31), reason="Ended early", exit_type="out",
            )  # fmt: skip


async def test_enact_says_why_it_cannot_and_offers_no_enact(
    demo_factory: sessionmaker[Session],
) -> None:
    _spoil_the_plan(demo_factory)
    before = event_count(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_decisions(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EnactRefusedScreen), "the refusal")
        assert not app.screen.query("#confirm")  # nothing to press that would enact
        text = str(app.screen.query_one(Static).render())
        assert text.startswith("2 of its 9 changes would be refused, so nothing can be enacted")
        assert "REFUSED: Cannot end MEAM in National: it is ending respectfully" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the decisions")
    assert event_count(demo_factory) == before
    status = read(demo_factory, lambda s: s.exec(select(Decision.status)).one())
    assert status == "agreed"


def test_a_refusal_of_several_problems_reads_as_one_sentence(
    demo_factory: sessionmaker[Session],
) -> None:
    _spoil_the_plan(demo_factory)
    from portfolio.errors import Refused
    from portfolio.services import enactment

    try:
        with db.unit_of_work(demo_factory) as s:
            enactment.enact(s, on("2021-06-01"), decision_id=1)
    except Refused as exc:
        said = str(exc)
    assert ".;" not in said
    assert "active or under review; change 2 (end Agenda" in said
    assert said.endswith("active or under review.")


async def test_a_decision_just_recorded_is_highlighted(
    demo_factory: sessionmaker[Session],
) -> None:
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_decisions(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        app.screen.query_one("#field-title", Input).value = "Open a North team"
        app.screen.query_one("#field-decision", Input).value = "Open it"
        app.screen.action_confirm()  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: app.screen is screen, "the form to close")
        await wait_for(
            pilot, lambda: screen.detail is not None and screen.detail["id"] == 2, "the new one"
        )
        table = screen.query_one("#decisions", DataTable)
        assert table.get_row_at(table.cursor_row)[2] == "Open a North team"
        assert str(screen.query_one("#detail", Static).render()).startswith("2. Open a North team")


async def test_the_decision_detail_starts_at_its_top_for_another_decision(
    demo_factory: sessionmaker[Session],
) -> None:
    # Long enough to scroll too: else the pane would only be clamped to the shorter text.
    _add_decision(demo_factory, "Keep National", [], context="Why it stays. " * 200)
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_decisions(pilot)
        pane = screen.query_one("#detail-pane", VerticalScroll)
        await wait_for(pilot, lambda: pane.max_scroll_y > 0, "a long detail")
        pane.scroll_end(animate=False)
        await wait_for(pilot, lambda: pane.scroll_y > 0, "the pane scrolled down")
        screen.query_one("#decisions").focus()
        await pilot.press("down")
        await wait_for(
            pilot, lambda: screen.detail is not None and screen.detail["id"] == 2, "decision 2"
        )
        await settle(pilot)
        assert pane.scroll_y == 0


CALL = "Call Agenda back"


async def test_an_overdue_action_opens_on_itself_in_the_actions_tab(
    demo_factory: sessionmaker[Session],
) -> None:
    from portfolio.tui.screens.learning import ACTIONS_TAB, LearningScreen
    from portfolio.tui.screens.overview import OverviewScreen

    with db.unit_of_work(demo_factory) as s:
        for text, due in (("Send the letters", "2021-05-01"), ("Call Agenda back", "2021-05-20"),
                          ("Book the room", "2021-09-01")):  # fmt: skip
            actions.add_action(
                s, text=text, owner="Cathy", actor="tester", on=date(2021, 4, 1),
                due=date.fromisoformat(due),
            )  # fmt: skip
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        attention = app.screen.query_one("#attention", OptionList)
        rows = [str(attention.get_option_at_index(i).prompt) for i in range(attention.option_count)]
        wanted = next(i for i, row in enumerate(rows) if CALL in row)
        assert isinstance(app.screen, OverviewScreen)
        attention.focus()
        attention.highlighted = wanted
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LearningScreen), "learning")
        screen = app.screen
        table = screen.query_one("#actions", DataTable)

        def on_it() -> bool:
            return (
                table.row_count > 0 and table.get_row_at(table.cursor_row)[3] == "Call Agenda back"
            )

        await wait_for(pilot, on_it, "the action highlighted")
        assert screen.query_one("#tabs", TabbedContent).active == ACTIONS_TAB
        assert table.get_row_at(table.cursor_row)[1] == "overdue"
        assert table.has_focus
        await pilot.press("m")  # done, from where it landed
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the done form")
        assert str(app.screen.query_one("#preamble").render()).startswith("Call Agenda back\n")


def _plan_a_session(factory: sessionmaker[Session], day: date = date(2021, 9, 15)) -> None:
    with db.unit_of_work(factory) as s:
        sessions.add_session(s, title="Autumn learning day", on=day, actor="tester")


async def test_a_session_dated_after_today_is_listed_as_planned_not_held(
    demo_factory: sessionmaker[Session],
) -> None:
    from portfolio.tui.screens.learning import LearningScreen, SessionScreen

    _plan_a_session(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LearningScreen), "learning")
        screen = app.screen
        table = screen.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count > 1, "the sessions")
        headers = [str(c.label) for c in table.columns.values()]
        assert "Held" not in headers and headers[1] == "Date"
        last = table.row_count - 1
        assert table.get_row_at(last)[1:3] == ["2021-09-15", "Autumn learning day"]
        assert table.get_row_at(last)[5] == "planned"
        assert table.get_row_at(0)[5] == "held"
        screen.query_one("#tabs", TabbedContent).active = "tab-sessions"
        table.focus()
        table.move_cursor(row=last)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        shown = [str(w.render()) for w in app.screen.query(Static)]
        assert "Planned for 2021-09-15 (upcoming) · template reflective-practice" in shown
        assert not any("Held on" in line for line in shown)


def test_the_cli_lists_a_future_session_as_planned(
    demo_factory: sessionmaker[Session], cli: Any
) -> None:
    day = date.today() + timedelta(days=30)  # the command line goes by the clock
    _plan_a_session(demo_factory, day)
    out = cli.ok("session", "list")
    header = out.splitlines()[0].split()
    assert header[:3] == ["id", "date", "status"]
    autumn = next(line for line in out.splitlines() if "Autumn learning day" in line)
    assert autumn.split()[1:3] == [day.isoformat(), "planned"]


# Item 5 of issue 11: text shows as typed (brackets, markup-like tags, an emoji, a
# trailing backslash) in the palette, detail panes, notes and the report preview.
PARTNER = "Youth [North] 🌱\\"
NOTES = "Met [bold]x[/bold] twice \\"
TITLE = "[bold]Close[/bold] National 🌱"
DECIDED = "Move Youth [North] work\\"
SESSION_NOTES = "Agreed [i]next steps[/i] 🌱\\"
INSIGHT = "Power [dim]shifts[/dim] slowly\\"


@pytest.fixture
def typed(demo_factory: sessionmaker[Session], db_path: Path) -> sessionmaker[Session]:
    with sqlite3.connect(db_path) as con:
        con.execute(
            "UPDATE partner SET name = ?, name_key = ?, notes = ? WHERE name = 'MEAM'",
            (PARTNER, name_key(PARTNER), NOTES),
        )
        con.execute("UPDATE decision SET title = ?, decision = ?", (TITLE, DECIDED))
        con.execute("UPDATE reflective_session SET notes = ?", (SESSION_NOTES,))
        con.execute("UPDATE insight SET text = ?", (INSIGHT,))
    return demo_factory


async def _palette_prompts(pilot: Pilot[Any], typed: str) -> list[str]:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)

    def prompts() -> list[str]:
        lists = pilot.app.screen.query(CommandList)
        if not lists:
            return []
        found = lists.first()
        return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]

    await wait_for(pilot, lambda: bool(prompts()), "the palette's hits")
    await settle(pilot)
    return prompts()


async def test_the_palette_shows_names_and_titles_as_typed(
    typed: sessionmaker[Session],
) -> None:
    app = make_app(typed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = await _palette_prompts(pilot, "youth")
        assert f"Partner: {PARTNER}" in shown
        await pilot.press("escape")
        await _open_decisions(pilot)
        shown = await _palette_prompts(pilot, "enact")
        assert any(line.startswith(f"Enact: {TITLE}\n") for line in shown), shown


async def test_the_colour_scheme_is_called_that_in_the_palette(
    demo_factory: sessionmaker[Session],
) -> None:
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = await _palette_prompts(pilot, "colour")
        assert shown[0].startswith("Colour scheme\n")
        await pilot.press("escape")
        await settle(pilot)
        shown = await _palette_prompts(pilot, "theme")
        assert not any(line.split("\n")[0] == "Theme" for line in shown)
        await pilot.press("escape")
        await settle(pilot)
        await _palette_prompts(pilot, "colour scheme")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: "colour schemes" in str(app.screen.query_one(Input).placeholder),
            "the colour schemes",
        )


async def test_detail_panes_and_notes_show_text_as_typed(typed: sessionmaker[Session]) -> None:
    from portfolio.tui.screens.learning import LearningScreen, SessionScreen
    from portfolio.tui.screens.partner import PartnerScreen

    app = make_app(typed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_partner(PARTNER)
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, PartnerScreen) and bool(app.screen.query("#details")),
            "the partner",
        )
        details = app.screen.query_one("#details", Static)
        await wait_for(pilot, lambda: PARTNER in str(details.render()), "its details")
        assert str(details.render()).startswith(f"{PARTNER}  ")
        assert f"Notes: {NOTES}" in str(details.render())

        screen = await _open_decisions(pilot)
        detail = str(screen.query_one("#detail", Static).render())
        assert detail.startswith(f"1. {TITLE}\n")
        assert f"\n{DECIDED}\n" in detail

        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LearningScreen), "learning")
        insight = app.screen.query_one("#insight-detail", Static)
        await wait_for(pilot, lambda: str(insight.render()).startswith(INSIGHT), "an insight")
        table = app.screen.query_one("#insights", DataTable)
        assert table.get_row_at(0)[1] == INSIGHT
        app.screen.query_one("#tabs", TabbedContent).active = "tab-sessions"
        sessions_table = app.screen.query_one("#sessions", DataTable)
        sessions_table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), "a session")
        shown = [str(w.render()) for w in app.screen.query(Static)]
        assert SESSION_NOTES in shown
        assert any(line.startswith(INSIGHT) for line in shown)


async def test_the_board_preview_shows_text_as_typed(typed: sessionmaker[Session]) -> None:
    from portfolio.tui.screens.report import ReportScreen

    with db.unit_of_work(typed) as s:  # in the quarter the preview opens on
        make(
            s, on("2021-03-01"), "end", partner=PARTNER, workstream="National",
            by=date(2021, 5, 31), reason="Ends [well]\\", exit_type="out",
        )  # fmt: skip
    app = make_app(typed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the board update")
        preview = app.screen.query_one("#preview-text", Static)
        await wait_for(pilot, lambda: "Close" in str(preview.render()), "the preview")
        text = str(preview.render())
        assert TITLE in text
        assert f"{PARTNER} began ending respectfully" in text
        assert "Why: Ends [well]\\" in text


async def _save_as(pilot: Pilot[Any], path: str) -> Any:
    from portfolio.tui.screens.report import ReportScreen, SaveScreen

    if not isinstance(pilot.app.screen, ReportScreen):
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReportScreen), "the report")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SaveScreen), "the save form")
    form = pilot.app.screen
    await settle(pilot)
    form.query_one("#field-path", Input).value = path
    await settle(pilot)
    form.action_confirm()  # type: ignore[attr-defined]
    await settle(pilot)
    return form


@pytest.fixture
def umask_022() -> Any:
    old = os.umask(0o022)
    yield
    os.umask(old)


async def test_save_as_asks_before_replacing_a_file_and_shows_the_whole_path(
    demo_factory: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    umask_022: None,
) -> None:
    from portfolio.tui.screens.report import ReportScreen

    monkeypatch.chdir(tmp_path)
    kept = tmp_path / "board.md"
    kept.write_text("Edited by hand\n")
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await _save_as(pilot, "board.md")  # relative: beside where the app started
        assert app.screen is form
        said = str(form.query_one("#refusal", Static).render())
        assert said == f"{kept} already exists. Replace it, or change the path or cancel."
        assert str(form.query_one("#confirm").label) == "Replace"
        assert kept.read_text() == "Edited by hand\n"
        form.action_cancel()
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        assert kept.read_text() == "Edited by hand\n"  # cancelled: left as it was

        form = await _save_as(pilot, "board.md")
        form.action_confirm()  # "Replace"
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the save")
        status = str(app.screen.query_one("#report-status", Static).render())
        assert status == f"Saved to {kept}"

        form = await _save_as(pilot, "new.md")  # no file there: saved without a question
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the save")
        status = str(app.screen.query_one("#report-status", Static).render())
        assert status == f"Saved to {tmp_path / 'new.md'}"
    assert "Board update" in kept.read_text()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o644  # what umask 022 gives a new file
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644


async def test_the_insight_detail_starts_at_its_top_for_another_insight(
    demo_factory: sessionmaker[Session], db_path: Path
) -> None:
    from portfolio.tui.screens.learning import LearningScreen

    with sqlite3.connect(db_path) as con:  # every insight too long for its few lines
        con.execute("UPDATE insight SET text = 'Insight ' || id || ': ' || ?", ("more " * 150,))
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LearningScreen), "learning")
        pane = app.screen.query_one("#insight-pane", VerticalScroll)
        detail = app.screen.query_one("#insight-detail", Static)
        await wait_for(pilot, lambda: pane.max_scroll_y > 0, "a long insight")
        first = str(detail.render())
        pane.scroll_end(animate=False)
        await wait_for(pilot, lambda: pane.scroll_y > 0, "the insight scrolled down")
        app.screen.query_one("#insights").focus()
        await pilot.press("down")
        await wait_for(pilot, lambda: str(detail.render()) != first, "the next insight")
        await settle(pilot)
        assert pane.scroll_y == 0
