"""Where the database lives and who the user is: flags, then env, then config file.

The config file is TOML at ``PORTFOLIO_CONFIG`` or the platform's user config
dir (``portfolio/config.toml``), with optional keys ``db``, ``user``,
``funder_id``, ``funder_name``, ``prefix_360``, ``theme`` and ``currency`` (the
portfolio's own currency, an ISO code such as GBP, the default).
"""

import getpass
import os
import tomllib
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

from portfolio.errors import PortfolioError


def config_path() -> Path:
    override = os.environ.get("PORTFOLIO_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir("portfolio")) / "config.toml"


def load_config() -> dict[str, Any]:
    path = config_path()
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PortfolioError(f"The config file {path} is not valid TOML: {exc}") from exc


def save_config_value(key: str, value: str) -> None:
    """Persist one simple string setting (used for the TUI theme choice)."""
    path = config_path()
    data = load_config()
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{k} = {_toml_string(str(v))}" for k, v in data.items() if isinstance(v, str)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def database_url(db: str | None = None) -> str:
    """The database to open: ``--db``, else ``PORTFOLIO_DB``, else config, else the data dir."""
    chosen = db or os.environ.get("PORTFOLIO_DB") or load_config().get("db")
    if not chosen:
        data_dir = Path(user_data_dir("portfolio"))
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{data_dir / 'portfolio.db'}"
    return as_url(str(chosen))


def as_url(db: str) -> str:
    """A plain path means a SQLite file; anything with ``://`` is a SQLAlchemy URL."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def current_user(explicit: str | None = None) -> str:
    """Who is acting: ``--as``, else ``PORTFOLIO_USER``, else config, else the OS user."""
    if explicit:
        return explicit
    env = os.environ.get("PORTFOLIO_USER")
    if env:
        return env
    configured = load_config().get("user")
    if configured:
        return str(configured)
    try:
        return getpass.getuser()
    except Exception:  # no user name on some containers
        return "unknown"


def portfolio_currency() -> str:
    """The portfolio's own currency (config ``currency``, default GBP): the one that
    ``committed`` figures are given in."""
    return str(load_config().get("currency") or "GBP").strip().upper()
