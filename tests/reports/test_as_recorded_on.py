"""`report board --as-recorded-on`: a past board paper printed again, byte for byte."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from report_story import PERIOD

BOARD = ("report", "board", "--from", PERIOD[0], "--to", PERIOD[1])
# Bytes of these formats depend only on the records (a Word file's zip carries the time).
STABLE_FORMATS = ("md", "html")


def write_papers(cli: Any, folder: Path, *extra: str) -> dict[str, bytes]:
    folder.mkdir()
    for fmt in STABLE_FORMATS:
        cli.ok(*BOARD, "--format", fmt, "-o", str(folder / f"board.{fmt}"), *extra)
    return {fmt: (folder / f"board.{fmt}").read_bytes() for fmt in STABLE_FORMATS}


def a_second_later() -> str:
    """A cutoff just after everything recorded so far, and wait until it has passed."""
    now = datetime.now(UTC)
    cutoff = (now + timedelta(seconds=1)).replace(microsecond=0)
    time.sleep((cutoff - now).total_seconds() + 0.05)
    return cutoff.strftime("%Y-%m-%dT%H:%M:%S")


def record_back_dated_changes(cli: Any) -> None:
    """Records made after the paper went to the board, dated inside its period."""
    cli.ok("grant", "add", "Corra Foundation", "-w", "Place", "--amount", "12345",
           "--awarded", "2021-03-01", "--title", "Back-dated grant")  # fmt: skip
    cli.ok("insight", "add", "A back-dated insight", "--on", "2021-03-10",
           "--visibility", "board", "--workstream", "Place")  # fmt: skip
    cli.ok("decision", "add", "A back-dated decision", "--decision", "Keep going",
           "--on", "2021-03-05", "--workstream", "Place", "--status", "agreed")  # fmt: skip
    cli.ok("partnership", "review", "Localmotion", "-w", "Place", "--lead", "Jess",
           "--reason", "A back-dated review", "--on", "2021-03-20")  # fmt: skip
    cli.ok("action", "done", "2", "--on", "2021-03-20")
    cli.ok("checklist", "remove", "learning")
    cli.ok("partnership", "tick", "Agenda", "-w", "National", "notice", "--on", "2021-03-01")
    cli.ok("partnership", "end", "Corra Foundation", "-w", "Place", "--by", "2021-12-31",
           "--reason", "A back-dated ending", "--on", "2021-03-25")  # fmt: skip


def test_the_paper_as_recorded_then_is_reproduced_byte_for_byte_after_back_dated_records(
    story_cli: Any, tmp_path: Path
) -> None:
    first = write_papers(story_cli, tmp_path / "april")
    cutoff = a_second_later()
    record_back_dated_changes(story_cli)

    now = write_papers(story_cli, tmp_path / "now")
    again = write_papers(story_cli, tmp_path / "again", "--as-recorded-on", cutoff)

    assert again == first
    text = now["md"].decode()
    assert now["md"] != first["md"] and now["html"] != first["html"]
    for change in (
        "Back-dated grant",
        "A back-dated insight",
        "A back-dated decision",
        "A back-dated review",
        "A back-dated ending",
    ):
        assert change in text and change not in first["md"].decode()
    assert "Keep meeting over 2021" in first["md"].decode()  # open then, done since
    assert "Keep meeting over 2021" not in text


def test_removing_a_step_leaves_endings_already_begun_as_they_were(
    story_cli: Any, tmp_path: Path
) -> None:
    before = story_cli.ok(*BOARD)
    story_cli.ok("checklist", "remove", "learning")
    story_cli.ok("partnership", "end", "Corra Foundation", "-w", "Place", "--by", "2021-12-31",
                 "--reason", "Ending after the step went", "--on", "2021-03-25")  # fmt: skip
    after = story_cli.ok(*BOARD)

    # MEAM's and Agenda's endings began with eight steps and keep them all.
    assert before.count("1 of 8") == after.count("1 of 8") == 1
    assert before.count("0 of 8") == after.count("0 of 8") == 1
    assert "0 of 7" in after  # the new ending has the list as it now stands
    assert "learning" not in story_cli.ok("checklist", "list")
    assert "learning" in story_cli.ok("partner", "show", "MEAM")  # still on its checklist
    assert "learning" not in story_cli.ok("partner", "show", "Corra Foundation")


def test_a_day_means_up_to_its_end_and_the_moment_must_parse(story_cli: Any) -> None:
    today = datetime.now(UTC).date().isoformat()
    assert story_cli.ok(*BOARD, "--as-recorded-on", today) == story_cli.ok(*BOARD)
    # Everything here was recorded long after 2021 (when the test ran).
    empty = story_cli.ok(*BOARD, "--as-recorded-on", "2021-01-01")
    assert "As at 2021-03-31: no current partnerships." in empty
    assert "## National" not in empty and "Close the National portfolio team" not in empty
    code, _out, err = story_cli(*BOARD, "--as-recorded-on", "last April")
    assert code == 2 and "YYYY-MM-DD" in err and len(err.strip().splitlines()) == 1


def test_the_360giving_file_as_recorded_then_leaves_out_grants_recorded_later(
    story_cli: Any,
) -> None:
    funder = ("--funder-id", "GB-CHC-1094973", "--funder-name", "Lankelly Chase",
              "--prefix", "360G-lankelly")  # fmt: skip
    first = story_cli.ok("export", "360giving", *funder)
    cutoff = a_second_later()
    record_back_dated_changes(story_cli)

    assert "Back-dated grant" in story_cli.ok("export", "360giving", *funder)
    assert story_cli.ok("export", "360giving", *funder, "--as-recorded-on", cutoff) == first
