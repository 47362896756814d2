"""Alembic environment: runs on the connection the application hands over."""

import asyncio

from alembic import context
from sqlalchemy import Connection

from bot.config import Settings
from bot.store.database import create_engine
from bot.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    # The application's engine, so DATABASE_URL means the same here (libpq options and all).
    engine = create_engine(Settings().resolved_database_url())
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


if connection is not None:
    _run(connection)
else:
    # Command-line use (``alembic revision --autogenerate``): connect from the environment.
    asyncio.run(_run_from_settings())
