"""The service container adapters receive, and the one function that builds it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.accounts import AccountDirectory, invite_secret
from bot.assistant.lexicon import Lexicons
from bot.assistant.service import Assistant
from bot.calendars.feeds import CalendarFeeds
from bot.clock import Clock, clock_from
from bot.config import Settings
from bot.files import private_sqlite
from bot.i18n import I18n
from bot.programme.importer import ImportResult, import_programme
from bot.programme.sources import load_programme
from bot.staff.desk import NoDesk, StaffDesk
from bot.store.database import create_engine, create_sessionmaker, migrate


@dataclass
class Services:
    """Everything a command needs, built once per process."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    i18n: I18n
    assistant: Assistant
    accounts: AccountDirectory
    clock: Clock
    # The key of invite hashes: INVITE_SECRET, or the one the store keeps (never a default).
    invite_secret: SecretStr
    # The calendar subscriptions (their links are keyed by the invite secret too).
    calendars: CalendarFeeds
    # Replaced by the Slack console when it runs in this process.
    desk: StaffDesk = field(default_factory=NoDesk)


@cache
def _catalogs() -> I18n:
    """The catalogs, read once per process: they are files shipped with the code."""
    return I18n()


@cache
def _lexicons() -> Lexicons:
    """The lexicons and glossary, compiled once per process for the same reason."""
    return Lexicons()


@asynccontextmanager
async def services(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Services]:
    """Build the engine (migrating the schema), catalogs and assistant; dispose on exit."""
    url = settings.resolved_database_url()
    private_sqlite(url)
    engine = create_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    try:
        await migrate(engine)
        i18n = _catalogs()
        clock = clock or clock_from(settings.bot_now)
        sessions = create_sessionmaker(engine)
        configured = settings.invite_secret.get_secret_value() if settings.invite_secret else None
        async with sessions.begin() as session:
            secret = await invite_secret(session, configured, clock.now())
        assistant = Assistant(i18n, _lexicons())
        yield Services(
            settings=settings,
            engine=engine,
            sessions=sessions,
            i18n=i18n,
            assistant=assistant,
            accounts=AccountDirectory(),
            clock=clock,
            invite_secret=SecretStr(secret),
            calendars=CalendarFeeds(sessions, assistant, i18n, secret, settings.slack_language),
        )
    finally:
        await engine.dispose()


async def import_file(app: Services, path: Path) -> ImportResult:
    """Validate and import a programme file (YAML or workbook) in one transaction."""
    doc = load_programme(path)
    async with app.sessions.begin() as session:
        result = await import_programme(
            session,
            doc,
            invite_secret=app.invite_secret.get_secret_value(),
            now=app.clock.now(),
        )
    # Published at once, so that the calendars' revision times are the import's.
    await app.calendars.sync(app.clock.now())
    return result
