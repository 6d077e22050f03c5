"""Sessions, templates, insights, actions and groups, as a user scripts them."""

import json

from tests.conftest import Cli


def test_a_session_with_a_template_of_our_own_and_its_insights(cli: Cli) -> None:
    cli.ok("demo")
    assert (
        cli.ok(
            "template",
            "add",
            "calls-to-action",
            "--prompt",
            "ask=What one thing do we need to ask for?",
        )
        == "template 4 added: calls-to-action\n"
    )
    shown = json.loads(cli.ok("template", "show", "calls-to-action", "--json"))
    assert shown["prompts"] == [{"name": "ask", "text": "What one thing do we need to ask for?"}]
    code, _, err = cli("template", "add", "bad", "--prompt", "no equals sign")
    assert code == 2 and "NAME=TEXT" in err
    code, _, err = cli("template", "show", "minster")
    assert code == 1 and "Did you mean: minister" in err

    out = cli.ok("session", "add", "Coalitions for change", "--on", "2021-07-01", "--template",
                 "calls-to-action", "--attendee", "Alice", "--follows", "2")  # fmt: skip
    assert out == "session 3 added: Coalitions for change\n"
    data = json.loads(cli.ok("insight", "add", "Support formal power holders to let others in",
                             "--session", "3", "--prompt", "ask", "--tag", "Shared Power",
                             "--visibility", "public", "--json"))  # fmt: skip
    assert data == {"id": 8, "visibility": "public", "noted_on": "2021-07-01"}
    code, _, err = cli("insight", "add", "x", "--session", "3", "--prompt", "stop")
    assert code == 1 and "No prompt in the 'calls-to-action' template named 'stop'" in err
    code, _, err = cli("insight", "add", "x", "--tag", "Shared Powr")
    assert code == 1 and "Did you mean: Shared Power" in err

    session = json.loads(cli.ok("session", "show", "3", "--json"))
    assert session["id"] == 3 and session["title"] == "Coalitions for change"
    assert session["status"] == "held" and session["attendees"] == ["Alice"]
    assert session["prompts"][0]["insights"][0]["tags"] == ["Shared Power"]
    assert session["carried_forward"]["from"]["id"] == 2
    # still open from session 2 and, through it, from session 1
    assert [a["id"] for a in session["carried_forward"]["actions"]] == [4, 5]
    listed = json.loads(cli.ok("session", "list", "--json"))
    assert [(s["id"], s["status"]) for s in listed] == [(1, "held"), (2, "held"), (3, "held")]
    assert "carried forward from session 1" in cli.ok("session", "show", "2")
    code, _, err = cli("session", "add", "No date")
    assert code == 2 and "--on" in err


def test_insights_listed_by_visibility_workstream_and_tag(cli: Cli) -> None:
    cli.ok("demo")
    cli.ok("insight", "add", "Kept among us")
    board = json.loads(cli.ok("insight", "list", "--visibility", "board", "--json"))
    assert len(board) == 6 and not any(i["internal"] for i in board)
    internal = json.loads(cli.ok("insight", "list", "--visibility", "internal", "--json"))
    assert [i["text"] for i in internal][-1] == "Kept among us"
    assert all(i["internal"] and i["visibility"] == "internal" for i in internal)
    shared = json.loads(cli.ok("insight", "list", "--tag", "Shared Power", "-w", "National",
                               "--json"))  # fmt: skip
    assert len(shared) == 1 and "senior" in shared[0]["text"]
    code, _, err = cli("insight", "list", "--visibility", "secret")
    assert code == 2 and "internal, board or public" in err


def test_actions_are_added_listed_overdue_done_and_dropped(cli: Cli) -> None:
    cli.ok("demo")
    data = json.loads(
        cli.ok(
            "action",
            "add",
            "Write to MEAM",
            "--owner",
            "Julian",
            "--due",
            "2021-03-01",
            "--decision",
            "1",
            "--on",
            "2021-02-11",
            "--json",
        )
    )
    assert data == {"id": 6, "text": "Write to MEAM", "status": "open", "created_on": "2021-02-11"}
    overdue = json.loads(cli.ok("action", "list", "--overdue", "--on", "2021-04-01", "--json"))
    assert [a["id"] for a in overdue] == [6, 4]
    assert cli.ok("action", "done", "6", "--on", "2021-02-20") == "action 6: done\n"
    assert cli.ok("action", "drop", "4") == "action 4: dropped\n"
    code, _, err = cli("action", "done", "6")
    assert code == 1 and "already done" in err
    mine = json.loads(cli.ok("action", "list", "--owner", "Julian", "--json"))
    assert [(a["id"], a["status"]) for a in mine] == [(6, "done"), (4, "dropped"), (2, "open")]
    code, _, err = cli("action", "add", "x", "--owner", "Nobody")
    assert code == 1 and "No person named 'Nobody'" in err
    code, _, err = cli("action", "add", "x", "--owner", "Julian", "--due", "soon")
    assert code == 2


def test_an_action_dropped_with_a_reason_keeps_it_in_the_history(cli: Cli) -> None:
    cli.ok("demo")
    out = cli.ok(
        "action", "drop", "4", "--reason", "Overtaken by the closure", "--on", "2021-04-01"
    )
    assert out == "action 4: dropped\n"
    dropped = [
        e for e in json.loads(cli.ok("history", "--json")) if e["action"] == "action-dropped"
    ]
    assert [e["reason"] for e in dropped] == ["Overtaken by the closure"]


def test_a_group_and_its_rotation_from_the_command_line(cli: Cli) -> None:
    cli.ok("demo")
    pool = ["Dominic", "Ruth", "Sam", "Priya", "Tom", "Amara", "Owen", "Jess", "Cathy"]
    rotating = [arg for name in pool for arg in ("--rotating", name)]
    out = cli.ok(
        "group",
        "add",
        "Messaging 2",
        "--every",
        "2 months",
        "--member",
        "Julian",
        "--member",
        "Carrina",
        "--member",
        "Alice",
        *rotating,
        "--on",
        "2022-01-10",
    )
    assert out == "group 2 added: Messaging 2\n"
    plan = json.loads(cli.ok("group", "schedule", "Messaging 2", "--from", "2022-01-01",
                             "--json"))  # fmt: skip
    assert [m["on"] for m in plan["meetings"]][:2] == ["2022-01-10", "2022-03-10"]
    assert {n for m in plan["meetings"] for n in m["rotating"]} == set(pool)
    assert plan["seats"] == 2 and plan["members"] == ["Julian", "Carrina", "Alice"]
    code, _, err = cli("group", "add", "G", "--every", "fortnightly")
    assert code == 2 and "not a cadence" in err
    code, _, err = cli("group", "schedule", "Messaging 3")
    assert code == 1 and "Did you mean: Messaging 2" in err
