import subprocess
import sys


def test_reports_and_their_commands_never_import_textual() -> None:
    code = (
        "import sys\n"
        "import portfolio.reports.board, portfolio.reports.board_data\n"
        "import portfolio.reports.giving360\n"
        "import portfolio.reports.tables, portfolio.services.imports, portfolio.commands.reports\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
