"""The keys that work here, on one line at the foot of every screen.

Textual's own Footer mounts a widget per key and rebuilds them all whenever the
bindings change: on every focus change and every row the cursor moves to. That
cost tens of milliseconds a time. This bar is one widget that redraws a line.
"""

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """The current screen's enabled key bindings; click a key to press it."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Where each key is drawn: (first column, column after it, key to press).
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        text_style = self.get_component_rich_style("keybar--description")

        def entry(key_display: str, description: str) -> Text:
            return Text.assemble((f" {key_display} ", key_style), (f"{description} ", text_style))

        palette_key = self.app.COMMAND_PALETTE_BINDING
        entries: list[tuple[Text, str]] = []
        tail: Text | None = None
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key:
                tail = entry(self.app.get_key_display(binding), binding.description)
                continue
            # One entry per action (an action bound to two keys shows its first);
            # keys that do nothing here are not shown at all.
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            entries.append((entry(self.app.get_key_display(binding), binding.description), key))
        # The palette key always shows, at the right: it reaches everything the
        # bar has no room for. Keys that do not fit whole are left out, not cut.
        room = self.size.width - (tail.cell_len if tail else 0)
        line = Text(no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, str]] = []
        for text, key in entries:
            if line.cell_len + text.cell_len > room:
                break
            spans.append((line.cell_len, line.cell_len + text.cell_len, key))
            line.append_text(text)
        if tail is not None and room > 0:
            line.append(" " * (room - line.cell_len))
            spans.append((room, room + tail.cell_len, palette_key))
            line.append_text(tail)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
