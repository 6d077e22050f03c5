"""Seed 003 scripted with the real CLI on the demo portfolio, checked through --json."""

import json
from typing import Any

import pytest

from tests.conftest import Cli
from tests.scenario import (
    CLOSED_ON,
    ENDING,
    MENTAL_HEALTH,
    NATIONAL,
    PLACE,
    TO_PLACE,
    UNDER_REVIEW,
    close_national,
)


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--json"))


@pytest.fixture
def closed(cli: Cli) -> Cli:
    cli.ok("demo")
    close_national(cli.ok)
    return cli


def test_national_is_closed_on_the_day_the_team_decided(closed: Cli) -> None:
    national = next(w for w in as_json(closed, "workstream", "list") if w["name"] == NATIONAL)
    assert (national["status"], national["closed_on"]) == ("closed", CLOSED_ON)
    assert national["partnerships"]["active"] == 0
    assert national["partnerships"]["ending"] == 2
    assert national["partnerships"]["review"] == 3
    assert national["partnerships"]["transferred"] == 2
    others = [w for w in as_json(closed, "workstream", "list") if w["name"] != NATIONAL]
    assert {w["status"] for w in others} == {"open"}


def test_two_partners_are_ending_respectfully(closed: Cli) -> None:
    ending = as_json(closed, "partner", "list", "--workstream", NATIONAL, "--state", "ending")
    assert sorted(p["name"] for p in ending) == sorted(ENDING)
    for partner in ending:
        (ps,) = [p for p in partner["partnerships"] if p["workstream"] == NATIONAL]
        assert ps["state"] == "ending" and ps["state_label"] == "ending respectfully"
        assert (ps["planned_end"], ps["exit_type"]) == ("2021-12-31", "out")
    detail = as_json(closed, "partner", "show", "MEAM")
    (checklist,) = [p["checklist"] for p in detail["partnerships"] if p["checklist"]]
    ticked = [s for s in checklist if s["done"]]
    assert [(s["step"], s["on"], s["by"]) for s in ticked] == [("decision", "2021-01-11", "Julian")]


def test_the_place_partners_carry_on_in_place_after_their_national_partnership(
    closed: Cli,
) -> None:
    for name in TO_PLACE:
        detail = as_json(closed, "partner", "show", name)
        by_ws = {p["workstream"]: p for p in detail["partnerships"]}
        assert by_ws[NATIONAL]["state"] == "transferred"
        assert by_ws[PLACE]["state"] == "active"
        assert by_ws[PLACE]["predecessor_id"] == by_ws[NATIONAL]["id"]
        assert by_ws[PLACE]["started_on"] == "2021-01-18"
        timeline = [(e["action"], e["workstream"]) for e in detail["timeline"]]
        assert timeline[0] == ("start", NATIONAL) and ("transfer", NATIONAL) in timeline
        assert detail["grants"], "the grants stay with the partner's record"
    in_place = as_json(closed, "partner", "list", "--workstream", PLACE, "--state", "active")
    assert set(TO_PLACE) <= {p["name"] for p in in_place}


def test_three_partners_are_under_review_with_jess(closed: Cli) -> None:
    review = as_json(closed, "partner", "list", "--state", "review")
    assert sorted(p["name"] for p in review) == sorted(UNDER_REVIEW)
    for partner in review:
        (ps,) = [p for p in partner["partnerships"] if p["state"] == "review"]
        assert (ps["workstream"], ps["lead"]) == (NATIONAL, "Jess")


def test_the_mental_health_theme_is_unhomed_with_two_leads(closed: Cli) -> None:
    (theme,) = [t for t in as_json(closed, "theme", "list") if t["name"] == MENTAL_HEALTH]
    assert theme["unhomed"] is True and theme["home"] is None
    assert sorted(theme["leads"]) == ["Cathy", "Julian"]


def test_the_history_records_every_step_with_its_documented_fields(closed: Cli) -> None:
    events = as_json(closed, "history", "--workstream", NATIONAL)
    fields = {"on", "by", "action", "from_state", "to_state", "reason", "decision_id", "id"}
    assert all(fields <= set(e) for e in events)
    closing = [e for e in events if e["on"] >= "2021-01-01"]
    assert [e["action"] for e in closing] == (
        ["end", "tick"] * 2 + ["transfer"] * 2 + ["review"] * 3 + ["theme-rehome", "close"]
    )
    close = closing[-1]
    assert (close["on"], close["by"], close["from_state"], close["to_state"]) == (
        CLOSED_ON, "Julian", "open", "closed",
    )  # fmt: skip
    assert close["reason"] == "National is not a useful container"
    assert close["decision_id"] is None
    reviews = [e for e in closing if e["action"] == "review"]
    assert {e["by"] for e in reviews} == {"tester"}  # PORTFOLIO_USER when no --as
    assert {(e["from_state"], e["to_state"]) for e in reviews} == {("active", "review")}
    assert [e["on"] for e in events] == sorted(e["on"] for e in events)
