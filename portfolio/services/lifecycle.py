"""The relationship's states and exit types, and how a rule reads to a person.

The rules themselves (which states each action may be taken from, and the
state it leads to) are declared with each action in ``services.partnerships``.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol


class State(StrEnum):
    ACTIVE = "active"
    REVIEW = "review"
    ENDING = "ending"
    ENDED = "ended"
    TRANSFERRED = "transferred"


class ExitType(StrEnum):
    DOWN = "down"
    OUT = "out"
    OVER = "over"


ACTIVE = State.ACTIVE
REVIEW = State.REVIEW
ENDING = State.ENDING
ENDED = State.ENDED
TRANSFERRED = State.TRANSFERRED
NONE = "none"  # no current partnership in that workstream

STATES: tuple[str, ...] = tuple(State)
TERMINAL = frozenset({ENDED, TRANSFERRED})
CURRENT = frozenset({ACTIVE, REVIEW, ENDING})

STATE_LABELS: dict[str, str] = {
    ACTIVE: "active",
    REVIEW: "under review",
    ENDING: "ending respectfully",
    ENDED: "ended",
    TRANSFERRED: "transferred",
    NONE: "no current partnership",
}

EXIT_TYPES: dict[str, str] = {
    ExitType.DOWN: "phasing down",
    ExitType.OUT: "phasing out",
    ExitType.OVER: "phasing over",
}
DEFAULT_EXIT_TYPE = ExitType.OUT


class Rule(Protocol):
    """What a lifecycle action declares about states (see ``services.partnerships``)."""

    @property
    def name(self) -> str: ...
    @property
    def from_states(self) -> frozenset[str]: ...
    @property
    def to_state(self) -> str: ...


def label(state: str | None) -> str:
    return STATE_LABELS.get(state or NONE, state or NONE)


def allowed(rule: Rule, state: str | None) -> bool:
    return (state or NONE) in rule.from_states


def actions_from(rules: Iterable[Rule], state: str | None) -> list[str]:
    """The actions a person can take on a partnership in ``state``."""
    return [r.name for r in rules if allowed(r, state)]


def refusal(rule: Rule, state: str | None) -> str:
    """Why ``rule`` cannot be followed from ``state``, and from which states it can."""
    order = (NONE, *STATES)
    names = [
        "without a current partnership" if s == NONE else label(s)
        for s in sorted(rule.from_states, key=order.index)
    ]
    wanted = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    now = f"it is {label(state)}" if state else "it has no current partnership there"
    return f"{now}, and {rule.name} needs it to be {wanted}"


def change_text(from_state: str | None, to_state: str | None) -> str:
    """How a change of state reads in a timeline: "active -> under review"."""
    if not to_state:
        return ""
    if not from_state:
        return f"-> {label(to_state)}"
    return f"{label(from_state)} -> {label(to_state)}"
