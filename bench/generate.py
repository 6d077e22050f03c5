"""Generate a big funder's portfolio into a SQLite file, for benchmarks.

    python bench/generate.py [--out big.db] [--scale 0.1] [--partners N] ...

The schema comes from the real migrations (``portfolio.db.open_database``); rows
are then bulk-inserted with plain sqlite3 in one transaction. Every partnership's
state agrees with its events (start, review/resume cycles, end and ticks,
complete, transfer), transfers link to an active-or-later successor in another
open workstream, and closed workstreams hold no plain active partnership.
"""

import argparse
import json
import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portfolio import db
from portfolio.services import positions

DEFAULTS = {"partners": 5_000, "partnerships": 20_000, "grants": 50_000, "events": 200_000}
# A team's themes, decisions, sessions, insights and actions follow its workstreams and
# meetings, not the number of partners: the same at every scale.
THEMES, UNHOMED, DECISIONS, SESSIONS, INSIGHTS, ACTIONS = 30, 6, 40, 60, 400, 200
WORKSTREAMS = 12
CLOSED = 2  # the last two workstreams are closed
PEOPLE = 40
STEPS = ("decision", "told", "notice", "tie-off", "introductions", "learning")
RECORDED_AT = "2024-01-01 09:00:00.000000"
DAY0 = date(2019, 1, 1)
KINDS = ("charity", "community group", "network", "social enterprise", "coalition", "CIC")
PLACES = ("Leeds", "Bristol", "Birmingham", "Lambeth", "Manchester", "Glasgow", "Cardiff")


@dataclass
class Plan:
    """One partnership and the actions of its life, in order."""

    id: int
    partner_id: int
    workstream_id: int
    lead_id: int
    started_on: date
    actions: list[str] = field(default_factory=list)
    predecessor_id: int | None = None
    transfer_to: int | None = None  # workstream id of the successor
    cycles: int = 0  # extra review/resume pairs while active
    ticks: int = 0  # checklist steps ticked while ending
    changed_on: date | None = None

    @property
    def state(self) -> str:
        last = self.actions[-1] if self.actions else "start"
        return {
            "start": "active", "resume": "active", "review": "review", "end": "ending",
            "tick": "ending", "complete": "ended", "transfer": "transferred",
        }[last]  # fmt: skip


def plan_partnerships(rng: random.Random, partners: int, partnerships: int) -> list[Plan]:
    """Partnerships spread over partners, each partner in distinct workstreams where it can."""
    open_ws = WORKSTREAMS - CLOSED
    plans: list[Plan] = []
    per_partner = [partnerships // partners] * partners
    for i in range(partnerships - sum(per_partner)):
        per_partner[i] += 1
    for partner_id, count in enumerate(per_partner, start=1):
        first = rng.randrange(WORKSTREAMS)
        chain: list[Plan] = []
        for k in range(count):
            ws = (first + k) % WORKSTREAMS + 1
            start = DAY0 + timedelta(days=rng.randrange(1500))
            chain.append(Plan(len(plans) + len(chain) + 1, partner_id, ws,
                              rng.randrange(PEOPLE) + 1, start))  # fmt: skip
        for k, plan in enumerate(chain):
            closed = plan.workstream_id > open_ws
            earlier_same_ws = any(p.workstream_id == plan.workstream_id for p in chain[k + 1 :])
            roll = rng.random()
            if earlier_same_ws:  # an older partnership in a workstream the partner returns to
                plan.actions = ["end", "complete"]
            elif plan.predecessor_id is None and k + 1 < count and roll < 0.10 and not closed:
                succ = chain[k + 1]
                if succ.workstream_id <= open_ws and succ.predecessor_id is None:
                    plan.actions = ["transfer"]
                    plan.transfer_to = succ.workstream_id
                    succ.predecessor_id = plan.id
            if plan.actions:
                plan.ticks = rng.randrange(4) if "end" in plan.actions else 0
                continue
            if closed:
                plan.actions = rng.choice((["review"], ["end"], ["end", "complete"]))
            elif roll < 0.62:
                plan.actions = []
            elif roll < 0.74:
                plan.actions = ["review"]
            elif roll < 0.86:
                plan.actions = ["end"]
            else:
                plan.actions = ["end", "complete"]
            plan.ticks = rng.randrange(4) if "end" in plan.actions else 0
        plans.extend(chain)
    return plans


def expand(plan: Plan) -> list[tuple[str, str | None, str, str]]:
    """(action, from_state, to_state, detail) for each event of a partnership."""
    steps: list[tuple[str, str | None, str, str]] = []
    if plan.predecessor_id is None:
        steps.append(("start", None, "active", ""))
    for _ in range(plan.cycles):
        steps += [("review", "active", "review", ""), ("resume", "review", "active", "")]
    for action in plan.actions:
        if action == "review":
            steps.append(("review", "active", "review", ""))
        elif action == "end":
            steps.append(("end", "active", "ending", "phasing out"))
            steps += [("tick", "ending", "ending", s) for s in STEPS[: plan.ticks]]
        elif action == "complete":
            steps.append(("complete", "ending", "ended", ""))
        elif action == "transfer":
            steps.append(("transfer", "active", "transferred", ""))
    return steps


def generate(
    path: Path,
    *,
    partners: int = DEFAULTS["partners"],
    partnerships: int = DEFAULTS["partnerships"],
    grants: int = DEFAULTS["grants"],
    events: int = DEFAULTS["events"],
    seed: int = 3,
    quiet: bool = True,
) -> dict[str, int]:
    """Write a new portfolio database at ``path`` (replacing any file there); return counts."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(f"{time.perf_counter() - started:6.2f}s  {message}", flush=True)

    rng = random.Random(seed)
    partnerships = max(partnerships, partners)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db.reset_engine(db.open_database(f"sqlite:///{path}"))
    say("schema migrated")

    plans = plan_partnerships(rng, partners, partnerships)
    by_id = {p.id: p for p in plans}
    fixed = WORKSTREAMS + CLOSED + THEMES + grants  # open/close, themes, one event per grant
    base = fixed + sum(len(expand(p)) for p in plans)
    # Pad with review/resume cycles on active partnerships up to the events asked for.
    active = [p for p in plans if p.state == "active"] or plans[:1]
    for i in range(max(0, events - base) // 2):
        active[i % len(active)].cycles += 1
    say(f"planned {len(plans):,} partnerships")

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO person (id, name, name_key, role) VALUES (?, ?, ?, ?)",
        [(i, f"Staff {i:02d}", f"staff {i:02d}", "staff lead") for i in range(1, PEOPLE + 1)],
    )
    event_rows: list[tuple[object, ...]] = []

    def event(on: date, action: str, subject: str, subject_id: int, **k: object) -> None:
        event_rows.append((
            on.isoformat(), RECORDED_AT, f"Staff {k.get('by', 1):02d}", action, subject,
            subject_id, k.get("partner"), k.get("ws"), k.get("to_ws"), k.get("from_state"),
            k.get("to_state"), k.get("reason", ""), k.get("detail", ""),
            json.dumps(k.get("data") or {}),
        ))  # fmt: skip

    ws_rows = []
    for w in range(1, WORKSTREAMS + 1):
        opened = date(2015 + w % 4, 4, 1)
        closed_on = date(2024, 3, 31) if w > WORKSTREAMS - CLOSED else None
        ws_rows.append((w, f"Workstream {w:02d}", f"workstream {w:02d}",
                        "Generated for benchmarks.", w % PEOPLE + 1,
                        "closed" if closed_on else "open", opened.isoformat(),
                        closed_on.isoformat() if closed_on else None))  # fmt: skip
        event(opened, "open", "workstream", w, ws=w, to_state="open")
        if closed_on:
            event(closed_on, "close", "workstream", w, ws=w, from_state="open",
                  to_state="closed")  # fmt: skip
    conn.executemany(
        "INSERT INTO workstream (id, name, name_key, purpose, lead_id, status, opened_on, "
        "closed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ws_rows,
    )
    open_ws = WORKSTREAMS - CLOSED
    conn.executemany(
        "INSERT INTO theme (id, name, name_key, workstream_id) VALUES (?, ?, ?, ?)",
        [(t, f"Theme {t:02d}", f"theme {t:02d}", None if t > THEMES - UNHOMED else t % open_ws + 1)
         for t in range(1, THEMES + 1)],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO theme_lead (theme_id, person_id) VALUES (?, ?)",
        [(t, (t + k) % PEOPLE + 1) for t in range(THEMES - UNHOMED + 1, THEMES + 1)
         for k in range(2)],
    )  # fmt: skip
    for t in range(1, THEMES + 1):
        home = t % open_ws + 1 if t <= THEMES - UNHOMED else None
        leads = [] if home else [(t + k) % PEOPLE + 1 for k in range(2)]
        event(date(2015, 4, 1), "theme-add", "theme", t, ws=home,
              to_state=f"Workstream {home:02d}" if home else "unhomed",
              detail=f"leads: {', '.join(f'Staff {i:02d}' for i in leads)}" if leads else "",
              data={"leads": [f"Staff {i:02d}" for i in leads], "lead_ids": leads})  # fmt: skip
    if max(0, events - base) % 2:  # the cycles come in pairs: one more event, harmless
        event(DAY0, "partner-add", "partner", 1, partner=1)
    conn.executemany(
        "INSERT INTO partner (id, name, name_key, kind, place, org_id, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, '')",
        [(i, f"Partner {i:05d}", f"partner {i:05d}", rng.choice(KINDS), rng.choice(PLACES),
          f"GB-CHC-{1_000_000 + i}" if i % 3 else "") for i in range(1, partners + 1)],
    )  # fmt: skip
    say(f"{partners:,} partners")

    step_ids = dict(conn.execute("SELECT name, id FROM checklist_step ORDER BY position"))
    ticked: list[str] = []
    ps_rows = []
    last_change: dict[tuple[int, int], date] = {}  # a partner returning to a workstream
    for plan in plans:
        on = max(plan.started_on, last_change.get((plan.partner_id, plan.workstream_id), DAY0))
        if plan.predecessor_id is not None:
            on = by_id[plan.predecessor_id].changed_on or on
        plan.started_on = on
        planned_end = exit_type = None
        for action, before, after, detail in expand(plan):
            on += timedelta(days=rng.randrange(0, 60))
            kwargs: dict[str, object] = {"partner": plan.partner_id, "ws": plan.workstream_id,
                                         "from_state": before, "to_state": after,
                                         "by": plan.lead_id}  # fmt: skip
            # The facts as the services record them in each event's data.
            if action == "end":
                planned_end, exit_type = on + timedelta(days=180), "out"
                kwargs["data"] = {"planned_end": planned_end.isoformat(), "exit_type": "out"}
                ticked = []
            if action == "resume":
                planned_end = exit_type = None
            if action == "transfer":
                kwargs["to_ws"] = plan.transfer_to
                detail = f"to Workstream {plan.transfer_to:02d}"
                kwargs["data"] = {
                    "from_workstream_id": plan.workstream_id,
                    "from_workstream": f"Workstream {plan.workstream_id:02d}",
                    "to_workstream_id": plan.transfer_to,
                    "to_workstream": f"Workstream {plan.transfer_to:02d}",
                }
            if action == "review":
                detail = f"lead: Staff {plan.lead_id:02d}"
                kwargs["data"] = {"lead_id": plan.lead_id, "lead": f"Staff {plan.lead_id:02d}"}
            if action == "tick":
                ticked.append(detail)
                kwargs["data"] = {"step_id": step_ids[detail], "step": detail}
            if action == "complete":
                kwargs["data"] = {"open_steps": [n for n in step_ids if n not in ticked]}
            if action != "tick":
                kwargs["reason"] = "as agreed"
            event(on, action, "partnership", plan.id, detail=detail, **kwargs)
        plan.changed_on = last_change[plan.partner_id, plan.workstream_id] = on
        ps_rows.append((plan.id, plan.partner_id, plan.workstream_id, plan.state, plan.lead_id,
                        plan.started_on.isoformat(), on.isoformat(),
                        planned_end.isoformat() if planned_end else None, exit_type,
                        plan.predecessor_id))  # fmt: skip
    conn.executemany(
        "INSERT INTO partnership (id, partner_id, workstream_id, state, lead_id, started_on, "
        "changed_on, planned_end, exit_type, predecessor_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
        ps_rows,
    )
    say(f"{len(ps_rows):,} partnerships")

    grant_rows = []
    for g in range(1, grants + 1):
        plan = plans[rng.randrange(len(plans))]
        pence = rng.randrange(500_000, 25_000_000)
        amount = Decimal(pence) / 100
        awarded = plan.started_on + timedelta(days=rng.randrange(0, 90))
        grant_rows.append((g, plan.id, pence, "GBP", "Core support", awarded.isoformat(),
                           awarded.isoformat(), (awarded + timedelta(days=730)).isoformat(),
                           f"BG-{g:06d}"))  # fmt: skip
        event(awarded, "grant", "grant", g, partner=plan.partner_id, ws=plan.workstream_id,
              detail=f"GBP {amount:.2f}",
              data={"grant_id": g, "currency": "GBP", "amount": f"{amount:.2f}"})  # fmt: skip
    conn.executemany(
        'INSERT INTO "grant" (id, partnership_id, amount_minor, currency, title, awarded_on, '
        "planned_start, planned_end, reference) VALUES (?,?,?,?,?,?,?,?,?)",
        grant_rows,
    )
    say(f"{grants:,} grants")
    learning(conn, rng, partners)
    say(f"{DECISIONS} decisions, {SESSIONS} sessions, {INSIGHTS} insights, {ACTIONS} actions")
    event_rows.sort(key=lambda row: str(row[0]))  # recorded in effective-date order
    conn.executemany(
        "INSERT INTO event (occurred_on, recorded_at, actor, action, subject_type, subject_id, "
        "partner_id, workstream_id, to_workstream_id, from_state, to_state, reason, detail, "
        "data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        event_rows,
    )
    say(f"{len(event_rows):,} events")
    # The history is back-dated: the exit checklist was there before any of it, as it is
    # in a real portfolio (an ending's checklist is the steps recorded when it began).
    conn.execute("UPDATE checklist_step SET recorded_at = (SELECT min(recorded_at) FROM event)")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    # Rows went in around the services: fill the summary the overview and lists read.
    factory = db.open_database(f"sqlite:///{path}")
    with db.unit_of_work(factory) as session:
        positions.rebuild(session)
    db.reset_engine(factory)
    say("positions summarised")
    counts = {
        "partners": partners, "partnerships": len(ps_rows), "grants": grants,
        "events": len(event_rows),
    }  # fmt: skip
    say(f"done: {path}")
    return counts


def learning(conn: sqlite3.Connection, rng: random.Random, partners: int) -> None:
    """Decisions, reflective sessions with insights, and actions, linked to workstreams,
    partners, themes, people and Compass dimensions as the app's forms link them."""
    links: list[tuple[str, int, str, int, str]] = []
    dimensions = [r[0] for r in conn.execute("SELECT id FROM framework_dimension")]
    templates = list(conn.execute("SELECT id, name FROM session_template"))
    decisions = []
    for d in range(1, DECISIONS + 1):
        on = DAY0 + timedelta(days=rng.randrange(1800))
        status = rng.choice(("proposed", "agreed", "agreed", "enacted", "enacted"))
        decisions.append((d, f"Decision {d:02d} on Workstream {d % WORKSTREAMS + 1:02d}",
                          on.isoformat(), "Generated.", "Generated.", "", "", status,
                          (on + timedelta(days=30)).isoformat() if status == "enacted" else None,
                          RECORDED_AT))  # fmt: skip
        links.append(("decision", d, "workstream", d % WORKSTREAMS + 1, "concerns"))
        links += [("decision", d, "partner", rng.randrange(partners) + 1, "concerns")
                  for _ in range(3)]  # fmt: skip
        links.append(("decision", d, "person", rng.randrange(PEOPLE) + 1, "decided_by"))
    conn.executemany(
        "INSERT INTO decision (id, title, decided_on, context, decision, rationale, options, "
        "status, enacted_on, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        decisions,
    )
    sessions = []
    for s in range(1, SESSIONS + 1):
        on = DAY0 + timedelta(days=s * 25)
        template = templates[s % len(templates)][1]
        follows = s - 1 if s % 4 and s > 1 else None
        sessions.append((s, f"Learning session {s:02d}", on.isoformat(), template,
                         "What should we do next?", "", follows))  # fmt: skip
        links += [("session", s, "person", (s + k) % PEOPLE + 1, "attendee") for k in range(5)]
    conn.executemany(
        "INSERT INTO reflective_session (id, title, held_on, template, dilemma, notes, "
        "follows_id) VALUES (?,?,?,?,?,?,?)",
        sessions,
    )
    insights = []
    for i in range(1, INSIGHTS + 1):
        s = rng.randrange(SESSIONS) + 1
        insights.append(
            (
                i,
                f"Insight {i:03d}: what we are learning.",
                sessions[s - 1][2],
                s,
                "noticed",
                rng.choice(("internal", "internal", "board", "public")),
            )
        )
        links.append(("insight", i, "workstream", rng.randrange(WORKSTREAMS) + 1, "concerns"))
        if i % 2:
            links.append(("insight", i, "partner", rng.randrange(partners) + 1, "concerns"))
        if i % 5 == 0:
            links.append(("insight", i, "theme", rng.randrange(THEMES) + 1, "concerns"))
        links += [("insight", i, "dimension", t, "tag") for t in rng.sample(dimensions, 2)]
    conn.executemany(
        "INSERT INTO insight (id, text, noted_on, session_id, prompt, visibility) "
        "VALUES (?,?,?,?,?,?)",
        insights,
    )
    actions = []
    for a in range(1, ACTIONS + 1):
        from_decision = a % 2 == 0
        source = decisions[a % DECISIONS] if from_decision else sessions[a % SESSIONS]
        made = date.fromisoformat(str(source[2]))
        status = rng.choice(("open", "open", "done", "dropped"))
        actions.append((a, f"Action {a:03d}: follow up.", rng.randrange(PEOPLE) + 1,
                        (made + timedelta(days=rng.randrange(30, 400))).isoformat(), status,
                        made.isoformat(), None if status == "open" else made.isoformat(),
                        source[0] if from_decision else None,
                        None if from_decision else source[0]))  # fmt: skip
    conn.executemany(
        "INSERT INTO action_item (id, text, owner_id, due_on, status, created_on, closed_on, "
        "decision_id, session_id) VALUES (?,?,?,?,?,?,?,?,?)",
        actions,
    )
    conn.executemany(
        "INSERT INTO record_link (owner_type, owner_id, target_type, target_id, role) "
        "VALUES (?,?,?,?,?)",
        links,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench.db"), help="file to write")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    parser.add_argument("--seed", type=int, default=3)
    for name, value in DEFAULTS.items():
        parser.add_argument(f"--{name}", type=int, default=value)
    args = parser.parse_args(argv)
    sizes = {name: max(1, round(getattr(args, name) * args.scale)) for name in DEFAULTS}
    started = time.perf_counter()
    counts = generate(args.out, seed=args.seed, quiet=False, **sizes)
    took = time.perf_counter() - started
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" in {took:.1f}s -> {args.out}")


if __name__ == "__main__":
    main()
