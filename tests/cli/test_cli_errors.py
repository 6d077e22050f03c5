"""The CLI contract people script against: exit codes, one-line errors, JSON shapes."""

import json
import re
from typing import Any

import pytest

from tests.conftest import Cli


@pytest.fixture
def demo(cli: Cli) -> Cli:
    cli.ok("demo")
    return cli


def refused(cli: Cli, code: int, *args: str) -> str:
    """Run a command that must fail with ``code`` and exactly one line on stderr."""
    got, out, err = cli(*args)
    assert got == code, f"portfolio {' '.join(args)} gave {got}: {err}"
    assert "Traceback" not in out + err
    assert err.startswith("portfolio: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "│" not in err and "╭" not in err  # never a Rich panel
    return err


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (("partner", "show", "MEM"), "MEAM"),
        (("partnership", "start", "MEAM", "--workstream", "Natinal"), "National"),
        (("partnership", "review", "MEAM", "-w", "National", "--lead", "Jes", "--reason", "x"),
         "Jess"),
        (("history", "--partner", "Agnda"), "Agenda"),
        (("theme", "rehome", "Ethnic inequality in mental helth", "--to", "Who"),
         "Ethnic inequality in mental health"),
    ],
)  # fmt: skip
def test_a_misspelt_name_is_refused_with_the_nearest_match(
    demo: Cli, args: tuple[str, ...], suggestion: str
) -> None:
    err = refused(demo, 1, *args)
    assert "No " in err and f"Did you mean: {suggestion}" in err


def test_a_misspelt_checklist_step_is_refused_with_the_nearest_match(demo: Cli) -> None:
    demo.ok("partnership", "end", "MEAM", "-w", "National", "--by", "2030-01-01",
            "--reason", "closing")  # fmt: skip
    assert "Did you mean: told" in refused(demo, 1, "partnership", "tick", "MEAM", "-w",
                                           "National", "tolds")  # fmt: skip


def test_a_name_typed_in_another_case_is_found(demo: Cli) -> None:
    demo.ok("partnership", "review", "leeds gate", "-w", "national", "--lead", "jess",
            "--reason", "what next?")  # fmt: skip
    (partner,) = json.loads(demo.ok("partner", "list", "--state", "review", "--json"))
    assert partner["name"] == "Leeds GATE"


def test_a_name_with_nothing_near_points_to_the_list(demo: Cli) -> None:
    err = refused(demo, 1, "partner", "show", "Zzyzx Trust")
    assert "portfolio partner list" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("partnership", "start", "MEAM", "-w", "National"), "it is active"),
        (("partnership", "resume", "MEAM", "-w", "National", "--reason", "x"), "under review"),
        (("partnership", "complete", "MEAM", "-w", "National"), "ending respectfully"),
        (("partnership", "transfer", "MEAM", "--from", "Place", "--to", "Who", "--reason", "x"),
         "no current partnership"),
        (("workstream", "close", "National"), "; "),
        (("partnership", "end", "MEAM", "-w", "National", "--by", "2020-01-01", "--reason", "x",
          "--on", "2020-06-01"), "before the ending begins"),
        (("partnership", "review", "MEAM", "-w", "National", "--lead", "Jess", "--reason", "x",
          "--on", "2019-01-01"), "last change"),
    ],
)  # fmt: skip
def test_an_action_the_state_does_not_allow_exits_1(
    demo: Cli, args: tuple[str, ...], words: str
) -> None:
    before = demo.ok("history", "--json")
    assert words in refused(demo, 1, *args)
    assert demo.ok("history", "--json") == before


@pytest.mark.parametrize(
    "args",
    [
        ("partner", "add", "MEAM"),
        ("person", "add", "Jess"),
        ("workstream", "add", "Place"),
        ("theme", "add", "Race equality", "--home", "Who"),
        ("checklist", "add", "told", "Told again"),
        ("grant", "add", "MEAM", "-w", "National", "--amount", "10", "--ref", "LC-2020-001"),
    ],
)
def test_a_duplicate_exits_1(demo: Cli, args: tuple[str, ...]) -> None:
    assert "already" in refused(demo, 1, *args)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("partnership", "end", "MEAM", "-w", "National", "--by", "31/12/2021", "--reason", "x"),
         "31/12/2021"),
        (("partnership", "review", "MEAM", "-w", "National", "--lead", "Jess", "--reason", "x",
          "--on", "2021-02-30"), "2021-02-30"),
        (("grant", "add", "MEAM", "-w", "National", "--amount", "lots"), "lots"),
        (("grant", "add", "MEAM", "-w", "National", "--amount", "12.345"), "decimal places"),
        (("grant", "add", "MEAM", "-w", "National", "--amount", "-5"), "positive"),
        (("partnership", "review", "MEAM", "-w", "National", "--reason", "x"), "--lead"),
        (("partnership", "end", "MEAM", "--by", "2021-12-31", "--reason", "x"), "--workstream"),
        (("partnership", "end", "MEAM", "-w", "National", "--by", "2021-12-31", "--reason", "x",
          "--exit-type", "sideways"), "down, out or over"),
        (("partner", "list", "--state", "paused"), "paused"),
        (("partnership", "sideways", "MEAM"), "sideways"),
    ],
)  # fmt: skip
def test_input_that_cannot_be_parsed_exits_2(demo: Cli, args: tuple[str, ...], words: str) -> None:
    before = demo.ok("history", "--json")
    assert words in refused(demo, 2, *args)
    assert demo.ok("history", "--json") == before


def test_json_shapes_are_stable(demo: Cli) -> None:
    partners = json.loads(demo.ok("partner", "list", "--json"))
    assert all(isinstance(p["id"], int) and p["name"] for p in partners)
    partnership = partners[0]["partnerships"][0]
    assert {"id", "workstream", "state", "lead", "started_on", "predecessor_id"} <= set(partnership)
    workstreams = json.loads(demo.ok("workstream", "list", "--json"))
    assert {w["name"] for w in workstreams} == {"How", "Who", "Place", "National"}
    assert all(isinstance(w["id"], int) and w["status"] == "open" for w in workstreams)
    detail = json.loads(demo.ok("partner", "show", "Black Thrive", "--json"))
    amounts = [g["amount"] for g in detail["grants"]]
    assert "45000.50" in amounts
    assert all(isinstance(a, str) and re.fullmatch(r"\d+\.\d\d", a) for a in amounts)
    who = next(w for w in workstreams if w["name"] == "Who")
    assert isinstance(who["committed"], str) and re.fullmatch(r"\d+\.\d\d", who["committed"])
    for listing in (("person", "list"), ("theme", "list"), ("checklist", "list"), ("history",)):
        items: list[dict[str, Any]] = json.loads(demo.ok(*listing, "--json"))
        assert items and all(isinstance(i["id"], int) for i in items), listing
    shown = json.loads(demo.ok("workstream", "show", "National", "--json"))
    assert shown["status"] == "open" and shown["partnerships"][0]["workstream"] == "National"


def test_adding_prints_what_was_added_and_its_number(cli: Cli) -> None:
    assert re.fullmatch(r"person \d+ added: Jess\n", cli.ok("person", "add", "Jess"))
    assert re.fullmatch(
        r"workstream \d+ added: Place\n",
        cli.ok("workstream", "add", "Place", "--lead", "Jess", "--opened", "2019-04-01"),
    )
    assert re.fullmatch(
        r"partner \d+ added: Healthy Hyde\n", cli.ok("partner", "add", "Healthy Hyde")
    )
    added = json.loads(cli.ok("person", "add", "Cathy", "--json"))
    assert isinstance(added["id"], int) and added["name"] == "Cathy"


def test_who_acted_is_recorded_from_as_or_portfolio_user(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("workstream", "add", "Place", "--opened", "2019-04-01")
    cli.ok("workstream", "add", "Who", "--opened", "2019-04-01", "--as", "Carrina")
    monkeypatch.setenv("PORTFOLIO_USER", "Alice")
    cli.ok("workstream", "add", "How", "--opened", "2019-04-01")
    events = json.loads(cli.ok("history", "--json"))
    assert [(e["by"], e["on"]) for e in events] == [
        ("tester", "2019-04-01"), ("Carrina", "2019-04-01"), ("Alice", "2019-04-01"),
    ]  # fmt: skip
