"""Forms that make the records everything else refers to: partners (and editing one),
people, workstreams and themes, each through the service the CLI uses."""

from datetime import date

from sqlmodel import Session

from portfolio.models import Partner
from portfolio.services import people, themes, workstreams
from portfolio.services.history import Stamp
from portfolio.services.overview import Directory
from portfolio.services.partners import EDITABLE, add_partner, edit_partner, edit_words
from portfolio.tui.actions import ActionForm, FormField, Values, _split, on_field


def _partner_fields(current: dict[str, str]) -> tuple[FormField, ...]:
    return (
        FormField("name", "Name", required=True, default=current.get("name", ""),
                  placeholder="the organisation's name (unique)"),
        FormField("kind", "Kind", default=current.get("kind", ""),
                  placeholder="e.g. charity, network"),
        FormField("place", "Place", default=current.get("place", ""), placeholder="where it works"),
        FormField("org_id", "Org id", default=current.get("org_id", ""),
                  placeholder="360Giving org-id, e.g. GB-CHC-1234567"),
        FormField("notes", "Notes (internal)", default=current.get("notes", ""),
                  placeholder="staff only"),
    )  # fmt: skip


def partner_form(d: Directory, today: date) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = add_partner(
            s, name=v["name"], kind=v.get("kind", ""), place=v.get("place", ""),
            org_id=v.get("org_id", ""), notes=v.get("notes", ""), stamp=stamp,
        )  # fmt: skip
        return f"Partner {made.id} added: {made.name}"

    fields = (*_partner_fields({}), on_field(today))
    return ActionForm("partner-add", "New partner", fields, run, confirm="Add")


def edit_partner_form(today: date, partner: Partner) -> ActionForm:
    """Edit a partner's details (as ``partner_detail`` read them), prefilled;
    only what the person changes is sent, so an untouched detail stays as recorded."""
    assert partner.id is not None
    partner_id: int = partner.id
    current = {attr: str(getattr(partner, attr) or "") for attr in EDITABLE}

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        changes = {attr: v.get(attr, "") for attr in EDITABLE}
        # The form shows each value stripped: one left as shown is not a change.
        changes = {a: text for a, text in changes.items() if text != current[a].strip()}
        changed = edit_partner(s, stamp, partner_id=partner_id, **changes)
        return f"Partner {partner_id} edited: {edit_words(changed)}"

    fields = (*_partner_fields(current), on_field(today))
    return ActionForm("partner-edit", f"Edit partner {current['name']}", fields, run, "Save")


def person_form(d: Directory, today: date) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = people.add_person(s, name=v["name"], role=v.get("role", ""), stamp=stamp)
        return f"Person {made.id} added: {made.name}"

    fields = (
        FormField("name", "Name", required=True, placeholder="full name, as people type it"),
        FormField("role", "Role", placeholder="e.g. staff lead, trustee"),
        on_field(today),
    )
    return ActionForm("person-add", "New person", fields, run, confirm="Add")


def workstream_form(d: Directory, today: date) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = workstreams.add_workstream(
            s, stamp, name=v["name"], purpose=v.get("purpose", ""), lead=v.get("lead") or None
        )
        return f"Workstream {made.id} opened: {made.name}"

    fields = (
        FormField("name", "Name", required=True, placeholder="unique, e.g. Place"),
        FormField("purpose", "Purpose", placeholder="what the team is for"),
        FormField("lead", "Lead", "choice", False, tuple(d.people)),
        FormField("on", "Opened on", "date", True, default=today.isoformat()),
    )
    return ActionForm("workstream-add", "New workstream", fields, run, confirm="Open")


def theme_form(d: Directory, today: date) -> ActionForm:
    """A theme held by an open workstream, or unhomed with its leads (one or the other)."""

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = themes.add_theme(
            s, stamp, name=v["name"], home=v.get("home") or None, leads=_split(v.get("leads", ""))
        )
        where = f"held by {v['home']}" if v.get("home") else "unhomed"
        return f"Theme {made.id} added: {made.name}, {where}"

    fields = (
        FormField("name", "Name", required=True, placeholder="a field of work"),
        FormField("home", "Held by", "choice", False, tuple(d.open_workstreams)),
        FormField("leads", "Leads (if unhomed)", "names", False, tuple(d.people)),
        on_field(today),
    )
    return ActionForm("theme-add", "New theme", fields, run, confirm="Add")
