"""The board update as plain data: what every format renders, and nothing else.

Strings here are plain text exactly as recorded; each renderer escapes them
for its own format. Nothing internal (partner notes, session notes and
dilemmas, internal insights) is ever put into this model.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portfolio.services.lifecycle import ACTIVE, ENDED, ENDING, REVIEW, TRANSFERRED

# The seed-003 headings: the shape boards expect.
AREA = "What is the area of work?"
HAPPENING = "What's currently happening?"
LEARNING = "What are we learning?"
NEXT = "What next?"

# Chart columns: the position as at --to, then what finished within the period.
CHART_STATES: tuple[str, ...] = (ACTIVE, REVIEW, ENDING, ENDED, TRANSFERRED)
CHART_LABELS: dict[str, str] = {
    ACTIVE: "active",
    REVIEW: "under review",
    ENDING: "ending respectfully",
    ENDED: "ended in period",
    TRANSFERRED: "moved out in period",
}
CHART_COLOURS: dict[str, tuple[int, int, int]] = {
    ACTIVE: (46, 125, 50),
    REVIEW: (245, 158, 11),
    ENDING: (198, 40, 40),
    ENDED: (117, 117, 117),
    TRANSFERRED: (30, 136, 229),
}


@dataclass(frozen=True)
class Happening:
    """Something that happened in the period, by effective date."""

    on: date
    kind: str  # started|moved-in|moved-out|review|resumed|ending|ended|closed|opened|theme
    text: str  # one plain sentence naming who
    reason: str = ""
    decision_id: int | None = None


@dataclass(frozen=True)
class GrantAward:
    on: date
    partner: str
    amount: Decimal
    currency: str
    title: str
    planned_end: date | None


@dataclass(frozen=True)
class InsightItem:
    on: date
    text: str
    visibility: str  # board | public, never internal


@dataclass(frozen=True)
class DecisionItem:
    id: int
    on: date
    title: str
    decision: str
    status: str  # as at --to
    enacted_on: date | None


@dataclass(frozen=True)
class ActionEntry:
    text: str
    owner: str
    due: date | None


@dataclass(frozen=True)
class EndingEntry:
    """A partnership ending respectfully as at --to, with its checklist progress."""

    partner: str
    lead: str | None
    begun_on: date
    planned_end: date | None
    exit_type: str
    reason: str
    steps_done: tuple[str, ...]
    steps_open: tuple[str, ...]

    @property
    def progress(self) -> str:
        total = len(self.steps_done) + len(self.steps_open)
        return f"{len(self.steps_done)} of {total}"


@dataclass(frozen=True)
class ReviewEntry:
    partner: str
    lead: str | None
    since: date
    reason: str


@dataclass(frozen=True)
class UnhomedTheme:
    name: str
    leads: tuple[str, ...]
    since: date
    last_home: str | None


@dataclass
class Section:
    """One workstream's part of the update (or the portfolio-wide part, name None)."""

    name: str | None
    purpose: str = ""
    lead: str | None = None
    status: str = "open"  # as at --to
    opened_on: date | None = None
    closed_on: date | None = None  # when closed on or before --to
    themes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    committed: dict[str, Decimal] = field(default_factory=dict)
    happenings: list[Happening] = field(default_factory=list)
    grants: list[GrantAward] = field(default_factory=list)
    decisions: list[DecisionItem] = field(default_factory=list)
    insights: list[InsightItem] = field(default_factory=list)
    endings: list[EndingEntry] = field(default_factory=list)
    reviews: list[ReviewEntry] = field(default_factory=list)
    actions: list[ActionEntry] = field(default_factory=list)
    unhomed: list[UnhomedTheme] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.name if self.name is not None else "Across the portfolio"

    def is_empty(self) -> bool:
        return not (
            self.happenings
            or self.grants
            or self.decisions
            or self.insights
            or self.endings
            or self.reviews
            or self.actions
            or self.unhomed
        )


@dataclass
class Summary:
    counts: dict[str, int]  # CHART_STATES -> partnerships across the chosen workstreams
    committed: dict[str, Decimal]  # currency -> grants of partnerships current at --to
    ending_12_months: dict[str, Decimal]  # currency -> of those, planned to end within a year
    chart: list[tuple[str, dict[str, int]]]  # (workstream, CHART_STATES -> count)


@dataclass
class BoardUpdate:
    date_from: date
    date_to: date
    summary: Summary
    sections: list[Section]
    portfolio: Section  # decisions, insights, actions and themes concerning no workstream

    @property
    def title(self) -> str:
        return f"Board update: {self.date_from.isoformat()} to {self.date_to.isoformat()}"


def money(totals: dict[str, Decimal]) -> str:
    """Amounts by currency as one plain phrase: 'GBP 1,250.00; EUR 300.00'."""
    if not totals:
        return "none"
    return "; ".join(f"{cur} {amount:,.2f}" for cur, amount in sorted(totals.items()))


def amount(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,.2f}"
