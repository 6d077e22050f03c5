"""What the "New…" chooser offers: a label and the form that makes that record.

One list, so the chooser, the command palette and the tests offer the same things;
a form that needs to read first (a session template's prompts) reads in ``make``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from portfolio.services.overview import Directory
from portfolio.tui import partnership_forms, record_forms
from portfolio.tui.actions import ActionForm, start_form


@dataclass(frozen=True)
class NewRecord:
    label: str  # "New partner": the chooser's line and the palette's command
    help: str
    # Called in a read worker: a read session, the names forms offer, today.
    make: Callable[[Session, Directory, date], ActionForm]


NEW_RECORDS: list[NewRecord] = [
    NewRecord("New partner", "A partner organisation",
              lambda _s, d, today: record_forms.partner_form(d, today)),
    NewRecord("New person", "A member of staff, a trustee, a contact",
              lambda _s, d, today: record_forms.person_form(d, today)),
    NewRecord("New workstream", "A portfolio team, opened on a date",
              lambda _s, d, today: record_forms.workstream_form(d, today)),
    NewRecord("New theme", "A field of work, held by a workstream or unhomed with leads",
              lambda _s, d, today: record_forms.theme_form(d, today)),
    NewRecord("Start a partnership", "With a partner, new or recorded, in a workstream",
              lambda _s, d, today: start_form(d, today)),
    NewRecord("New grant", "To a partner's partnership in a workstream",
              lambda _s, d, today: partnership_forms.grant_form(d, today)),
    NewRecord("New checklist step", "A step every ending is checked against",
              lambda _s, d, today: partnership_forms.step_form(d, today)),
]  # fmt: skip
