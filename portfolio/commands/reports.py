"""Board updates, exports and imports: report board, export 360giving|table, import."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from portfolio.commands.common import (
    AsOpt,
    OnOpt,
    PrintableConsole,
    console,
    done,
    dry_running,
    echo,
    emit_text,
    options_named,
    output_path,
    reading,
    stamp,
    writing,
)
from portfolio.errors import InvalidInput, Refused
from portfolio.reports import board, giving360, render_term, tables
from portfolio.reports.board_data import build_board_update
from portfolio.reports.files import write_output
from portfolio.services import imports
from portfolio.services.inputs import parse_date, parse_moment

report_app = typer.Typer(help="Reports: the board update.", no_args_is_help=True)
export_app = typer.Typer(help="Exports: 360Giving grants data, staff tables.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import partners or grants from CSV/XLSX (checked whole first).", no_args_is_help=True
)

OutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
]
AsRecordedOpt = Annotated[
    str | None,
    typer.Option(
        "--as-recorded-on",
        help="Only what was recorded by then: YYYY-MM-DD (to the end of that day, UTC) "
        "or YYYY-MM-DDTHH:MM:SS (UTC), to print a past paper or file again.",
    ),
]
PROGRESS_FROM = 200  # rows; smaller imports finish before a bar would help


def _emit(data: str | bytes, output: Path | None, fmt: str, *, private: bool = False) -> None:
    if output is not None:
        write_output(output, data, private=private)
        done(f"written to {output}")
    elif isinstance(data, bytes):
        raise InvalidInput(f"The {fmt} format is a binary file; give -o PATH to save it.")
    else:
        emit_text(data)


def _moment(as_recorded_on: str | None) -> datetime | None:
    return parse_moment(as_recorded_on, "--as-recorded-on") if as_recorded_on else None


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{option} must be one of {', '.join(allowed)} (not '{value}').")
    return value


@report_app.command("board")
def board_update(
    date_from: Annotated[str, typer.Option("--from", help="First day of the period.")],
    date_to: Annotated[str, typer.Option("--to", help="Last day; the position is as at it.")],
    workstream: Annotated[
        list[str] | None, typer.Option("--workstream", "-w", help="Only these (repeatable).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html, docx or term.")] = "md",
    output: OutOpt = None,
    as_recorded_on: AsRecordedOpt = None,
) -> None:
    """Draft the board update for a period from the records."""
    output = output_path(output)
    _choice(fmt, board.FORMATS, "--format")
    start, end = parse_date(date_from, "--from date"), parse_date(date_to, "--to date")
    recorded_by = _moment(as_recorded_on)
    if fmt in board.BINARY and output is None:
        raise InvalidInput(f"The {fmt} format is a binary file; give -o PATH to save it.")
    with options_named({"date_from": "--from and --to"}), reading() as session:
        update = build_board_update(
            session,
            date_from=start,
            date_to=end,
            workstreams=workstream or [],
            recorded_by=recorded_by,
        )
    if fmt == "term" and output is None:
        PrintableConsole(markup=False, highlight=False).print(render_term.render(update))
        return
    _emit(board.render(update, fmt), output, fmt)


@export_app.command("360giving")
def export_360giving(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: OutOpt = None,
    funder_id: Annotated[str | None, typer.Option("--funder-id")] = None,
    funder_name: Annotated[str | None, typer.Option("--funder-name")] = None,
    prefix: Annotated[str | None, typer.Option("--prefix", help="360Giving prefix.")] = None,
    as_recorded_on: AsRecordedOpt = None,
) -> None:
    """Grants in the 360Giving standard (published data: kept exact)."""
    output = output_path(output)
    _choice(fmt, ("csv", "json"), "--format")
    funder = giving360.funder_settings(funder_id=funder_id, funder_name=funder_name, prefix=prefix)
    with reading() as session:
        found, warnings = giving360.grants(session, funder, _moment(as_recorded_on))
    for warning in warnings:
        echo(f"portfolio: warning: {warning}", err=True)
    data = giving360.to_csv(found, funder) if fmt == "csv" else giving360.to_json(found, funder)
    _emit(data, output, fmt)


@export_app.command("table")
def export_table(
    name: Annotated[str, typer.Argument(help="partners, partnerships or grants.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")],
    output: OutOpt = None,
    include_internal: Annotated[
        bool, typer.Option("--include-internal", help="Include internal fields (partner notes).")
    ] = False,
) -> None:
    """A table of staff data; spreadsheet formulas are neutralised."""
    output = output_path(output)
    _choice(name, tables.TABLES, "NAME")
    _choice(fmt, ("csv", "xlsx"), "--format")
    if fmt == "xlsx" and output is None:
        raise InvalidInput("The xlsx format is a binary file; give -o PATH to save it.")
    with reading() as session:
        headers, found = tables.table(session, name, include_internal=include_internal)
    data = tables.to_csv(headers, found) if fmt == "csv" else tables.to_xlsx(name, headers, found)
    _emit(data, output, fmt, private=include_internal)  # partner notes: the owner's alone


def _import(
    kind: str,
    file: Path,
    dry_run: bool,
    on: str | None,
    actor: str | None,
    *,
    day_first: bool = False,
    allow_duplicates: bool = False,
    errors: Path | None = None,
) -> None:
    if errors is not None:
        _check_errors_path(errors, file)
    sheet = imports.read_rows(file)
    for note in sheet.notes:
        _warn(note)
    when = stamp(on, actor)
    options: dict[str, Any] = {
        "on": when.on,
        "day_first": day_first,
        "allow_duplicates": allow_duplicates,
    }
    try:
        # Checked before the write lock is taken: other writers go on meanwhile.
        with _progress(f"checking {kind}", len(sheet.rows)) as progress, reading() as session:
            plan = imports.check(session, kind, sheet, **options, progress=progress)
        for warning in plan.warnings:
            _warn(warning)
        _write_errors(errors, [])  # before the write: a file that cannot be written stops it
        if dry_run:
            out = console()
            for row in plan.rows[:20]:
                out.print(", ".join(f"{k}: {v}" for k, v in row.items() if v not in ("", None)))
            more = " (first 20 shown)" if len(plan.rows) > 20 else ""
            with dry_running() as session:  # the services' own checks, on a copy thrown away
                imports.apply(session, when, plan)
            done(f"dry run: {len(plan.rows)} {kind} would be imported{more}; nothing was written")
            return
        with _progress(f"importing {kind}", len(plan.rows)) as progress, writing() as session:
            count = imports.apply(session, when, plan, progress)
    except imports.BadRows as exc:
        if errors is None:
            raise
        _write_errors(errors, exc.problems)
        raise Refused(f"{exc} (all {len(exc.problems):,} are listed in {errors})") from None
    done(f"{count} {kind} imported")


def _warn(message: str) -> None:
    echo(f"portfolio: warning: {message}", err=True)


@contextmanager
def _progress(what: str, total: int) -> Iterator[imports.Progress | None]:
    """A bar on stderr for long work, only when stderr is a terminal (never in a pipe
    or a log)."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn(what), BarColumn(), MofNCompleteColumn(),
        console=PrintableConsole(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(what, total=total)
        yield lambda n, _total: bar.update(task, completed=n)


def _check_errors_path(errors: Path, file: Path) -> None:
    """Refuse, before anything is read, an --errors path onto the database (or its
    journal and backup files) or onto the file being imported."""
    target = errors.resolve()
    if target.is_dir() or not target.parent.is_dir():
        raise InvalidInput(f"--errors {errors} must be a file in a folder that exists.")
    if target == file.resolve():
        raise InvalidInput(f"--errors {errors} is the file being imported; name another file.")
    output_path(errors)  # never the database nor one of its own files


def _write_errors(errors: Path | None, problems: list[str]) -> None:
    """The full list of bad rows, one a line (empty when none): only when asked for."""
    if errors is not None:
        write_output(errors, "".join(f"{p}\n" for p in problems))


FileArg = Annotated[Path, typer.Argument(help="A .csv or .xlsx file with a header row.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Check and preview; write nothing.")]
ErrorsOpt = Annotated[
    Path | None,
    typer.Option("--errors", help="Write every bad row to this file (the refusal names 20)."),
]


@import_app.command("partners")
def import_partners(
    file: FileArg,
    dry_run: DryRunOpt = False,
    on: OnOpt = None,
    actor: AsOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Partners: columns name (required), kind, place, org_id, notes."""
    _import("partners", file, dry_run, on, actor, errors=errors)


@import_app.command("grants")
def import_grants(
    file: FileArg,
    dry_run: DryRunOpt = False,
    on: OnOpt = None,
    actor: AsOpt = None,
    day_first: Annotated[
        bool, typer.Option("--day-first", help="Read dates like 31/07/2021 as DD/MM/YYYY.")
    ] = False,
    allow_duplicates: Annotated[
        bool,
        typer.Option(
            "--allow-duplicates",
            help="Import a grant without a reference even if the same partner, workstream, "
            "amount, currency and award date is already recorded or repeated in the file.",
        ),
    ] = False,
    errors: ErrorsOpt = None,
) -> None:
    """Grants: columns partner, workstream, amount (required), currency, title, awarded,
    start, end, reference (or Recipient, Amount Awarded, Award Date, Start Date, End Date,
    Grant Ref...). A row without an award date is awarded on --on."""
    _import("grants", file, dry_run, on, actor, day_first=day_first,
            allow_duplicates=allow_duplicates, errors=errors)  # fmt: skip
