"""Helpers for driving the app with the pilot and reading the database back."""

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, func, select
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from portfolio import db
from portfolio.models import Event, Partner, Partnership, Workstream
from portfolio.services.history import Stamp
from portfolio.tui.app import PortfolioApp, create_app

TODAY = date(2021, 6, 1)


def on(day: str) -> Stamp:
    return Stamp(date.fromisoformat(day), "tester")


def make_app(factory: sessionmaker[Session]) -> PortfolioApp:
    return create_app(factory, today=TODAY)


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their results reach the screen."""
    for _ in range(3):
        for worker in list(pilot.app.workers):
            with suppress(WorkerCancelled):  # a newer read of the same part replaced it
                await worker.wait()
        await pilot.pause()


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    for _ in range(100):
        if condition():
            return
        await settle(pilot)
    raise AssertionError(f"timed out waiting for {what}")


def read(factory: sessionmaker[Session], fn: Callable[[Session], Any]) -> Any:
    with db.read_session(factory) as session:
        return fn(session)


def state_of(factory: sessionmaker[Session], partner: str, workstream: str) -> str | None:
    """The state of the partner's latest partnership in the workstream."""

    def latest(s: Session) -> str | None:
        return s.exec(
            select(Partnership.state)
            .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
            .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
            .where(Partner.name == partner, Workstream.name == workstream)
            .order_by(col(Partnership.id).desc())
        ).first()

    return read(factory, latest)


def event_count(factory: sessionmaker[Session]) -> int:
    return read(factory, lambda s: s.exec(select(func.count()).select_from(Event)).one())
