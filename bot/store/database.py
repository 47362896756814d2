"""Engine, sessions and schema migrations."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Connection, event, make_url, text
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# TLS files and versions asyncpg reads only from a libpq connection string: they are handed
# to it as one (its `dsn`), so they mean exactly what they mean to psql.
_TLS_OPTIONS = (
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "sslnegotiation",
)
# Startup parameters the server itself reads.
_SERVER_SETTINGS = ("application_name", "options")
# libpq options that mean nothing to asyncpg and whose absence weakens nothing.
_IGNORED = (
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslsni",
    "sslcompression",
)
# Security options asyncpg cannot honour: their weak values can go, a demand cannot.
_UNENFORCEABLE = {"channel_binding": ("disable", "prefer"), "gssencmode": ("disable", "prefer")}
# Every other libpq connection option: refused rather than silently dropped.
_LIBPQ_OTHERS = (
    "hostaddr",
    "client_encoding",
    "replication",
    "requiressl",
    "sslcertmode",
    "sslcrldir",
    "requirepeer",
    "require_auth",
    "gssdelegation",
    "load_balance_hosts",
)


class DatabaseUrlError(ValueError):
    """A DATABASE_URL the driver cannot use as written; the message says what to change."""


def _last(value: str | tuple[str, ...]) -> str:
    # libpq lets a repeated option's last value win.
    return value[-1] if isinstance(value, tuple) else value


@dataclass
class _Translation:
    """The libpq options of one URL sorted into what asyncpg takes, option by option."""

    url: URL
    keep: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    tls: dict[str, str] = field(default_factory=dict)
    server: dict[str, str] = field(default_factory=dict)
    connect_args: dict[str, Any] = field(default_factory=dict)
    fallback: str | None = None

    def take(self, name: str, raw: str | tuple[str, ...]) -> None:
        """Sort one query option."""
        value = _last(raw)
        special = {
            "sslmode": self._sslmode,
            "connect_timeout": self._connect_timeout,
            "dbname": self._dbname,
            "fallback_application_name": self._fallback,
        }.get(name)
        if special is not None:
            special(value)
        elif name in _TLS_OPTIONS:
            self.tls[name] = value
        elif name in _SERVER_SETTINGS:
            self.server[name] = value
        elif name in _IGNORED:
            log.info("DATABASE_URL option %s has no effect with asyncpg; ignored", name)
        elif name in _UNENFORCEABLE or name in _LIBPQ_OTHERS:
            _refuse(name, value)
        else:
            # asyncpg's and SQLAlchemy's own options, and libpq's of the same name (host,
            # port, passfile, service, target_session_attrs, krbsrvname, gsslib).
            self.keep[name] = raw

    def _sslmode(self, value: str) -> None:
        if value not in SSL_MODES:
            raise DatabaseUrlError(
                f"DATABASE_URL: sslmode={value!r} is not one of {', '.join(SSL_MODES)}"
            )
        self.keep["ssl"] = value

    def _connect_timeout(self, value: str) -> None:
        self.connect_args["timeout"] = _timeout(value)

    def _dbname(self, value: str) -> None:
        if self.url.database and self.url.database != value:
            raise DatabaseUrlError("DATABASE_URL names two databases (path and dbname)")
        self.url = self.url.set(database=value)

    def _fallback(self, value: str) -> None:
        self.fallback = value

    def result(self) -> tuple[URL, dict[str, Any]]:
        """The URL asyncpg accepts and the connect_args carrying the rest."""
        if self.fallback is not None:
            self.server.setdefault("application_name", self.fallback)
        if self.tls:
            self.connect_args["dsn"] = f"postgresql://?{urlencode(self.tls)}"
        if self.server:
            self.connect_args["server_settings"] = self.server
        return self.url.set(query=self.keep), self.connect_args


def _refuse(name: str, value: str) -> None:
    """Refuse an option asyncpg cannot honour, unless its value asks for nothing."""
    if name in _UNENFORCEABLE:
        if value in _UNENFORCEABLE[name]:
            return
        raise DatabaseUrlError(
            f"DATABASE_URL: {name}={value} cannot be enforced by the PostgreSQL "
            f"driver (asyncpg); remove it or use {name}=prefer"
        )
    raise DatabaseUrlError(
        f"DATABASE_URL: the option {name} is not supported by the PostgreSQL "
        "driver (asyncpg); remove it"
    )


def asyncpg_arguments(url: URL) -> tuple[URL, dict[str, Any]]:
    """Return the URL without the libpq options asyncpg refuses, and connect_args for them."""
    # Managed PostgreSQL hands out libpq URLs (?sslmode=require and the like), and SQLAlchemy
    # passes every query option to asyncpg.connect as a keyword: most of them it refuses.
    translation = _Translation(url)
    for name, raw in url.query.items():
        translation.take(name, raw)
    return translation.result()


def _timeout(value: str) -> float | None:
    """libpq's connect_timeout: whole seconds, at least 2; zero or less waits forever."""
    try:
        seconds = int(value)
    except ValueError:
        raise DatabaseUrlError(
            f"DATABASE_URL: connect_timeout={value!r} is not a whole number of seconds"
        ) from None
    return None if seconds <= 0 else float(max(seconds, 2))


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    """Create the async engine for a normalised database URL (pool sizes: PostgreSQL only)."""
    # hide_parameters: errors and SQL logs leave out query parameters, which hold messages.
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(
            "DATABASE_URL is not a database URL; expected e.g. postgresql://user:pw@host/db"
        ) from None
    if parsed.get_backend_name() != "sqlite":
        connect_args: dict[str, Any] = {}
        if parsed.get_driver_name() == "asyncpg":
            parsed, connect_args = asyncpg_arguments(parsed)
        return create_async_engine(
            parsed,
            connect_args=connect_args,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=max_overflow,
            hide_parameters=True,
        )
    # SQLite has one writer at a time and each aiosqlite connection is a thread: a few
    # connections serve many concurrent sessions better than many threads fighting.
    engine = create_async_engine(
        url, pool_size=4, max_overflow=0, pool_timeout=60, hide_parameters=True
    )
    event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return the factory of one-per-update sessions."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


async def ping(engine: AsyncEngine) -> None:
    """Raise unless the database answers."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema up to the latest migration."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
