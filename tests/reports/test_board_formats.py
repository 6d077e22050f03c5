"""Every format of the board update: nothing internal, names literal, real structure."""

import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest
from markdown_it import MarkdownIt
from report_story import PERIOD, board
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.models import Insight, Partner, RecordLink, ReflectiveSession, Workstream
from portfolio.reports import board as formats
from portfolio.reports.board_model import AREA, HAPPENING, LEARNING, NEXT

MARKER = "SECRET-MARKER-7f3a"
NASTY = "<script>alert(1)</script> *bold* | pipe _under_ [link](x) &amp;"


def docx_text(data: bytes) -> str:
    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def all_formats(factory: sessionmaker[Session]) -> dict[str, str]:
    update = board(factory, *PERIOD)
    out = {}
    for fmt in formats.FORMATS:
        data = formats.render(update, fmt, width=400)
        out[fmt] = docx_text(data) if isinstance(data, bytes) else data
    return out


def _add_internal_records(factory: sessionmaker[Session]) -> None:
    with db.unit_of_work(factory) as session:
        national = session.exec(select(Workstream).where(Workstream.name == "National")).one()
        meam = session.exec(select(Partner).where(Partner.name == "MEAM")).one()
        meam.notes = f"Partner notes {MARKER}"
        reflective = ReflectiveSession(title="Where should the theme live?",
                                       held_on=date(2021, 2, 10), dilemma=f"Dilemma {MARKER}",
                                       notes=f"Session notes {MARKER}")  # fmt: skip
        internal = Insight(text=f"Internal insight {MARKER}", noted_on=date(2021, 2, 10))
        shared = Insight(text="We should keep messy spaces", noted_on=date(2021, 2, 10),
                         visibility="public")  # fmt: skip
        session.add_all([meam, reflective, internal, shared])
        session.flush()
        internal.session_id = shared.session_id = reflective.id
        for insight in (internal, shared):
            session.add(RecordLink(owner_type="insight", owner_id=insight.id,
                                   target_type="workstream", target_id=national.id))  # fmt: skip


def test_no_internal_text_appears_in_any_format(story_factory: sessionmaker[Session]) -> None:
    _add_internal_records(story_factory)
    for fmt, text in all_formats(story_factory).items():
        assert MARKER not in text, fmt
        assert "We should keep messy spaces" in text, fmt  # the shared insight does appear


def _rename_with_metacharacters(factory: sessionmaker[Session]) -> None:
    with db.unit_of_work(factory) as session:
        meam = session.exec(select(Partner).where(Partner.name == "MEAM")).one()
        place = session.exec(select(Workstream).where(Workstream.name == "Place")).one()
        meam.name = f"MEAM {NASTY}"
        place.name = f"Place {NASTY}"
        session.add_all([meam, place])


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


def test_names_with_metacharacters_render_literally_and_harmlessly(
    story_factory: sessionmaker[Session],
) -> None:
    _rename_with_metacharacters(story_factory)
    out = all_formats(story_factory)
    # Markdown: rendered to HTML, the name is text, never a tag, emphasis or link.
    md_html = MarkdownIt("commonmark").enable("table").render(out["md"])
    page = parse_html(md_html)
    assert not {"script", "em", "strong", "a"} & set(page.tags)
    assert f"MEAM {NASTY}" in "".join(page.text)
    rows = [line for line in out["md"].splitlines() if line.startswith("| MEAM")]
    assert rows and all(line.count(" | ") == 6 for line in rows)  # the pipe split no cell
    html = parse_html(out["html"])
    assert "script" not in html.tags
    assert f"Place {NASTY}" in html.text
    assert f"MEAM {NASTY}" in out["docx"] and f"Place {NASTY}" in out["docx"]
    assert f"MEAM {NASTY}" in out["term"]


def test_rich_markup_in_a_name_is_printed_as_written(story_factory: sessionmaker[Session]) -> None:
    with db.unit_of_work(story_factory) as session:
        agenda = session.exec(select(Partner).where(Partner.name == "Agenda")).one()
        agenda.name = "[bold red]Agenda[/bold red] [link=x]y[/link]"
        session.add(agenda)
    text = all_formats(story_factory)["term"]
    assert "[bold red]Agenda[/bold red] [link=x]y[/link]" in text


def test_the_word_document_has_headings_tables_and_the_chart(
    story_cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "board.docx"
    story_cli.ok("report", "board", "--from", PERIOD[0], "--to", PERIOD[1], "--format", "docx",
                 "-o", str(target))  # fmt: skip
    document = docx.Document(str(target))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style is not None]
    workstreams = [t for s, t in headings if s == "Heading 1"]
    assert workstreams == [
        "Portfolio summary", "How", "National", "Place", "Who", "Across the portfolio"
    ]  # fmt: skip
    questions = [t for s, t in headings if s == "Heading 2"]
    for heading in (AREA, HAPPENING, LEARNING):
        assert questions.count(heading) == 4
    assert questions.count(NEXT) == 5  # the unhomed theme is portfolio-wide too
    assert ("Title", "Board update: 2021-01-01 to 2021-03-31") in headings
    assert len(document.tables) >= 3
    assert document.tables[0].rows[0].cells[0].text == "Workstream"
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width > 0


def test_the_html_page_is_self_contained_and_shaped_for_a4(story_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "board.html"
    story_cli.ok("report", "board", "--from", PERIOD[0], "--to", PERIOD[1], "--format", "html",
                 "-o", str(target))  # fmt: skip
    text = target.read_text(encoding="utf-8")
    page = parse_html(text)
    assert page.tags.count("h1") == 1 and page.tags.count("h3") >= 16
    assert "svg" in page.tags and "table" in page.tags
    assert not {"script", "link", "img", "iframe"} & set(page.tags)  # nothing fetched
    assert "@page { size: A4" in text
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed: no screenshot of the HTML board update")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1240,1754", target.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_binary_formats_need_an_output_file_and_failures_leave_no_file(
    story_cli: Any, tmp_path: Path
) -> None:
    code, out, err = story_cli("report", "board", "--from", PERIOD[0], "--to", PERIOD[1],
                               "--format", "docx")  # fmt: skip
    assert code == 2 and out == "" and "give -o PATH" in err
    missing = tmp_path / "no-such-folder" / "board.md"
    code, _, err = story_cli("report", "board", "--from", PERIOD[0], "--to", PERIOD[1],
                             "-o", str(missing))  # fmt: skip
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    code, _, _ = story_cli("report", "board", "--from", PERIOD[0], "--to", PERIOD[1],
                           "-w", "Nowhere", "-o", str(tmp_path / "board.md"))  # fmt: skip
    assert (
        code == 1
        and list(tmp_path.iterdir()) == [tmp_path / "portfolio.db"]
        or all(not p.name.startswith(".board") for p in tmp_path.iterdir())
    )
    assert not (tmp_path / "board.md").exists()


def test_the_terminal_format_prints_to_stdout(story_cli: Any) -> None:
    out = story_cli.ok("report", "board", "--from", PERIOD[0], "--to", PERIOD[1],
                       "--format", "term", "-w", "National")  # fmt: skip
    assert "What next?" in out and "Birmingham Pathfinder" in out and "Leadership Centre" not in out
