import subprocess
import sys


def test_core_modules_never_import_textual() -> None:
    code = (
        "import sys, portfolio.models, portfolio.services.partnerships, portfolio.services.demo, "
        "portfolio.services.partners, portfolio.services.workstreams, portfolio.db, portfolio.cli\n"
        "import portfolio.reports\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_the_package_builds_no_engine() -> None:
    code = (
        "import gc, portfolio.db, portfolio.cli, portfolio.services.partners\n"
        "from sqlalchemy import Engine\n"
        "assert not [o for o in gc.get_objects() if isinstance(o, Engine)]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
