"""How the main screens look on the demo scenario, at 80x24 and 120x40.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
the SVGs before committing them.
"""

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.tui_support import make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_overview_looks_right(scenario_factory, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(scenario_factory), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_workstream_screen_looks_right(scenario_factory, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def open_national(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_workstream("National")  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(make_app(scenario_factory), terminal_size=size, run_before=open_national)


@pytest.mark.parametrize("size", SIZES)
def test_partner_screen_looks_right(scenario_factory, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def open_meam(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_partner("MEAM")  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(make_app(scenario_factory), terminal_size=size, run_before=open_meam)
