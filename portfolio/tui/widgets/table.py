"""A DataTable for plain text cells that draws them without Rich's layout engine.

Every table in the app shows plain strings in rows one line high. Textual's
DataTable treats each string as markup (a partner called "Youth [North]" would
lose its "[North]"), measures every cell through Rich, and renders every visible
cell through Rich's padding and styling: for a page of partnerships that was most
of the time it took to open a workstream. Here a plain string cell is measured by
its cell length and drawn as one padded segment, literally, with the same styles.

A table can also name flexible columns (the partner's name, say) that give up
width, its longest texts ending in "…", so that every column fits the screen and
none is hidden off to the right at 80 columns; and columns kept whole (money),
for which the flexible ones give way further still (see ``_narrowest``).

Its columns sort: a click on a heading sorts by that column (again: the other
way), `>` sorts by the next column and `<` reverses; numbers and money sort as
numbers, dates as dates, and the heading says the sort ("Funding ▼"). A table
filled afresh keeps its sort; `data_row` is the highlighted row's place in the
order the rows were added, which is what screens index their data by.

It overrides three of DataTable's private methods, so it is tied to the Textual
version pinned in pyproject.toml; tests/tui/test_table.py checks that it draws
exactly what DataTable draws.
"""

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey, ColumnKey, RowKey, TwoWayDict

from portfolio.printable import printable

SegmentLines = list[list[Segment]]

# A leading amount or count: "£1,250.50", "CHF 300", "#12", "7", "-40".
NUMBER = re.compile(r"(?:[A-Z]{3} |[£€$#])?(-?\d[\d,]*(?:\.\d+)?)")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MISSING = ("", "-")  # sorted last whichever way the sort goes
ARROWS = {False: " ▲", True: " ▼"}


def sort_value(text: str) -> tuple[int, Any]:
    """What a cell sorts by: numbers as numbers, ISO dates in date order, else text
    without regard to case. ("·" stands for none in the overview's counts.)"""
    if text == "·":
        return (0, 0.0)
    if DATE.fullmatch(text):
        return (1, text)  # ISO dates sort as their text does
    number = NUMBER.match(text)
    if number:
        return (0, float(number.group(1).replace(",", "")))
    return (2, text.casefold())


class Table(DataTable[str]):
    """A DataTable whose string cells are text, never markup, and fast to draw."""

    # A flexible column gives way down to this width at the least; with too little
    # room for that, the columns keep their widths and the table scrolls sideways.
    FLEX_MIN = 12
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("greater_than_sign", "sort_next", "Sort", key_display=">", id="table.sort"),
        Binding("less_than_sign", "sort_reverse", "Reverse sort", key_display="<", show=False,
                id="table.reverse"),
    ]  # fmt: skip
    # ... or down to this, when the table has columns that must be shown whole.
    GIVE_WAY_MIN = 4

    def __init__(
        self,
        *,
        flex: tuple[str, ...] = (),
        whole: tuple[str, ...] = (),
        id: str | None = None,
        cursor_type: str = "row",
        zebra_stripes: bool = False,
    ) -> None:
        super().__init__(id=id, cursor_type=cursor_type, zebra_stripes=zebra_stripes)  # type: ignore[arg-type]
        self.flex = flex  # the keys or headings of the columns that give way, first first
        self.whole = whole  # the keys or headings of columns never cut nor scrolled off
        self.sort_column: ColumnKey | None = None  # None: the order the rows came in
        self.sort_reverse = False
        self._added: dict[RowKey, int] = {}  # each row's place in the order it was added
        self._headings: dict[ColumnKey, Text] = {}  # the column labels without an arrow

    # Rows, and where each came in.

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:  # fmt: skip
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._added[row_key] = len(self._added)
        return row_key

    def clear(self, columns: bool = False) -> "Table":
        self._added.clear()
        if columns:
            self.sort_column, self._headings = None, {}
        super().clear(columns)
        return self

    @property
    def data_row(self) -> int:
        """The highlighted row's place in the order the rows were added (the cursor's
        row while the table is not sorted)."""
        if not self.row_count:
            return 0
        key = self._row_locations.get_key(min(self.cursor_row, self.row_count - 1))
        return self._added.get(key, self.cursor_row) if key is not None else self.cursor_row

    # Sorting.

    @property
    def sort_label(self) -> str | None:
        """The sort in words ("Funding, largest first"), None when unsorted."""
        if self.sort_column is None or self.sort_column not in self.columns:
            return None
        name = self._heading(self.sort_column).plain
        return f"{name}, {'descending' if self.sort_reverse else 'ascending'}"

    def _heading(self, key: ColumnKey) -> Text:
        return self._headings.get(key) or self.columns[key].label

    def sort_by(self, column: ColumnKey | str | None, reverse: bool = False) -> None:
        """Sort by ``column`` (None: back to the order the rows came in), keeping the
        highlighted row highlighted."""
        keep = self._row_locations.get_key(self.cursor_row) if self.row_count else None
        for key, heading in self._headings.items():
            if key in self.columns:
                self.columns[key].label = heading
        self._headings = {}
        self.sort_column = ColumnKey(column) if isinstance(column, str) else column
        self.sort_reverse = reverse
        if self.sort_column is not None and self.sort_column in self.columns:
            shown = self.columns[self.sort_column]
            self._headings[self.sort_column] = shown.label
            shown.label = Text.assemble(shown.label, ARROWS[reverse])
            shown.content_width = max(shown.content_width, shown.label.cell_len)
        self._apply_sort()
        self._fit_flexible_columns()
        self._clear_caches()
        self._require_update_dimensions = True
        if keep is not None and keep in self._row_locations:
            self.move_cursor(row=self._row_locations.get(keep), animate=False)
        self.refresh(layout=True)
        # The screen may say the sort elsewhere (the workstream's pager does).
        self.post_message(self.Sorted(self))

    class Sorted(Message):
        """The table's sort changed."""

        def __init__(self, table: "Table") -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> "Table":
            return self.table

    def _apply_sort(self) -> None:
        """Put the rows in the sort's order (or the order they came in)."""
        order = sorted(self._added, key=self._added.__getitem__)
        column = self.sort_column
        if column is not None and column in self.columns:

            def value(key: RowKey) -> tuple[int, Any]:
                return sort_value(str(self._data[key].get(column, "")))

            present = [k for k in order if str(self._data[k].get(column, "")) not in MISSING]
            missing = [k for k in order if str(self._data[k].get(column, "")) in MISSING]
            order = sorted(present, key=value, reverse=self.sort_reverse) + missing
        self._row_locations = TwoWayDict({key: index for index, key in enumerate(order)})
        self._update_count += 1

    def action_sort_next(self) -> None:
        keys = [c.key for c in self.ordered_columns]
        if not keys:
            return
        at = keys.index(self.sort_column) + 1 if self.sort_column in keys else 0
        self.sort_by(keys[at] if at < len(keys) else None)

    def action_sort_reverse(self) -> None:
        if self.sort_column is None and self.ordered_columns:
            self.sort_by(self.ordered_columns[0].key, reverse=True)
        else:
            self.sort_by(self.sort_column, reverse=not self.sort_reverse)

    @on(DataTable.HeaderSelected)
    def _heading_clicked(self, event: DataTable.HeaderSelected) -> None:
        if event.data_table is self:
            event.stop()
            again = event.column_key == self.sort_column
            self.sort_by(event.column_key, reverse=again and not self.sort_reverse)

    def _narrowest(self) -> int:
        """How narrow a flexible column may go. An amount is shown whole or the column
        beside it gives way: with columns to keep whole, a name is cut short rather
        than an amount pushed off the right edge."""
        keeps = any(name in (c.key.value, c.label.plain) for name in self.whole
                    for c in self.columns.values())  # fmt: skip
        return self.GIVE_WAY_MIN if keeps else self.FLEX_MIN

    def _fit_flexible_columns(self) -> bool:
        """Narrow the flexible columns to the room the others leave; True if any changed.

        The first named flexible column keeps at least half the room; the others
        share the rest, a short one keeping its whole text.
        """
        flexible = [
            c for name in self.flex for c in self.columns.values()
            if name in (c.key.value, c.label.plain)
        ]  # fmt: skip
        if not flexible or not self.size.width:
            return False
        others = sum(c.get_render_width(self) for c in self.columns.values() if c not in flexible)
        room = self.scrollable_content_region.width - others - 2 * self.cell_padding * len(flexible)
        widths: dict[int, int | None] = {id(c): None for c in flexible}  # None: its whole text
        narrowest = self._narrowest()
        least = sum(min(c.content_width, narrowest) for c in flexible)
        if sum(c.content_width for c in flexible) > room >= least:
            main, rest = flexible[0], flexible[1:]
            # The first flexible column (the one people read) keeps at least half the
            # room; the others share what is left, the shortest keeping its whole text.
            take = min(main.content_width, max(room // 2, narrowest))
            left = room - take
            for n, column in enumerate(sorted(rest, key=lambda c: c.content_width)):
                share = min(column.content_width, max(left // (len(rest) - n), 1))
                widths[id(column)] = share
                left -= share
            widths[id(main)] = min(main.content_width, take + left)
        changed = False
        for column in flexible:
            width = widths[id(column)]
            auto = width is None or width >= column.content_width
            if auto != column.auto_width or (not auto and column.width != width):
                changed = True
            column.auto_width = auto
            if not auto and width is not None:
                column.width = width
        return changed

    def _on_resize(self, event: events.Resize) -> None:
        super()._on_resize(event)
        if self._fit_flexible_columns():
            self._clear_caches()
            super()._update_dimensions([])

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        rows = list(new_rows)
        if rows and self.sort_column is not None:
            # Rows added since the last sort (the table filled afresh) take their places.
            self._apply_sort()
        if rows and self.is_attached:
            self.screen.refresh_bindings()  # keys that need a row (v, say) work now
        plain = {key for key in rows if self._is_plain_row(key)}
        columns = self.ordered_columns
        before = [c.content_width for c in columns]
        for key in plain:
            cells = self._data[key]
            for column in columns:
                width = cell_len(printable(cells.get(column.key, "")))
                if width > column.content_width:
                    column.content_width = width
        fitted = self._fit_flexible_columns()
        if fitted or before != [c.content_width for c in columns]:
            # Lines drawn since the rows were added (the header above all) were
            # drawn at the old widths; DataTable would keep showing them.
            self._clear_caches()
        # The rest, and the table's new size, as DataTable does them.
        super()._update_dimensions([key for key in rows if key not in plain])

    def _is_plain_row(self, key: RowKey) -> bool:
        row = self.rows.get(key)
        return (
            row is not None
            and row.height == 1
            and row.label is None
            and all(isinstance(v, str) for v in self._data[key].values())
        )

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0:  # the header and row labels: as DataTable
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row_key is None or column_key is None or row is None or row.height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        text = self._data[row_key].get(column_key)
        if not isinstance(text, str):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key: CellCacheKey = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(cache_key)
        if lines is None:
            fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
            component_style, post_style = self._get_styles_to_render_cell(
                False,
                False,
                fixed,
                hover,
                cursor,
                self.show_cursor,
                self._show_hover_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
            )
            style = (
                base_style
                + Style.from_meta({"row": row_index, "column": column_index})
                + component_style
                + post_style
            )
            pad = self.cell_padding
            # Only the first line of a cell shows in a row one line high; measured and
            # drawn with its stand-ins for control characters, so the columns line up
            # (the app's line filter would otherwise put them in, shifting the row).
            first = printable(text.split("\n", 1)[0])
            room = width - 2 * pad
            if room > 1 and cell_len(first) > room:  # only a narrowed flexible column cuts
                drawn = " " * pad + set_cell_size(first, room - 1) + "…" + " " * pad
            elif room > 0:
                drawn = " " * pad + set_cell_size(first, room) + " " * pad
            else:
                drawn = " " * max(width, 0)
            lines = [[Segment(drawn, style)]]
            self._cell_render_cache[cache_key] = lines
        return lines
