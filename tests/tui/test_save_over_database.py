"""The app's save form never writes a board update over the database it has open."""

import sqlite3
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.widgets import Static

from tests.tui.test_report_screen import open_report, save_as
from tests.tui.tui_support import make_app


async def test_saving_the_board_update_over_the_database_is_refused(  # type: ignore[no-untyped-def]
    demo_factory: sessionmaker[Session], db_path: Path
):
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_report(pilot)
        form = await save_as(pilot, "md", db_path)
        assert app.screen is form
        refusal = str(form.query_one("#refusal", Static).render())
        assert "nothing was written" in refusal and db_path.name in refusal
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM partner").fetchone()[0] > 0
    conn.close()
