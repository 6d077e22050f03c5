"""A modal form for one action: validates as you type, writes only on confirm,
and shows the service's refusal in place."""

from dataclasses import dataclass

from rich.segment import Segment
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.settings import current_user
from portfolio.tui.actions import ActionForm, FormField, _split, field_problem


class Picks(SelectionList[str]):
    """A multi-select whose ticks read without colour: Textual draws the same X in every
    box and tells ticked from not by colour alone; here an unticked box is empty."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            mark = ToggleButton.BUTTON_INNER if option.value in self.selected else " "
            segments[1] = Segment(mark, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip


@dataclass(frozen=True)
class Done:
    """The form's result once its action was written: what was done, for the user."""

    action: str
    message: str


class FormScreen(ModalScreen[Done | None]):
    AUTO_FOCUS = ".field-control"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel")]

    class Refused(Message):
        """The service refused; ``field`` is the one it names (its own name), if any."""

        def __init__(self, text: str, field: str | None = None) -> None:
            super().__init__()
            self.text = text
            self.field = field

    class Written(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, form: ActionForm) -> None:
        super().__init__()
        self.form = form
        # The refusal shown under the field it names, until the person changes something.
        self.refused: tuple[str, str] | None = None
        self._early: list[events.Key] | None = []  # keys typed before the form was mounted

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content(self.form.title), id="title")
            with VerticalScroll(id="fields"):
                if self.form.preamble:
                    yield Static(Content(self.form.preamble), id="preamble")
                for spec in self.form.fields:
                    with Horizontal(classes="row"):
                        # A label wraps in its column rather than being cut.
                        yield Label(Content(spec.label), classes="field-label")
                        yield self._control(spec)
                    yield Static("", id=f"problem-{spec.name}", classes="problem")
            yield Static("", id="refusal")
            with Horizontal(id="buttons"):
                yield Button(self.form.confirm, variant="primary", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _control(self, spec: FormField) -> Widget:
        if spec.kind == "names":
            chosen = set(_split(spec.default))
            return Picks(
                *(Selection(Content(n), n, n in chosen) for n in spec.choices),
                id=f"field-{spec.name}",
                classes="field-control names",
                compact=True,
            )
        if spec.kind == "choice":
            shown = spec.choice_labels or spec.choices
            return Select(
                [(Content(s), v) for s, v in zip(shown, spec.choices, strict=True)],  # as typed
                classes="field-control",
                id=f"field-{spec.name}",
                allow_blank=not spec.default,
                value=spec.default or Select.NULL,
                prompt="(choose)" if spec.required else "(none)",
                compact=True,
            )
        suggester = SuggestNames(spec.choices) if spec.choices else None
        return Input(
            spec.default,
            placeholder=spec.placeholder or spec.label,
            id=f"field-{spec.name}",
            classes="field-control",
            suggester=suggester,
            compact=True,
        )

    def on_mount(self) -> None:
        first = self._first()
        self.set_focus(first)  # now, not after a refresh: keys from here on go to it
        for key in self._early or []:
            first._forward_event(key)
        self._early = None
        self._check()

    def _first(self) -> Widget:
        return self.query(".field-control").first()

    def _forward_event(self, event: events.Event) -> None:
        """The app hands the screen a key only while nothing has focus: as the form opens.
        A letter typed then goes to the first field, in order, rather than being lost or
        read as one of the screen's keys."""
        if isinstance(event, events.Key) and event.is_printable and self.focused is None:
            self.type_ahead(event)
            return
        super()._forward_event(event)

    def type_ahead(self, key: events.Key) -> None:
        """Take a key typed as the form opened (also one the screen below was handed)."""
        key = events.Key(key.key, key.character)  # afresh: the one given may be stopped
        if self._early is not None:  # not mounted yet: kept for on_mount
            self._early.append(key)
            return
        if self.focused is None:
            self.set_focus(self._first())
        (self.focused or self._first())._forward_event(key)

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for spec in self.form.fields:
            control = self.query_one(f"#field-{spec.name}")
            if isinstance(control, SelectionList):
                picked = set(control.selected)
                found[spec.name] = ", ".join(n for n in spec.choices if n in picked)
            elif isinstance(control, Select):
                found[spec.name] = "" if control.is_blank() else str(control.value)
            elif isinstance(control, Input):
                found[spec.name] = control.value.strip()
        return found

    def _check(self) -> list[FormField]:
        """Show what is wrong with what was typed; the fields still wrong or missing."""
        values = self.values()
        wrong = []
        notes = self.form.notes(values) if self.form.notes else {}
        for spec in self.form.fields:
            problem = field_problem(spec, values[spec.name])
            # Say what is wrong only once the person has typed something there.
            shown = problem if problem and values[spec.name] else ""
            if not shown and self.refused and self.refused[0] == spec.name:
                shown = self.refused[1]
            shown = shown or notes.get(spec.name, "")
            _show(self.query_one(f"#problem-{spec.name}", Static), shown)
            if problem:
                wrong.append(spec)
        # Held back for a value typed wrong; a missing one is named when confirming.
        self.query_one("#confirm", Button).disabled = any(values[f.name] for f in wrong)
        return wrong

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        _show(self.query_one("#refusal", Static), "")
        self.refused = None
        self._check()

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        wrong = self._check()
        if wrong:
            values = self.values()
            missing = [f.label for f in wrong if not values[f.name]]
            if missing:
                _show(self.query_one("#refusal", Static), "Needed: " + ", ".join(missing))
            self.query_one(f"#field-{wrong[0].name}").focus()
            return
        self.query_one("#confirm", Button).disabled = True
        self._write(self.values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, values: dict[str, str]) -> None:
        try:
            stamp = Stamp(parse_date(values["on"]), current_user())
            with db.unit_of_work(self.app.factory) as session:  # type: ignore[attr-defined]
                message = self.form.run(session, stamp, values)
        except PortfolioError as exc:
            self.post_message(self.Refused(str(exc), exc.field))
        else:
            self.post_message(self.Written(message))

    def on_form_screen_refused(self, message: Refused) -> None:
        _show(self.query_one("#refusal", Static), message.text)
        named = [spec.name for spec in self.form.fields if spec.name == message.field]
        self.refused = (named[0], message.text) if named else None
        self._check()
        self.query_one("#confirm", Button).disabled = False
        if named:
            self.query_one(f"#field-{named[0]}").focus()

    def on_form_screen_written(self, message: Written) -> None:
        self.app.data_version += 1  # type: ignore[attr-defined]  # every screen reads afresh
        self.dismiss(Done(self.form.key, message.message))


class SuggestNames(Suggester):
    """Suggests one of ``names`` for what is typed, whatever its case; in a comma list
    (leads, tags), for the name being typed last."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(case_sensitive=True)  # compared casefolded here, shown as written
        self.names = [(n.casefold(), n) for n in names]

    async def get_suggestion(self, value: str) -> str | None:
        typed = value.casefold()
        # A whole name first: a partner's name may itself hold a comma.
        found = next((n for key, n in self.names if key.startswith(typed)), None)
        if found is not None or "," not in value:
            return found
        last = value.rpartition(",")[2].lstrip()
        if not last:
            return None
        found = next((n for key, n in self.names if key.startswith(last.casefold())), None)
        return None if found is None else value[: len(value) - len(last)] + found


def _show(widget: Static, text: str) -> None:
    widget.update(Content(text))  # plain text: a name in a refusal is not markup
    widget.display = bool(text)
