"""Record links (who or what a decision, insight, session or group names) and
look-ups of records people refer to by number."""

import difflib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from portfolio.errors import NotFound
from portfolio.models import Partner, Person, RecordLink, Theme, Workstream, name_key
from portfolio.models.learning import FrameworkDimension, StandingGroup
from portfolio.services import lookup
from portfolio.services.query import rows

T = TypeVar("T", bound=SQLModel)

# target_type -> the table whose ``name`` column names it
NAMED: dict[str, Any] = {
    "workstream": Workstream,
    "partner": Partner,
    "theme": Theme,
    "person": Person,
    "group": StandingGroup,
    "dimension": FrameworkDimension,
}


def by_id(session: Session, model: type[T], record_id: int, noun: str) -> T:
    """A record by its number, or NotFound pointing at the list command."""
    found = session.get(model, record_id)
    if found is None:
        raise NotFound(f"No {noun} {record_id}. See `portfolio {noun} list`.")
    return found


def nearest(name: str, names: Sequence[str], noun: str, hint: str) -> str:
    """The name the user meant (exact, then case-insensitive), else NotFound with near matches."""
    if name in names:
        return name
    same = [n for n in names if name_key(n) == name_key(name)]
    if len(same) == 1:
        return same[0]
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    close += [n for n in names if name.lower() in n.lower() and n not in close][: 3 - len(close)]
    suggestion = f" Did you mean: {', '.join(close)}?" if close else f" See `{hint}`."
    raise NotFound(f"No {noun} named '{name}'.{suggestion}")


def person_or_group(session: Session, name: str) -> tuple[str, int]:
    """``--by`` names a person or a standing group (a person wins a tie)."""
    people: dict[str, int] = dict(rows(session, sa.select(col(Person.name), col(Person.id))))
    groups: dict[str, int] = dict(
        rows(session, sa.select(col(StandingGroup.name), col(StandingGroup.id)))
    )
    found = nearest(name, [*people, *groups], "person or group", "portfolio person list")
    return ("person", people[found]) if found in people else ("group", groups[found])


def resolve(session: Session, target_type: str, names: Iterable[str]) -> list[int]:
    """Ids of named workstreams, partners, themes or people, in order, without repeats."""
    finder: Any = {
        "workstream": lookup.workstream,
        "partner": lookup.partner,
        "theme": lookup.theme,
        "person": lookup.person,
    }[target_type]
    ids = [finder(session, name).id for name in names]
    return list(dict.fromkeys(i for i in ids if i is not None))


def link(
    session: Session,
    owner_type: str,
    owner_id: int,
    target_type: str,
    target_ids: Iterable[int],
    role: str = "concerns",
) -> None:
    for target_id in target_ids:
        session.add(
            RecordLink(
                owner_type=owner_type, owner_id=owner_id, target_type=target_type,
                target_id=target_id, role=role,
            )
        )  # fmt: skip
    session.flush()


def names_of(
    session: Session, owner_type: str, owner_ids: Sequence[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    """For each owner: ``{"<role>:<target_type>": [names in link order]}``.

    One statement per target type, whatever the number of owners.
    """
    found: dict[int, dict[str, list[str]]] = {}
    for target_type, model in NAMED.items():
        query = (
            sa.select(col(RecordLink.owner_id), col(RecordLink.role), col(model.name))  # type: ignore[arg-type]
            .join(model, model.id == RecordLink.target_id)
            .where(
                col(RecordLink.owner_type) == owner_type,
                col(RecordLink.target_type) == target_type,
            )
            .order_by(col(RecordLink.id))
        )
        if owner_ids is not None:
            query = query.where(col(RecordLink.owner_id).in_(list(owner_ids)))
        for owner_id, role, name in rows(session, query):
            found.setdefault(owner_id, {}).setdefault(f"{role}:{target_type}", []).append(name)
    return found


def owners_linked_to(
    session: Session, owner_type: str, target_type: str, target_id: int, role: str
) -> set[int]:
    query = sa.select(col(RecordLink.owner_id)).where(
        col(RecordLink.owner_type) == owner_type,
        col(RecordLink.target_type) == target_type,
        col(RecordLink.target_id) == target_id,
        col(RecordLink.role) == role,
    )
    return {r[0] for r in rows(session, query)}


def names_linked(session: Session, owner_type: str, target_type: str, role: str) -> list[str]:
    """Names of the targets any owner of ``owner_type`` links to in ``role``, A to Z."""
    model: Any = NAMED[target_type]
    query = (
        sa.select(col(model.name))
        .join(RecordLink, col(RecordLink.target_id) == col(model.id))
        .where(
            col(RecordLink.owner_type) == owner_type,
            col(RecordLink.target_type) == target_type,
            col(RecordLink.role) == role,
        )
        .distinct()
        .order_by(col(model.name))
    )
    return [r[0] for r in rows(session, query)]
