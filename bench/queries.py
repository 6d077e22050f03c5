"""Time the partner and workstream list services beside raw sqlite3 returning the same rows.

    python bench/queries.py [--db big.db] [--runs 5]

Without --db it generates the default-size portfolio into a temp file first.
Prints the median of several runs and the ratio service / raw (target: at most 3).
"""

import argparse
import gc
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from portfolio import db
from portfolio.services.lifecycle import CURRENT
from portfolio.services.partners import PartnerRow, list_partners
from portfolio.services.workstreams import WorkstreamRow, list_workstreams

TARGET = 3.0

PARTNERSHIPS_SQL = """
SELECT ps.id, ps.partner_id, pa.name, w.name, ps.state, pe.name, ps.started_on, ps.changed_on,
       ps.planned_end, ps.exit_type, ps.predecessor_id
FROM partnership ps JOIN partner pa ON pa.id = ps.partner_id
JOIN workstream w ON w.id = ps.workstream_id LEFT JOIN person pe ON pe.id = ps.lead_id
{where} ORDER BY ps.started_on, ps.id
"""
MATCH = "SELECT partner_id FROM partnership WHERE {conditions}"


def raw_partners(conn: sqlite3.Connection, workstream: str | None, state: str | None) -> Any:
    """The rows of ``list_partners`` straight from sqlite3, as plain tuples."""
    conditions, params = [], []
    if workstream is not None:
        conditions.append("workstream_id = (SELECT id FROM workstream WHERE name = ?)")
        params.append(workstream)
    if state is not None:
        conditions.append("state = ?")
        params.append(state)
    where = ""
    if conditions:
        where = f"WHERE {{alias}}.id IN ({MATCH.format(conditions=' AND '.join(conditions))})"
    partners = {
        r[0]: (*r, [])
        for r in conn.execute(
            "SELECT id, name, kind, place, org_id FROM partner pa "
            f"{where.format(alias='pa')} ORDER BY name",
            params,
        )
    }
    for r in conn.execute(PARTNERSHIPS_SQL.format(where=where.format(alias="pa")), params):
        partners[r[1]][5].append(r)
    return list(partners.values())


def raw_workstreams(conn: sqlite3.Connection) -> Any:
    rows = {
        r[0]: [*r, {}, Decimal("0.00")]  # the service's counts by state and committed money
        for r in conn.execute(
            "SELECT w.id, w.name, w.purpose, pe.name, w.status, w.opened_on, w.closed_on "
            "FROM workstream w LEFT JOIN person pe ON pe.id = w.lead_id ORDER BY w.name"
        )
    }
    for ws, state, n in conn.execute(
        "SELECT workstream_id, state, count(*) FROM partnership GROUP BY workstream_id, state"
    ):
        rows[ws][7][state] = n
    marks = ", ".join("?" * len(CURRENT))
    for ws, total in conn.execute(
        'SELECT ps.workstream_id, sum(g.amount_minor) FROM partnership ps JOIN "grant" g '
        f"ON g.partnership_id = ps.id WHERE ps.state IN ({marks}) GROUP BY ps.workstream_id",
        tuple(CURRENT),
    ):
        rows[ws][8] = (Decimal(total or 0) / 100).quantize(Decimal("0.01"))  # stored in pence
    return [tuple(r) for r in rows.values()]


def service_partners(factory: Any, workstream: str | None, state: str | None) -> Any:
    with db.read_session(factory) as session:
        return list_partners(session, workstream=workstream, state=state)


def service_workstreams(factory: Any) -> Any:
    with db.read_session(factory) as session:
        return list_workstreams(session)


def comparable(rows: Any) -> Any:
    """Service rows as the raw query's tuples (dates as ISO text), outside the timing."""
    if rows and isinstance(rows[0], PartnerRow):
        return [
            (r.id, r.name, r.kind, r.place, r.org_id,
             [(p.id, p.partner_id, p.partner, p.workstream, p.state, p.lead,
               p.started_on.isoformat(), p.changed_on.isoformat(),
               p.planned_end.isoformat() if p.planned_end else None, p.exit_type,
               p.predecessor_id) for p in r.partnerships])
            for r in rows
        ]  # fmt: skip
    if rows and isinstance(rows[0], WorkstreamRow):
        return [
            (r.id, r.name, r.purpose, r.lead, r.status, r.opened_on.isoformat(),
             r.closed_on.isoformat() if r.closed_on else None, r.counts, r.committed)
            for r in rows
        ]  # fmt: skip
    return [(*r[:-1], [tuple(x) for x in r[-1]]) if isinstance(r[-1], list) else tuple(r)
            for r in rows]  # fmt: skip


def median_times(
    service: Callable[[], Any], raw: Callable[[], Any], runs: int
) -> tuple[float, float, Any, Any]:
    """Medians of interleaved runs (so a busy moment hits both sides alike)."""
    service_rows, raw_rows = service(), raw()  # warm up, and the rows to compare
    times: dict[Callable[[], Any], list[float]] = {service: [], raw: []}
    for _ in range(runs):
        for run in (service, raw):
            # Each side starts with no garbage pending: where a full collection falls
            # otherwise depends on everything allocated before, and it once landed
            # inside the same query on every run, doubling its time.
            gc.collect()
            started = time.perf_counter()
            run()
            times[run].append(time.perf_counter() - started)
    return (statistics.median(times[service]), statistics.median(times[raw]), service_rows,
            raw_rows)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a generated database (default: generate one)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.db
        if path is None:
            path = Path(folder) / "bench.db"
            started = time.perf_counter()
            counts = generate(path)
            print(
                "generated " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
                + f" in {time.perf_counter() - started:.1f}s"
            )  # fmt: skip
        factory = db.open_database(f"sqlite:///{path}")
        conn = sqlite3.connect(path)
        cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
            (f"partner list{label}", lambda w=w, s=s: service_partners(factory, w, s),
             lambda w=w, s=s: raw_partners(conn, w, s))
            for label, w, s in (
                ("", None, None),
                (" --workstream", "Workstream 03", None),
                (" --state review", None, "review"),
                (" --workstream --state", "Workstream 11", "ending"),
            )
        ]  # fmt: skip
        cases.append(
            ("workstream list", lambda: service_workstreams(factory), lambda: raw_workstreams(conn))
        )
        worst = 0.0
        print(f"{'query':<28}{'rows':>7}{'service':>10}{'raw':>10}{'ratio':>7}")
        for name, service, raw in cases:
            service_time, raw_time, service_rows, raw_rows = median_times(service, raw, args.runs)
            assert comparable(service_rows) == comparable(raw_rows), f"{name}: rows differ"
            ratio = service_time / raw_time
            worst = max(worst, ratio)
            print(
                f"{name:<28}{len(service_rows):>7,}{service_time * 1000:>8.1f}ms"
                f"{raw_time * 1000:>8.1f}ms{ratio:>7.2f}"
            )
        conn.close()
        db.reset_engine(factory)
    verdict = "within" if worst <= TARGET else "ABOVE"
    print(f"worst ratio {worst:.2f}: {verdict} the target of at most {TARGET:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
