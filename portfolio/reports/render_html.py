"""The board update as one self-contained HTML page that prints well on A4."""

from html import escape

from portfolio.reports import chart
from portfolio.reports.board_layout import Block, Bullets, Heading, Para, Table, clean, layout
from portfolio.reports.board_model import BoardUpdate

STYLE = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: Georgia, 'Times New Roman', serif; font-size: 11pt; line-height: 1.45;
       color: #212121; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1, h2, h3, h4 { font-family: 'Helvetica Neue', Arial, sans-serif; line-height: 1.2;
                 break-after: avoid; page-break-after: avoid; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 15pt; margin: 9mm 0 2mm; border-bottom: 1px solid #9e9e9e; }
h3 { font-size: 12pt; margin: 5mm 0 1.5mm; color: #37474f; }
h4 { font-size: 10.5pt; margin: 3mm 0 1mm; color: #546e7a; }
p, ul { margin: 0 0 2.5mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9.5pt; }
th, td { border: 1px solid #bdbdbd; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eceff1; }
tr { break-inside: avoid; page-break-inside: avoid; }
svg.chart { width: 100%; height: auto; font-family: Arial, sans-serif; }
figure { margin: 2mm 0 4mm; break-inside: avoid; }
figcaption { font-size: 9pt; color: #546e7a; }
"""


def _e(text: str) -> str:
    return escape(clean(text))


def render_blocks(blocks: list[Block], title: str) -> str:
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_e(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            body.append(f"<p>{_e(block.text)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_e(item)}</li>" for item in block.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{_e(h)}</th>" for h in block.headers)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            body.append(
                f"<figure>{chart.svg(block)}<figcaption>{_e(block.title)}</figcaption></figure>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render(update: BoardUpdate) -> str:
    return render_blocks(layout(update), update.title)
