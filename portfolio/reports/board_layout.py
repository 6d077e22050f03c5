"""The board update as a sequence of blocks (headings, paragraphs, lists, tables, chart).

Every format walks the same blocks, so each says the same thing; only the
escaping and the styling differ. Text in blocks is plain and unescaped.
"""

from dataclasses import dataclass
from datetime import date

from portfolio.printable import printable
from portfolio.reports.board_model import (
    AREA,
    CHART_LABELS,
    CHART_STATES,
    HAPPENING,
    LEARNING,
    NEXT,
    BoardUpdate,
    Happening,
    Section,
    amount,
    money,
)
from portfolio.reports.board_period import one_year_after
from portfolio.services.lifecycle import ACTIVE, ENDED, ENDING, REVIEW, TRANSFERRED


@dataclass(frozen=True)
class Heading:
    level: int  # 1 title, 2 workstream, 3 the four questions, 4 a part of one
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """Partnerships by state per workstream (CHART_STATES order)."""

    title: str
    rows: tuple[tuple[str, tuple[int, ...]], ...]


Block = Heading | Para | Bullets | Table | Chart


def _day(day: date | None) -> str:
    return day.isoformat() if day else "not set"


def _and(names: tuple[str, ...] | list[str]) -> str:
    if not names:
        return "nobody yet"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _happening(h: Happening) -> str:
    text = f"{h.on.isoformat()}: {h.text}"
    if h.reason:
        text += f" Why: {h.reason}"
    if h.decision_id is not None:
        text += f" (decision {h.decision_id})"
    return text


def _position(counts: dict[str, int], as_at: date) -> str:
    parts = [
        f"{counts.get(s, 0)} {CHART_LABELS[s]}" for s in (ACTIVE, REVIEW, ENDING) if counts.get(s)
    ]
    finished = [
        f"{counts.get(s, 0)} {CHART_LABELS[s]}" for s in (ENDED, TRANSFERRED) if counts.get(s)
    ]
    now = ", ".join(parts) if parts else "no current partnerships"
    return f"As at {as_at.isoformat()}: {now}" + (f"; {', '.join(finished)}." if finished else ".")


def layout(update: BoardUpdate) -> list[Block]:
    to = update.date_to
    s = update.summary
    blocks: list[Block] = [
        Heading(1, update.title),
        Para(
            "Drafted from the portfolio records: what happened between "
            f"{update.date_from.isoformat()} and {to.isoformat()} by effective date, and the "
            f"position as at {to.isoformat()}."
        ),
        Heading(2, "Portfolio summary"),
        Para(_position(s.counts, to)),
        Para(
            f"Funding committed to current partnerships: {money(s.committed)}. Of that, "
            f"planned to end by {one_year_after(to).isoformat()}: {money(s.ending_12_months)}."
        ),
        Table(
            ("Workstream", *(CHART_LABELS[st].capitalize() for st in CHART_STATES), "Committed"),
            tuple(
                (
                    sec.title,
                    *(str(sec.counts.get(st, 0)) for st in CHART_STATES),
                    money(sec.committed),
                )
                for sec in update.sections
            ),
        ),
        Chart(
            "Partnerships by state per workstream",
            tuple((name, tuple(c[st] for st in CHART_STATES)) for name, c in s.chart),
        ),
    ]
    for section in update.sections:
        blocks += _section(section, to)
    if not update.portfolio.is_empty():
        blocks += _portfolio(update.portfolio)
    return blocks


def _section(sec: Section, to: date) -> list[Block]:
    about = [f"Lead: {sec.lead or 'none named'}"]
    if sec.closed_on:
        about.append(f"Closed on {sec.closed_on.isoformat()} (opened {_day(sec.opened_on)})")
    else:
        about.append(f"Open since {_day(sec.opened_on)}")
    if sec.themes:
        about.append(f"Themes held: {', '.join(sec.themes)}")
    blocks: list[Block] = [
        Heading(2, sec.title),
        Heading(3, AREA),
        Para(sec.purpose or "No purpose recorded."),
        Bullets(tuple(about)),
        Heading(3, HAPPENING),
        Para(f"{_position(sec.counts, to)} Funding committed: {money(sec.committed)}."),
    ]
    if sec.happenings:
        blocks.append(Bullets(tuple(_happening(h) for h in sec.happenings)))
    else:
        blocks.append(Para("No changes to partnerships were recorded in this period."))
    blocks += _grants(sec) + _decisions(sec)
    blocks += [Heading(3, LEARNING), *_insights(sec), Heading(3, NEXT), *_next(sec)]
    return blocks


def _portfolio(sec: Section) -> list[Block]:
    blocks: list[Block] = [Heading(2, sec.title)]
    if sec.decisions:
        blocks += [Heading(3, HAPPENING), *_decisions(sec)]
    if sec.insights:
        blocks += [Heading(3, LEARNING), *_insights(sec)]
    if sec.actions or sec.unhomed:
        blocks += [Heading(3, NEXT), *_next(sec)]
    return blocks


def _grants(sec: Section) -> list[Block]:
    if not sec.grants:
        return []
    return [
        Heading(4, "Grants awarded"),
        Table(
            ("Awarded", "Partner", "Amount", "Title", "Planned end"),
            tuple(
                (
                    g.on.isoformat(),
                    g.partner,
                    amount(g.amount, g.currency),
                    g.title,
                    _day(g.planned_end),
                )
                for g in sec.grants
            ),
        ),
    ]


def _decisions(sec: Section) -> list[Block]:
    if not sec.decisions:
        return []
    items = []
    for d in sec.decisions:
        text = f"Decision {d.id}, {d.on.isoformat()}: {d.title} ({d.status}"
        text += f" on {d.enacted_on.isoformat()})" if d.enacted_on else ")"
        if d.decision:
            text += f". {d.decision}"
        items.append(text)
    return [Heading(4, "Decisions"), Bullets(tuple(items))]


def _insights(sec: Section) -> list[Block]:
    if not sec.insights:
        return [Para("No insights for the board were noted in this period.")]
    return [Bullets(tuple(i.text for i in sec.insights))]


def _next(sec: Section) -> list[Block]:
    blocks: list[Block] = []
    if sec.endings:
        blocks += [
            Heading(4, "Ending respectfully"),
            Table(
                ("Partner", "Exit", "Planned end", "Begun", "Checklist done", "Lead", "Why"),
                tuple(
                    (
                        e.partner,
                        e.exit_type,
                        _day(e.planned_end),
                        e.begun_on.isoformat(),
                        e.progress + (f" ({', '.join(e.steps_done)})" if e.steps_done else ""),
                        e.lead or "",
                        e.reason,
                    )
                    for e in sec.endings
                ),
            ),
        ]
    if sec.reviews:
        blocks += [
            Heading(4, "Under review"),
            Table(
                ("Partner", "With", "Since", "Why"),
                tuple(
                    (r.partner, r.lead or "", r.since.isoformat(), r.reason) for r in sec.reviews
                ),
            ),
        ]
    if sec.unhomed:
        blocks += [
            Heading(4, "Themes without a home"),
            Bullets(
                tuple(
                    f"{t.name}: unhomed since {t.since.isoformat()}"
                    + (f" (last held by {t.last_home})" if t.last_home else "")
                    + f"; {_and(t.leads)} "
                    + ("leads" if len(t.leads) == 1 else "lead")
                    + " its next steps."
                    for t in sec.unhomed
                )
            ),
        ]
    if sec.actions:
        blocks += [
            Heading(4, "Open actions"),
            Bullets(
                tuple(
                    f"{a.text} ({a.owner}" + (f", due {a.due.isoformat()})" if a.due else ")")
                    for a in sec.actions
                )
            ),
        ]
    return blocks or [Para("Nothing outstanding as at the end of the period.")]


def clean(text: str) -> str:
    """One line of printable text: a control character shows as its stand-in (raw, it
    would break XML and act on a terminal), runs of whitespace become one space."""
    return " ".join(printable(text.replace("\r", " ")).split())
