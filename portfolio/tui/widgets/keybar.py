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

        app, screen = self.app, self.screen
        palette_key = app.COMMAND_PALETTE_BINDING
        # The screen's own keys first, then the focused part's, then the app's.
        ranked: list[tuple[int, Text, str]] = []
        help_key: tuple[str, str] | None = None  # (key, its display)
        quit_keys: dict[str, Text] = {}
        palette: Text | None = None
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding, node = active.binding, active.node
            if key == palette_key:
                palette = entry(app.get_key_display(binding), binding.description)
                continue
            if node is app and binding.action == "help":
                help_key = (key, app.get_key_display(binding))
                continue
            if node is app and binding.action == "quit" and active.enabled:
                # `q` where no text box takes it, else the key that always quits.
                quit_keys[key] = entry(app.get_key_display(binding), "Quit")
                continue
            # One entry per action (an action bound to two keys shows its first);
            # keys that do nothing here are not shown at all.
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            rank = 0 if node is screen else 2 if node is app else 1
            text = entry(app.get_key_display(binding), binding.description)
            ranked.append((rank, text, key))
        entries = [(text, key) for _, text, key in sorted(ranked, key=lambda r: r[0])]
        quit_key = next((k for k in ("q", "ctrl+q") if k in quit_keys), None)

        def tail_for(left_out: int) -> list[tuple[Text, str]]:
            """What always shows, at the right: help (naming how many keys it holds
            that the bar has no room for), how to quit, and the palette."""
            tail: list[tuple[Text, str]] = []
            if help_key is not None:
                words = f"{left_out} more" if left_out else "Help"
                tail.append((entry(help_key[1], words), help_key[0]))
            if quit_key is not None:
                tail.append((quit_keys[quit_key], quit_key))
            if palette is not None:
                tail.append((palette, palette_key))
            return tail

        def width(texts: list[tuple[Text, str]]) -> int:
            return sum(text.cell_len for text, _ in texts)

        # Keys that do not fit whole are left out, not cut, and the help key says
        # how many it holds: the help screen lists every key of the screen.
        fitting = len(entries)
        while fitting and width(entries[:fitting]) + width(tail_for(len(entries) - fitting)) > (
            self.size.width
        ):
            fitting -= 1
        tail = tail_for(len(entries) - fitting)
        room = self.size.width - width(tail)
        line = Text(no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, str]] = []
        for text, key in entries[:fitting]:
            spans.append((line.cell_len, line.cell_len + text.cell_len, key))
            line.append_text(text)
        if tail and room > 0:
            line.append(" " * (room - line.cell_len))
        for text, key in tail:
            spans.append((line.cell_len, line.cell_len + text.cell_len, key))
            line.append_text(text)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
