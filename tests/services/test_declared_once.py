"""An action declared in one place is reachable everywhere: the CLI, a decision's plan
and the app, with no edit to those modules."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.commands import decisions as decision_commands
from portfolio.commands import partnerships as partnership_commands
from portfolio.models import Partner, Partnership, Workstream
from portfolio.services.changes import REGISTRY, Kind, Names, declare, param
from portfolio.services.demo import load_demo
from portfolio.services.history import Stamp
from portfolio.services.lifecycle import ACTIVE, REVIEW
from portfolio.services.partnerships import Moved, PartnershipAction
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.conftest import Cli
from tests.tui.tui_support import make_app, settle, state_of, wait_for


@dataclass(frozen=True, kw_only=True)
class Pause(PartnershipAction):
    """A throwaway action: an active partnership paused (held under review) for a reason."""

    name = "pause"
    title = "Pause"
    summary = "Pause an active partnership while its funding is looked at."
    key = "z"
    from_states = frozenset({ACTIVE})
    to_state = REVIEW
    requires = "a reason"
    done = "paused"

    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Why it pauses.", arg="reason", required=True
    )

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None
        return Moved(ps, {"paused": True}, "paused")

    def describe(self, names: Names) -> str:
        return f"pause {self.where(names)}"


@pytest.fixture
def paused() -> Iterator[type[Pause]]:
    declare(Pause)
    yield Pause
    REGISTRY.pop(Pause.name)
    for app in (partnership_commands.app, decision_commands.plan_app):
        app.registered_commands = [c for c in app.registered_commands if c.name != "pause"]


def test_a_declared_action_is_a_command_and_can_be_planned(paused: Any, cli: Cli) -> None:
    cli.ok("demo")
    assert "pause" in cli.ok("partnership", "--help")
    said = cli.ok("partnership", "pause", "MEAM", "-w", "National", "--reason", "look again",
                  "--on", "2021-01-05")  # fmt: skip
    assert said.strip() == "MEAM in National: under review"
    code, _out, err = cli("partnership", "pause", "MEAM", "-w", "National", "--reason", "again")
    assert code == 1 and "pause needs it to be active" in err
    history = cli.ok("history", "--partner", "MEAM")
    assert "pause" in history and "look again" in history
    planned = cli.ok("decision", "plan", "1", "pause", "Agenda", "-w", "National",
                     "--reason", "plan it")  # fmt: skip
    assert "planned change 10: pause Agenda in National" in planned
    assert "pause Agenda in National" in cli.ok("decision", "show", "1")
    code, _out, err = cli("decision", "plan", "1", "pause", "Agenda", "-w", "National")
    assert code == 2 and "--reason" in err


async def test_a_declared_action_is_offered_on_a_row_in_the_app(
    paused: Any, factory: sessionmaker[Session]
) -> None:
    with db.unit_of_work(factory) as session:
        load_demo(session)
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("National")
        await settle(pilot)
        await pilot.press("slash", *"MEAM", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WorkstreamScreen)
        offered = [c.title for c in screen.palette_commands()]
        assert "Pause MEAM" in offered
        screen.action_row("pause")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-reason") is not None
        app.screen.query_one("#field-reason").value = "seen from the app"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
    assert state_of(factory, "MEAM", "National") == "review"
