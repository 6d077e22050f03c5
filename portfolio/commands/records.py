"""Grants, themes and the exit checklist."""

from typing import Annotated

import typer
from rich.table import Table

from portfolio.commands.common import (
    AsOpt,
    JsonOpt,
    OnOpt,
    ReasonOpt,
    WorkstreamOpt,
    console,
    done,
    emit_json,
    optional_date,
    options_named,
    reading,
    stamp,
    writing,
)
from portfolio.errors import InvalidInput
from portfolio.services import checklist, grants, themes
from portfolio.services.changes import from_words
from portfolio.services.inputs import parse_amount, parse_currency

grant_app = typer.Typer(help="Grants within partnerships.", no_args_is_help=True)
theme_app = typer.Typer(help="Themes: fields of work, homed or unhomed.", no_args_is_help=True)
checklist_app = typer.Typer(help="The responsible-exit checklist (editable).")


@grant_app.command("add")
def grant_add(
    partner: Annotated[str, typer.Argument(help="The partner organisation.")],
    workstream: WorkstreamOpt,
    amount: Annotated[str, typer.Option("--amount", help="Exact amount, e.g. 25000 or 4500.50.")],
    title: Annotated[str, typer.Option("--title")] = "",
    awarded: Annotated[str | None, typer.Option("--awarded", help="Award date.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="Planned start date.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Planned end date.")] = None,
    ref: Annotated[str, typer.Option("--ref", help="Your grant reference.")] = "",
    currency: Annotated[str, typer.Option("--currency")] = "GBP",
    on: OnOpt = None,
    actor: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a grant to a partner's partnership in a workstream."""
    currency = parse_currency(currency)
    value = parse_amount(amount, currency=currency)
    dates = [optional_date(awarded, "--awarded date"), optional_date(start, "--start date"),
             optional_date(end, "--end date")]  # fmt: skip
    start_it = f"portfolio partnership start '{partner}' --workstream '{workstream}'"
    named = {"amount": "--amount", "end": "--end", "workstream": start_it, "on": "--on"}
    with options_named(named), writing() as session:
        grant = grants.add_grant(
            session, stamp(on, actor), partner=partner, workstream=workstream, amount=value,
            title=title, awarded=dates[0], start=dates[1], end=dates[2], reference=ref,
            currency=currency,
        )  # fmt: skip
        gid = grant.id
    if as_json:
        emit_json({"id": gid, "amount": f"{value:.2f}"})
    else:
        done(f"grant {gid} added: {currency} {value:,.2f} to {partner}")


@grant_app.command("withdraw")
def grant_withdraw(
    grant_id: Annotated[
        str,
        typer.Argument(help="The grant's id, as `partner show NAME` lists it.", metavar="GRANT_ID"),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why: what was recorded in error (kept in the history).")
    ] = "",
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Withdraw a grant recorded in error: it stays in the records, marked, and no longer
    counts as committed from --on."""
    text = grant_id.strip()
    # Digits only, and few enough to be a number at all (a longer one names no grant).
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        raise InvalidInput(f"'{grant_id[:40]}' is not a grant id; `partner show NAME` lists them.")
    with options_named({"reason": "--reason", "on": "--on"}), writing() as session:
        grant = grants.withdraw_grant(session, stamp(on, actor), grant_id=int(text), reason=reason)
        said = f"{grant.currency} {grant.amount:,.2f}, withdrawn on {grant.withdrawn_on}"
    done(f"grant {int(text)} withdrawn: {said}")


@theme_app.command("add")
def theme_add(
    name: str,
    home: Annotated[str | None, typer.Option("--home", help="Workstream that holds it.")] = None,
    lead: Annotated[
        list[str] | None, typer.Option("--lead", help="Lead of an unhomed theme (repeatable).")
    ] = None,
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Add a theme, held by a workstream or unhomed with leads."""
    with options_named({"home": "--home W or --lead P", "on": "--on"}), writing() as session:
        theme = themes.add_theme(session, stamp(on, actor), name=name, home=home, leads=lead or [])
        tid = theme.id
    done(f"theme {tid} added: {name}")


@theme_app.command("rehome")
def theme_rehome(
    name: str,
    to: Annotated[str | None, typer.Option("--to", help="Open workstream to hold it.")] = None,
    unhomed: Annotated[bool, typer.Option("--unhomed", help="Leave it without a home.")] = False,
    lead: Annotated[list[str] | None, typer.Option("--lead", help="Lead (repeatable).")] = None,
    reason: ReasonOpt = "",
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Move a theme to another workstream, or leave it unhomed with named leads."""
    words = {"name": name, "to": to, "unhomed": unhomed, "leads": lead or [], "reason": reason}
    with options_named(themes.ThemeRehome), writing() as session:
        from_words(session, themes.ThemeRehome, words).run(session, stamp(on, actor))
    where = to if to else f"unhomed, led by {', '.join(lead or [])}"
    done(f"theme {name}: {where}")


@theme_app.command("list")
def theme_list(as_json: JsonOpt = False) -> None:
    """Themes with their home or leads."""
    with reading() as session:
        rows = themes.list_themes(session)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "theme", "held by", "leads", box=None)
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["home"] or "(unhomed)", ", ".join(r["leads"]))
    console().print(table)


@checklist_app.callback(invoke_without_command=True)
def checklist_default(ctx: typer.Context) -> None:
    """The responsible-exit checklist (editable)."""
    if ctx.invoked_subcommand is None:
        checklist_list()


@checklist_app.command("list")
def checklist_list(as_json: JsonOpt = False) -> None:
    """The steps every ending is checked against."""
    with reading() as session:
        rows = checklist.list_steps(session)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        console().print(f"{r['name']:<14} {r['text']}")


@checklist_app.command("add")
def checklist_add(
    name: Annotated[str, typer.Argument(help="Short name, e.g. 'thank-you'.")],
    text: Annotated[str, typer.Argument(help="What is done.")],
    on: OnOpt = None,
    actor: AsOpt = None,
) -> None:
    """Add a step to the exit checklist."""
    with writing() as session:
        checklist.add_step(session, name=name, text=text, stamp=stamp(on, actor))
    done(f"checklist step {name} added")


@checklist_app.command("remove")
def checklist_remove(name: str, on: OnOpt = None, actor: AsOpt = None) -> None:
    """Remove a step; ticks already made stay in the history."""
    with writing() as session:
        checklist.remove_step(session, name=name, stamp=stamp(on, actor))
    done(f"checklist step {name} removed")
