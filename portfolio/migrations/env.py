"""Alembic environment: the app passes its connection; the alembic CLI uses settings."""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import portfolio.models  # noqa: F401  (registers every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    # Invoked from the alembic command line: use the configured database.
    from portfolio.db import make_engine, sqlite_foreign_keys
    from portfolio.settings import database_url

    engine = make_engine(database_url())
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sqlite_foreign_keys(conn, on=False)
        run_on(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: batch mode needs a database.")
run_online()
