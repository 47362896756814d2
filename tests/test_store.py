"""The store: migrations match the models on both backends; URLs; instants stay UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, make_url, select, text

from bot.config import Settings, normalise_database_url
from bot.services import Services, services
from bot.store.database import DatabaseUrlError, asyncpg_arguments, create_engine
from bot.store.models import Base, Event, Programme
from tests.conftest import _postgres_admin_url


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
        (
            "postgres://u:p%40ss@h/db?sslmode=require",
            "postgresql+asyncpg://u:p%40ss@h/db?sslmode=require",
        ),
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


@pytest.mark.parametrize(
    ("query", "kept", "connect_args"),
    [
        ("sslmode=require", {"ssl": "require"}, {}),
        ("sslmode=verify-full&sslmode=disable", {"ssl": "disable"}, {}),
        (
            "sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/c.pem&sslkey=/k.pem",
            {"ssl": "verify-full"},
            {"dsn": "postgresql://?sslcert=%2Fc.pem&sslkey=%2Fk.pem&sslrootcert=%2Fetc%2Fca.pem"},
        ),
        ("connect_timeout=10", {}, {"timeout": 10.0}),
        ("connect_timeout=1", {}, {"timeout": 2.0}),
        ("connect_timeout=0", {}, {"timeout": None}),
        ("application_name=web", {}, {"server_settings": {"application_name": "web"}}),
        (
            "fallback_application_name=bot&options=-c%20statement_timeout%3D5000",
            {},
            {
                "server_settings": {
                    "options": "-c statement_timeout=5000",
                    "application_name": "bot",
                }
            },
        ),
        ("target_session_attrs=read-write", {"target_session_attrs": "read-write"}, {}),
        ("keepalives=1&keepalives_idle=30&channel_binding=prefer&gssencmode=disable", {}, {}),
        ("prepared_statement_cache_size=0", {"prepared_statement_cache_size": "0"}, {}),
    ],
)
def test_libpq_options_are_translated_for_asyncpg(
    query: str, kept: dict[str, str], connect_args: dict[str, Any]
) -> None:
    """Managed-PostgreSQL URLs carry libpq options; asyncpg gets each in a form it takes."""
    url = make_url(normalise_database_url(f"postgresql://u:p@db.example.com:5432/app?{query}"))
    translated, args = asyncpg_arguments(url)
    assert dict(translated.query) == kept
    assert args == connect_args
    assert (translated.host, translated.database, translated.password) == (
        "db.example.com",
        "app",
        "p",
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sslmode=required", "sslmode='required' is not one of disable, allow, prefer"),
        ("channel_binding=require", "channel_binding=require cannot be enforced"),
        ("gssencmode=require", "gssencmode=require cannot be enforced"),
        ("sslcrldir=/etc/crl", "the option sslcrldir is not supported"),
        ("connect_timeout=soon", "connect_timeout='soon' is not a whole number"),
    ],
)
def test_libpq_options_asyncpg_cannot_honour_are_refused(query: str, message: str) -> None:
    """An option that would be silently weakened is an error that says what to change."""
    with pytest.raises(DatabaseUrlError, match=message):
        create_engine(normalise_database_url(f"postgresql://u:p@h/db?{query}"))


def test_a_garbled_database_url_is_refused_without_echoing_it() -> None:
    """The message says what a URL looks like and never repeats the (secret-bearing) value."""
    with pytest.raises(DatabaseUrlError) as caught:
        create_engine(normalise_database_url("secret-password@nowhere"))
    assert "secret-password" not in str(caught.value)


async def _session_ssl(url: str) -> tuple[bool, str]:
    """Connect through the application's engine; return whether TLS is on and the app name."""
    engine = create_engine(normalise_database_url(url))
    try:
        async with engine.connect() as connection:
            row = await connection.execute(
                text(
                    "SELECT ssl, current_setting('application_name') FROM pg_stat_ssl "
                    "WHERE pid = pg_backend_pid()"
                )
            )
            ssl, name = row.one()
            return bool(ssl), str(name)
    finally:
        await engine.dispose()


async def _server_ssl(admin: str) -> bool:
    engine = create_engine(normalise_database_url(admin))
    try:
        async with engine.connect() as connection:
            return await connection.scalar(text("SHOW ssl")) == "on"
    finally:
        await engine.dispose()


async def test_sslmode_urls_connect_to_postgresql() -> None:
    """?sslmode= works end to end: disable never uses TLS, prefer falls back, require insists."""
    admin = _postgres_admin_url()
    assert admin is not None
    base = make_url(admin).set(query={})
    plain = base.render_as_string(hide_password=False)
    server_ssl = await _server_ssl(plain)
    assert await _session_ssl(f"{plain}?sslmode=disable&application_name=bot-test") == (
        False,
        "bot-test",
    )
    assert await _session_ssl(f"{plain}?sslmode=prefer&connect_timeout=10") == (server_ssl, "")
    postgres = plain.replace("postgresql://", "postgres://", 1)
    if server_ssl:
        assert (await _session_ssl(f"{postgres}?sslmode=require"))[0] is True
    else:
        # A server without TLS refuses a client that requires it: the mode is not ignored.
        with pytest.raises(ConnectionError, match="rejected SSL upgrade"):
            await _session_ssl(f"{postgres}?sslmode=require")


async def test_certificate_options_reach_the_driver() -> None:
    """sslrootcert is read (here: a missing file is reported) rather than dropped."""
    admin = _postgres_admin_url()
    assert admin is not None
    plain = make_url(admin).set(query={}).render_as_string(hide_password=False)
    with pytest.raises(FileNotFoundError):
        await _session_ssl(f"{plain}?sslmode=verify-full&sslrootcert=/nonexistent/root.crt")


async def test_pool_size_comes_from_the_settings(
    database_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW size each process's PostgreSQL pool."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite keeps its own small pool")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "1")
    settings = Settings(database_url=database_url, data_dir=tmp_path)
    async with services(settings) as app:
        pool = app.engine.pool
        assert (pool.size(), pool._max_overflow) == (3, 1)  # type: ignore[attr-defined]
