"""The store: migrations match the models on both backends; URLs; instants stay UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, select

from bot.config import Settings, normalise_database_url
from bot.services import Services
from bot.store.models import Base, Event, Programme


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def test_migrations_build_exactly_the_models(app: Services) -> None:
    """After ``upgrade head`` on start, autogenerate finds nothing left to migrate."""
    async with app.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_instants_are_stored_and_read_as_utc(app: Services) -> None:
    """An aware local time goes in; the same instant, in UTC, comes out."""
    start = datetime(2024, 5, 6, 8, 30, tzinfo=ZoneInfo("America/Phoenix"))
    async with app.sessions.begin() as session:
        session.add(
            Programme(
                key="p",
                title={"en": "P"},
                default_language="en",
                languages=["en"],
                timezone="America/New_York",
                start=date(2024, 5, 1),
                end=date(2024, 5, 9),
            )
        )
        session.add(
            Event(
                key="e",
                title={"en": "E"},
                start=start,
                end=start,
                timezone="America/Phoenix",
                groups=[],
                description={},
            )
        )
    async with app.sessions() as session:
        event = await session.scalar(select(Event))
    assert event is not None
    assert event.start == start and event.start.tzinfo == UTC


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+asyncpg://u:p@h:5432/db"),
        ("postgresql://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_urls_are_normalised(given: str, expected: str) -> None:
    """The Heroku-style postgres:// form and plain URLs get async drivers."""
    assert normalise_database_url(given) == expected


def test_default_store_is_a_sqlite_file_in_the_data_directory(tmp_path: object) -> None:
    """With no DATABASE_URL the store is a SQLite file in a folder created on first use."""
    folder = tmp_path / "fresh" / "data"  # type: ignore[operator]
    url = Settings(database_url="", data_dir=folder).resolved_database_url()
    assert folder.is_dir() and url.startswith("sqlite+aiosqlite:///") and url.endswith(".sqlite3")
