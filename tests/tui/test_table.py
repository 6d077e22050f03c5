"""The app's fast table draws exactly what Textual's DataTable draws, and shows
names with square brackets as they are written."""

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable

from portfolio.tui.widgets.table import Table

ROWS = [
    ("Mind", "Active", "£120,000.00", "Cathy", "2019-04-01", "-"),
    ("Agenda Alliance for women and girls at risk", "Under review", "£0.00", "-", "", "2021"),
    ("Ünïcode café ✓", "Ending", "£5.00", "Julian", "2020-01-01", "2021-05-31"),
    ("", "Ended", "", "", "", ""),
]
COLUMNS = ("Partner", "State", "Funding", "Lead", "Since", "Planned end")


class Shown(App[None]):
    """One table of either kind, focused, with the cursor and the mouse on rows."""

    def __init__(self, make: Callable[[], DataTable[str]]) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield self.make()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        for n, row in enumerate(ROWS):
            table.add_row(*row, key=str(n))


async def drawn(kind: type[DataTable[str]], width: int) -> tuple[list[int], list[Strip]]:
    app = Shown(lambda: kind(cursor_type="row", zebra_stripes=True))
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        table.move_cursor(row=2)
        table.hover_coordinate = Coordinate(1, 0)
        await pilot.pause()
        widths = [c.content_width for c in table.ordered_columns]
        return widths, [table.render_line(y) for y in range(table.size.height)]


async def test_the_fast_table_draws_what_datatable_draws() -> None:
    for width in (100, 40):  # wide, and so narrow that the table scrolls sideways
        assert await drawn(Table, width) == await drawn(DataTable, width)


async def test_square_brackets_in_a_name_are_shown_not_read_as_markup() -> None:
    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Table(id="t")

        def on_mount(self) -> None:
            table = self.query_one(Table)
            table.add_column("Partner")
            table.add_row("Youth [North] [b]CIC")

    app = One()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        table = app.query_one(Table)
        assert "Youth [North] [b]CIC" in table.render_line(1).text


async def test_a_long_name_gives_way_so_every_column_shows_at_80_columns() -> None:
    app = Shown(lambda: Table(flex=("Partner",)))
    async with app.run_test(size=(80, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(Table)
        assert "Planned end" in table.render_line(0).text
        cut = table.render_line(2).text
        assert "Agenda Alliance" in cut and "…" in cut and "at risk" not in cut
        await pilot.resize_terminal(120, 8)  # room enough: the whole name again
        await pilot.pause()
        assert "Agenda Alliance for women and girls at risk " in table.render_line(2).text
