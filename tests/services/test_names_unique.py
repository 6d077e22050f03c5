"""The database itself holds names unique whatever their letter case."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.models import Partner, Person
from portfolio.services import lookup
from portfolio.services.partners import add_partner
from portfolio.services.people import add_person


def test_a_record_written_without_the_services_gets_its_name_key(
    factory: sessionmaker[Session],
) -> None:
    with db.unit_of_work(factory) as session:
        session.add(Partner(name="  Corra Foundation "))
    with db.read_session(factory) as session:
        keys = session.exec(select(Partner.name_key)).all()
    assert keys == ["corra foundation"]


def test_the_database_refuses_a_second_spelling_added_past_the_services(
    factory: sessionmaker[Session],
) -> None:
    with db.unit_of_work(factory) as session:
        add_partner(session, name="MEAM")
    with pytest.raises(IntegrityError, match="name_key"), db.unit_of_work(factory) as session:
        session.add(Partner(name="meam"))
    with db.read_session(factory) as session:
        assert session.exec(select(Partner.name)).all() == ["MEAM"]


def test_the_database_refuses_a_clash_inserted_in_plain_sql(
    factory: sessionmaker[Session], db_path: Path
) -> None:
    with db.unit_of_work(factory) as session:
        add_person(session, name="Jess")
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="person.name_key"):
            conn.execute("INSERT INTO person (name, name_key, role) VALUES ('JESS', 'jess', '')")
    finally:
        conn.close()


def test_a_renamed_record_keeps_its_key_in_step(factory: sessionmaker[Session]) -> None:
    with db.unit_of_work(factory) as session:
        add_person(session, name="Jess")
    with db.unit_of_work(factory) as session:
        lookup.person(session, "jess").name = "Jessica"
    with db.read_session(factory) as session:
        found = session.exec(select(Person.name, Person.name_key)).all()
        assert [tuple(r) for r in found] == [("Jessica", "jessica")]
        assert lookup.same_name(session, Person, "JESSICA") == "Jessica"
        assert lookup.same_name(session, Person, "jess") is None
