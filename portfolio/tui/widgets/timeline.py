"""A partner's or workstream's history as a table: when, who, what, why, under which decision."""

from collections.abc import Iterable

from portfolio.services.history import EventRow
from portfolio.services.lifecycle import label
from portfolio.services.partnerships import actions
from portfolio.tui.widgets.table import Table


def action_name(action: str) -> str:
    """How the timeline names an event: a lifecycle action as its declaration says."""
    return next((a.done for a in actions() if a.name == action), action)


def change(event: EventRow) -> str:
    """What moved: states for lifecycle actions, else the event's words."""
    if event.action in ("tick", "untick"):
        return f"step '{event.data.get('step', event.detail)}'"
    if event.from_state or event.to_state:
        moved = f"{label(event.from_state)} → {label(event.to_state)}"
        if event.from_state is None:
            moved = label(event.to_state)
        return f"{moved} ({event.detail})" if event.detail else moved
    return event.detail


class Timeline(Table):
    """Events in effective-date order; one partner's timeline runs across transfers."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, flex=("Why", "Change"), zebra_stripes=True)

    def on_mount(self) -> None:
        for name in ("On", "By", "What", "Workstream", "Why", "Decision", "Change"):
            self.add_column(name, key=name)

    def show_events(self, events: Iterable[EventRow]) -> None:
        self.clear()
        for e in events:
            self.add_row(
                e.on.isoformat(), e.by, action_name(e.action), e.workstream or "-",
                e.reason or "-", f"#{e.decision_id}" if e.decision_id else "-", change(e),
                key=str(e.id),
            )  # fmt: skip
