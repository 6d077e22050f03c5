"""`?`: the keys of every screen, and how to find everything else."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

HELP = """\
# portfolio: keys

**Everywhere**: `ctrl+p` command palette (every screen, every action, jump to any
partner or workstream by name) · `?` this help · `escape` back · `g` overview ·
`d` decisions · `l` learning · `b` board update · `ctrl+r` read everything afresh · `ctrl+q` quit.
The footer shows the keys that work where you are; the mouse works too.

**Overview**: `enter` opens the highlighted workstream or attention item ·
`w` workstreams · `a` needs attention · `tab` moves between them.

**Workstream**: `enter` opens the partner · `/` search by name · `f` filter by state ·
`n` / `p` next and previous page · `s` start a partnership · `r` review ·
`u` resume · `e` end respectfully · `c` complete an ending · `t` transfer ·
`a` add a grant to the highlighted partner · `h` rehome a theme · `x` close the workstream.

**Partner**: `enter` on a partnership opens its workstream · `r u e c t` act on the
highlighted partnership · `s` start it in another workstream · `k` (or `enter`
on the checklist) ticks the highlighted exit-checklist step, `x` unticks it (a reason is
kept) · `+` adds a step to the checklist, `-` removes the highlighted one (endings under
way keep theirs) · `a` adds a grant in the highlighted partnership's workstream ·
`w` withdraws the highlighted grant · `y` timeline.

**Decisions**: `n` record a decision · `a` agree it · `w` plan the closure of the
workstream it concerns, asking the fate of each partnership and theme · `p` plan one
change (choose its kind, then its details) · `x` remove a planned change · `e` enact:
see every change first, then confirm · `s` supersede it with another decision.

**Learning**: `s` log a reflective session (its template's prompts become the form;
other templates are in the palette) · `i` add an insight with who may see it and
framework tags · `o` add an action with an owner and a due date · filter insights
by workstream, partner, theme and tag · `enter` on a session opens it: its prompts
and answers, insights, actions and what it carried forward · `m` marks the
highlighted open action done, `x` drops it.

**Board update**: the period (default: the last full quarter) and a workstream
(blank: all) redraw the preview as you type · `f` edit the period ·
`ctrl+s` save it as Markdown, HTML or Word (written whole or not at all).

**Forms** check what you type as you type; nothing is saved until you confirm
(`enter` or the button). A refused action says why in the form; change the
values and confirm again, or `escape` to leave.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # loaded on first use: start-up stays lean

        with VerticalScroll(id="help"):
            yield Markdown(HELP)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
