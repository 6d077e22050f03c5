"""Start-up and navigation times of the terminal app, beside the floor of our stack.

    python bench/tui_start.py [--runs 5] [--scale 10] [--db existing.db]

1. Start-up: process start to the overview showing its data (`portfolio --db X`
   with PORTFOLIO_BENCH_EXIT=1: headless; it notes the wall-clock moment the
   overview has its rows, then exits), beside a bare Textual app that imports
   sqlmodel and shows one label, timed the same way; the ratio, each one's peak
   memory, and when each process had exited (interpreter teardown included).
2. In the app (headless, a fresh process per run): opening the workstream with
   the most partnerships, paging it, opening a partner, the decisions and the
   learning screens, and going back to the overview, each timed from the key to
   its data on screen; then single keys on screens already shown (a cursor moved
   and its detail read, a form opened and cancelled). Targets: a first visit
   under 100 ms, any other key under 50 ms, and at 10x no more than 1.5 times that.

Data: `bench/generate.py` at 1x and at ``--scale`` times that (kept in bench/.data,
as bench/scale.py keeps them); with ``--scale 0`` only 1x; with ``--db`` that file.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent
PORTFOLIO = Path(sys.executable).parent / "portfolio"

FLOOR = """
import sys
import time

import sqlmodel  # noqa: F401  (the floor includes our ORM's import cost)
from textual.app import App
from textual.widgets import Label

class Floor(App[None]):
    def compose(self):
        yield Label("portfolio")

    def on_mount(self) -> None:
        self.call_after_refresh(self.ready)

    def ready(self) -> None:
        self.ready_at = time.time()
        self.exit()

floor = Floor()
floor.run(headless=True)
print(f"ready {floor.ready_at}", file=sys.stderr)
"""


def make_data(folder: Path) -> tuple[Path, str]:
    out = folder / "bench.db"
    generator = HERE / "generate.py"
    if generator.exists():
        subprocess.run([sys.executable, str(generator), "--out", str(out)], check=True)
        return out, "bench/generate.py at default size"
    return out, local_portfolio(out)


def local_portfolio(out: Path, partners: int = 600, workstreams: int = 6) -> str:
    """A few hundred partners through the services (used until bench/generate.py lands)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from portfolio import db
    from portfolio.services.grants import add_grant
    from portfolio.services.history import Stamp
    from portfolio.services.partners import add_partner
    from portfolio.services.partnerships import end, review, start
    from portfolio.services.people import add_person
    from portfolio.services.workstreams import add_workstream

    factory = db.open_database(f"sqlite:///{out}")
    day0 = date(2019, 1, 7)
    with db.unit_of_work(factory) as s:
        add_person(s, name="Lead")
        for w in range(workstreams):
            add_workstream(s, Stamp(day0, "bench"), name=f"Workstream {w}", lead="Lead")
        for i in range(partners):
            # Workstream 0 holds half the partners: the one the navigation figures open.
            ws = f"Workstream {0 if i % 2 == 0 else i % workstreams}"
            name = f"Partner {i:05d}"
            on = Stamp(day0 + timedelta(days=i % 300), "bench")
            add_partner(s, name=name)
            start(s, on, partner=name, workstream=ws, lead="Lead")
            add_grant(s, on, partner=name, workstream=ws, amount=Decimal(10_000 + i))
            if i % 7 == 0:
                review(s, on, partner=name, workstream=ws, lead="Lead", reason="bench")
            elif i % 11 == 0:
                end(s, on, partner=name, workstream=ws, by=on.on + timedelta(days=90), reason="b")
    db.reset_engine(factory)
    return f"local: {partners} partners in {workstreams} workstreams (bench/generate.py absent)"


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from spawn to ready (as the child reports it) and to exit, and the
    child's peak memory in MB."""
    begun = time.time()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()  # until the child closes it, at exit
    _, status, usage = os.wait4(proc.pid, 0)
    ended = time.time()
    if os.waitstatus_to_exitcode(status) != 0 or "ready " not in err:
        raise SystemExit(f"{argv[0]} failed: {err}")
    ready = float(err.rsplit("ready ", 1)[1].split()[0])
    return ready - begun, ended - begun, usage.ru_maxrss / 1024  # ru_maxrss: KB on Linux


def startup(db_file: Path, runs: int) -> None:
    # Our modules as bytecode, as an installed wheel has them and Textual's already are
    # (with PYTHONDONTWRITEBYTECODE set, as on this machine, nothing else writes them).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "portfolio")],
                   check=True)  # fmt: skip
    env = {**os.environ, "PORTFOLIO_BENCH_EXIT": "1", "PORTFOLIO_CONFIG": "/nonexistent"}
    app_argv = [str(PORTFOLIO), "--db", str(db_file)]
    floor_argv = [sys.executable, "-c", FLOOR]
    timed_run(app_argv, env)  # warm the OS file cache and .pyc files for both
    timed_run(floor_argv, env)
    app, floor = [], []
    for _ in range(runs):  # interleaved, so drift affects both alike
        app.append(timed_run(app_argv, env))
        floor.append(timed_run(floor_argv, env))
    app_s, app_end = (statistics.median(r[i] for r in app) for i in (0, 1))
    floor_s, floor_end = (statistics.median(r[i] for r in floor) for i in (0, 1))
    app_mb, floor_mb = max(r[2] for r in app), max(r[2] for r in floor)
    print(f"start-up to overview ready    {app_s * 1000:7.0f} ms   peak {app_mb:5.0f} MB"
          f"   (process exit at {app_end * 1000:.0f} ms)")  # fmt: skip
    print(f"floor (Textual + sqlmodel)    {floor_s * 1000:7.0f} ms   peak {floor_mb:5.0f} MB"
          f"   (process exit at {floor_end * 1000:.0f} ms)")  # fmt: skip
    print(f"ratio                         {app_s / floor_s:7.2f}     (target <= 2.0)")


async def _until(condition: Callable[[], bool]) -> None:
    begun = time.perf_counter()
    while not condition():
        await asyncio.sleep(0.0005)
        if time.perf_counter() - begun > 30:
            raise TimeoutError("the screen did not show its data")


async def one_session(app: Any, biggest: str, times: dict[str, list[float]]) -> None:
    """Start the app, wait on the overview, then visit screens twice each, timing each step."""
    from portfolio.tui.screens.base import BaseScreen

    def shown(kind: str) -> Callable[[], bool]:
        """The current screen is of that kind and shows data it read since the step began."""
        screen = app.screen
        before = screen.data if isinstance(screen, BaseScreen) else None  # type: ignore[attr-defined]

        def check() -> bool:
            now = app.screen
            data = getattr(now, "data", None)
            return (
                type(now).__name__ == kind
                and data is not None
                and (now is not screen or data is not before)
            )

        return check

    async def step(what: str, kind: str, act: Callable[[], Any], fresh: bool = True) -> None:
        """Run what a key is bound to; time it until the screen shows its data."""
        done = shown(kind) if fresh else (lambda: type(app.screen).__name__ == kind)
        begun = time.perf_counter()
        act()
        await _until(done)
        painted = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: painted.done() or painted.set_result(None))
        await painted  # the data drawn, not only received
        times.setdefault(what, []).append(time.perf_counter() - begun)

    async with app.run_test(size=(120, 40)):
        await _until(lambda: getattr(app.screen, "data", None) is not None)
        # A person looks at the overview before pressing a key; the app uses that
        # moment to load the other screens' code and run their reads once.
        await asyncio.sleep(1.0)
        for run in range(2):
            # The first visit composes a screen; the second finds it kept and current.
            visit = "first visit" if run == 0 else "again"
            await step(f"open the biggest workstream ({visit})", "WorkstreamScreen",
                       lambda: app.open_workstream(biggest), fresh=run == 0)  # fmt: skip
            ws: Any = app.screen
            await step("its next page", "WorkstreamScreen", lambda: ws.action_page(1))  # noqa: B023
            await step("its previous page", "WorkstreamScreen", lambda: ws.action_page(-1))  # noqa: B023
            partner = ws.data.page.lines[run].partner
            await step("open a partner (first visit)", "PartnerScreen",
                       lambda: app.open_partner(partner))  # noqa: B023  # fmt: skip
            await step("back to the overview", "OverviewScreen", app.action_overview, fresh=False)
            for kind, go in (("DecisionsScreen", app.action_decisions),
                             ("LearningScreen", app.action_learning)):  # fmt: skip
                name = kind.removesuffix("Screen").lower()
                await step(f"open {name} ({visit})", kind, go, fresh=run == 0)
                await step("back to the overview", "OverviewScreen", app.action_overview,
                           fresh=False)  # fmt: skip


async def keys_session(app: Any, biggest: str, times: dict[str, list[float]]) -> None:
    """Single keys on screens already shown: each timed from the key to its result drawn
    (a cursor moved and its detail read, a form open, a form closed)."""
    from textual import events
    from textual.widgets import DataTable

    async def key(what: str, name: str, done: Callable[[], bool]) -> None:
        driver = app._driver
        begun = time.perf_counter()
        event = events.Key(name, name if len(name) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)
        await _until(done)
        painted = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: painted.done() or painted.set_result(None))
        await painted
        times.setdefault(what, []).append(time.perf_counter() - begun)

    def cursor_moved(table: DataTable[Any]) -> Callable[[], bool]:
        before = table.cursor_row
        return lambda: table.cursor_row != before

    def screen_is(kind: str) -> Callable[[], bool]:
        return lambda: type(app.screen).__name__ == kind

    async def shown(kind: str) -> None:
        await _until(lambda: screen_is(kind)() and getattr(app.screen, "data", None) is not None)
        await asyncio.sleep(0.3)  # a person reads before the next key

    async with app.run_test(size=(120, 40)):
        await shown("OverviewScreen")
        await asyncio.sleep(0.7)
        table = app.screen.query_one("#workstreams", DataTable)
        await key("overview: down (next workstream)", "down", cursor_moved(table))
        app.open_workstream(biggest)
        await shown("WorkstreamScreen")
        table = app.screen.query_one("#partnerships", DataTable)
        table.focus()
        await key("workstream: down (next partner)", "down", cursor_moved(table))
        await key("workstream: s (open the start form)", "s", screen_is("FormScreen"))
        await asyncio.sleep(0.3)
        await key("form: escape (cancel)", "escape", screen_is("WorkstreamScreen"))
        app.action_decisions()
        await shown("DecisionsScreen")
        screen: Any = app.screen
        table = screen.query_one("#decisions", DataTable)
        table.focus()
        before = screen.detail
        await key("decisions: down (next, its detail)", "down",
                  lambda: screen.detail is not before and screen.detail is not None)  # fmt: skip
        app.action_learning()
        await shown("LearningScreen")
        table = app.screen.query(DataTable).first()
        table.focus()
        await key("learning: down (next insight)", "down", cursor_moved(table))


def biggest_workstream(db_file: Path) -> tuple[str, int, str]:
    """The workstream with the most partnerships, its size, and the biggest open one
    (where a partnership can be started: the keys are timed there)."""
    from portfolio import db
    from portfolio.services.workstreams import list_workstreams

    factory = db.open_database(f"sqlite:///{db_file}")
    with db.read_session(factory) as s:
        rows = list_workstreams(s)
    db.reset_engine(factory)
    biggest = max(rows, key=lambda r: sum(r.counts.values()))
    biggest_open = max(
        (r for r in rows if r.status == "open"), key=lambda r: sum(r.counts.values())
    )
    return biggest.name, sum(biggest.counts.values()), biggest_open.name


async def in_the_app(db_file: Path, biggest: str, biggest_open: str) -> dict[str, list[float]]:
    """One fresh app (and engine) for the visits, another for the keys."""
    from portfolio import db
    from portfolio.tui.app import create_app

    times: dict[str, list[float]] = {}
    for session, workstream in ((one_session, biggest), (keys_session, biggest_open)):
        factory = db.open_database(f"sqlite:///{db_file}")
        await session(create_app(factory), workstream, times)
        db.reset_engine(factory)
    return times


def child_times(db_file: Path, biggest: str, biggest_open: str) -> dict[str, list[float]]:
    """The in-app steps in a process of their own, as a person's app has it."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "times.json"
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(db_file), biggest, biggest_open, str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
        )  # fmt: skip
        if child.returncode != 0:
            raise SystemExit(f"the app's run on {db_file.name} failed:\n"
                             f"{child.stderr.decode()[-3000:]}")  # fmt: skip
        return json.loads(out.read_text())  # type: ignore[no-any-return]


def target(step: str) -> float:
    """Seconds: a screen's first visit under 100 ms, any other key under 50 ms."""
    return 0.100 if "first visit" in step else 0.050


def navigation(files: dict[str, Path], runs: int) -> None:
    """Every step at each scale, runs interleaved so a busy moment hits all alike."""
    found = {scale: biggest_workstream(path) for scale, path in files.items()}
    times: dict[str, dict[str, list[float]]] = {scale: {} for scale in files}
    for _ in range(runs):
        for scale, path in files.items():
            biggest, _, biggest_open = found[scale]
            for step, seconds in child_times(path, biggest, biggest_open).items():
                times[scale].setdefault(step, []).extend(seconds)
    sizes = ", ".join(f"{n:,} partnerships at {scale}" for scale, (_, n, _) in found.items())
    print(f"\nin the app: medians of {runs} fresh processes; the biggest workstream "
          f"holds {sizes}; the first key 1 s after the overview shows")  # fmt: skip
    scales = list(files)
    head = "".join(f"{scale:>10}" for scale in scales)
    growth = f"{scales[-1]}/{scales[0]}" if len(scales) > 1 else ""
    print(f"  {'':<42}{head}{growth:>9}  target")
    for step in times[scales[0]]:
        medians = [statistics.median(times[scale][step]) for scale in scales]
        ms = "".join(f"{m * 1000:8.1f}ms" for m in medians)
        limit = target(step)
        ratio = medians[-1] / medians[0] if len(scales) > 1 else 0.0
        wanted = f"< {limit * 1000:.0f} ms" + (f", {growth} <= 1.5" if growth else "")
        above = medians[0] > limit or (growth and medians[-1] > 1.5 * limit)
        mark = "  ABOVE TARGET" if above else ""
        shown = f"{ratio:9.2f}" if growth else ""
        print(f"  {step:<42}{ms}{shown}  {wanted}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing portfolio file (default: generate)")
    parser.add_argument("--scale", type=float, default=10,
                        help="also time the app on generated data this many times bigger "
                        "(kept in bench/.data; 0: only the default size)")  # fmt: skip
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db_file, biggest, biggest_open, out = args.child
        times = asyncio.run(in_the_app(Path(db_file), biggest, biggest_open))
        Path(out).write_text(json.dumps(times))
        return
    with tempfile.TemporaryDirectory() as folder:
        files: dict[str, Path]
        if args.db:
            files, source = {"given": args.db}, f"given: {args.db}"
        elif args.scale and (HERE / "generate.py").exists():
            from bench.scale import dataset

            files = {"1x": dataset(1), f"{args.scale:g}x": dataset(args.scale)}
            source = f"bench/generate.py at 1x and {args.scale:g}x (kept in bench/.data)"
        else:
            db_file, source = make_data(Path(folder))
            files = {"1x": db_file}
        print(f"data: {source}")
        startup(next(iter(files.values())), args.runs)
        navigation(files, args.runs)


if __name__ == "__main__":
    main()
