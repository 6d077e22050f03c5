"""Time the board update for a year on generated data at default size and at 4x.

Prints the time of the data model and of one renderer at each size, how time
grows from 1x to 4x (target: at most 5x, roughly linear) and the SQL
statements the data model runs (target: the same at both sizes).

    .venv/bin/python bench/report.py [--fraction 0.1] [--format md]

``--fraction`` scales both sizes down for a quick run. Data comes from
``bench.generate.generate(path, partners=..., ...)``; every numeric size it
takes is multiplied by the scale.
"""

import argparse
import inspect
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portfolio import db  # noqa: E402
from portfolio.models import Event  # noqa: E402
from portfolio.reports import board  # noqa: E402
from portfolio.reports.board_data import build_board_update  # noqa: E402


def _generator() -> Any:
    try:
        from bench.generate import generate
    except ImportError:
        sys.exit(
            "bench/report.py needs bench/generate.py (the large-data generator of the core "
            "issue), which is not in this checkout yet."
        )
    return generate


def make_data(path: Path, scale: float) -> dict[str, int]:
    generate = _generator()
    sizes = {
        name: max(1, round(p.default * scale))
        for name, p in inspect.signature(generate).parameters.items()
        if isinstance(p.default, int) and not isinstance(p.default, bool)
    }
    generate(path, **sizes)
    return sizes


def measure(path: Path, fmt: str) -> dict[str, Any]:
    factory = db.open_database(f"sqlite:///{path}")
    engine = factory.kw["bind"]
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    try:
        with db.read_session(factory) as session:
            last = session.exec(sa.select(sa.func.max(Event.occurred_on))).one()[0]  # type: ignore[call-overload]
            date_to = last or date.today()
            date_from = date_to - timedelta(days=364)
            event.listen(engine, "before_cursor_execute", count)
            started = time.perf_counter()
            update = build_board_update(session, date_from=date_from, date_to=date_to)
            built = time.perf_counter()
            event.remove(engine, "before_cursor_execute", count)
        output = board.render(update, fmt)
        rendered = time.perf_counter()
    finally:
        db.reset_engine(factory)
    return {
        "period": f"{date_from} to {date_to}",
        "model": built - started,
        "render": rendered - built,
        "statements": len(statements),
        "size": len(output),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="Scale both sizes down.")
    parser.add_argument("--format", default="md", choices=board.FORMATS)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for factor in (1, 4):
            path = Path(folder) / f"bench-{factor}x.db"
            started = time.perf_counter()
            sizes = make_data(path, args.fraction * factor)
            print(f"{factor}x: generated {sizes} in {time.perf_counter() - started:.1f} s")
            results[factor] = r = measure(path, args.format)
            print(
                f"{factor}x: year {r['period']}: data model {r['model']:.3f} s, "
                f"{args.format} {r['render']:.3f} s ({r['size']:,} characters), "
                f"{r['statements']} SQL statements"
            )
    one, four = results[1], results[4]
    total = (four["model"] + four["render"]) / max(one["model"] + one["render"], 1e-9)
    print(f"time grows {four['model'] / max(one['model'], 1e-9):.2f}x (data model) and "
          f"{total:.2f}x (model + {args.format}) for 4x data; target at most 5x")  # fmt: skip
    same = one["statements"] == four["statements"]
    print(
        f"SQL statements: {one['statements']} at 1x, {four['statements']} at 4x "
        f"({'the same' if same else 'NOT the same'})"
    )


if __name__ == "__main__":
    main()
