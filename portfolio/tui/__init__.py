"""The Textual app. Only this package imports Textual."""

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


def run_app(factory: sessionmaker[Session]) -> None:
    from portfolio.tui.app import PortfolioApp

    PortfolioApp(factory).run()
