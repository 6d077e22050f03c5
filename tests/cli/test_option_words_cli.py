"""The services word their errors in plain terms; the CLI adds the option a person types."""

import pytest

from tests.cli.test_cli_errors import demo, refused
from tests.conftest import Cli

__all__ = ["demo"]  # the fixture, shared with the CLI contract tests


@pytest.mark.parametrize(
    ("code", "args", "said"),
    [
        (2, ("theme", "add", "Housing"),
         "Give a theme either a home workstream or, unhomed, its leads (--home W or --lead P)."),
        (2, ("template", "add", "Twice", "--prompt", "ask=Why?", "--prompt", "ask=How?"),
         "Each prompt needs its own short name (--prompt NAME=TEXT)."),
        (2, ("group", "add", "Panel", "--every", "fortnightly"), "(--every)."),
        # The CLI bounds --seats and --months itself (commands/common.py WholeNumber); the
        # service's own words for them are what the app shows (tests/services/test_error_fields).
        (2, ("group", "add", "Panel", "--every", "2 months", "--seats", "-1"),
         "Invalid value for '--seats': give a whole number from 0 to 100."),
        (2, ("group", "schedule", "External messaging group", "--months", "0"),
         "Invalid value for '--months': give a whole number from 1 to 240."),
        (1, ("action", "drop", "4", "--on", "2021-01-15"),
         "Action 4 was set on 2021-02-03; date this then or later (--on)."),
        (1, ("action", "done", "4", "--on", "2021-01-15"), "date this then or later (--on)."),
        (2, ("decision", "add", "Close it", "--decision", " "),
         "A decision needs a title and what was decided (--decision)."),
        (2, ("decision", "add", "Close it", "--decision", "Close", "--status", "enacted"),
         "not 'enacted' (--status)."),
        (2, ("insight", "add", "Power shifts", "--prompt", "ask"),
         "A prompt belongs to a session's template; say which session it came from "
         "(--session)."),
        (2, ("insight", "add", "Power shifts", "--visibility", "secret"),
         "use internal, board or public (--visibility)."),
        (1, ("grant", "add", "Healthy Hyde", "-w", "National", "--amount", "10"),
         "Healthy Hyde has no partnership in National; start one first "
         "(portfolio partnership start 'Healthy Hyde' --workstream 'National')."),
        (2, ("grant", "add", "MEAM", "-w", "National", "--amount", "10", "--start", "2021-05-01",
             "--end", "2021-01-01"), "is before its start 2021-05-01 (--end)."),
        (1, ("demo",), "the demo loads only into an empty one "
         "(use --db demo.db for a separate file)."),
        (2, ("report", "board", "--from", "2021-12-31", "--to", "2021-10-01"),
         "The period's first day 2021-12-31 is after its last day 2021-10-01; swap them "
         "(--from and --to)."),
    ],
)  # fmt: skip
def test_an_error_about_one_field_names_its_option(
    demo: Cli, code: int, args: tuple[str, ...], said: str
) -> None:
    before = demo.ok("history", "--json")
    assert said in refused(demo, code, *args)
    assert demo.ok("history", "--json") == before


def test_a_declared_change_still_names_its_options(demo: Cli) -> None:
    demo.ok("partnership", "end", "MEAM", "-w", "National", "--by", "2030-01-01",
            "--reason", "closing")  # fmt: skip
    err = refused(demo, 1, "partnership", "complete", "MEAM", "-w", "National")
    assert err.endswith("or give a reason to record why not (--reason).\n")
