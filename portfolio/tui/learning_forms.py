"""Forms for learning: a reflective session whose template's prompts become the form,
an insight with visibility and framework tags, an action with owner and due date, and
closing an action (done or dropped, with why).

An insight or action added from a session (the one highlighted or opened) starts from
that session: its session field is that session, and it is dated by it when it was held."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from portfolio.services import actions, insights, sessions
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.services.insights import VISIBILITIES
from portfolio.services.overview import Directory
from portfolio.tui.actions import ActionForm, FormField, Values


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


@dataclass(frozen=True)
class Picks:
    """What the learning forms pick from beside the directory: sessions and decisions (as
    their list rows), and the prompts of every template (name, text), without repeats."""

    sessions: tuple[dict[str, Any], ...] = ()
    decisions: tuple[dict[str, Any], ...] = ()
    prompts: tuple[tuple[str, str], ...] = ()


def _session_field(
    picks: Picks, context: dict[str, Any] | None, label: str, name: str = "session_id"
) -> FormField:
    ids = tuple(str(s["id"]) for s in picks.sessions)
    shown = tuple(f"{s['id']}. {s['title']} ({s['held_on']})" for s in picks.sessions)
    chosen = str(context["id"]) if context else ""
    return FormField(name, label, "choice", False, ids, shown, default=chosen)


def _dated(today: date, context: dict[str, Any] | None) -> FormField:
    """The date field: a held session's date when added from one, else today."""
    held = context["held_on"] if context else ""
    on = held if held and held <= today.isoformat() else today.isoformat()
    return FormField("on", "Date", "date", True, default=on)


def _id(text: str | None) -> int | None:
    return int(text) if text else None


def session_form(
    d: Directory, today: date, template: str, prompts: list[dict[str, str]],
    picks: Picks = Picks(),
) -> ActionForm:  # fmt: skip
    """One field per prompt: each answer is kept as an insight on that prompt (internal)."""
    fields = [
        FormField("title", "Title", required=True, placeholder="e.g. Learning network, March"),
        FormField("attendees", "Attendees", "names", False, tuple(d.people)),
        _session_field(picks, None, "Follows session", "follows"),
        # The whole prompt is its label: labels wrap rather than being cut.
        *[FormField(f"prompt-{p['name']}", p["text"]) for p in prompts],
        FormField("notes", "Notes (internal)"),
        FormField("on", "Held on", "date", True, default=today.isoformat()),
    ]

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = sessions.add_session(
            s, title=v["title"], on=stamp.on, template_name=template,
            attendees=_names(v.get("attendees", "")), dilemma=v.get("prompt-dilemma", ""),
            notes=v.get("notes", ""), follows=_id(v.get("follows")), actor=stamp.actor,
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


def insight_form(
    d: Directory, today: date, tags: tuple[str, ...], picks: Picks = Picks(),
    *, session: dict[str, Any] | None = None,
) -> ActionForm:  # fmt: skip
    """An insight; from ``session`` (a row of ``list_sessions``) when given."""
    fields = (
        FormField("text", "Insight", required=True, placeholder="what are we learning?"),
        FormField("visibility", "Who may see it", "choice", True, VISIBILITIES, default="internal"),
        _session_field(picks, session, "From session"),
        FormField("prompt", "Answers the prompt", "choice", False,
                  tuple(n for n, _ in picks.prompts), tuple(t for _, t in picks.prompts)),
        FormField("workstream", "Workstream", "choice", False, tuple(d.workstreams)),
        FormField("partner", "Partner", "name", False, tuple(d.partners), placeholder="name"),
        FormField("themes", "Themes", "names", False, tuple(d.themes)),
        FormField("tags", "Framework tags", "names", False, tags),
        _dated(today, session),
    )  # fmt: skip

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = insights.add_insight(
            s, text=v["text"], on=stamp.on, visibility=v["visibility"],
            session_id=_id(v.get("session_id")), prompt=v.get("prompt") or None,
            workstreams=[v["workstream"]] if v.get("workstream") else [],
            partners=[v["partner"]] if v.get("partner") else [],
            themes=_names(v.get("themes", "")), tags=_names(v.get("tags", "")),
            actor=stamp.actor,
        )  # fmt: skip
        return f"Insight {made.id} added ({made.visibility})"

    return ActionForm("insight", "Add an insight", fields, run)


def action_form(
    d: Directory, today: date, picks: Picks = Picks(), *, session: dict[str, Any] | None = None
) -> ActionForm:
    """An action; from ``session`` (a row of ``list_sessions``) when given, and then
    dated by it (when it was held) unless the date is changed."""
    source = f" from session {session['id']}" if session else ""
    fields = (
        FormField("text", "Action", required=True, placeholder="what is to be done"),
        FormField("owner", "Owner", "choice", True, tuple(d.people)),
        FormField("due", "Due", "date", False, placeholder="YYYY-MM-DD"),
        FormField("decision_id", "From decision", "choice", False,
                  tuple(str(x["id"]) for x in picks.decisions),
                  tuple(f"{x['id']}. {x['title']}" for x in picks.decisions)),
        _session_field(picks, session, "From session"),
        _dated(today, session),
    )  # fmt: skip

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        due = parse_date(v["due"]) if v.get("due") else None
        made = actions.add_action(
            s, text=v["text"], owner=v["owner"], actor=stamp.actor, on=stamp.on, due=due,
            decision_id=_id(v.get("decision_id")), session_id=_id(v.get("session_id")),
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
    why = (
        ()
        if done
        else (FormField("reason", "Why it is dropped", placeholder="kept in the history"),)
    )
    fields = (*why, FormField("on", label, "date", True, default=today.isoformat()))

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        if done:
            made = actions.mark_done(s, stamp, action_id=action["id"])
        else:
            made = actions.drop(s, stamp, action_id=action["id"], reason=v.get("reason", ""))
        return f"Action {made.id} {made.status} on {made.closed_on}"

    title = f"Mark action {action['id']} done" if done else f"Drop action {action['id']}"
    return ActionForm(
        f"action-{status}", title, fields, run, confirm="Mark done" if done else "Drop",
        preamble=preamble,
    )  # fmt: skip
