"""`v`: text a table or list cuts short, read whole (as typed, never as markup)."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ReaderScreen(ModalScreen[None]):
    """A row's text whole, scrollable; escape (or q, or v again) closes."""

    AUTO_FOCUS = "#reader"
    BINDINGS = [
        Binding("escape", "close", "Close", id="reader.close"),
        Binding("q", "close", "Close", show=False),
        Binding("v", "close", "Close", show=False),
    ]

    def __init__(self, title: str, text: Content) -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reader") as body:
            body.border_title = Content(self.heading)
            body.border_subtitle = "escape closes"
            yield Static(self.text, id="reader-text")

    def action_close(self) -> None:
        self.dismiss(None)
