"""`portfolio` alone opens the app without loading the CLI; anything else is the CLI's."""

import subprocess
import sys

from portfolio.launch import app_only


def test_only_a_bare_command_or_a_database_takes_the_app_path() -> None:
    assert app_only([]) == (True, None)
    assert app_only(["--db", "x.db"]) == (True, "x.db")
    assert app_only(["--db=x.db"]) == (True, "x.db")
    assert app_only(["--db", "x.db", "partner", "list"])[0] is False
    assert app_only(["--help"])[0] is False
    assert app_only(["--version"])[0] is False


def test_the_app_path_does_not_load_the_cli_or_typer() -> None:
    heavy = "('typer', 'portfolio.cli', 'openpyxl', 'docx')"
    code = (
        "import sys; import portfolio.launch, portfolio.tui.app; "
        f"print(sorted(m for m in {heavy} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
