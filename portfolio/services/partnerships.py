"""The partnership lifecycle: each action declared once, with its rule and its handler.

An action is a frozen dataclass (see ``services.changes``): what a person
supplies, the states it may be taken from and the state it leads to, how it is
worded, and ``change``, which does it. Every action validates everything first
and writes only when all holds, so a refusal leaves the records as they were
even before the transaction rolls back. Services take ids; names are resolved
at the edge (``changes.from_words``, used by ``apply``, the CLI and the demo).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from portfolio.errors import InvalidInput, Refused
from portfolio.models import (
    ChecklistStep,
    Event,
    Partner,
    Partnership,
    PartnershipTheme,
    Person,
    Theme,
    Workstream,
)
from portfolio.services.changes import REGISTRY, Change, Kind, Names, declare, from_words, param
from portfolio.services.checklist import ending_steps
from portfolio.services.history import Stamp, record
from portfolio.services.lifecycle import (
    ACTIVE,
    CURRENT,
    DEFAULT_EXIT_TYPE,
    ENDED,
    ENDING,
    EXIT_TYPES,
    NONE,
    REVIEW,
    TRANSFERRED,
    allowed,
    label,
    refusal,
)
from portfolio.services.links import by_id


def current_partnership(
    session: Session, partner_id: int, workstream_id: int
) -> Partnership | None:
    """The partnership that is not yet ended or transferred, if any (at most one)."""
    return session.exec(
        select(Partnership).where(
            Partnership.partner_id == partner_id,
            Partnership.workstream_id == workstream_id,
            col(Partnership.state).in_(CURRENT),
        )
    ).first()


def check_open(ws: Workstream, on: date, doing: str) -> None:
    if ws.status != "open":
        raise Refused(f"Cannot {doing} in {ws.name}: it closed on {ws.closed_on}.")
    if on < ws.opened_on:
        raise Refused(
            f"Cannot {doing} in {ws.name} on {on}: it opened on {ws.opened_on}; "
            "date it then or later.",
            field="on",
        )


def _check_after_previous(
    session: Session, partner: Partner, ws: Workstream, on: date, doing: str
) -> None:
    """A new partnership cannot begin before the partner's previous one there last changed."""
    last = session.exec(
        select(func.max(Partnership.changed_on)).where(
            Partnership.partner_id == partner.id, Partnership.workstream_id == ws.id
        )
    ).one()
    if last is not None and on < last:
        raise Refused(
            f"Cannot {doing} in {ws.name} on {on}: its previous partnership there last "
            f"changed on {last}; date it then or later.",
            field="on",
        )


def _person(session: Session, person_id: int) -> Person:
    return by_id(session, Person, person_id, "person")


@dataclass(frozen=True)
class Moved:
    """What an action did: the partnership it leaves for the person, and its event's facts."""

    partnership: Partnership
    data: dict[str, Any]
    detail: str = ""
    to_workstream_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class PartnershipAction(Change):
    """An action on one partner's partnership in one workstream."""

    from_states: ClassVar[frozenset[str]]
    to_state: ClassVar[str]
    requires: ClassVar[str]  # what a person must supply, as shown in help and errors
    done: ClassVar[str]  # how the timeline names it: "started"
    on_row: ClassVar[bool] = True  # the app offers it on a highlighted partnership
    # Its form's title, from the partnership (and step) the form acts on.
    heading: ClassVar[str] = "{title} {partner} in {workstream}"

    partner_id: int | None = param(
        Kind.PARTNER, "Partner", "", "The partner organisation.", arg="partner", required=True
    )
    workstream_id: int | None = param(
        Kind.WORKSTREAM, "Workstream", "--workstream -w", "The workstream (portfolio team).",
        arg="workstream", required=True,
    )  # fmt: skip

    def run(self, session: Session, stamp: Stamp) -> Partnership:
        self.check()
        assert self.partner_id is not None and self.workstream_id is not None
        partner = by_id(session, Partner, self.partner_id, "partner")
        ws = by_id(session, Workstream, self.workstream_id, "workstream")
        ps = current_partnership(session, self.partner_id, self.workstream_id)
        state = ps.state if ps else None
        if not allowed(self, state):
            raise Refused(
                f"Cannot {self.name} {partner.name} in {ws.name}: {refusal(self, state)}."
            )
        if ps is not None and stamp.on < ps.changed_on:
            raise Refused(
                f"Cannot {self.name} {partner.name} in {ws.name} on {stamp.on}: its last change "
                f"was on {ps.changed_on}; date it then or later.",
                field="on",
            )
        before = ps.state if ps else None
        moved = self.change(session, stamp, partner, ws, ps)
        result = moved.partnership
        target = ps if ps is not None else result
        target.state = self.to_state
        target.changed_on = stamp.on
        session.add(target)
        session.flush()
        assert target.id is not None
        record(
            session, stamp, action=self.name, subject_type="partnership", subject_id=target.id,
            partner_id=partner.id, workstream_id=ws.id, to_workstream_id=moved.to_workstream_id,
            from_state=before, to_state=self.to_state, reason=self.reason_given(),
            detail=moved.detail, data=moved.data,
        )  # fmt: skip
        return result

    def reason_given(self) -> str:
        return str(getattr(self, "reason", "") or "").strip()

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        """Check what only this action needs and make its change; return what it did."""
        raise NotImplementedError

    def done_message(self, names: Names, result: Partnership) -> str:
        """What the CLI says once the action is done."""
        return f"{self.where(names)}: {label(result.state)}"

    def where(self, names: Names) -> str:
        partner = names(Kind.PARTNER, self.partner_id)
        return f"{partner} in {names(Kind.WORKSTREAM, self.workstream_id)}"


REASON_HELP = "Why: recorded in the history."


@declare
@dataclass(frozen=True, kw_only=True)
class Start(PartnershipAction):
    name = "start"
    title = "Start a partnership"
    summary = "Start a partnership in an open workstream."
    key = "s"
    from_states = frozenset({NONE, ENDED, TRANSFERRED})
    to_state = ACTIVE
    requires = "an open workstream"
    done = "started"
    on_row = False

    workstream_id: int | None = param(
        Kind.OPEN_WORKSTREAM, "Workstream", "--workstream -w", "The workstream (portfolio team).",
        arg="workstream", required=True,
    )  # fmt: skip

    lead_id: int | None = param(Kind.PERSON, "Lead", "--lead", "Staff lead.", arg="lead")
    theme_ids: tuple[int, ...] = param(
        Kind.THEMES, "Themes", "--theme", "Theme (repeatable).", arg="themes"
    )
    reason: str = param(Kind.TEXT, "Reason", "--reason", REASON_HELP, arg="reason")

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        check_open(ws, stamp.on, f"start {partner.name}")
        _check_after_previous(session, partner, ws, stamp.on, f"start {partner.name}")
        lead = _person(session, self.lead_id) if self.lead_id else None
        themes = [by_id(session, Theme, t, "theme") for t in dict.fromkeys(self.theme_ids)]
        started = Partnership(
            partner_id=partner.id, workstream_id=ws.id, state=ACTIVE,  # type: ignore[arg-type]
            lead_id=lead.id if lead else None, started_on=stamp.on, changed_on=stamp.on,
        )  # fmt: skip
        session.add(started)
        session.flush()
        assert started.id is not None
        for theme in themes:
            session.add(PartnershipTheme(partnership_id=started.id, theme_id=theme.id))  # type: ignore[arg-type]
        data: dict[str, Any] = {}
        if lead:
            data.update(lead_id=lead.id, lead=lead.name)
        if themes:
            data.update(theme_ids=[t.id for t in themes], themes=[t.name for t in themes])
        return Moved(started, data)

    def describe(self, names: Names) -> str:
        lead = f" with lead {names(Kind.PERSON, self.lead_id)}" if self.lead_id else ""
        return f"start {self.where(names)}{lead}"


@declare
@dataclass(frozen=True, kw_only=True)
class Review(PartnershipAction):
    name = "review"
    title = "Review"
    summary = "Put an active partnership under review with a lead."
    key = "r"
    from_states = frozenset({ACTIVE})
    to_state = REVIEW
    requires = "a lead and a reason"
    done = "review"

    lead_id: int | None = param(
        Kind.PERSON, "Lead", "--lead", "Who holds the review.", arg="lead", required=True
    )
    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Why it is under review.", arg="reason", required=True
    )

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None and self.lead_id is not None
        lead = _person(session, self.lead_id)
        ps.lead_id = lead.id
        return Moved(ps, {"lead_id": lead.id, "lead": lead.name}, f"lead: {lead.name}")

    def describe(self, names: Names) -> str:
        return f"review {self.where(names)} with {names(Kind.PERSON, self.lead_id)}"


@declare
@dataclass(frozen=True, kw_only=True)
class Resume(PartnershipAction):
    name = "resume"
    title = "Resume"
    summary = "Make a partnership under review, or an ending, active again."
    key = "u"
    from_states = frozenset({REVIEW, ENDING})
    to_state = ACTIVE
    requires = "a reason"
    done = "resumed"

    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Why it goes on.", arg="reason", required=True
    )

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None
        if ws.status != "open":
            # A closed team holds reviews and endings to their outcome, never an active one.
            raise Refused(
                f"Cannot resume {partner.name} in {ws.name}: it closed on {ws.closed_on}; "
                "transfer the partnership to an open workstream, or end it."
            )
        # An ending reversed: its plan goes, its ticks stay in the history.
        ps.planned_end = None
        ps.exit_type = None
        return Moved(ps, {})

    def describe(self, names: Names) -> str:
        return f"resume {self.where(names)}"


@declare
@dataclass(frozen=True, kw_only=True)
class End(PartnershipAction):
    name = "end"
    title = "End"
    heading = "End {partner} in {workstream} respectfully"
    summary = "Begin ending a partnership respectfully, with notice and an exit checklist."
    key = "e"
    from_states = frozenset({ACTIVE, REVIEW})
    to_state = ENDING
    requires = "a planned end date (not before the ending begins), a reason and an exit type"
    done = "ending"

    by: date | None = param(
        Kind.DATE, "Planned end", "--by", "Planned end date, YYYY-MM-DD.", arg="by", required=True
    )
    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Why the funding ends.", arg="reason", required=True
    )
    exit_type: str = param(
        Kind.CHOICE, "Exit type", "--exit-type", "down, out or over (phasing down/out/over).",
        arg="exit_type", default=DEFAULT_EXIT_TYPE, choices=EXIT_TYPES,
    )  # fmt: skip

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None and self.by is not None
        if self.by < stamp.on:
            raise Refused(
                f"Cannot end {partner.name} in {ws.name}: the planned end {self.by} is before "
                f"the ending begins on {stamp.on}.",
                field="by",
            )
        ps.planned_end = self.by
        ps.exit_type = self.exit_type
        data = {"planned_end": self.by.isoformat(), "exit_type": str(self.exit_type)}
        return Moved(ps, data, f"{EXIT_TYPES[self.exit_type]} by {self.by}")

    def describe(self, names: Names) -> str:
        kind = EXIT_TYPES.get(self.exit_type, "")
        return f"end {self.where(names)} respectfully by {self.by} ({kind})"


def ticked_steps(session: Session, partnership_id: int) -> dict[int, Event]:
    """Checklist steps (by id) ticked since the partnership's current ending began, each
    with its tick: a step unticked after its latest tick is not ticked."""
    found = session.exec(
        select(Event)
        .where(
            Event.subject_type == "partnership",
            Event.subject_id == partnership_id,
            col(Event.action).in_(("end", "tick", "untick")),
        )
        .order_by(col(Event.id))
    ).all()
    ticks: dict[int, Event] = {}
    for ev in found:
        if ev.action == "end":
            ticks = {}
        elif ev.data.get("step_id") is None:
            continue
        elif ev.action == "tick":
            ticks[int(ev.data["step_id"])] = ev
        else:
            ticks.pop(int(ev.data["step_id"]), None)
    return ticks


def open_steps(session: Session, partnership_id: int) -> list[ChecklistStep]:
    """The steps of the current ending's own checklist (as it began) not yet ticked."""
    done = ticked_steps(session, partnership_id)
    return [s for s in ending_steps(session, partnership_id) if s.id not in done]


@declare
@dataclass(frozen=True, kw_only=True)
class Tick(PartnershipAction):
    name = "tick"
    title = "Tick a checklist step"
    summary = "Tick a step of an ending's exit checklist."
    key = "k"
    from_states = frozenset({ENDING})
    to_state = ENDING
    heading = "Tick '{step}' for {partner} in {workstream}"
    requires = "a checklist step not yet done"
    done = "ticked"
    on_row = False  # the app ticks the highlighted step of the checklist

    step_id: int | None = param(
        Kind.STEP, "Checklist step", "", "Checklist step, e.g. told, notice, tie-off.",
        arg="step", required=True,
    )  # fmt: skip

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None and ps.id is not None and self.step_id is not None
        step = by_id(session, ChecklistStep, self.step_id, "checklist step")
        done = ticked_steps(session, ps.id)
        if step.id in done:
            ev = done[self.step_id]
            raise Refused(
                f"'{step.name}' is already ticked for {partner.name} in {ws.name} "
                f"(on {ev.occurred_on} by {ev.actor})."
            )
        return Moved(ps, {"step_id": step.id, "step": step.name}, step.name)

    def describe(self, names: Names) -> str:
        return f"tick '{names(Kind.STEP, self.step_id)}' for {self.where(names)}"

    def done_message(self, names: Names, result: Partnership) -> str:
        return f"{self.where(names)}: ticked {names(Kind.STEP, self.step_id)}"


@declare
@dataclass(frozen=True, kw_only=True)
class Untick(PartnershipAction):
    name = "untick"
    title = "Untick a checklist step"
    summary = "Untick a step of an ending's exit checklist; its tick stays in the history."
    key = "x"
    from_states = frozenset({ENDING})
    to_state = ENDING
    heading = "Untick '{step}' for {partner} in {workstream}"
    requires = "a ticked checklist step and a reason"
    done = "unticked"
    on_row = False  # the app unticks the highlighted step of the checklist

    step_id: int | None = param(
        Kind.STEP, "Checklist step", "", "Checklist step, e.g. told, notice, tie-off.",
        arg="step", required=True,
    )  # fmt: skip
    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Why it is not done after all.", arg="reason",
        required=True,
    )  # fmt: skip

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None and ps.id is not None and self.step_id is not None
        step = by_id(session, ChecklistStep, self.step_id, "checklist step")
        tick = ticked_steps(session, ps.id).get(step.id)  # type: ignore[arg-type]
        if tick is None:
            raise Refused(
                f"'{step.name}' is not ticked for {partner.name} in {ws.name}, so there is "
                "nothing to untick.",
                field="step_id",
            )
        # A new event names the tick it undoes; the tick itself stays as it was recorded.
        data = {"step_id": step.id, "step": step.name, "tick_event_id": tick.id}
        return Moved(ps, data, step.name)

    def describe(self, names: Names) -> str:
        return f"untick '{names(Kind.STEP, self.step_id)}' for {self.where(names)}"

    def done_message(self, names: Names, result: Partnership) -> str:
        return f"{self.where(names)}: unticked {names(Kind.STEP, self.step_id)}"


@declare
@dataclass(frozen=True, kw_only=True)
class Complete(PartnershipAction):
    name = "complete"
    title = "Complete"
    heading = "Complete the ending of {partner} in {workstream}"
    summary = "Complete an ending: the partnership is ended."
    key = "c"
    from_states = frozenset({ENDING})
    to_state = ENDED
    requires = "a reason if any checklist step is still open"
    done = "ended"

    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Needed if checklist steps are still open.",
        arg="reason",
    )  # fmt: skip

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        assert ps is not None and ps.id is not None
        still_open = [s.name for s in open_steps(session, ps.id)]
        if still_open and not self.reason_given():
            raise Refused(
                f"Cannot complete the ending of {partner.name} in {ws.name}: checklist steps "
                f"not done: {', '.join(still_open)}; tick them, or give a reason to record why "
                "not.",
                field="reason",
            )
        detail = f"open steps: {', '.join(still_open)}" if still_open else ""
        return Moved(ps, {"open_steps": still_open}, detail)

    def describe(self, names: Names) -> str:
        return f"complete the ending of {self.where(names)}"


@declare
@dataclass(frozen=True, kw_only=True)
class Transfer(PartnershipAction):
    name = "transfer"
    title = "Transfer"
    heading = "Transfer {partner} from {workstream}"
    summary = "Transfer a partnership to another workstream; its history carries on there."
    key = "t"
    from_states = frozenset({ACTIVE, REVIEW})
    to_state = TRANSFERRED
    requires = "another open workstream, where a new active partnership starts"
    done = "transferred"

    workstream_id: int | None = param(
        Kind.WORKSTREAM, "From workstream", "--from", "Workstream it leaves.",
        arg="from_workstream", required=True,
    )  # fmt: skip
    to_workstream_id: int | None = param(
        Kind.OPEN_WORKSTREAM, "To workstream", "--to", "Open workstream it joins.",
        arg="to_workstream", required=True,
    )  # fmt: skip
    reason: str = param(
        Kind.TEXT, "Reason", "--reason", "Why it moves.", arg="reason", required=True
    )
    lead_id: int | None = param(
        Kind.PERSON, "New lead", "--lead", "New lead (default: same).", arg="lead"
    )

    def change(
        self, session: Session, stamp: Stamp, partner: Partner, ws: Workstream,
        ps: Partnership | None,
    ) -> Moved:  # fmt: skip
        """Move a partnership to another workstream; history continues in the new one."""
        assert ps is not None and ps.id is not None and self.to_workstream_id is not None
        dst = by_id(session, Workstream, self.to_workstream_id, "workstream")
        assert partner.id is not None and dst.id is not None
        if dst.id == ws.id:
            raise Refused(
                f"Cannot transfer {partner.name}: {ws.name} is already its workstream.",
                field="to_workstream_id",
            )
        check_open(dst, stamp.on, f"transfer {partner.name}")
        if current_partnership(session, partner.id, dst.id) is not None:
            raise Refused(
                f"Cannot transfer {partner.name} to {dst.name}: it already has a current "
                "partnership there."
            )
        _check_after_previous(session, partner, dst, stamp.on, f"transfer {partner.name}")
        lead = _person(session, self.lead_id) if self.lead_id else None
        successor = Partnership(
            partner_id=partner.id, workstream_id=dst.id, state=ACTIVE,
            lead_id=lead.id if lead else ps.lead_id, started_on=stamp.on, changed_on=stamp.on,
            predecessor_id=ps.id,
        )  # fmt: skip
        session.add(successor)
        session.flush()
        assert successor.id is not None
        for theme_id in session.exec(
            select(PartnershipTheme.theme_id).where(PartnershipTheme.partnership_id == ps.id)
        ).all():
            session.add(PartnershipTheme(partnership_id=successor.id, theme_id=theme_id))
        # One event per action: the transfer event names the destination, and the
        # successor's predecessor link joins the two timelines.
        data: dict[str, Any] = {
            "from_workstream_id": ws.id, "from_workstream": ws.name,
            "to_workstream_id": dst.id, "to_workstream": dst.name,
            "successor_id": successor.id,
        }  # fmt: skip
        if lead:
            data.update(lead_id=lead.id, lead=lead.name)
        return Moved(successor, data, f"to {dst.name}", to_workstream_id=dst.id)

    def describe(self, names: Names) -> str:
        return (
            f"transfer {names(Kind.PARTNER, self.partner_id)} from "
            f"{names(Kind.WORKSTREAM, self.workstream_id)} to "
            f"{names(Kind.WORKSTREAM, self.to_workstream_id)}"
        )

    def done_message(self, names: Names, result: Partnership) -> str:
        return f"{self.describe(names)[len('transfer ') :]} (active there)".replace(
            " from ", ": transferred from ", 1
        )


def actions() -> list[type[PartnershipAction]]:
    """The lifecycle actions declared so far, in declaration order."""
    return [c for c in REGISTRY.values() if issubclass(c, PartnershipAction)]


def action(name: str) -> type[PartnershipAction]:
    found = REGISTRY.get(name)
    if found is None or not issubclass(found, PartnershipAction):
        raise InvalidInput(f"'{name}' is not a lifecycle action.")
    return found


def apply(session: Session, stamp: Stamp, name: str, **words: Any) -> Partnership:
    """Run a lifecycle action from a person's words (names): the edge for scripts and tests."""
    change = from_words(session, action(name), words)
    result: Partnership = change.run(session, stamp)
    return result
