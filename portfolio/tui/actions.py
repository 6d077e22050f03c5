"""The lifecycle actions the app offers, each as a form: its fields and the
service call it makes once the person confirms.

Forms are plain data so the screens, the command palette and the tests share them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from portfolio.services import partnerships, themes, workstreams
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.services.lifecycle import EXIT_TYPES, label
from portfolio.services.overview import Directory

Values = Mapping[str, str]
UNHOMED = "(unhomed)"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text | date | choice | name (free text suggested from choices)
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
        except Exception:
            return f"{spec.label}: write a date as YYYY-MM-DD."
    if spec.kind == "choice" and spec.choices and value not in spec.choices:
        return f"{spec.label}: choose one of the list."
    return None


@dataclass(frozen=True)
class ActionForm:
    key: str  # the action's name, as in the lifecycle table
    title: str
    fields: tuple[FormField, ...]
    run: Callable[[Session, Stamp, Values], str]  # returns what was done, for the user
    confirm: str = "Confirm"
    preamble: str = ""  # shown above the fields: e.g. every change an enactment will make


def on_field(today: date) -> FormField:
    return FormField("on", "Effective date", "date", True, default=today.isoformat())


def _reason(required: bool = True) -> FormField:
    return FormField("reason", "Reason", required=required, placeholder="why: kept in the history")


def start_form(d: Directory, today: date, *, workstream: str = "", partner: str = "") -> ActionForm:
    fields = []
    if not partner:
        fields.append(
            FormField("partner", "Partner", "name", True, tuple(d.partners), placeholder="name")
        )
    if not workstream:
        fields.append(
            FormField("workstream", "Workstream", "choice", True, tuple(d.open_workstreams))
        )
    fields += [
        FormField("lead", "Lead", "choice", False, tuple(d.people)),
        _reason(False),
        on_field(today),
    ]

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        ps = partnerships.start(
            s, stamp, partner=partner or v["partner"], workstream=workstream or v["workstream"],
            lead=v.get("lead") or None, reason=v.get("reason", ""),
        )  # fmt: skip
        return f"{partner or v['partner']}: {label(ps.state)} in {workstream or v['workstream']}"

    where = f" in {workstream}" if workstream else ""
    return ActionForm("start", f"Start a partnership{where}", tuple(fields), run)  # fmt: skip


def review_form(d: Directory, today: date, partner: str, workstream: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        partnerships.review(
            s, stamp, partner=partner, workstream=workstream, lead=v["lead"], reason=v["reason"]
        )
        return f"{partner}: under review in {workstream}, lead {v['lead']}"

    fields = (
        FormField("lead", "Lead", "choice", True, tuple(d.people)),
        _reason(),
        on_field(today),
    )
    return ActionForm("review", f"Review {partner} in {workstream}", fields, run)


def resume_form(today: date, partner: str, workstream: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        partnerships.resume(s, stamp, partner=partner, workstream=workstream, reason=v["reason"])
        return f"{partner}: active again in {workstream}"

    fields = (_reason(), on_field(today))
    return ActionForm("resume", f"Resume {partner} in {workstream}", fields, run)


def end_form(today: date, partner: str, workstream: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        partnerships.end(
            s, stamp, partner=partner, workstream=workstream, by=parse_date(v["by"]),
            reason=v["reason"], exit_type=v.get("exit_type") or "out",
        )  # fmt: skip
        return f"{partner}: ending respectfully in {workstream} by {v['by']}"

    fields = (
        FormField("by", "Planned end", "date", True, placeholder="YYYY-MM-DD"),
        FormField(
            "exit_type",
            "Exit type",
            "choice",
            True,
            tuple(EXIT_TYPES),
            tuple(EXIT_TYPES.values()),
            default="out",
        ),
        _reason(),
        on_field(today),
    )
    return ActionForm("end", f"End {partner} in {workstream} respectfully", fields, run)


def tick_form(today: date, partner: str, workstream: str, step: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        partnerships.tick(s, stamp, partner=partner, workstream=workstream, step=step)
        return f"{partner}: '{step}' ticked"

    title = f"Tick '{step}' for {partner} in {workstream}"
    return ActionForm("tick", title, (on_field(today),), run)


def complete_form(today: date, partner: str, workstream: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        partnerships.complete(
            s, stamp, partner=partner, workstream=workstream, reason=v.get("reason", "")
        )
        return f"{partner}: ended in {workstream}"

    fields = (
        FormField("reason", "Reason (needed if steps are open)", placeholder="why steps stay open"),
        on_field(today),
    )
    return ActionForm("complete", f"Complete the ending of {partner} in {workstream}", fields, run)


def transfer_form(d: Directory, today: date, partner: str, workstream: str) -> ActionForm:
    others = tuple(w for w in d.open_workstreams if w != workstream)

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        partnerships.transfer(
            s, stamp, partner=partner, from_workstream=workstream, to_workstream=v["to"],
            reason=v["reason"], lead=v.get("lead") or None,
        )  # fmt: skip
        return f"{partner}: transferred from {workstream} to {v['to']}"

    fields = (
        FormField("to", "To workstream", "choice", True, others),
        FormField("lead", "New lead (default: same)", "choice", False, tuple(d.people)),
        _reason(),
        on_field(today),
    )
    return ActionForm("transfer", f"Transfer {partner} from {workstream}", fields, run)


def rehome_form(d: Directory, today: date, held: tuple[str, ...]) -> ActionForm:
    """Rehome one of ``held``: the theme is asked only when there is a choice."""

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        theme = held[0] if len(held) == 1 else v["theme"]
        leads = [n.strip() for n in v.get("leads", "").split(",") if n.strip()]
        unhomed = v["to"] == UNHOMED
        themes.rehome_theme(
            s, stamp, name=theme, to=None if unhomed else v["to"], unhomed=unhomed,
            leads=leads, reason=v.get("reason", ""),
        )  # fmt: skip
        return f"Theme '{theme}': {'unhomed' if unhomed else 'now held by ' + v['to']}"

    ask = () if len(held) == 1 else (FormField("theme", "Theme", "choice", True, held),)
    fields = (
        *ask,
        FormField("to", "Rehome to", "choice", True, (*d.open_workstreams, UNHOMED)),
        FormField("leads", "Leads (a, b; if unhomed)", "name", False, tuple(d.people)),
        _reason(False),
        on_field(today),
    )  # fmt: skip
    title = f"Rehome theme '{held[0]}'" if len(held) == 1 else "Rehome a theme"
    return ActionForm("rehome", title, fields, run)


def close_form(today: date, workstream: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        workstreams.close_workstream(s, stamp, name=workstream, reason=v.get("reason", ""))
        return f"{workstream} closed"

    fields = (_reason(False), on_field(today))
    return ActionForm("close", f"Close the workstream {workstream}", fields, run)


def partnership_form(
    action: str, d: Directory, today: date, partner: str, workstream: str
) -> ActionForm:
    """The form for a lifecycle action on one partner's partnership in a workstream."""
    if action == "review":
        return review_form(d, today, partner, workstream)
    if action == "resume":
        return resume_form(today, partner, workstream)
    if action == "end":
        return end_form(today, partner, workstream)
    if action == "complete":
        return complete_form(today, partner, workstream)
    if action == "transfer":
        return transfer_form(d, today, partner, workstream)
    raise ValueError(f"no form for {action}")
