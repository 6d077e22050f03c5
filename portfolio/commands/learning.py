"""Reflective sessions, their templates, and insights."""

from typing import Annotated, Any

import typer
from rich.table import Table

from portfolio.commands.common import (
    AsOpt,
    JsonOpt,
    OnOpt,
    console,
    done,
    emit_json,
    id_argument,
    id_option,
    optional_date,
    options_named,
    reading,
    stamp,
    writing,
)
from portfolio.errors import InvalidInput
from portfolio.services import insights, sessions
from portfolio.services.inputs import parse_date
from portfolio.settings import current_user

session_app = typer.Typer(help="Reflective sessions: dilemmas worked through together.",
                          no_args_is_help=True)  # fmt: skip
template_app = typer.Typer(help="Session templates: the prompts a session works through.",
                           no_args_is_help=True)  # fmt: skip
insight_app = typer.Typer(help="Insights: what we are learning, and who may see it.",
                          no_args_is_help=True)  # fmt: skip


@session_app.command("add")
def session_add(
    title: Annotated[str, typer.Argument(help="What the session was about.")],
    on: Annotated[str, typer.Option("--on", help="When it was held, YYYY-MM-DD.")],
    template: Annotated[
        str, typer.Option("--template", help="Its prompts (see `template list`).")
    ] = sessions.DEFAULT_TEMPLATE,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help="Who came (repeatable).")
    ] = None,
    dilemma: Annotated[str, typer.Option("--dilemma", help="The dilemma or question.")] = "",
    notes: Annotated[str, typer.Option("--notes", help="Notes (internal).")] = "",
    follows: Annotated[
        int | None, id_option("--follows", help="The earlier session it follows.")
    ] = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a reflective session (or a learning network's meeting)."""
    held_on = parse_date(on, "--on date")
    with writing() as session:
        made = sessions.add_session(
            session, title=title, on=held_on, template_name=template, attendees=attendee or [],
            dilemma=dilemma, notes=notes, follows=follows, actor=current_user(actor),
        )  # fmt: skip
        sid = made.id
    if as_json:
        emit_json({"id": sid, "title": title, "held_on": held_on.isoformat()})
    else:
        done(f"session {sid} added: {title}")


@session_app.command("list")
def session_list(as_json: JsonOpt = False) -> None:
    """Reflective sessions, oldest first."""
    with reading() as session:
        found = sessions.list_sessions(session)
    if as_json:
        emit_json(found)
        return
    # "date" and a status: a session dated after today is planned, not held.
    table = Table("id", "date", "status", "title", "template", "follows", "attendees", box=None)
    for s in found:
        table.add_row(str(s["id"]), s["held_on"], s["status"], s["title"], s["template"],
                      str(s["follows_id"] or ""), ", ".join(s["attendees"]))  # fmt: skip
    console().print(table)


def _insight_line(i: dict[str, Any]) -> str:
    tags = f" [{', '.join(i['tags'])}]" if i["tags"] else ""
    return f"insight {i['id']} ({i['visibility']}){tags}: {i['text']}"


def _action_line(a: dict[str, Any]) -> str:
    due = f", due {a['due_on']}" if a["due_on"] else ""
    return f"action {a['id']} [{a['status']}] {a['owner']}{due}: {a['text']}"


@session_app.command("show")
def session_show(
    session_id: Annotated[int, id_argument("The session's number.")],
    as_json: JsonOpt = False,
) -> None:
    """A session: carried-forward items, prompts with their insights, actions."""
    with reading() as session:
        s = sessions.show_session(session, session_id)
    if as_json:
        emit_json(s)
        return
    out = console()
    out.print(f"session {s['id']}: {s['title']} ({s['held_on']}, {s['template']})")
    if s["attendees"]:
        out.print(f"attended: {', '.join(s['attendees'])}")
    carried = s["carried_forward"]
    if carried:
        src = carried["from"]
        out.print(f"carried forward from session {src['id']} '{src['title']}' ({src['held_on']}):")
        for i in carried["insights"]:
            out.print("  " + _insight_line(i))
        for a in carried["actions"]:
            out.print("  " + _action_line(a))
    for key in ("dilemma", "notes"):
        if s[key]:
            out.print(f"{key}: {s[key]}")
    out.print("prompts:")
    for p in s["prompts"]:
        out.print(f"  {p['name']}: {p['text']}")
        for i in p["insights"]:
            out.print("    " + _insight_line(i))
    for i in s["other_insights"]:
        out.print(_insight_line(i))
    for a in s["actions"]:
        out.print(_action_line(a))


@template_app.command("list")
def template_list(as_json: JsonOpt = False) -> None:
    """Session templates and their prompts."""
    with reading() as session:
        found = sessions.list_templates(session)
    if as_json:
        emit_json(found)
        return
    for t in found:
        console().print(f"{t['name']}: {', '.join(p['name'] for p in t['prompts'])}"
                        f"  - {t['description']}")  # fmt: skip


@template_app.command("show")
def template_show(name: str, as_json: JsonOpt = False) -> None:
    """One template's prompts."""
    with reading() as session:
        chosen = sessions.template(session, name).name
        found = next(t for t in sessions.list_templates(session) if t["name"] == chosen)
    if as_json:
        emit_json(found)
        return
    console().print(f"{found['name']}: {found['description']}")
    for p in found["prompts"]:
        console().print(f"  {p['name']}: {p['text']}")


def _prompt_pair(text: str) -> tuple[str, str]:
    name, sep, question = text.partition("=")
    if not sep or not name.strip() or not question.strip():
        raise InvalidInput(f"'{text}' is not a prompt; write it as NAME=TEXT, e.g. start='What "
                           "needs to start?'")  # fmt: skip
    return name.strip(), question.strip()


@template_app.command("add")
def template_add(
    name: str,
    prompt: Annotated[
        list[str], typer.Option("--prompt", help="NAME=TEXT (repeatable, in order).")
    ],
    description: Annotated[str, typer.Option("--description")] = "",
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a template of your own."""
    pairs = [_prompt_pair(p) for p in prompt]
    with options_named({"prompts": "--prompt NAME=TEXT"}), writing() as session:
        made = sessions.add_template(
            session, name=name, prompts=pairs, description=description, stamp=stamp(on, actor)
        )
        tid = made.id
    emit_json({"id": tid, "name": name}) if as_json else done(f"template {tid} added: {name}")


@insight_app.command("add")
def insight_add(
    text: Annotated[str, typer.Argument(help="What we are learning.")],
    session_id: Annotated[
        int | None, id_option("--session", help="The session it came from.")
    ] = None,
    prompt: Annotated[
        str | None, typer.Option("--prompt", help="The session's prompt it answers.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date (default: the session's, else today).")
    ] = None,
    workstream: Annotated[
        list[str] | None,
        typer.Option("--workstream", "-w", help="Workstream concerned (repeatable)."),
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="Partner concerned (repeatable).")
    ] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="Theme concerned (repeatable).")
    ] = None,
    visibility: Annotated[
        str, typer.Option("--visibility", help="internal, board or public.")
    ] = "internal",
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Compass dimension (repeatable).")
    ] = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record an insight (internal unless you say board or public)."""
    named = {"session_id": "--session", "visibility": "--visibility"}
    with options_named(named), writing() as session:
        made = insights.add_insight(
            session, text=text, session_id=session_id, prompt=prompt,
            on=optional_date(on, "--on date"), workstreams=workstream or [],
            partners=partner or [], themes=theme or [], visibility=visibility, tags=tag or [],
            actor=current_user(actor),
        )  # fmt: skip
        out = {"id": made.id, "visibility": made.visibility, "noted_on": str(made.noted_on)}
    emit_json(out) if as_json else done(f"insight {out['id']} added ({out['visibility']})")


@insight_app.command("list")
def insight_list(
    visibility: Annotated[
        str | None, typer.Option("--visibility", help="internal, board or public.")
    ] = None,
    workstream: Annotated[str | None, typer.Option("--workstream", "-w")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="A Compass dimension.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Insights, oldest first; internal ones never leave the team."""
    with reading() as session:
        found = insights.list_insights(session, visibility=visibility, workstream=workstream,
                                       tag=tag)  # fmt: skip
    if as_json:
        emit_json(found)
        return
    table = Table("id", "noted", "visibility", "insight", "tags", "concerns", box=None)
    for i in found:
        concerns = ", ".join(i["workstreams"] + i["partners"] + i["themes"])
        table.add_row(str(i["id"]), i["noted_on"], i["visibility"], i["text"],
                      ", ".join(i["tags"]), concerns)  # fmt: skip
    console().print(table)
