"""Time a 20,000-row grants import on the default-size portfolio: the check, the write,
how long the write lock is held, and how long another writer waits meanwhile; then
the same number of partners.

    python bench/imports.py [--rows 20000] [--db big.db]

Without --db it generates the default-size portfolio (bench/generate.py) into a
temp file first (with --db, a copy of that file). The whole command is also
timed as a person runs it (a process).
"""

import argparse
import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from portfolio import db
from portfolio.services import imports, positions
from portfolio.services.history import Stamp


def write_sheet(db_file: Path, out: Path, count: int, tag: str) -> None:
    """``count`` grant rows for existing partnerships, half with references, half without."""
    conn = sqlite3.connect(db_file)
    pairs = conn.execute(
        "SELECT pa.name, w.name FROM partnership ps JOIN partner pa ON pa.id = ps.partner_id "
        "JOIN workstream w ON w.id = ps.workstream_id"
    ).fetchall()
    conn.close()
    rng = random.Random(7)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Recipient", "Workstream", "Amount Awarded", "Award Date", "Grant Ref"])
        for n in range(count):
            partner, workstream = rng.choice(pairs)
            reference = f"BENCH-{tag}-{n}" if n % 2 else ""
            awarded = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/2024"
            writer.writerow([partner, workstream, f"{1000 + n}.50", awarded, reference])


class OtherWriter(threading.Thread):
    """Another program taking the write lock every 20 ms; records its longest wait."""

    def __init__(self, db_file: Path) -> None:
        super().__init__(daemon=True)
        self.conn = sqlite3.connect(db_file, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA busy_timeout=600000")
        self.longest = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("ROLLBACK")
            self.longest = max(self.longest, time.perf_counter() - started)
            time.sleep(0.02)


def in_process(db_file: Path, sheet: Path) -> dict[str, float]:
    factory = db.open_database(f"sqlite:///{db_file}")
    stamp = Stamp(on=date.today(), actor="bench")
    figures: dict[str, float] = {}
    other = OtherWriter(db_file)
    other.start()
    try:
        started = time.perf_counter()
        found = imports.read_rows(sheet)
        figures["read"] = time.perf_counter() - started
        started = time.perf_counter()
        with db.read_session(factory) as session:
            plan = imports.check(session, "grants", found, on=stamp.on, day_first=True)
        figures["check (no lock)"] = time.perf_counter() - started
        started = time.perf_counter()
        with db.unit_of_work(factory) as session:  # BEGIN IMMEDIATE ... COMMIT
            imports.apply(session, stamp, plan)
        figures["write (lock held)"] = time.perf_counter() - started
    finally:
        other.stop.set()
        other.join()
    figures["other writer's longest wait"] = other.longest
    with db.read_session(factory) as session:
        summary = positions.current(session)
    with db.unit_of_work(factory) as session:  # the summary kept in step = rebuilt from scratch
        positions.rebuild(session)
    with db.read_session(factory) as session:
        assert positions.current(session) == summary, "the positions summary drifted"
    db.reset_engine(factory)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--db", type=Path, help="a generated database (default: generate one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_file = folder / "bench.db"
        if args.db is None:
            counts = generate(db_file)
            print("portfolio: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        else:  # a copy: the benchmark writes
            shutil.copy(args.db, db_file)
        sheet = folder / "grants.csv"
        write_sheet(db_file, sheet, args.rows, "a")
        print(f"{args.rows:,} grant rows (half without a reference, dates day first)")
        for label, seconds in in_process(db_file, sheet).items():
            print(f"  {label:30} {seconds:6.2f} s")
        write_sheet(db_file, sheet, args.rows, "b")
        env = {**os.environ, "PORTFOLIO_USER": "bench"}
        command = [sys.executable, "-m", "portfolio.cli", "--db", str(db_file), "import",
                   "grants", str(sheet), "--day-first", "--allow-duplicates"]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        took = time.perf_counter() - started
        result = done.stdout.strip() or done.stderr.strip()[:200]
        print(f"  {'portfolio import grants':30} {took:6.2f} s  ({result})")
        partners = folder / "partners.csv"
        names = "".join(f"Bench Partner {n},Leeds\n" for n in range(args.rows))
        partners.write_text("name,place\n" + names, encoding="utf-8")
        command = [sys.executable, "-m", "portfolio.cli", "--db", str(db_file), "import",
                   "partners", str(partners)]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        took = time.perf_counter() - started
        result = done.stdout.strip() or done.stderr.strip()[:200]
        print(f"  {'portfolio import partners':30} {took:6.2f} s  ({result})")


if __name__ == "__main__":
    main()
