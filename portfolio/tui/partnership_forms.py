"""The app's forms for a partnership's records beyond its lifecycle: a grant, the exit
checklist's steps, and unticking a step (see ``tui.actions`` for the lifecycle's forms).

Each form asks what the CLI asks (`grant add`, `checklist add/remove`,
`partnership untick`) and runs the same service in the form's one transaction.
"""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from portfolio.errors import PortfolioError
from portfolio.models.money import amount_text
from portfolio.services import checklist, grants
from portfolio.services.currencies import CURRENCIES
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_amount, parse_currency, parse_date
from portfolio.services.overview import Directory
from portfolio.tui.actions import ActionForm, FormField, Values, on_field, partnership_form

T = TypeVar("T")


def _read(field: str, parse: Callable[[str], T], text: str) -> T:
    """A value read by the input rules; a refusal names the field it is about."""
    try:
        return parse(text)
    except PortfolioError as exc:
        exc.field = exc.field or field
        raise


def _day(v: Values, field: str) -> date | None:
    text = v.get(field, "").strip()
    return _read(field, parse_date, text) if text else None


def grant_form(d: Directory, today: date, *, partner: str = "", workstream: str = "") -> ActionForm:
    """Add a grant to a partner's partnership in a workstream, as `grant add` does: the
    partner and workstream are asked unless the screen holds them."""
    asked: list[FormField] = []
    if not partner:
        asked.append(FormField("partner", "Partner", "name", True, tuple(d.partners),
                               placeholder="name"))  # fmt: skip
    if not workstream:
        asked.append(FormField("workstream", "Workstream", "choice", True, tuple(d.workstreams)))
    fields = (
        *asked,
        FormField("amount", "Amount", required=True, placeholder="e.g. 25000 or 4500.50"),
        FormField("currency", "Currency", "name", True, tuple(CURRENCIES), default="GBP"),
        FormField("title", "Title", placeholder="what it funds"),
        FormField("reference", "Reference", placeholder="your grant reference"),
        FormField("awarded", "Awarded on", "date", placeholder="YYYY-MM-DD; else the date below"),
        FormField("start", "Planned start", "date", placeholder="YYYY-MM-DD"),
        FormField("end", "Planned end", "date", placeholder="YYYY-MM-DD"),
        on_field(today),
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        currency = _read("currency", parse_currency, v.get("currency", "") or "GBP")
        amount = _read("amount", lambda t: parse_amount(t, currency=currency), v["amount"])
        to = partner or v["partner"].strip()
        grant = grants.add_grant(
            s, stamp, partner=to, workstream=workstream or v["workstream"], amount=amount,
            title=v.get("title", ""), awarded=_day(v, "awarded"), start=_day(v, "start"),
            end=_day(v, "end"), reference=v.get("reference", ""), currency=currency,
        )  # fmt: skip
        return f"Grant {grant.id} added: {amount_text(amount, currency)} to {to}"

    title = (
        "Add a grant"
        + (f" to {partner}" if partner else "")
        + (f" in {workstream}" if workstream else "")
    )
    return ActionForm("grant-add", title, fields, run, confirm="Add grant")


def step_form(d: Directory, today: date) -> ActionForm:
    """Add a step to the exit checklist, as `checklist add` does."""
    fields = (
        FormField("name", "Short name", required=True, placeholder="one word, e.g. thank-you"),
        FormField("text", "What is done", required=True, placeholder="e.g. Thank the partner"),
        on_field(today),
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        step = checklist.add_step(s, name=v["name"], text=v["text"], stamp=stamp)
        return f"Checklist step '{step.name}' added: endings begun from now are checked against it"

    preamble = "Endings already under way keep the checklist they began with."
    return ActionForm("checklist-add", "Add a step to the exit checklist", fields, run,
                      confirm="Add step", preamble=preamble)  # fmt: skip


def remove_step_form(d: Directory, today: date, step: str = "") -> ActionForm:
    """Take a step off the exit checklist, as `checklist remove` does; the step is asked
    unless the screen holds it."""
    ask = () if step else (FormField("step", "Checklist step", "choice", True, tuple(d.steps)),)

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        name = step or v["step"]
        checklist.remove_step(s, name=name, stamp=stamp)
        return f"Checklist step '{name}' removed from the list for new endings"

    title = f"Remove '{step}' from the exit checklist" if step else "Remove a checklist step"
    preamble = (
        "New endings are not checked against it; endings already under way keep it, and "
        "ticks already made stay in the history."
    )
    return ActionForm("checklist-remove", title, (*ask, on_field(today)), run,
                      confirm="Remove step", preamble=preamble)  # fmt: skip


def untick_form(d: Directory, today: date, partner: str, workstream: str, step: str) -> ActionForm:
    """Untick a ticked step of an ending's checklist: a new event, the tick kept."""
    return partnership_form("untick", d, today, partner, workstream, step)
