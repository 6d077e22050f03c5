"""An action is dated by the session or decision it comes from, as insights are."""

import json
from datetime import date

from tests.cli.test_cli_errors import refused
from tests.conftest import Cli


def added(cli: Cli, *args: str) -> dict[str, object]:
    return dict(json.loads(cli.ok("action", "add", *args, "--json")))


def test_a_pledge_made_in_a_2019_session_is_dated_by_that_session(cli: Cli) -> None:
    cli.ok("person", "add", "Jess")
    cli.ok("session", "add", "Learning network, June", "--on", "2019-06-12")
    pledge = added(cli, "Write up what we heard", "--owner", "Jess", "--due", "2019-09-30",
                   "--session", "1")  # fmt: skip
    assert pledge["created_on"] == "2019-06-12"
    insight = json.loads(cli.ok("insight", "add", "Heard", "--session", "1", "--json"))
    assert insight["noted_on"] == pledge["created_on"]  # the same date as its insights
    (listed,) = json.loads(cli.ok("action", "list", "--json"))
    assert (listed["created_on"], listed["due_on"], listed["session_id"]) == (
        "2019-06-12",
        "2019-09-30",
        1,
    )
    history = json.loads(cli.ok("history", "--json"))
    assert [e["on"] for e in history if e["action"] == "action-add"] == ["2019-06-12"]


def test_on_still_dates_an_action_from_a_session(cli: Cli) -> None:
    cli.ok("person", "add", "Jess")
    cli.ok("session", "add", "Learning network, June", "--on", "2019-06-12")
    later = added(cli, "Follow up", "--owner", "Jess", "--session", "1", "--on", "2019-07-01")
    assert later["created_on"] == "2019-07-01"
    err = refused(cli, 1, "action", "add", "Too late", "--owner", "Jess", "--session", "1",
                  "--on", "2019-10-01", "--due", "2019-09-30")  # fmt: skip
    assert "The due date 2019-09-30 is before the action is set on 2019-10-01." in err


def test_an_action_from_a_decision_is_dated_by_the_decision(cli: Cli) -> None:
    cli.ok("person", "add", "Jess")
    cli.ok("decision", "add", "Close the pilot", "--decision", "Close it", "--on", "2019-03-05")
    step = added(cli, "Tell the partners", "--owner", "Jess", "--due", "2019-04-30",
                 "--decision", "1")  # fmt: skip
    assert step["created_on"] == "2019-03-05"
    without = added(cli, "Book the room", "--owner", "Jess")
    assert without["created_on"] == date.today().isoformat()  # from neither: today
