"""`partner edit`: a partner's details change later, each edit an event with before and after."""

import json
from pathlib import Path

from sqlmodel import select

from portfolio import db
from portfolio.models import Event, Partner
from tests.conftest import Cli


def partners(cli: Cli) -> list[dict[str, str]]:
    return [
        {k: p[k] for k in ("name", "kind", "place", "org_id")}
        for p in json.loads(cli.ok("partner", "list", "--json"))
    ]


def edits(cli: Cli, name: str) -> list[dict[str, object]]:
    timeline = json.loads(cli.ok("partner", "show", name, "--json"))["timeline"]
    return [e for e in timeline if e["action"] == "partner-edit"]


def test_an_edit_changes_only_what_is_given_and_is_kept_as_an_event(cli: Cli) -> None:
    cli.ok("partner", "add", "Ada", "--kind", "charity", "--place", "Leeds", "--notes", "old")
    out = cli.ok(
        "partner", "edit", "ada", "--name", "Ada Trust", "--org-id", "gb-chc-1234567",
        "--notes", "new notes", "--on", "2021-04-01", "--as", "Cathy",
    )  # fmt: skip
    assert out.strip() == (
        "partner 1 edited: name 'Ada' → 'Ada Trust'; org id (none) → 'GB-CHC-1234567'; "
        "notes changed"
    )
    assert partners(cli) == [
        {"name": "Ada Trust", "kind": "charity", "place": "Leeds", "org_id": "GB-CHC-1234567"}
    ]
    [edit] = edits(cli, "Ada Trust")
    assert (edit["on"], edit["by"]) == ("2021-04-01", "Cathy")
    assert edit["data"] == {
        "changed": {
            "name": {"before": "Ada", "after": "Ada Trust"},
            "org_id": {"before": "", "after": "GB-CHC-1234567"},
            "notes": {"before": "old", "after": "new notes"},
        }
    }
    shown = cli.ok("partner", "show", "Ada Trust")
    assert "partner-edit name 'Ada' → 'Ada Trust'; org id (none) → 'GB-CHC-1234567'" in shown
    assert "Notes (internal): new notes" in shown


def test_an_empty_option_clears_a_detail_and_json_says_what_changed(cli: Cli) -> None:
    cli.ok("partner", "add", "Ada", "--place", "Leeds")
    said = json.loads(cli.ok("partner", "edit", "Ada", "--place", "", "--json"))
    assert said == {"id": 1, "name": "Ada", "changed": {"place": {"before": "Leeds", "after": ""}}}
    assert partners(cli)[0]["place"] == ""
    assert "place 'Leeds' → (none)" in cli.ok("partner", "show", "Ada")


def test_only_the_letter_case_of_its_own_name_may_change(cli: Cli) -> None:
    cli.ok("partner", "add", "meam")
    cli.ok("partner", "edit", "meam", "--name", "MEAM")
    assert partners(cli)[0]["name"] == "MEAM"


def test_refused_edits_leave_the_records_as_they_were(cli: Cli, db_path: Path) -> None:
    cli.ok("partner", "add", "Ada", "--place", "Leeds")
    cli.ok("partner", "add", "Bea")
    refused = {
        ("--name", "BEA"): "There is already a partner named 'Bea' (--name).",
        ("--org-id", "GB-CHC-12"): "GB-CHC (Charity Commission for England and Wales) number",
        ("--name", " "): "A partner needs a name (--name).",
        ("--place", "Leeds"): "Nothing to change: Ada already has those details.",
        (): "Nothing to change: Ada already has those details.",
        ("--kind", "a\x1bb"): "The kind has U+001B ESC at position 2",
    }
    for options, message in refused.items():
        code, out, err = cli("partner", "edit", "Ada", *options)
        assert code != 0 and out == "", options
        assert message in err and len(err.strip().splitlines()) == 1, err
    code, _out, err = cli("partner", "edit", "Nobody", "--place", "York")
    assert code != 0 and "No partner named 'Nobody'" in err
    factory = db.open_database(f"sqlite:///{db_path}")
    try:
        with db.read_session(factory) as s:
            assert s.exec(select(Event).where(Event.action == "partner-edit")).all() == []
            assert s.exec(select(Partner.place).where(Partner.name == "Ada")).one() == "Leeds"
    finally:
        db.reset_engine(factory)
