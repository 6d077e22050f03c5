"""The command palette's partners, matched in the database as its fuzzy match does."""

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services.overview import partners_matching
from tests.conftest import Cli


def test_partners_match_the_letters_typed_in_order_and_wildcards_are_plain_letters(
    cli: Cli, factory: sessionmaker[Session]
) -> None:
    cli.ok("demo")
    cli.ok("partner", "add", "100% Youth_Work")
    cli.ok("partner", "add", "Youth Work Ltd")
    with db.read_session(factory) as session:
        found = {typed: partners_matching(session, typed, "Partner: ")
                 for typed in ("blackthr", "black thr", "h_w", "100%", "youth", "zzz")}  # fmt: skip
        first = partners_matching(session, "a", "Partner: ", limit=2)
    assert found["blackthr"] == found["black thr"] == ["Black Thrive"]
    assert found["h_w"] == ["100% Youth_Work"]  # "_" and "%" are letters, not SQL wildcards
    assert found["100%"] == ["100% Youth_Work"]
    assert found["youth"] == ["Youth Work Ltd", "100% Youth_Work"]  # side by side, shortest first
    assert found["zzz"] == []
    assert len(first) == 2
