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

It overrides three of DataTable's private methods, so it is tied to the Textual
version pinned in pyproject.toml; tests/tui/test_table.py checks that it draws
exactly what DataTable draws.
"""

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey, RowKey

from portfolio.printable import printable

SegmentLines = list[list[Segment]]


class Table(DataTable[str]):
    """A DataTable whose string cells are text, never markup, and fast to draw."""

    # A flexible column gives way down to this width at the least; with too little
    # room for that, the columns keep their widths and the table scrolls sideways.
    FLEX_MIN = 12
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
