"""Money and positions on the command line: one truth in the lists and the board paper."""

import json
import re
from pathlib import Path

import pytest

from tests import positions_story as story
from tests.conftest import Cli


def board_rows(markdown: str) -> dict[str, list[str]]:
    """The summary table of a board update in Markdown, by workstream."""
    found = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 7 and cells[0] not in ("Workstream", "---"):
            found[cells[0]] = cells[1:]
    return found


def listed(cli: Cli) -> dict[str, dict[str, object]]:
    return {w["name"]: w for w in json.loads(cli.ok("workstream", "list", "--json"))}


def test_after_the_demo_decision_the_list_show_and_board_update_agree_on_place(
    cli: Cli,
) -> None:
    cli.ok("demo")
    cli.ok("decision", "enact", "1")
    workstreams = listed(cli)
    # The two transferred partners' GBP 380,000 is still to run: it moved to Place.
    assert workstreams["Place"]["committed"] == "630000.00"
    assert workstreams["National"]["committed"] == "495000.00"
    assert json.loads(cli.ok("workstream", "show", "Place", "--json"))["committed"] == "630000.00"
    board = board_rows(cli.ok("report", "board", "--from", "2021-01-01", "--to", "2021-03-31"))
    assert board["Place"][-1] == "GBP 630,000.00"
    assert board["National"][-1] == "GBP 495,000.00"
    text = cli.ok("workstream", "list")
    assert re.search(r"Place .* £630,000\.00", text)
    assert re.search(r"National .* £495,000\.00", text)


def test_grants_in_two_currencies_are_never_added_together(cli: Cli) -> None:
    cli.ok("workstream", "add", "North", "--on", "2020-01-01")
    cli.ok("partner", "add", "Ada")
    cli.ok("partnership", "start", "Ada", "-w", "North", "--on", "2020-02-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "50", "--currency", "EUR",
           "--awarded", "2020-03-01")  # fmt: skip
    north = listed(cli)["North"]
    assert north["committed"] == "100.00"  # the portfolio's own currency only
    assert north["committed_by_currency"] == {"GBP": "100.00", "EUR": "50.00"}
    assert list(north["committed_by_currency"]) == ["GBP", "EUR"]  # type: ignore[call-overload]
    text = cli.ok("workstream", "list")
    assert "£100.00 · €50.00" in text and "150" not in text
    assert "Committed: £100.00 · €50.00" in cli.ok("workstream", "show", "North")
    board = board_rows(cli.ok("report", "board", "--from", "2020-01-01", "--to", "2020-12-31"))
    assert board["North"][-1] == "EUR 50.00; GBP 100.00"


def test_committed_is_given_in_the_currency_the_config_names(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('currency = "EUR"\n', encoding="utf-8")
    monkeypatch.setenv("PORTFOLIO_CONFIG", str(config))
    story.build(cli.ok)
    south = listed(cli)["South"]
    assert south["committed"] == "50.00"
    assert south["committed_by_currency"] == {"EUR": "50.00", "GBP": "400.00"}
    assert listed(cli)["North"]["committed"] == "0.00"
    assert "€0.00" not in cli.ok("workstream", "list")  # North shows its GBP and USD


def test_a_later_board_update_still_reports_the_closed_workstream_holding_live_work(
    cli: Cli,
) -> None:
    cli.ok("demo")
    cli.ok("decision", "enact", "1")
    paper = cli.ok("report", "board", "--from", "2021-10-01", "--to", "2021-12-31")
    assert board_rows(paper)["National"] == ["0", "3", "2", "0", "0", "GBP 495,000.00"]
    national = paper[paper.index("## National") : paper.index("## Place")]
    assert "Closed on 2021-02-10" in national
    for partner in ("Our Agency", "Leeds GATE", "Birmingham Pathfinder", "MEAM", "Agenda"):
        assert f"| {partner} |" in national
    assert national.count("| 2021-12-31 | 2021-02-10 | 0 of 8 |") == 2
