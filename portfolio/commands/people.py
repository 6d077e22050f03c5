from typing import Annotated

import typer
from rich.table import Table

from portfolio.commands.common import (
    AsOpt,
    JsonOpt,
    OnOpt,
    console,
    done,
    emit_json,
    reading,
    stamp,
    writing,
)
from portfolio.services.people import add_person, list_people

app = typer.Typer(help="People: staff leads, trustees, partner contacts.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Full name, as people will type it.")],
    role: Annotated[str, typer.Option("--role", help="e.g. staff lead, trustee.")] = "",
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a person."""
    with writing() as session:
        person = add_person(session, name=name, role=role, stamp=stamp(on, actor))
        pid = person.id
    emit_json({"id": pid, "name": name}) if as_json else done(f"person {pid} added: {name}")


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """List people."""
    with reading() as session:
        rows = list_people(session)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "name", "role", box=None)
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["role"])
    console().print(table)
