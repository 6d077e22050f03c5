"""Does the cost of the app and the CLI's lists grow with the portfolio? 1x beside 10x.

    python bench/scale.py [--runs 5] [--scale 10]

Data: `bench/generate.py` at its default size (5,000 partners, 20,000 partnerships,
50,000 grants, 200,000 events) and at ``--scale`` times that, generated once and
kept in bench/.data/ (named by scale and a hash of the generator and the
migrations, so a change to either makes them afresh).

Every figure is the median of ``--runs`` whole processes, 1x and 10x runs
interleaved in one run so that a busy moment on the machine hits both alike:

1. Start-up to the overview showing its data (`portfolio --db X` with
   PORTFOLIO_BENCH_EXIT=1, as bench/tui_start.py times it) at 1x and 10x, and
   the ratio (target at most 1.5); beside the floor of the stack (a bare Textual
   app importing sqlmodel), and the 1x/floor ratio (target at most 2.0).
2. The app's screens, in one headless process per run (bench/tui_start.py's
   steps: each timed from its key to its data drawn, the first key a second
   after the overview shows): the biggest workstream's first page and the next,
   a partner, decisions, learning, each on its first visit, and a partner's name
   typed into the command palette; each one's 10x/1x ratio (target at most 1.5).
3. The CLI's lists a person filters or reads, each a whole process, 10x/1x. A
   list that prints every matching row prints ten times the rows at 10x: it is
   marked so, with how its time per line printed changed beside.
"""

import argparse
import asyncio
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.tui_start import FLOOR, PORTFOLIO, timed_run

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
TARGET_GROWTH, TARGET_FLOOR = 1.5, 2.0


def data_key() -> str:
    """A hash of what the generated files depend on: the generator and the schema."""
    digest = hashlib.sha256((HERE / "generate.py").read_bytes())
    for migration in sorted((HERE.parent / "portfolio/migrations/versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:12]


def dataset(scale: float) -> Path:
    """The generated portfolio at ``scale``, made now unless kept from an earlier run."""
    DATA.mkdir(exist_ok=True)
    name = f"scale-{scale:g}"
    path = DATA / f"{name}-{data_key()}.db"
    if not path.exists():
        for old in DATA.glob(f"{name}-*.db*"):  # made by an older generator or schema
            old.unlink()
        print(f"generating {path.name} ...", flush=True)
        partial = path.with_suffix(".partial")
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--scale", f"{scale:g}", "--out",
             str(partial)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        partial.rename(path)  # only a whole file is ever kept
    return path


def describe(path: Path) -> dict[str, int | str]:
    """Sizes of a generated file, and the workstream with the most partnerships."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sizes: dict[str, int | str] = {
        f"{table}s": conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in ("partner", "partnership", "grant", "event")
    }
    sizes["biggest"], sizes["biggest_size"] = conn.execute(
        "SELECT w.name, count(*) FROM partnership p JOIN workstream w ON w.id = p.workstream_id "
        "GROUP BY w.id ORDER BY count(*) DESC, w.name LIMIT 1"
    ).fetchone()
    sizes["partner"] = conn.execute(
        "SELECT pa.name FROM partnership p JOIN partner pa ON pa.id = p.partner_id "
        "JOIN workstream w ON w.id = p.workstream_id WHERE w.name = ? ORDER BY pa.name LIMIT 1",
        (sizes["biggest"],),
    ).fetchone()[0]
    conn.close()
    return sizes


def ratio_line(label: str, small: float, big: float, target: float, note: str = "") -> str:
    ratio = big / small
    mark = "" if ratio <= target else "  ABOVE TARGET"
    return f"  {label:<44}{small * 1000:8.0f} ms{big * 1000:8.0f} ms{ratio:8.2f}{mark}{note}"


def startup(files: dict[str, Path], runs: int) -> None:
    env = {**os.environ, "PORTFOLIO_BENCH_EXIT": "1", "PORTFOLIO_CONFIG": "/nonexistent"}
    argv = {scale: [str(PORTFOLIO), "--db", str(path)] for scale, path in files.items()}
    argv["floor"] = [sys.executable, "-c", FLOOR]
    for args in argv.values():
        timed_run(args, env)  # warm the OS file cache and .pyc files
    times: dict[str, list[float]] = {key: [] for key in argv}
    for _ in range(runs):
        for key, args in argv.items():
            times[key].append(timed_run(args, env)[0])
    small, big, floor = (statistics.median(times[k]) for k in ("1x", "big", "floor"))
    print(f"\nstart-up to the overview showing its data (medians of {runs} processes)")
    print(f"  {'':<44}{'1x':>11}{'10x':>11}{'10x/1x':>8}  (target <= {TARGET_GROWTH})")
    print(ratio_line("portfolio", small, big, TARGET_GROWTH))
    print(f"  {'floor (bare Textual app + sqlmodel)':<44}{floor * 1000:8.0f} ms")
    mark = "" if small / floor <= TARGET_FLOOR else "  ABOVE TARGET"
    print(f"  {'1x / floor':<44}{small / floor:11.2f}  (target <= {TARGET_FLOOR}){mark}")


def screens_child(db_file: Path, biggest: str, out: Path) -> None:
    """In a child process: one app session, its steps' times written to ``out``."""
    from bench.tui_start import one_session
    from portfolio import db
    from portfolio.tui.app import create_app

    times: dict[str, list[float]] = {}
    factory = db.open_database(f"sqlite:///{db_file}")
    asyncio.run(one_session(create_app(factory), biggest, times))
    asyncio.run(palette(create_app(factory), times))
    out.write_text(json.dumps(times))


async def palette(app: Any, times: dict[str, list[float]]) -> None:
    """Type a partner's name into the command palette, until its hit shows."""
    from textual.command import CommandList

    from bench.tui_start import _until

    def hit() -> bool:
        lists = app.screen.query(CommandList)
        return bool(lists) and any(WANTED in str(o.prompt) for o in lists.first().options)

    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: getattr(app.screen, "data", None) is not None)
        await asyncio.sleep(1.0)
        app.action_command_palette()
        await pilot.pause()
        begun = time.perf_counter()
        await pilot.press(*TYPED)
        await _until(hit)
        times.setdefault(f"palette: type '{TYPED}'", []).append(time.perf_counter() - begun)


TYPED, WANTED = "partner 00120", "Partner: Partner 00120"  # at every scale


def screens(files: dict[str, Path], sizes: dict[str, dict[str, int | str]], runs: int) -> None:
    times: dict[str, dict[str, list[float]]] = {scale: {} for scale in files}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "times.json"
        for _ in range(runs):
            for scale, path in files.items():
                child = subprocess.run(
                    [sys.executable, __file__, "--screens-child", str(path),
                     str(sizes[scale]["biggest"]), str(out)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
                )  # fmt: skip
                if child.returncode != 0:
                    raise SystemExit(f"the app's run on {path.name} failed:\n"
                                     f"{child.stderr.decode()[-3000:]}")  # fmt: skip
                for step, seconds in json.loads(out.read_text()).items():
                    times[scale].setdefault(step, []).extend(seconds)
    print(
        f"\nin the app (medians of {runs} processes; the biggest workstream holds "
        f"{sizes['1x']['biggest_size']:,} partnerships at 1x, "
        f"{sizes['big']['biggest_size']:,} at 10x; 200 to a page)"
    )
    print(f"  {'':<44}{'1x':>11}{'10x':>11}{'10x/1x':>8}  (target <= {TARGET_GROWTH})")
    for step, small in times["1x"].items():
        if "(again)" in step:  # a kept screen shown again reads nothing (see tui_start.py)
            continue
        big = times["big"][step]
        print(ratio_line(step, statistics.median(small), statistics.median(big), TARGET_GROWTH))


# (label, arguments after `portfolio --db X`, most runs); {biggest} and {partner} are
# filled in per file. The whole partner list takes 40 s at 10x: it runs once.
CLI_LISTS: tuple[tuple[str, list[str], int], ...] = (
    ("workstream list", ["workstream", "list"], 99),
    ("partner show P", ["partner", "show", "{partner}"], 99),
    ("partner list -w BIGGEST --state review",
     ["partner", "list", "-w", "{biggest}", "--state", "review"], 99),
    ("decision list", ["decision", "list"], 99),
    ("insight list", ["insight", "list"], 99),
    ("session list", ["session", "list"], 99),
    ("action list --overdue", ["action", "list", "--overdue"], 99),
    ("theme list", ["theme", "list"], 99),
    ("partner list", ["partner", "list"], 1),
)  # fmt: skip


def cli_run(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds for the whole process, and the lines it printed."""
    begun = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    took = time.perf_counter() - begun
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
    return took, done.stdout.count(b"\n")


def cli_lists(files: dict[str, Path], sizes: dict[str, dict[str, int | str]], runs: int) -> None:
    # A wide terminal, so that rows are not wrapped into more lines at either size.
    env = {**os.environ, "PORTFOLIO_CONFIG": "/nonexistent", "COLUMNS": "400"}
    print(f"\nCLI lists (whole processes, medians of {runs})")
    head = f"  {'':<44}{'1x':>11}{'10x':>11}{'10x/1x':>8}"
    print(f"{head}  (target <= {TARGET_GROWTH}; lines printed at 1x -> 10x)")
    for label, args, most in CLI_LISTS:
        argv = {
            scale: [str(PORTFOLIO), "--db", str(path)]
            + [a.format(**{k: str(v) for k, v in sizes[scale].items()}) for a in args]
            for scale, path in files.items()
        }
        if most > 1:
            for scale in files:
                cli_run(argv[scale], env)  # warm up
        times: dict[str, list[float]] = {scale: [] for scale in files}
        lines: dict[str, int] = {}
        for _ in range(min(runs, most)):
            for scale in files:
                took, lines[scale] = cli_run(argv[scale], env)
                times[scale].append(took)
        small, big = statistics.median(times["1x"]), statistics.median(times["big"])
        grows = lines["big"] > TARGET_GROWTH * max(1, lines["1x"])
        note = f"  {lines['1x']:,} -> {lines['big']:,}" + ("" if most >= runs else f" ({most} run)")
        if grows:
            per_row = (big / lines["big"]) / (small / lines["1x"])
            note += f": prints every row, grows with the data by nature (per line {per_row:.2f}x)"
        line = ratio_line(label, small, big, TARGET_GROWTH, note)
        print(line.replace("  ABOVE TARGET", "") if grows else line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=10.0, help="the bigger portfolio's scale")
    parser.add_argument("--only", choices=("startup", "screens", "cli"), help="one part only")
    parser.add_argument("--screens-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.screens_child:
        db_file, biggest, out = args.screens_child
        screens_child(Path(db_file), biggest, Path(out))
        return
    # Our modules as bytecode, as an installed wheel has them (see bench/tui_start.py).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "portfolio")],
                   check=True)  # fmt: skip
    files = {"1x": dataset(1.0), "big": dataset(args.scale)}
    sizes = {scale: describe(path) for scale, path in files.items()}
    for scale, label in (("1x", "1x"), ("big", f"{args.scale:g}x")):
        counts = ", ".join(f"{sizes[scale][k]:,} {k}" for k in
                           ("partners", "partnerships", "grants", "events"))  # fmt: skip
        print(f"data {label:>3}: {counts} (bench/.data/{files[scale].name})")
    if args.only in (None, "startup"):
        startup(files, args.runs)
    if args.only in (None, "screens"):
        screens(files, sizes, args.runs)
    if args.only in (None, "cli"):
        cli_lists(files, sizes, args.runs)


if __name__ == "__main__":
    main()
