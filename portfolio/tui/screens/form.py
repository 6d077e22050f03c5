"""A modal form for one action: validates as you type, writes only on confirm,
and shows the service's refusal in place."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.settings import current_user
from portfolio.tui.actions import ActionForm, FormField, field_problem


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

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content(self.form.title), id="title")
            with VerticalScroll(id="fields"):
                if self.form.preamble:
                    yield Static(self.form.preamble, id="preamble", markup=False)
                for spec in self.form.fields:
                    with Horizontal(classes="row"):
                        yield Label(spec.label, classes="field-label")
                        yield self._control(spec)
                    yield Static("", id=f"problem-{spec.name}", classes="problem")
            yield Static("", id="refusal")
            with Horizontal(id="buttons"):
                yield Button(self.form.confirm, variant="primary", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _control(self, spec: FormField) -> Input | Select[str]:
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
        suggester = SuggestFromList(spec.choices, case_sensitive=False) if spec.choices else None
        return Input(
            spec.default,
            placeholder=spec.placeholder or spec.label,
            id=f"field-{spec.name}",
            classes="field-control",
            suggester=suggester,
            compact=True,
        )

    def on_mount(self) -> None:
        self._check()

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for spec in self.form.fields:
            control = self.query_one(f"#field-{spec.name}")
            if isinstance(control, Select):
                found[spec.name] = "" if control.is_blank() else str(control.value)
            elif isinstance(control, Input):
                found[spec.name] = control.value.strip()
        return found

    def _check(self) -> bool:
        values = self.values()
        ok = True
        for spec in self.form.fields:
            problem = field_problem(spec, values[spec.name])
            # Say what is wrong only once the person has typed something there.
            shown = problem if problem and values[spec.name] else ""
            if not shown and self.refused and self.refused[0] == spec.name:
                shown = self.refused[1]
            _show(self.query_one(f"#problem-{spec.name}", Static), shown)
            ok = ok and problem is None
        self.query_one("#confirm", Button).disabled = not ok
        return ok

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        _show(self.query_one("#refusal", Static), "")
        self.refused = None
        self._check()

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self._check():
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
        if named:
            self.query_one(f"#field-{named[0]}").focus()

    def on_form_screen_written(self, message: Written) -> None:
        self.app.data_version += 1  # type: ignore[attr-defined]  # every screen reads afresh
        self.dismiss(Done(self.form.key, message.message))


def _show(widget: Static, text: str) -> None:
    widget.update(Content(text))  # plain text: a name in a refusal is not markup
    widget.display = bool(text)
