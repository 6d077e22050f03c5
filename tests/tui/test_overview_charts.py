"""The overview's pictures and its money: every committed amount whole on screen, and
the charts telling the right figures in text (no colour needed to read them)."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.widget import Widget
from textual.widgets import Static

from portfolio.models.money import in_order
from portfolio.services.workstreams import list_workstreams
from portfolio.tui.format import money
from portfolio.tui.widgets.charts import Chart
from tests.conftest import Cli
from tests.tui import overview_story as story
from tests.tui.tui_support import make_app, read, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def drawn(app: Any, widget: Widget) -> list[str]:
    """The lines of the screen inside the widget's region, as the terminal shows them."""
    lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
    region = widget.region
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


@pytest.fixture
def known(factory: sessionmaker[Session], cli: Cli) -> sessionmaker[Session]:
    story.build(cli.ok)
    return factory


@pytest.mark.parametrize("size", SIZES)
async def test_every_committed_amount_in_the_table_is_whole_and_the_long_name_gives_way(
    known: sessionmaker[Session], size: tuple[int, int]
) -> None:
    expected = {
        row.name: [money(a, c) for c, a in in_order(row.committed_by_currency, "GBP") if a]
        for row in read(known, list_workstreams)
    }
    assert expected[story.LONG] == ["£413,345,327.35", "€1,000,000"]
    app = make_app(known)
    async with app.run_test(size=size) as pilot:
        table = app.screen.query_one("#workstreams")
        await wait_for(pilot, lambda: shown(app), "the overview and its charts")
        await pilot.pause()
        text = "\n".join(drawn(app, table))
        for name, amounts in expected.items():
            for amount in amounts:
                assert amount in text, (name, amount, text)
        assert "North" in text and "Community" in text
        if size[0] == 80:
            assert story.LONG not in text  # the name gave way, with an ellipsis
            assert "Community…" in text
        committed = "\n".join(drawn(app, app.screen.query_one("#committed", Chart)))
        for amount in (a for amounts in expected.values() for a in amounts):
            assert amount in committed, (amount, committed)


async def test_the_charts_tell_states_committed_funding_and_the_quarters_in_text(
    known: sessionmaker[Session],
) -> None:
    app = make_app(known)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: shown(app), "the overview and its charts")
        by_state = app.screen.query_one("#by-state", Chart).lines
        committed = app.screen.query_one("#committed", Chart).lines
        ending = app.screen.query_one("#ending", Chart).lines
    # States are told apart by their characters, named in the legend.
    assert "█ Active" in by_state[0] and "▓ Review" in by_state[0]
    assert "░ Ended" in " ".join(by_state[:2]) and "· Moved" in " ".join(by_state[:2])
    long_line = next(line for line in by_state if line.startswith("Community"))
    north = next(line for line in by_state if line.startswith("North"))
    assert set(long_line.split()[-2]) == {"█", "▓"} and long_line.split()[-1] == "2"
    assert set(north.split()[-2]) == {"█", "▒", "░"} and north.split()[-1] == "3"
    assert north.count("█") == north.count("▒") == north.count("░")  # one of each
    # Committed funding: each currency on its own line, whole; the pounds' bars are
    # measured against the largest pounds.
    assert [line.split()[-1] for line in committed] == ["£413,345,327.35", "€1,000,000", "£665,100"]
    assert committed[0].startswith("Community") and committed[1].startswith(" ")
    assert bar_cells(committed[0]) > 40 * bar_cells(committed[2]) > 0
    # Planned to end: the eight quarters from today, the euro grant on its own line.
    quarters = [line.split()[:2] for line in ending if line[0] != " "]
    assert [" ".join(q) for q in quarters] == [
        "2021 Q2", "2021 Q3", "2021 Q4", "2022 Q1", "2022 Q2", "2022 Q3", "2022 Q4", "2023 Q1",
    ]  # fmt: skip
    figures = {line[:7].strip() or "more": line.split()[-1] for line in ending}
    assert figures == {
        "2021 Q2": "£0", "2021 Q3": "£413,345,327.35", "2021 Q4": "£0", "2022 Q1": "£0",
        "2022 Q2": "£0", "2022 Q3": "£0", "2022 Q4": "£0", "more": "€1,000,000",
        "2023 Q1": "£100",
    }  # fmt: skip
    assert ending.index(next(line for line in ending if "€" in line)) == 7  # below 2022 Q4


def shown(app: Any) -> bool:
    screen = app.screen
    return getattr(screen, "data", None) is not None and screen.quarters is not None


def bar_cells(line: str) -> Decimal:
    """A bar's length in cells, its last cell in eighths."""
    eighths = {c: (i + 1) / 8 for i, c in enumerate("▏▎▍▌▋▊▉")}
    return Decimal(sum(1 if c == "█" else eighths.get(c, 0) for c in line))


async def test_the_board_preview_shows_every_committed_amount_whole_at_80_columns(
    known: sessionmaker[Session],
) -> None:
    app = make_app(known)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app), "the overview and its charts")
        await pilot.press("b")
        await wait_for(pilot, lambda: "Board update" in preview_text(app), "the preview")
        text = preview_text(app)
    table = text[text.index("┏") : text.index("┘")]  # the summary table by workstream
    assert "GBP 413,345,327.35" in table and "EUR 1,000,000.00" in table, table
    assert "GBP 665,100.00" in table
    assert max(len(line) for line in text.splitlines()) <= 76


def preview_text(app: Any) -> str:
    shown = app.screen.query("#preview-text")
    return str(shown.first(Static).render()) if shown else ""
