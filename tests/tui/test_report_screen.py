"""The board update in the app: preview a period, save it as Markdown or Word."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from portfolio import db
from portfolio.services.enactment import enact
from portfolio.services.history import Stamp, latest_event_on
from portfolio.tui.app import create_app
from portfolio.tui.screens.report import (
    ReportScreen,
    SaveScreen,
    default_period,
    last_full_quarter,
    quarter_of,
)
from tests.tui.tui_support import make_app, read, settle, wait_for

DECISION = "Close the National portfolio team"


@pytest.fixture
def enacted_factory(demo_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """The demo after its decision to close National, enacted in February 2021."""
    with db.unit_of_work(demo_factory) as s:
        enact(s, Stamp(date(2021, 2, 15), "tester"), decision_id=1)
    return demo_factory


def preview(screen: ReportScreen) -> str:
    return str(screen.query_one("#preview-text", Static).render())


async def open_report(pilot: Pilot[Any]) -> ReportScreen:
    await settle(pilot)
    await pilot.press("b")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReportScreen), "the report")
    screen: ReportScreen = pilot.app.screen  # type: ignore[assignment]
    await wait_for(pilot, lambda: "Board update" in preview(screen), "the preview")
    return screen


async def set_period(pilot: Pilot[Any], screen: ReportScreen, start: str, end: str) -> None:
    screen.query_one("#from", Input).value = start
    screen.query_one("#to", Input).value = end
    await settle(pilot)


async def save_as(pilot: Pilot[Any], fmt: str, path: Path) -> SaveScreen:
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SaveScreen), "the save form")
    form: SaveScreen = pilot.app.screen  # type: ignore[assignment]
    form.query_one("#field-format", Select).value = fmt
    # The format's change message rewrites the path's extension: let it land first.
    await settle(pilot)
    form.query_one("#field-path", Input).value = str(path)
    await settle(pilot)
    assert form.query_one("#field-path", Input).value == str(path)
    form.action_confirm()
    await settle(pilot)
    return form


def test_the_default_period_is_the_last_full_quarter() -> None:
    assert last_full_quarter(date(2021, 6, 1)) == (date(2021, 1, 1), date(2021, 3, 31))
    assert last_full_quarter(date(2021, 1, 1)) == (date(2020, 10, 1), date(2020, 12, 31))


def test_with_nothing_recent_the_default_period_is_the_latest_quarter_with_events() -> None:
    today = date(2026, 11, 23)
    assert default_period(today, date(2026, 8, 1)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert default_period(today, date(2021, 2, 15)) == (date(2021, 1, 1), date(2021, 3, 31))
    assert default_period(today, None) == (date(2026, 7, 1), date(2026, 9, 30))
    assert quarter_of(date(2020, 12, 31)) == (date(2020, 10, 1), date(2020, 12, 31))
    # A portfolio begun this quarter (a new user's first board update): this quarter so far.
    first = date(2026, 11, 2)
    assert default_period(today, today, first) == (date(2026, 10, 1), today)
    assert default_period(today, today, date(2026, 9, 30)) == (date(2026, 7, 1), date(2026, 9, 30))


async def test_opened_years_after_the_story_the_preview_shows_its_latest_quarter(enacted_factory):  # type: ignore[no-untyped-def]
    today = date(2026, 11, 23)  # the demo's story is in 2021
    latest = read(enacted_factory, lambda s: latest_event_on(s, today))
    start, end = quarter_of(latest)
    app = create_app(enacted_factory, today=today)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(pilot)
        await wait_for(
            pilot, lambda: screen.query_one("#from", Input).value == start.isoformat(), "period"
        )
        assert screen.query_one("#to", Input).value == end.isoformat()
        assert latest.isoformat() < "2022" and "National" in preview(screen)


async def test_the_preview_tells_the_story_of_the_national_decision(enacted_factory):  # type: ignore[no-untyped-def]
    app = make_app(enacted_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(pilot)
        await set_period(pilot, screen, "2021-01-01", "2021-03-31")
        text = preview(screen)
        assert "National closed" in text
        assert DECISION in text
        assert "MEAM" in text


async def test_choosing_a_workstream_previews_only_it(enacted_factory):  # type: ignore[no-untyped-def]
    app = make_app(enacted_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(pilot)
        screen.query_one("#workstream", Select).value = "Place"
        await settle(pilot)
        text = preview(screen)
        assert "Corra Foundation" in text and "National closed" not in text


async def test_saving_as_markdown_and_word_writes_the_story(enacted_factory, tmp_path):  # type: ignore[no-untyped-def]
    app = make_app(enacted_factory)
    md, docx = tmp_path / "board.md", tmp_path / "board.docx"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(pilot)
        await set_period(pilot, screen, "2021-01-01", "2021-03-31")
        await save_as(pilot, "md", md)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the save to finish")
        assert f"Saved to {md}" in str(screen.query_one("#report-status", Static).render())
        await save_as(pilot, "docx", docx)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the save to finish")
    text = md.read_text()
    assert "National closed." in text and DECISION in text
    word = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "National closed." in word and DECISION in word


async def test_a_bad_date_is_shown_and_nothing_is_written(enacted_factory, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(enacted_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(pilot)
        await set_period(pilot, screen, "2021-13-01", "2021-03-31")
        status = str(screen.query_one("#report-status", Static).render())
        assert "'2021-13-01' is not a from date" in status
        form = await save_as(pilot, "md", out / "board.md")
        assert app.screen is form
        refusal = str(form.query_one("#refusal", Static).render())
        assert "'2021-13-01' is not a from date" in refusal
    assert list(out.iterdir()) == []


async def test_saving_into_a_missing_folder_says_so(enacted_factory, tmp_path):  # type: ignore[no-untyped-def]
    app = make_app(enacted_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_report(pilot)
        form = await save_as(pilot, "html", tmp_path / "nowhere" / "board.html")
        assert "does not exist; nothing was written" in str(
            form.query_one("#refusal", Static).render()
        )
    assert not (tmp_path / "nowhere").exists()


def test_the_report_screen_looks_right(enacted_factory, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(enacted_factory), terminal_size=(80, 24), run_before=open_report)


async def test_the_command_palette_opens_the_board_update(enacted_factory):  # type: ignore[no-untyped-def]
    app = make_app(enacted_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Board update")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        screen: ReportScreen = app.screen  # type: ignore[assignment]
        await wait_for(pilot, lambda: "National" in preview(screen), "the preview")
        saving = {c.title for c in app.get_system_commands(screen)}
        assert "Save the board update as..." in saving


async def test_the_preview_names_a_lead_as_recorded_whatever_was_typed(
    demo_factory: sessionmaker[Session],
) -> None:
    """A review whose lead was typed "cathy" shows "Cathy"; a theme led by a person whose
    name holds a comma ("Smith, Jones") and Cathy shows those two leads, not three."""
    from portfolio.services.people import add_person
    from tests.words import make, rehome_theme

    with db.unit_of_work(demo_factory) as s:
        add_person(s, name="Smith, Jones")
        make(s, Stamp(date(2021, 3, 1), "tester"), "review", partner="MEAM",
             workstream="National", lead="cathy", reason="what next?")  # fmt: skip
        rehome_theme(s, Stamp(date(2021, 3, 2), "tester"),
                     name="Ethnic inequality in mental health", unhomed=True,
                     leads=["Smith, Jones", "Cathy"], reason="no home yet")  # fmt: skip
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_report(pilot)
        await set_period(pilot, screen, "2021-01-01", "2021-03-31")
        await wait_for(pilot, lambda: "MEAM put under review" in preview(screen), "the review")
        text = " ".join(preview(screen).split())
    assert "MEAM put under review with Cathy" in text
    assert "cathy" not in text
    assert "Smith, Jones and Cathy" in text
