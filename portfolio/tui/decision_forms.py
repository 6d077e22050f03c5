"""Forms for decisions: record one, agree it, plan a workstream's closure by asking
the fate of each of its partnerships and themes, and enact it after seeing every change."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from portfolio.services import decisions, enactment, plans
from portfolio.services.history import Stamp
from portfolio.services.lifecycle import ACTIVE, REVIEW
from portfolio.services.overview import Directory, workstream_header, workstream_partnerships
from portfolio.tui.actions import ActionForm, FormField, Values, on_field

KEEP = "keep"  # a partnership under review stays under review as the team closes


def new_decision_form(d: Directory, today: date) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = decisions.add_decision(
            s, stamp, title=v["title"], decision=v["decision"], context=v.get("context", ""),
            rationale=v.get("rationale", ""),
            workstreams=[v["workstream"]] if v.get("workstream") else [],
        )  # fmt: skip
        return f"Decision {made.id} recorded (proposed)"

    fields = (
        FormField("title", "Title", required=True, placeholder="e.g. Close the National team"),
        FormField("decision", "What was decided", required=True),
        FormField("context", "Context"),
        FormField("rationale", "Rationale"),
        FormField("workstream", "Concerns workstream", "choice", False, tuple(d.workstreams)),
        FormField("on", "Decided on", "date", True, default=today.isoformat()),
    )
    return ActionForm("decide", "Record a decision", fields, run)


def agree_form(today: date, decision_id: int, title: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        decisions.agree(s, stamp, decision_id=decision_id)
        return f"Decision {decision_id} agreed"

    return ActionForm("agree", f"Agree decision {decision_id}: {title}", (on_field(today),), run)


@dataclass(frozen=True)
class Closing:
    """What closing a workstream must settle: its undecided partnerships and its themes."""

    workstream: str
    partnerships: list[tuple[str, str]]  # (partner, state) for active and under review
    themes: list[str]


def read_closing(session: Session, workstream: str) -> Closing:
    header = workstream_header(session, workstream)
    found = []
    for state in (ACTIVE, REVIEW):
        page = workstream_partnerships(
            session, workstream_id=header.row.id, state=state, limit=10_000
        )
        found += [(line.partner, line.state) for line in page.lines]
    return Closing(header.row.name, sorted(found), header.themes)


def closing_plan_form(d: Directory, today: date, decision_id: int, closing: Closing) -> ActionForm:
    """One question per partnership and theme; confirming plans every answer and the closure."""
    ws = closing.workstream
    others = tuple(w for w in d.open_workstreams if w != ws)
    fields = []
    for i, (partner, state) in enumerate(closing.partnerships):
        values = ("end", *[f"transfer:{w}" for w in others], "review" if state == ACTIVE else KEEP)
        shown = (
            "end respectfully",
            *[f"transfer to {w}" for w in others],
            "review (lead stays)" if state == ACTIVE else "stay under review",
        )
        fields.append(FormField(f"p{i}", partner, "choice", True, values, shown))
    for i, theme in enumerate(closing.themes):
        values = (*[f"to:{w}" for w in others], "unhomed")
        shown = (*[f"rehome to {w}" for w in others], "unhomed, with the leads below")
        fields.append(FormField(f"t{i}", f"Theme: {theme}", "choice", True, values, shown))
    fields += [
        FormField("by", "Endings planned by", "date", False, placeholder="YYYY-MM-DD"),
        FormField("leads", "Leads of unhomed themes", "name", False, tuple(d.people)),
        FormField("reason", "Reason", required=True, placeholder="why: kept in the history"),
        FormField("effective", "Changes take effect", "date", placeholder="the decision's date"),
        on_field(today),
    ]

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        on = date.fromisoformat(v["effective"]) if v.get("effective") else None
        reason = v["reason"]
        count = 0

        def plan(action: str, **arguments: object) -> None:
            nonlocal count
            plans.plan_change(
                s, decision_id=decision_id, action=action, arguments=arguments, on=on, stamp=stamp
            )
            count += 1

        for i, (partner, _) in enumerate(closing.partnerships):
            fate = v[f"p{i}"]
            if fate == "end":
                plan("end", partner=partner, workstream=ws, by=v.get("by"), reason=reason)
            elif fate.startswith("transfer:"):
                plan("transfer", partner=partner, from_workstream=ws,
                     to_workstream=fate.split(":", 1)[1], reason=reason)  # fmt: skip
            elif fate == "review":
                lead = _lead_of(s, partner, ws)
                plan("review", partner=partner, workstream=ws, lead=lead, reason=reason)
        leads = [n.strip() for n in v.get("leads", "").split(",") if n.strip()]
        for i, theme in enumerate(closing.themes):
            fate = v[f"t{i}"]
            if fate == "unhomed":
                plan("theme-rehome", name=theme, unhomed=True, leads=leads, reason=reason)
            else:
                plan("theme-rehome", name=theme, to=fate.split(":", 1)[1], reason=reason)
        plan("workstream-close", name=ws, reason=reason)
        return f"Decision {decision_id}: {count} changes planned, ending with closing {ws}"

    return ActionForm(
        "plan", f"Plan closing {ws} (decision {decision_id})", tuple(fields), run,
        confirm="Add to the plan",
    )  # fmt: skip


def _lead_of(s: Session, partner: str, workstream: str) -> str | None:
    from portfolio.services.partners import partner_detail

    for ps in partner_detail(s, partner).partnerships:
        if ps.workstream == workstream and ps.state == ACTIVE:
            return ps.lead
    return None


def preview(session: Session, stamp: Stamp, decision_id: int) -> enactment.Enactment:
    """What enacting would do, change by change, without keeping anything."""
    return enactment.enact(session, stamp, decision_id=decision_id, dry_run=True)


def enact_form(today: date, decision_id: int, title: str, seen: enactment.Enactment) -> ActionForm:
    lines = []
    for o in seen.outcomes:
        lines.append(f"{o.n}. {o.description} (on {o.on})")
        lines += [f"     {effect}" for effect in o.effects]
        if o.problem:
            lines.append(f"     REFUSED: {o.problem}")
    verdict = (
        f"{len(seen.problems)} change(s) would be refused; nothing changes until they are fixed."
        if seen.problems
        else "Every change can be made. Confirm to make them all, as one action."
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        done = enactment.enact(s, stamp, decision_id=decision_id)
        return f"Decision {decision_id} enacted: {len(done.outcomes)} changes made"

    return ActionForm(
        "enact", f"Enact decision {decision_id}: {title}", (on_field(today),), run,
        confirm="Enact", preamble="\n".join([*lines, "", verdict]),
    )  # fmt: skip
