"""Issue 10 item 11: numbers out of range and bytes that are not text are input errors.

A record's number, a seat count or a schedule's months that SQLite or the dates cannot hold,
and an argument the terminal's UTF-8 cannot decode, are refused with exit 2 and one line
naming the option, and nothing is written (they were "unexpected error" before).
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from portfolio.cli import app
from portfolio.commands.common import WholeNumber
from tests.conftest import Cli
from tests.dbstate import dump

HUGE = "99999999999999999999"  # above SQLite's signed 64-bit INTEGER
GROUP = "External messaging group"  # in the demo


@pytest.fixture
def demo(cli: Cli) -> Cli:
    cli.ok("demo")
    return cli


def refused_as_input(cli: Cli, *args: str) -> str:
    before = dump(cli.db_file)
    code, out, err = cli(*args)
    assert code == 2, f"portfolio {' '.join(args)} gave {code}: {err}"
    assert "unexpected error" not in err and "Traceback" not in out + err
    assert err.startswith("portfolio: ") and err.count("\n") == 1, err
    assert dump(cli.db_file) == before
    return err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("decision", "show", HUGE), "'ID'"),
        (("decision", "show", "0"), "'ID'"),
        (("decision", "agree", "--", "-5"), "'ID'"),
        (("session", "show", "٣"), "'ID'"),  # an Arabic-Indic digit
        (("action", "done", "1_0"), "'ID'"),
        (("decision", "unplan", "1", HUGE), "'N'"),
        (("decision", "supersede", "1", "--with", HUGE), "'--with'"),
        (("action", "add", "call", "--owner", "Jess", "--decision", HUGE), "'--decision'"),
        (("action", "add", "call", "--owner", "Jess", "--session", "1e309"), "'--session'"),
        (("insight", "add", "seen", "--session", HUGE), "'--session'"),
        (("session", "add", "met", "--on", "2021-03-01", "--follows", HUGE), "'--follows'"),
        (("group", "add", "Trustees", "--every", "2 months", "--seats", "100000"), "'--seats'"),
        (("group", "schedule", GROUP, "--months", "100000"), "'--months'"),
        (("group", "schedule", GROUP, "--months", HUGE), "'--months'"),
    ],
)
def test_a_number_out_of_range_is_an_input_error_naming_its_option(
    demo: Cli, args: tuple[str, ...], named: str
) -> None:
    err = refused_as_input(demo, *args)
    assert f"Invalid value for {named}: give a whole number from" in err


def test_numbers_in_range_still_work(demo: Cli) -> None:
    assert "decision 1:" in demo.ok("decision", "show", "1")
    assert "every 2 months" in demo.ok("group", "schedule", GROUP, "--months", "240")


def test_every_whole_number_the_cli_takes_has_a_range() -> None:
    """New int options are bounded too: each goes through WholeNumber (commands/common.py)."""
    unbounded = []

    def walk(command: Any, path: str) -> None:
        for param in command.params:
            if param.type_descriptor.annotation is int:
                parser = param.type_descriptor.parameter_info.parser
                if not isinstance(parser, WholeNumber):
                    unbounded.append(f"{path} {param.name}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "portfolio")
    assert not unbounded


def run_portfolio(db_file: Path, *args: str | bytes, **env: str | bytes) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", "from portfolio.launch import entry; entry()",
         "--db", str(db_file), *args],
        env={**os.environ, **env}, capture_output=True, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ((b"partner", b"add", b"\xff"), "argument 5"),
        ((b"partner", b"add", b"Ok", b"--org-id", b"GB-\xffCHC"), "the value of --org-id"),
        ((b"partner", b"add", b"Ok", b"--org-id=GB-\xffCHC"), "the value of --org-id"),
    ],
)
def test_an_argument_that_is_not_utf8_is_an_input_error(
    demo: Cli, args: tuple[bytes, ...], named: str
) -> None:
    before = dump(demo.db_file)
    code, err = run_portfolio(demo.db_file, *args)  # type: ignore[arg-type]
    assert code == 2, err
    assert err.startswith(f"portfolio: {named} (") and "not valid UTF-8" in err, err
    assert "\\xff" in err and err.count("\n") == 1, err
    assert dump(demo.db_file) == before


def test_a_user_name_from_the_environment_that_is_not_utf8_is_an_input_error(demo: Cli) -> None:
    before = dump(demo.db_file)
    code, err = run_portfolio(demo.db_file, "partner", "add", "Ok", PORTFOLIO_USER=b"j\xffss")
    assert code == 2, err
    assert "PORTFOLIO_USER" in err and "unexpected" not in err, err
    assert dump(demo.db_file) == before
