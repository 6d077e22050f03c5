"""The changes the app offers, each as a form made from its declaration (see
``services.changes``): its fields, and the change it makes once the person confirms.

Forms are plain data so the screens, the command palette and the tests share them.
"""

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlmodel import Session

from portfolio.errors import InvalidInput, PortfolioError
from portfolio.models import Partner, name_key
from portfolio.models.money import amount_text
from portfolio.services import grants, lookup, partners, partnerships, themes, workstreams
from portfolio.services.changes import LISTS, REFERENCES, Change, Kind, Names, noun_kind, params
from portfolio.services.history import Stamp
from portfolio.services.inputs import FIRST_DAY, LAST_DAY, parse_date
from portfolio.services.lifecycle import allowed
from portfolio.services.overview import Directory

C = TypeVar("C", bound=Change)

Values = Mapping[str, str]
UNHOMED = "(unhomed)"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    # text | date | choice | name (free text suggested from choices) | names (several
    # picked from choices; the value is them comma-joined, "a, b", read with _split)
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()  # what a person sees for each choice, if not the value
    default: str = ""
    placeholder: str = ""


def field_problem(spec: FormField, value: str) -> str | None:
    """What is wrong with a value as typed, or None; checked on every keystroke."""
    value = value.strip()
    if not value:
        return f"{spec.label} is required." if spec.required else None
    if spec.kind == "date":
        try:
            parse_date(value)
        except InvalidInput as exc:
            if "between" in str(exc):  # of the form, but too far back or ahead
                return f"{spec.label}: a date between {FIRST_DAY} and {LAST_DAY}."
            return f"{spec.label}: write a date as YYYY-MM-DD."
    if spec.kind == "choice" and spec.choices and value not in spec.choices:
        return f"{spec.label}: choose one of the list."
    if spec.kind == "names" and any(n not in spec.choices for n in _split(value)):
        return f"{spec.label}: choose from the list."
    return None


@dataclass(frozen=True)
class ActionForm:
    key: str  # the action's name, as in the lifecycle table
    title: str
    fields: tuple[FormField, ...]
    run: Callable[[Session, Stamp, Values], str]  # returns what was done, for the user
    confirm: str = "Confirm"
    preamble: str = ""  # shown above the fields: e.g. every change an enactment will make
    # What the form says in place, by field, about the values as typed; never blocks confirm.
    notes: Callable[[Values], Mapping[str, str]] | None = None


def on_field(today: date) -> FormField:
    return FormField("on", "Effective date", "date", True, default=today.isoformat())


def _reason(required: bool = True) -> FormField:
    return FormField("reason", "Reason", required=required, placeholder="why: kept in the history")


def _split(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


# How each kind of field is offered: form kind, and the Directory list it picks from.
_PICKED = {
    Kind.WORKSTREAM: "workstreams",
    Kind.OPEN_WORKSTREAM: "open_workstreams",
    Kind.PERSON: "people",
    Kind.STEP: "steps",
}


def change_fields(
    change: type[Change], d: Directory, *, fixed: Mapping[str, Any] = {},
    defaults: Mapping[str, str] = {}, leave_out: tuple[str, ...] = (),
) -> tuple[FormField, ...]:  # fmt: skip
    """A change's fields as a form asks them, leaving out those the screen already holds."""
    fields = []
    for attr, p in params(change):
        if attr in fixed:
            continue
        default = defaults.get(attr, "")
        if p.kind in _PICKED:
            choices = tuple(getattr(d, _PICKED[p.kind]))
            if p.kind == Kind.OPEN_WORKSTREAM:
                choices = tuple(w for w in choices if w not in leave_out)
            fields.append(FormField(attr, p.label, "choice", p.required, choices, default=default))
        elif p.kind == Kind.PARTNER:
            fields.append(FormField(attr, p.label, "name", p.required, tuple(d.partners),
                                    default=default, placeholder="name"))  # fmt: skip
        elif p.kind in (Kind.PEOPLE, Kind.THEMES):
            picks = tuple(d.people if p.kind == Kind.PEOPLE else d.themes)
            fields.append(FormField(attr, p.label, "names", p.required, picks,
                                    default=default))  # fmt: skip
        elif p.kind == Kind.THEME:
            fields.append(FormField(attr, p.label, "choice", p.required, tuple(d.themes),
                                    default=default))  # fmt: skip
        elif p.kind == Kind.DATE:
            fields.append(FormField(attr, p.label, "date", p.required, default=default,
                                    placeholder="YYYY-MM-DD"))  # fmt: skip
        elif p.kind == Kind.CHOICE and p.choices:
            chosen = default or str(next(f.default for f in dataclasses.fields(change)
                                         if f.name == attr))  # fmt: skip
            fields.append(FormField(attr, p.label, "choice", True, tuple(p.choices),
                                    tuple(p.choices.values()), default=chosen))  # fmt: skip
        elif p.kind == Kind.FLAG:
            fields.append(FormField(attr, p.label, "choice", False, ("no", "yes"),
                                    default=default or "no"))  # fmt: skip
        else:
            fields.append(FormField(attr, p.label, required=p.required, default=default,
                                    placeholder=p.help))  # fmt: skip
    return tuple(fields)


def change_from_form(
    change: type[C], s: Session, d: Directory, v: Values, fixed: Mapping[str, Any] = {}
) -> C:
    """The change a confirmed form describes: what the screen holds, and what was picked.

    Picked names come from the form's own lists, so each is its record's exact name;
    a partner's name typed free is resolved as the CLI resolves it.
    """
    values: dict[str, Any] = dict(fixed)
    for attr, p in params(change):
        if attr in fixed:
            continue
        text = v.get(attr, "").strip()
        if not text:
            continue
        if p.kind == Kind.PARTNER:
            values[attr] = lookup.partner(s, text).id
        elif p.kind in REFERENCES:
            noun = "step" if p.kind == Kind.STEP else str(noun_kind(p.kind))
            names = _split(text) if p.kind in LISTS else [text]
            found = []
            for name in names:
                record_id = d.id_of(noun, name)
                if record_id is None:  # typed, not picked: resolved as the CLI would
                    model, what = REFERENCES[p.kind]
                    record_id = lookup.by_name(s, model, name, what).id  # type: ignore[attr-defined]
                found.append(record_id)
            values[attr] = tuple(found) if p.kind in LISTS else found[0]
        elif p.kind == Kind.DATE:
            values[attr] = parse_date(text)
        elif p.kind == Kind.FLAG:
            values[attr] = text == "yes"
        else:
            values[attr] = text
    return change(**values)


def partnership_form(
    action: str, d: Directory, today: date, partner: str, workstream: str, step: str = ""
) -> ActionForm:
    """The form for a lifecycle action on one partner's partnership in a workstream (or, for
    start, on the partner or in the workstream given)."""
    declared = partnerships.action(action)
    fixed: dict[str, Any] = {}
    if partner:
        fixed["partner_id"] = d.id_of("partner", partner)
    if workstream:
        fixed["workstream_id"] = d.id_of("workstream", workstream)
    if step:
        fixed["step_id"] = d.id_of("step", step)
    fields = change_fields(declared, d, fixed=fixed, leave_out=(workstream,))

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        change = change_from_form(declared, s, d, v, fixed)
        result = change.run(s, stamp)
        return change.done_message(Names(s), result)

    if action == "start":
        title = (
            "Start a partnership"
            + (f" in {workstream}" if workstream else "")
            + (f" with {partner}" if partner else "")
        )
    else:
        title = declared.heading.format(
            title=declared.title, partner=partner, workstream=workstream, step=step
        )
    return ActionForm(action, title, (*fields, on_field(today)), run)


def row_actions(state: str) -> list[type[partnerships.PartnershipAction]]:
    """The declared actions the app offers on a partnership in ``state`` (every one, those
    declared after the screens' key bindings were made too)."""
    return [a for a in partnerships.actions() if a.on_row and allowed(a, state)]


# A new partner's own fields, asked with its name on the start form (each optional).
_NEW_PARTNER = {"kind": "If new: kind", "place": "If new: place", "org_id": "If new: org id"}
_NEW_HINTS = {"kind": "e.g. charity", "place": "e.g. Leeds", "org_id": "e.g. GB-CHC-1080601"}


def start_form(d: Directory, today: date, *, workstream: str = "", partner: str = "") -> ActionForm:
    """Start a partnership; a partner typed that is not one yet is added with it, in the
    same transaction (a refused start adds no partner)."""
    form = partnership_form("start", d, today, partner, workstream)
    if partner:
        return form
    known = {name_key(n) for n in d.partners}
    extra = tuple(
        FormField(f"partner_{f}", label, placeholder=_NEW_HINTS[f])
        for f, label in _NEW_PARTNER.items()
    )
    at = next(i for i, f in enumerate(form.fields) if f.name == "partner_id") + 1
    fields = (*form.fields[:at], *extra, *form.fields[at:])

    def notes(v: Values) -> dict[str, str]:
        typed = v.get("partner_id", "").strip()
        if not typed or name_key(typed) in known:
            return {}
        return {"partner_id": f"'{typed}' is not a partner yet: it will be added."}

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        typed = v.get("partner_id", "").strip()
        given = {f: v.get(f"partner_{f}", "") for f in _NEW_PARTNER}
        same = lookup.same_name(s, Partner, typed)
        if same is not None:
            if any(text.strip() for text in given.values()):
                raise InvalidInput(
                    f"{same} is already a partner: leave its kind, place and org id empty here "
                    "(they are the partner's own details).",
                    field=next(f"partner_{f}" for f, text in given.items() if text.strip()),
                )
            return form.run(s, stamp, v)
        try:
            added = partners.add_partner(s, name=typed, stamp=stamp, **given)
        except PortfolioError as exc:
            exc.field = "partner_id" if exc.field in (None, "name") else f"partner_{exc.field}"
            raise
        return f"New partner {added.name} added. " + form.run(s, stamp, v)

    return dataclasses.replace(form, fields=fields, run=run, notes=notes)


def tick_form(d: Directory, today: date, partner: str, workstream: str, step: str) -> ActionForm:
    return partnership_form("tick", d, today, partner, workstream, step)


def rehome_form(d: Directory, today: date, held: tuple[str, ...]) -> ActionForm:
    """Rehome one of ``held``: the theme is asked only when there is a choice."""

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        theme = held[0] if len(held) == 1 else v["theme"]
        unhomed = v["to"] == UNHOMED
        values = {"theme_id": theme, "unhomed": "yes" if unhomed else "",
                  "to_workstream_id": "" if unhomed else v["to"],
                  "lead_ids": v.get("leads", ""), "reason": v.get("reason", "")}  # fmt: skip
        change_from_form(themes.ThemeRehome, s, d, values).run(s, stamp)
        return f"Theme '{theme}': {'unhomed' if unhomed else 'now held by ' + v['to']}"

    ask = () if len(held) == 1 else (FormField("theme", "Theme", "choice", True, held),)
    fields = (
        *ask,
        FormField("to", "Rehome to", "choice", True, (*d.open_workstreams, UNHOMED)),
        FormField("leads", "Leads (if unhomed)", "names", False, tuple(d.people)),
        _reason(False),
        on_field(today),
    )  # fmt: skip
    title = f"Rehome theme '{held[0]}'" if len(held) == 1 else "Rehome a theme"
    return ActionForm("rehome", title, fields, run)


def close_form(d: Directory, today: date, workstream: str) -> ActionForm:
    fixed = {"workstream_id": d.id_of("workstream", workstream)}

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        change_from_form(workstreams.WorkstreamClose, s, d, v, fixed).run(s, stamp)
        return f"{workstream} closed"

    fields = (_reason(False), on_field(today))
    return ActionForm("close", f"Close the workstream {workstream}", fields, run)


def withdraw_grant_form(today: date, grant: Mapping[str, Any], partner: str) -> ActionForm:
    """Withdraw one grant recorded in error (``grant`` as ``partner show`` gives it)."""
    grant_id = int(grant["id"])
    amount = amount_text(Decimal(grant["amount"]), grant["currency"])

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        done = grants.withdraw_grant(s, stamp, grant_id=grant_id, reason=v["reason"])
        return f"Grant {grant_id} ({amount} to {partner}) withdrawn on {done.withdrawn_on}"

    title = f"Withdraw grant {grant_id}: {amount} to {partner}"
    preamble = (
        f"Awarded {grant['awarded_on']} in {grant['workstream']}. Recorded in error? It stays "
        "in the records, marked withdrawn, and no longer counts as committed from the "
        "effective date."
    )
    fields = (_reason(True), on_field(today))
    return ActionForm("grant-withdraw", title, fields, run, confirm="Withdraw", preamble=preamble)
