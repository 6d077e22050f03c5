"""The decision commands, as a user scripts them."""

import json

from tests.conftest import Cli


def test_decision_add_prints_its_number_and_json_carries_id_title_status(cli: Cli) -> None:
    cli.ok("demo")
    assert (
        cli.ok(
            "decision",
            "add",
            "Open a Learning team",
            "--decision",
            "Open it",
            "--by",
            "Julian",
            "--by",
            "External messaging group",
            "--on",
            "2021-03-01",
            "--workstream",
            "How",
        )
        == "decision 2 added: Open a Learning team (proposed)\n"
    )
    data = json.loads(cli.ok("decision", "add", "Another", "--decision", "d", "--status",
                             "agreed", "--json"))  # fmt: skip
    assert data == {"id": 3, "title": "Another", "status": "agreed"}
    shown = json.loads(cli.ok("decision", "show", "2", "--json"))
    assert shown["decided_by"] == ["Julian", "External messaging group"]
    assert shown["workstreams"] == ["How"] and shown["status"] == "proposed"
    listed = json.loads(cli.ok("decision", "list", "--json"))
    assert [(d["id"], d["status"]) for d in listed] == [
        (1, "agreed"), (2, "proposed"), (3, "agreed"),
    ]  # fmt: skip


def test_decision_add_refuses_an_unknown_decider_and_a_bad_date(cli: Cli) -> None:
    cli.ok("demo")
    code, _, err = cli("decision", "add", "T", "--decision", "d", "--by", "Juliann")
    assert code == 1 and "Did you mean: Julian" in err and err.count("\n") == 1
    code, _, err = cli("decision", "add", "T", "--decision", "d", "--on", "10/02/2021")
    assert code == 2 and "YYYY-MM-DD" in err


def test_each_planned_action_is_its_own_command_and_unplan_removes_one(cli: Cli) -> None:
    cli.ok("demo")
    cli.ok("decision", "add", "Tidy", "--decision", "d", "--on", "2021-02-10")
    lines = [
        cli.ok("decision", "plan", "2", "end", "MEAM", "--workstream", "National",
               "--by", "2021-12-31", "--reason", "ending", "--exit-type", "down"),
        cli.ok("decision", "plan", "2", "transfer", "Corra Foundation", "--from", "National",
               "--to", "Place", "--reason", "place", "--on", "2021-03-01"),
        cli.ok("decision", "plan", "2", "review", "Our Agency", "--workstream", "National",
               "--lead", "Jess", "--reason", "think"),
        cli.ok("decision", "plan", "2", "theme-rehome", "Ethnic inequality in mental health",
               "--unhomed", "--lead", "Julian", "--lead", "Cathy"),
        cli.ok("decision", "plan", "2", "workstream-close", "National"),
    ]  # fmt: skip
    assert lines[0] == (
        "decision 2: planned change 1: end MEAM in National respectfully by 2021-12-31 "
        "(phasing down)\n"
    )
    assert lines[4].startswith("decision 2: planned change 5: close workstream National")
    assert cli.ok("decision", "unplan", "2", "3").startswith("decision 2: removed planned change 3")
    changes = json.loads(cli.ok("decision", "show", "2", "--json"))["changes"]
    assert [c["action"] for c in changes] == [
        "end", "transfer", "theme-rehome", "workstream-close",
    ]  # fmt: skip
    assert changes[1]["on"] == "2021-03-01" and changes[0]["on"] == "2021-02-10"
    code, _, err = cli("decision", "plan", "2", "end", "MEAMM", "--workstream", "National",
                       "--by", "2021-12-31", "--reason", "x")  # fmt: skip
    assert code == 1 and "Did you mean: MEAM" in err
    code, _, err = cli("decision", "plan", "2", "end", "MEAM", "--workstream", "National",
                       "--reason", "x")  # fmt: skip
    assert code == 2 and "--by" in err
    code, _, _ = cli("decision", "plan", "two", "workstream-close", "National")
    assert code == 2


def test_enacting_the_demo_decision_changes_the_portfolio(cli: Cli) -> None:
    cli.ok("demo")
    dry = json.loads(cli.ok("decision", "enact", "1", "--dry-run", "--json"))
    assert dry["ok"] and dry["dry_run"] and dry["status"] == "agreed"
    assert json.loads(cli.ok("workstream", "show", "National", "--json"))["status"] == "open"
    out = cli.ok("decision", "enact", "1", "--on", "2021-02-15")
    assert "now: MEAM in National: active -> ending respectfully" in out
    assert out.endswith("decision 1 enacted: 9 changes applied\n")
    assert json.loads(cli.ok("workstream", "show", "National", "--json"))["status"] == "closed"
    shown = json.loads(cli.ok("decision", "show", "1", "--json"))
    assert shown["status"] == "enacted" and shown["enacted_on"] == "2021-02-15"
    assert {e["decision_id"] for e in shown["events"]} == {1}
    changes = [e for e in shown["events"] if e["subject_type"] != "action"]  # 3 demo actions
    assert len(changes) == 11  # added, nine changes, enacted
    history = json.loads(cli.ok("history", "--partner", "MEAM", "--json"))
    assert history[-1]["action"] == "end" and history[-1]["decision_id"] == 1
    code, _, err = cli("decision", "enact", "1")
    assert code == 1 and "was enacted on 2021-02-15" in err and err.count("\n") == 1


def test_a_refused_enactment_lists_every_problem_on_one_line(cli: Cli) -> None:
    cli.ok("demo")
    cli.ok("decision", "add", "Close How", "--decision", "d", "--status", "agreed",
           "--on", "2021-02-10")  # fmt: skip
    cli.ok("decision", "plan", "2", "complete", "MEAM", "--workstream", "National")
    cli.ok("decision", "plan", "2", "workstream-close", "How")
    code, out, err = cli("decision", "enact", "2")
    assert code == 1 and out == ""
    assert "change 1 (complete the ending of MEAM in National)" in err
    assert "change 2 (close workstream How)" in err and "Leadership Centre" in err
    assert err.count("\n") == 1
    code, out, err = cli("decision", "enact", "2", "--dry-run")
    assert code == 1 and "REFUSED" in out and "change 2" in err


def test_agree_and_supersede_from_the_command_line(cli: Cli) -> None:
    cli.ok("demo")
    cli.ok("decision", "add", "Later", "--decision", "d")
    assert cli.ok("decision", "agree", "2") == "decision 2: agreed\n"
    code, _, err = cli("decision", "agree", "1")
    assert code == 1 and "only a proposed decision is agreed" in err
    assert cli.ok("decision", "supersede", "1", "--with", "2") == (
        "decision 1: superseded by decision 2\n"
    )
    assert "status: superseded by decision 2 'Later'" in cli.ok("decision", "show", "1")
    code, _, err = cli("decision", "enact", "1")
    assert code == 1 and "superseded by decision 2 'Later'" in err
    code, _, err = cli("decision", "show", "9")
    assert code == 1 and "No decision 9" in err
