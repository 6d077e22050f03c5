"""Forms for learning: a reflective session whose template's prompts become the form,
an insight with visibility and framework tags, an action with owner and due date, and
closing an action (done or dropped)."""

from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from portfolio.services import actions, insights, sessions
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.services.insights import VISIBILITIES
from portfolio.services.overview import Directory
from portfolio.tui.actions import ActionForm, FormField, Values, on_field


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def session_form(
    d: Directory, today: date, template: str, prompts: list[dict[str, str]]
) -> ActionForm:
    """One field per prompt: each answer is kept as an insight on that prompt (internal)."""
    fields = [
        FormField("title", "Title", required=True, placeholder="e.g. Learning network, March"),
        FormField("attendees", "Attendees (a, b)", "name", False, tuple(d.people)),
        *[FormField(f"prompt-{p['name']}", p["text"][:22], placeholder=p["text"]) for p in prompts],
        FormField("notes", "Notes (internal)"),
        FormField("on", "Held on", "date", True, default=today.isoformat()),
    ]

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = sessions.add_session(
            s, title=v["title"], on=stamp.on, template_name=template,
            attendees=_names(v.get("attendees", "")), dilemma=v.get("prompt-dilemma", ""),
            notes=v.get("notes", ""), actor=stamp.actor,
        )  # fmt: skip
        answered = 0
        for p in prompts:
            answer = v.get(f"prompt-{p['name']}", "")
            if answer and p["name"] != "dilemma":  # the dilemma is the session's own
                insights.add_insight(
                    s, text=answer, session_id=made.id, prompt=p["name"], actor=stamp.actor
                )
                answered += 1
        return f"Session {made.id} logged with {answered} insight(s)"

    return ActionForm("session", f"Log a session ({template})", tuple(fields), run)


def insight_form(d: Directory, today: date, tags: tuple[str, ...]) -> ActionForm:
    fields = (
        FormField("text", "Insight", required=True, placeholder="what are we learning?"),
        FormField("visibility", "Who may see it", "choice", True, VISIBILITIES, default="internal"),
        FormField("workstream", "Workstream", "choice", False, tuple(d.workstreams)),
        FormField("theme", "Theme", "choice", False, tuple(d.themes)),
        FormField("tags", "Framework tags (a, b)", "name", False, tags),
        on_field(today),
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = insights.add_insight(
            s, text=v["text"], on=stamp.on, visibility=v["visibility"],
            workstreams=[v["workstream"]] if v.get("workstream") else [],
            themes=[v["theme"]] if v.get("theme") else [], tags=_names(v.get("tags", "")),
            actor=stamp.actor,
        )  # fmt: skip
        return f"Insight {made.id} added ({made.visibility})"

    return ActionForm("insight", "Add an insight", fields, run)


def action_form(d: Directory, today: date, *, session: dict[str, Any] | None = None) -> ActionForm:
    """An action; from ``session`` (a row of ``list_sessions``) when given, and then
    dated by it unless the date is changed."""
    source = f" from session {session['id']}" if session else ""
    fields = (
        FormField("text", "Action", required=True, placeholder="what is to be done"),
        FormField("owner", "Owner", "choice", True, tuple(d.people)),
        FormField("due", "Due", "date", False, placeholder="YYYY-MM-DD"),
        replace(on_field(today), default=session["held_on"]) if session else on_field(today),
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        due = parse_date(v["due"]) if v.get("due") else None
        made = actions.add_action(
            s, text=v["text"], owner=v["owner"], actor=stamp.actor, on=stamp.on, due=due,
            session_id=session["id"] if session else None,
        )  # fmt: skip
        return f"Action {made.id} set for {v['owner']}{source}"

    when = "planned for" if session and session["status"] == "planned" else "held"
    preamble = f"{session['title']} ({when} {session['held_on']})" if session else ""
    return ActionForm("action", f"Add an action{source}", fields, run, preamble=preamble)


def close_action_form(today: date, action: dict[str, Any], status: str) -> ActionForm:
    """Mark an open action done or drop it; ``action`` is a row of ``list_actions``."""
    done = status == "done"
    due = f", due {action['due_on']}" if action["due_on"] else ""
    preamble = f"{action['text']}\n\n{action['owner']}{due}; set on {action['created_on']}."
    label = "Done on" if done else "Dropped on"
    fields = (FormField("on", label, "date", True, default=today.isoformat()),)

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        close = actions.mark_done if done else actions.drop
        made = close(s, stamp, action_id=action["id"])
        return f"Action {made.id} {made.status} on {made.closed_on}"

    title = f"Mark action {action['id']} done" if done else f"Drop action {action['id']}"
    return ActionForm(
        f"action-{status}", title, fields, run, confirm="Mark done" if done else "Drop",
        preamble=preamble,
    )  # fmt: skip
