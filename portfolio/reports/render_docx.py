"""The board update as a Word document: real Heading styles, tables and the chart as a PNG."""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from portfolio.reports import chart
from portfolio.reports.board_layout import Block, Bullets, Heading, Para, Table, clean, layout
from portfolio.reports.board_model import BoardUpdate


def render_blocks(blocks: list[Block], title: str) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = clean(title)
    for block in blocks:
        if isinstance(block, Heading):
            # Title for the update itself, then Heading 1 per workstream, 2 per question.
            doc.add_heading(clean(block.text), level=block.level - 1)
        elif isinstance(block, Para):
            doc.add_paragraph(clean(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(clean(item), style="List Bullet")
        elif isinstance(block, Table):
            table = doc.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(clean(text)).bold = True
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = clean(text)
            doc.add_paragraph()
        else:
            doc.add_picture(BytesIO(chart.png(block)), width=Cm(17))
            doc.add_paragraph(clean(block.title), style="Caption")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def render(update: BoardUpdate) -> bytes:
    return render_blocks(layout(update), update.title)
