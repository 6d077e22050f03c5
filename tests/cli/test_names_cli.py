"""Names are one name whatever their letter case: a second spelling is refused, and
any spelling finds the record."""

import json

import pytest

from tests.cli.test_cli_errors import refused
from tests.conftest import Cli


@pytest.fixture
def demo(cli: Cli) -> Cli:
    cli.ok("demo")
    return cli


@pytest.mark.parametrize(
    ("args", "existing"),
    [
        (("partner", "add", "meam"), "There is already a partner named 'MEAM'."),
        (("partner", "add", "  Meam "), "There is already a partner named 'MEAM'."),
        (("person", "add", "JESS"), "There is already a person named 'Jess'."),
        (("workstream", "add", "national"), "There is already a workstream named 'National'."),
        (("theme", "add", "RACE EQUALITY", "--home", "National"),
         "There is already a theme named 'Race equality'."),
        (("checklist", "add", "Told", "Told again"),
         "There is already a checklist step named 'told'."),
        (("template", "add", "Minister", "--prompt", "q=What now?"),
         "There is already a template named 'minister'."),
        (("group", "add", "external MESSAGING group", "--every", "2 months"),
         "There is already a group named 'External messaging group'."),
    ],
)  # fmt: skip
def test_a_name_in_another_letter_case_is_refused_naming_the_one_that_exists(
    demo: Cli, args: tuple[str, ...], existing: str
) -> None:
    before = demo.ok(args[0], "list")
    err = refused(demo, 1, *args)
    assert err == f"portfolio: {existing}\n"
    assert demo.ok(args[0], "list") == before  # nothing was added


def test_a_partner_is_found_by_its_name_in_any_letter_case(demo: Cli) -> None:
    shown = json.loads(demo.ok("partner", "show", "Meam", "--json"))
    assert shown["name"] == "MEAM"
    assert json.loads(demo.ok("workstream", "show", "nATIONAL", "--json"))["name"] == "National"


def test_names_differing_beyond_ascii_case_are_one_name(cli: Cli) -> None:
    # SQLite's lower() folds only ASCII; the key is folded in Python, so these clash too.
    cli.ok("partner", "add", "STRASSE Trust")
    assert refused(cli, 1, "partner", "add", "straße trust") == (
        "portfolio: There is already a partner named 'STRASSE Trust'.\n"
    )
    cli.ok("partner", "add", "Éire Forum")
    refused(cli, 1, "partner", "add", "éIRE FORUM")
    assert json.loads(cli.ok("partner", "show", "éire forum", "--json"))["name"] == "Éire Forum"
