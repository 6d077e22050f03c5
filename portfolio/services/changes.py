"""Every change a person or a decision can make, declared once.

A change is a frozen dataclass. Its fields are what a person supplies, each
declared with ``param``: its kind (a partner, a person, a date ...), its label,
its CLI option and help. Its class attributes say how it is named and worded.
From the declaration follow the service (``run``), the CLI's ``partnership
ACTION`` and ``decision plan ID ACTION`` commands, the app's form, the plan's
description and the timeline's wording: adding a change is one class.

Below the edge everything is ids. ``from_words`` is the edge: it turns the
names a person typed (CLI arguments, scripts, the demo) into a change.
"""

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from sqlmodel import Session, SQLModel, col, select

from portfolio.errors import InvalidInput, PortfolioError
from portfolio.models import ChecklistStep, Partner, Person, Theme, Workstream
from portfolio.services import lookup
from portfolio.services.history import Stamp
from portfolio.services.inputs import clean_name, clean_text, parse_date


class Kind(StrEnum):
    """What a field holds, which decides how it is typed, picked and resolved."""

    PARTNER = "partner"
    WORKSTREAM = "workstream"
    OPEN_WORKSTREAM = "open-workstream"  # a workstream that must be open (checked by the change)
    PERSON = "person"
    PEOPLE = "people"
    THEME = "theme"
    THEMES = "themes"
    STEP = "step"
    DATE = "date"
    TEXT = "text"
    CHOICE = "choice"
    FLAG = "flag"


# The table each kind of reference names, and its noun in messages.
REFERENCES: dict[Kind, tuple[type[SQLModel], str]] = {
    Kind.PARTNER: (Partner, "partner"),
    Kind.WORKSTREAM: (Workstream, "workstream"),
    Kind.OPEN_WORKSTREAM: (Workstream, "workstream"),
    Kind.PERSON: (Person, "person"),
    Kind.PEOPLE: (Person, "person"),
    Kind.THEME: (Theme, "theme"),
    Kind.THEMES: (Theme, "theme"),
    Kind.STEP: (ChecklistStep, "checklist step"),
}
LISTS = frozenset({Kind.PEOPLE, Kind.THEMES})


@dataclass(frozen=True)
class Param:
    """How a person supplies one field of a change."""

    kind: Kind
    label: str  # in forms and messages: "Lead"
    option: str  # on the command line: "--lead"; "" for the positional argument
    help: str
    arg: str  # the field in a person's words (CLI, scripts, plans as JSON): "lead"
    required: bool = False
    choices: Mapping[str, str] | None = None  # value -> label, for CHOICE


def param(
    kind: Kind,
    label: str,
    option: str,
    help: str,
    *,
    arg: str,
    required: bool = False,
    default: Any = None,
    choices: Mapping[str, str] | None = None,
) -> Any:
    """A dataclass field declaring how a person supplies it."""
    meta = {"param": Param(kind, label, option, help, arg, required, choices)}
    if kind in LISTS:
        return dataclasses.field(default=(), metadata=meta)
    if kind == Kind.FLAG:
        return dataclasses.field(default=False, metadata=meta)
    if default is None and kind in (Kind.TEXT, Kind.CHOICE):
        default = ""
    return dataclasses.field(default=default, metadata=meta)


def params(change: "type[Change] | Change") -> Iterator[tuple[str, Param]]:
    """Each field of a change with its declaration, in declaration order."""
    for f in dataclasses.fields(change):  # type: ignore[arg-type]
        if "param" in f.metadata:
            yield f.name, f.metadata["param"]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == []


@dataclass(frozen=True, kw_only=True)
class Change:
    """A change to the records; subclasses declare their fields with ``param``."""

    name: ClassVar[str]  # as in the CLI and in plans: "review"
    title: ClassVar[str]  # what the app's form says: "Review"
    summary: ClassVar[str]  # one line of help
    key: ClassVar[str] = ""  # the app's key for it, where it acts on a highlighted row

    def check(self) -> None:
        """Refuse a change that lacks a required field or holds a value its field does not
        offer, naming the field."""
        for attr, p in params(self):
            value = getattr(self, attr)
            if p.required and _empty(value.strip() if isinstance(value, str) else value):
                raise InvalidInput(f"{self.name} needs a {p.label.lower()}.", field=attr)
            if p.choices is not None and value not in p.choices:
                raise InvalidInput(_not_offered(value, p), field=attr)

    def run(self, session: Session, stamp: Stamp) -> Any:
        raise NotImplementedError

    def describe(self, names: "Names") -> str:
        raise NotImplementedError

    def arguments(self) -> dict[str, Any]:
        """The change as stored in a plan: ids and values, JSON-ready, empty ones left out."""
        out: dict[str, Any] = {}
        for attr, _p in params(self):
            value = getattr(self, attr)
            if _empty(value) or value is False:
                continue
            out[attr] = (
                value.isoformat()
                if isinstance(value, date)
                else list(value)
                if isinstance(value, tuple)
                else value
            )
        return out

    @classmethod
    def from_arguments(cls, stored: Mapping[str, Any]) -> "Change":
        """A change back from its stored arguments (see ``arguments``)."""
        values: dict[str, Any] = {}
        for attr, p in params(cls):
            if attr not in stored:
                continue
            value = stored[attr]
            if p.kind == Kind.DATE and isinstance(value, str):
                value = date.fromisoformat(value)
            elif p.kind in LISTS:
                value = tuple(value)
            values[attr] = value
        return cls(**values)


C = TypeVar("C", bound="Change")
CT = TypeVar("CT", bound="type[Change]")

# Every change that can be planned, by name; partnership actions among them.
REGISTRY: dict[str, type[Change]] = {}
_listeners: list[Callable[[type[Change]], None]] = []


def declare(cls: CT) -> CT:
    """Register a change: the CLI, plans and the app offer it from then on."""
    REGISTRY[cls.name] = cls
    for listener in _listeners:
        listener(cls)
    return cls


def on_declare(listener: Callable[[type[Change]], None]) -> None:
    """Call ``listener`` for every change declared so far and every one declared later."""
    _listeners.append(listener)
    for cls in list(REGISTRY.values()):
        listener(cls)


def named(name: str) -> type[Change]:
    try:
        return REGISTRY[name]
    except KeyError:
        raise InvalidInput(
            f"'{name}' is not a change that can be made; use one of {', '.join(REGISTRY)}."
        ) from None


def _resolve(session: Session, kind: Kind, value: Any) -> Any:
    """One value as a person gave it, as the change holds it."""
    if kind in REFERENCES:
        model, noun = REFERENCES[kind]
        if kind in LISTS:
            values = [value] if isinstance(value, str) else list(value)
            return tuple(dict.fromkeys(_resolve(session, Kind(noun_kind(kind)), v) for v in values))
        if isinstance(value, int):
            return value
        found = lookup.by_name(session, model, clean_name(str(value), f"{noun}'s name"), noun)
        return found.id  # type: ignore[attr-defined]
    if kind == Kind.DATE:
        return value if isinstance(value, date) else parse_date(str(value))
    if kind == Kind.FLAG:
        return bool(value)
    if kind == Kind.TEXT:
        return clean_text(str(value))
    return value


def noun_kind(kind: Kind) -> str:
    return {
        Kind.PEOPLE: Kind.PERSON,
        Kind.THEMES: Kind.THEME,
        Kind.OPEN_WORKSTREAM: Kind.WORKSTREAM,
    }.get(kind, kind)


def from_words(session: Session, cls: type[C], words: Mapping[str, Any]) -> C:
    """The edge: a change from the names a person typed, each resolved to its id once.

    ``words`` are keyed by each field's ``arg`` ("partner", "lead", "by" ...).
    """
    unknown = set(words) - {p.arg for _a, p in params(cls)}
    if unknown:
        raise InvalidInput(f"{cls.name} takes no {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for attr, p in params(cls):
        value = words.get(p.arg)
        if _empty(value):
            continue
        if p.choices is not None and value not in p.choices:
            raise InvalidInput(_not_offered(value, p), field=attr)
        try:
            values[attr] = _resolve(session, p.kind, value)
        except PortfolioError as exc:
            exc.field = attr
            raise
    return cls(**values)


def _not_offered(value: Any, p: Param) -> str:
    assert p.choices is not None
    return (
        f"'{value}' is not an accepted {p.label.lower()}; use {_or(list(p.choices))} "
        f"({_or(list(p.choices.values()))})."
    )


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class Names:
    """The recorded names of the records a change refers to, read once for a list."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[tuple[Kind, int], str] = {}

    def __call__(self, kind: Kind, record_id: int | None) -> str:
        if record_id is None:
            return "?"
        kind = Kind(noun_kind(kind))
        key = (kind, record_id)
        if key not in self._cache:
            model, _noun = REFERENCES[kind]
            name = self._session.exec(
                select(model.name).where(col(model.id) == record_id)  # type: ignore[attr-defined]
            ).first()
            self._cache[key] = str(name) if name is not None else f"#{record_id} (gone)"
        return self._cache[key]

    def words(self, change: Change) -> dict[str, Any]:
        """A change in a person's words: each field by its ``arg``, references as names."""
        out: dict[str, Any] = {}
        for attr, p in params(change):
            value = getattr(change, attr)
            if _empty(value) or value is False:
                continue
            if p.kind in LISTS:
                out[p.arg] = [self(p.kind, v) for v in value]
            elif p.kind in REFERENCES:
                out[p.arg] = self(p.kind, value)
            elif isinstance(value, date):
                out[p.arg] = value.isoformat()
            else:
                out[p.arg] = value
        return out
