"""Read a whole store's content, to prove an operation changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.store.database import create_engine
from bot.store.models import Base


async def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, ordered by primary key."""
    engine = create_engine(url)
    content: dict[str, list[tuple[Any, ...]]] = {}
    try:
        async with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                rows = await connection.execute(select(table).order_by(*table.primary_key))
                content[table.name] = [tuple(row) for row in rows]
    finally:
        await engine.dispose()
    return content
