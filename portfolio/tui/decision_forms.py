"""Forms for decisions: record one, agree it, supersede it, plan a workstream's closure
by asking the fate of each of its partnerships and themes, plan or remove one change,
and enact it after seeing every change."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from portfolio.errors import Refused
from portfolio.services import decisions, enactment, plans
from portfolio.services.changes import REGISTRY, Kind, Names, named, params
from portfolio.services.history import Stamp
from portfolio.services.inputs import parse_date
from portfolio.services.lifecycle import ACTIVE, REVIEW
from portfolio.services.overview import Directory, workstream_header, workstream_partnerships
from portfolio.services.partnerships import PartnershipAction
from portfolio.tui.actions import (
    ActionForm,
    FormField,
    Values,
    change_fields,
    change_from_form,
    on_field,
)

KEEP = "keep"  # a partnership under review stays under review as the team closes


def new_decision_form(d: Directory, today: date) -> ActionForm:
    """Every field `decision add` takes; names picked from the records (who decided may
    also be a standing group, typed)."""

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        made = decisions.add_decision(
            s, stamp, title=v["title"], decision=v["decision"], context=v.get("context", ""),
            rationale=v.get("rationale", ""), options=v.get("options", ""),
            by=_names(v.get("by", "")),
            workstreams=[v["workstream"]] if v.get("workstream") else [],
            partners=_names(v.get("partners", "")), themes=_names(v.get("themes", "")),
        )  # fmt: skip
        return f"Decision {made.id} recorded (proposed)"

    fields = (
        FormField("title", "Title", required=True, placeholder="e.g. Close the National team"),
        FormField("decision", "What was decided", required=True),
        FormField("context", "Context", placeholder="why it came up"),
        FormField("options", "Options considered", placeholder="e.g. keep it; merge it; close it"),
        FormField("rationale", "Rationale", placeholder="why this choice"),
        FormField("by", "Decided by", "name", False, tuple(d.people),
                  placeholder="people or a group: a, b"),
        FormField("workstream", "Concerns workstream", "choice", False, tuple(d.workstreams)),
        FormField("partners", "Concerns partners", "names", False, tuple(d.partners)),
        FormField("themes", "Concerns themes", "names", False, tuple(d.themes)),
        FormField("on", "Decided on", "date", True, default=today.isoformat()),
    )  # fmt: skip
    return ActionForm("decide", "Record a decision", fields, run)


def agree_form(today: date, decision_id: int, title: str) -> ActionForm:
    def run(s: Session, stamp: Stamp, v: Values) -> str:
        decisions.agree(s, stamp, decision_id=decision_id)
        return f"Decision {decision_id} agreed"

    return ActionForm("agree", f"Agree decision {decision_id}: {title}", (on_field(today),), run)


@dataclass(frozen=True)
class Closing:
    """What closing a workstream must settle: its undecided partnerships and its themes."""

    workstream: str
    partnerships: list[tuple[str, str]]  # (partner, state) for active and under review
    themes: list[str]


def read_closing(session: Session, workstream: str) -> Closing:
    header = workstream_header(session, workstream)
    found = []
    for state in (ACTIVE, REVIEW):
        page = workstream_partnerships(
            session, workstream_id=header.row.id, state=state, limit=10_000
        )
        found += [(line.partner, line.state) for line in page.lines]
    return Closing(header.row.name, sorted(found), header.themes)


def closing_plan_form(d: Directory, today: date, decision_id: int, closing: Closing) -> ActionForm:
    """One question per partnership and theme; confirming plans every answer and the closure."""
    ws = closing.workstream
    others = tuple(w for w in d.open_workstreams if w != ws)
    fields = []
    for i, (partner, state) in enumerate(closing.partnerships):
        values = ("end", *[f"transfer:{w}" for w in others], "review" if state == ACTIVE else KEEP)
        shown = (
            "end respectfully",
            *[f"transfer to {w}" for w in others],
            "review (lead stays)" if state == ACTIVE else "stay under review",
        )
        fields.append(FormField(f"p{i}", partner, "choice", True, values, shown))
    for i, theme in enumerate(closing.themes):
        values = (*[f"to:{w}" for w in others], "unhomed")
        shown = (*[f"rehome to {w}" for w in others], "unhomed, with the leads below")
        fields.append(FormField(f"t{i}", f"Theme: {theme}", "choice", True, values, shown))
    fields += [
        FormField("by", "Endings planned by", "date", False, placeholder="YYYY-MM-DD"),
        FormField("leads", "Leads of unhomed themes", "names", False, tuple(d.people)),
        FormField("reason", "Reason", required=True, placeholder="why: kept in the history"),
        FormField("effective", "Changes take effect", "date", placeholder="the decision's date"),
        on_field(today),
    ]

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        on = parse_date(v["effective"]) if v.get("effective") else None
        reason = v["reason"]
        count = 0

        def plan(action: str, **values: Any) -> None:
            nonlocal count
            change = named(action)(**values)
            plans.plan_change(s, decision_id=decision_id, change=change, on=on, stamp=stamp)
            count += 1

        ws_id = d.id_of("workstream", ws)
        by = parse_date(v["by"]) if v.get("by") else None
        for i, (partner, _) in enumerate(closing.partnerships):
            fate = v[f"p{i}"]
            partner_id = d.id_of("partner", partner)
            if fate == "end":
                plan("end", partner_id=partner_id, workstream_id=ws_id, by=by, reason=reason)
            elif fate.startswith("transfer:"):
                to_id = d.id_of("workstream", fate.split(":", 1)[1])
                plan("transfer", partner_id=partner_id, workstream_id=ws_id,
                     to_workstream_id=to_id, reason=reason)  # fmt: skip
            elif fate == "review":
                lead = _lead_of(s, partner, ws)
                plan("review", partner_id=partner_id, workstream_id=ws_id,
                     lead_id=d.id_of("person", lead) if lead else None, reason=reason)  # fmt: skip
        leads = tuple(
            pid for n in _names(v.get("leads", "")) if (pid := d.id_of("person", n)) is not None
        )
        for n, theme in enumerate(closing.themes):
            fate = v[f"t{n}"]
            theme_id = d.id_of("theme", theme)
            if fate == "unhomed":
                plan("theme-rehome", theme_id=theme_id, unhomed=True, lead_ids=leads,
                     reason=reason)  # fmt: skip
            else:
                to_id = d.id_of("workstream", fate.split(":", 1)[1])
                plan("theme-rehome", theme_id=theme_id, to_workstream_id=to_id, reason=reason)
        plan("workstream-close", workstream_id=ws_id, reason=reason)
        return f"Decision {decision_id}: {count} changes planned, ending with closing {ws}"

    return ActionForm(
        "plan", f"Plan closing {ws} (decision {decision_id})", tuple(fields), run,
        confirm="Add to the plan",
    )  # fmt: skip


def _lead_of(s: Session, partner: str, workstream: str) -> str | None:
    from portfolio.services.partners import partner_detail

    for ps in partner_detail(s, partner).partnerships:
        if ps.workstream == workstream and ps.state == ACTIVE:
            return ps.lead
    return None


def preview(session: Session, stamp: Stamp, decision_id: int) -> enactment.Enactment:
    """What enacting would do, change by change, without keeping anything."""
    return enactment.enact(session, stamp, decision_id=decision_id, dry_run=True)


def _outcome_lines(seen: enactment.Enactment) -> list[str]:
    lines = []
    for o in seen.outcomes:
        lines.append(f"{o.n}. {o.description} (on {o.on})")
        lines += [f"     {effect}" for effect in o.effects]
        if o.problem:
            lines.append(f"     REFUSED: {o.problem}")
    return lines


def refused_text(seen: enactment.Enactment) -> str:
    """Why a dry run's decision cannot be enacted: every change, the refused ones said why."""
    count = len(seen.problems)
    return "\n".join(
        [
            f"{count} of its {len(seen.outcomes)} changes would be refused, so nothing can be "
            "enacted yet:",
            "",
            *_outcome_lines(seen),
            "",
            "Fix the records or the plan (x removes a change, p plans another), then enact again.",
        ]
    )


def enact_form(today: date, decision_id: int, title: str, seen: enactment.Enactment) -> ActionForm:
    """Only for a plan whose every change can be made (see ``refused_text`` otherwise)."""
    lines = _outcome_lines(seen)
    verdict = "Every change can be made. Confirm to make them all, as one action."

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        done = enactment.enact(s, stamp, decision_id=decision_id)
        return f"Decision {decision_id} enacted: {len(done.outcomes)} changes made"

    return ActionForm(
        "enact", f"Enact decision {decision_id}: {title}", (on_field(today),), run,
        confirm="Enact", preamble="\n".join([*lines, "", verdict]),
    )  # fmt: skip


def supersede_form(
    today: date, old: dict[str, Any], candidates: list[dict[str, Any]]
) -> ActionForm:
    """Choose the decision that replaces ``old``; only ones not yet superseded are offered."""
    decision_id = old["id"]
    choices = tuple(str(c["id"]) for c in candidates)
    shown = tuple(f"{c['id']}. {c['title']} ({c['status']})" for c in candidates)
    count = len(old["changes"])
    fate = (
        "Its enacted changes stand."
        if old["status"] == "enacted"
        else f"Its {count} planned change{'' if count == 1 else 's'} will never be enacted."
        if count
        else ""
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        later = int(v["with"])
        decisions.supersede(s, stamp, decision_id=decision_id, with_id=later)
        return f"Decision {decision_id} superseded by decision {later}"

    return ActionForm(
        "supersede", f"Supersede decision {decision_id}: {old['title']}",
        (FormField("with", "Replaced by", "choice", True, choices, shown), on_field(today)),
        run, confirm="Supersede",
        preamble=f"Decision {decision_id} will be marked superseded by the one you choose, "
        f"and can then no longer be agreed, planned or enacted. {fate}",
    )  # fmt: skip


def change_kinds() -> dict[str, str]:
    """The changes a plan may hold, as `decision plan ID ACTION` offers them, in words."""
    # Partnership actions first, in the order they are declared, then the others.
    ordered = sorted(REGISTRY.items(), key=lambda kv: not issubclass(kv[1], PartnershipAction))
    return {name: c.summary.rstrip(".").split(";")[0].lower().removeprefix("plan to ")
            for name, c in ordered}  # fmt: skip


def _pick(choices: list[str], wanted: list[str]) -> str:
    """The first of the decision's own names that the field offers, to start from."""
    return next((name for name in wanted if name in choices), "")


def plan_change_form(
    action: str, d: Directory, today: date, decision: dict[str, Any]
) -> ActionForm:
    """One planned change with the fields its declaration has (as `decision plan ID ACTION`
    takes them), started from what the decision concerns; checked by ``plans.plan_change``
    on confirm, states on enactment."""
    decision_id = decision["id"]
    change = named(action)
    by_kind = {
        Kind.PARTNER: decision["partners"][0] if len(decision["partners"]) == 1 else "",
        Kind.WORKSTREAM: _pick(d.workstreams, decision["workstreams"]),
        Kind.OPEN_WORKSTREAM: _pick(d.open_workstreams, decision["workstreams"]),
        Kind.THEME: _pick(d.themes, decision["themes"]),
    }
    defaults = {attr: by_kind.get(p.kind, "") for attr, p in params(change)}
    fields = (
        *change_fields(change, d, defaults=defaults),
        FormField("effective", "Takes effect", "date", placeholder="the decision's date"),
        FormField("on", "Planned on", "date", True, default=today.isoformat()),
    )

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        effective = parse_date(v["effective"]) if v.get("effective") else None
        planned = plans.plan_change(
            s, decision_id=decision_id, change=change_from_form(change, s, d, v), on=effective,
            stamp=stamp,
        )  # fmt: skip
        what = plans.describe(Names(s), action, json.loads(planned.arguments))
        return f"Decision {decision_id}: planned change {planned.position}: {what}"

    return ActionForm(
        "plan-change", f"Plan for decision {decision_id}: {change_kinds()[action]}", fields, run,
        confirm="Add to the plan",
    )  # fmt: skip


def unplan_form(today: date, decision: dict[str, Any]) -> ActionForm:
    """Choose a planned change to remove; later changes move up one."""
    decision_id = decision["id"]
    changes = decision["changes"]
    choices = tuple(str(c["n"]) for c in changes)
    shown = tuple(f"{c['n']}. {c['description']}" for c in changes)

    def run(s: Session, stamp: Stamp, v: Values) -> str:
        n = int(v["n"])
        removed = plans.unplan(s, decision_id=decision_id, position=n, stamp=stamp)
        expected = next(c["description"] for c in changes if c["n"] == n)
        if removed != expected:
            # Someone changed the plan since the form opened: remove nothing by surprise.
            raise Refused(
                f"The plan changed since this form opened: change {n} is now '{removed}'; "
                "nothing was removed. Leave the form and choose again."
            )
        return f"Decision {decision_id}: removed planned change {n}: {removed}"

    return ActionForm(
        "unplan", f"Remove a change from decision {decision_id}'s plan",
        (FormField("n", "Change", "choice", True, choices, shown),
         FormField("on", "Removed on", "date", True, default=today.isoformat())),
        run, confirm="Remove from the plan",
        preamble="The change leaves the plan; later changes move up one. Nothing else changes.",
    )  # fmt: skip


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]
