"""The relationship state machine, declared once as data.

Each row: an action, the states it may be taken from, the state it leads to,
and what it requires. Services, CLI, TUI and reports all read this table.
"""

from dataclasses import dataclass

ACTIVE = "active"
REVIEW = "review"
ENDING = "ending"
ENDED = "ended"
TRANSFERRED = "transferred"
NONE = "none"  # no current partnership in that workstream

STATES = (ACTIVE, REVIEW, ENDING, ENDED, TRANSFERRED)
TERMINAL = frozenset({ENDED, TRANSFERRED})
CURRENT = frozenset({ACTIVE, REVIEW, ENDING})

STATE_LABELS = {
    ACTIVE: "active",
    REVIEW: "under review",
    ENDING: "ending respectfully",
    ENDED: "ended",
    TRANSFERRED: "transferred",
    NONE: "no current partnership",
}

EXIT_TYPES = {"down": "phasing down", "out": "phasing out", "over": "phasing over"}
DEFAULT_EXIT_TYPE = "out"


@dataclass(frozen=True)
class Transition:
    action: str
    from_states: frozenset[str]
    to_state: str
    requires: str  # what a person must supply, as shown in help and errors


TRANSITIONS: tuple[Transition, ...] = (
    Transition("start", frozenset({NONE, ENDED, TRANSFERRED}), ACTIVE, "an open workstream"),
    Transition("review", frozenset({ACTIVE}), REVIEW, "a lead and a reason"),
    Transition("resume", frozenset({REVIEW, ENDING}), ACTIVE, "a reason"),
    Transition(
        "end",
        frozenset({ACTIVE, REVIEW}),
        ENDING,
        "a planned end date (not before the ending begins), a reason and an exit type",
    ),
    Transition("tick", frozenset({ENDING}), ENDING, "a checklist step not yet done"),
    Transition(
        "complete", frozenset({ENDING}), ENDED, "a reason if any checklist step is still open"
    ),
    Transition(
        "transfer",
        frozenset({ACTIVE, REVIEW}),
        TRANSFERRED,
        "another open workstream, where a new active partnership starts",
    ),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}
ACTIONS = tuple(BY_ACTION)


def label(state: str | None) -> str:
    return STATE_LABELS.get(state or NONE, state or NONE)


def allowed(action: str, state: str | None) -> bool:
    return (state or NONE) in BY_ACTION[action].from_states


def actions_from(state: str | None) -> list[str]:
    """The actions a person can take on a partnership in ``state``."""
    return [t.action for t in TRANSITIONS if (state or NONE) in t.from_states]


def refusal(action: str, state: str | None) -> str:
    """Why ``action`` cannot be taken from ``state``, and from which states it can."""
    rule = BY_ACTION[action]
    order = (NONE, *STATES)
    names = [
        "without a current partnership" if s == NONE else label(s)
        for s in sorted(rule.from_states, key=order.index)
    ]
    wanted = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    now = f"it is {label(state)}" if state else "it has no current partnership there"
    return f"{now}, and {action} needs it to be {wanted}"


def change_text(from_state: str | None, to_state: str | None) -> str:
    """How a change of state reads in a timeline: "active -> under review"."""
    if not to_state:
        return ""
    if not from_state:
        return f"-> {label(to_state)}"
    return f"{label(from_state)} -> {label(to_state)}"
