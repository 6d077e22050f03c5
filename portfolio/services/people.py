"""People: staff leads, trustees, partner contacts."""

from typing import Any

from sqlmodel import Session, select

from portfolio.errors import Duplicate, InvalidInput
from portfolio.models import Person
from portfolio.services import lookup
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name


def add_person(
    session: Session, *, name: str, role: str = "", stamp: Stamp | None = None
) -> Person:
    name = clean_name(name, "person's name", field="name")
    role = clean_name(role, "role", field="role")
    if not name:
        raise InvalidInput("A person needs a name.")
    if (same := lookup.same_name(session, Person, name)) is not None:
        raise Duplicate(f"There is already a person named '{same}'.")
    person = Person(name=name, role=role)
    session.add(person)
    session.flush()
    if stamp is not None:
        assert person.id is not None
        record(session, stamp, action="person-add", subject_type="person", subject_id=person.id)
    return person


def list_people(session: Session) -> list[dict[str, Any]]:
    rows = session.exec(select(Person.id, Person.name, Person.role).order_by(Person.name)).all()
    return [{"id": i, "name": n, "role": r} for i, n, r in rows]
