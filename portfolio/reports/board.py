"""Render a board update in any format: the one entry point the CLI and the app use."""

from io import StringIO

from rich.console import Console

from portfolio.reports import render_html, render_md, render_term
from portfolio.reports.board_model import BoardUpdate

FORMATS = ("md", "html", "docx", "term")
BINARY = frozenset({"docx"})


def render(update: BoardUpdate, fmt: str, *, width: int = 100) -> str | bytes:
    """The update as text (md, html, term as plain text) or bytes (docx)."""
    if fmt == "md":
        return render_md.render(update)
    if fmt == "html":
        return render_html.render(update)
    if fmt == "docx":
        # python-docx loads only for a Word file: it would slow every command's start.
        from portfolio.reports import render_docx

        return render_docx.render(update)
    if fmt == "term":
        console = Console(file=StringIO(), width=width, no_color=True, highlight=False)
        console.print(render_term.render(update))
        out = console.file
        assert isinstance(out, StringIO)
        return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
    raise ValueError(f"unknown board update format {fmt!r}")
