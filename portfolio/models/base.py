"""Shared pieces of the table definitions."""

from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import event
from sqlmodel import Field, SQLModel

# Named constraints so batch migrations on SQLite can find and alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def name_key(name: str) -> str:
    """A name as compared for sameness: "MEAM", "meam " and "Meam" are one name.

    Folded in Python (full Unicode case folding), so SQLite, whose lower() folds
    only ASCII, and PostgreSQL hold the same keys.
    """
    return name.strip().casefold()


Named = TypeVar("Named", bound=type[SQLModel])


def keeps_name_key(model: Named) -> Named:
    """Set a named table's ``name_key`` from its ``name`` on every insert and update,
    whichever service writes; the column's unique index then refuses a second
    spelling of the same name."""

    def fill(_mapper: Any, _connection: Any, target: Any) -> None:
        target.name_key = name_key(target.name)

    event.listen(model, "before_insert", fill)
    event.listen(model, "before_update", fill)
    return model


def name_key_field() -> Any:
    """The ``name_key`` column: unique, and '' by default in the database so adding
    it to tables with rows needs no rebuild (every write through the models sets it)."""
    return Field(default="", unique=True, index=True, sa_column_kwargs={"server_default": ""})
