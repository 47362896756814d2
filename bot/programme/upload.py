"""A new version of the programme put in by staff: preview what it changes, then import it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.compose import coalesce, is_soon
from bot.programme.importer import ImportResult, import_programme
from bot.programme.report import describe
from bot.programme.schema import ProgrammeDoc
from bot.store.models import Participant, Programme


@dataclass(frozen=True)
class EventLine:
    """One event's change and how many linked participants a notice would reach."""

    text: str
    notified: int
    # Whether the notice goes out now (the event is within the notice window) or the
    # change shows in the next daily agenda.
    soon: bool


@dataclass(frozen=True)
class Preview:
    """What importing a file would do, against the store's revision it was computed on."""

    revision: int
    first: bool
    changed: bool
    events: list[EventLine] = field(default_factory=list)
    participants_added: list[str] = field(default_factory=list)
    participants_removed: list[str] = field(default_factory=list)
    counts: ImportResult | None = None


class StaleUpload(Exception):
    """The programme changed after the preview was made: it no longer says what happens."""


async def _revision(session: AsyncSession, lock: bool = False) -> int:
    query = select(Programme.revision)
    if lock:
        query = query.with_for_update()
    return int(await session.scalar(query) or 0)


async def _people(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(Participant.key, Participant.name))
    return {str(key): str(name) for key, name in rows}


async def preview_import(
    sessions: async_sessionmaker[AsyncSession], doc: ProgrammeDoc, *, secret: str, now: datetime
) -> Preview:
    """Run the import in a transaction that is rolled back, and say what it did."""
    async with sessions() as session:
        await session.begin()
        try:
            revision = await _revision(session)
            before = await _people(session)
            result = await import_programme(session, doc, invite_secret=secret, now=now)
            after = await _people(session)
            linked = list(
                await session.execute(
                    select(Participant.group_key).where(
                        Participant.telegram_user_id.is_not(None),
                        Participant.unreachable.is_(False),
                    )
                )
            )
            lines = []
            first = "programme" in result.added
            for change in [] if first else result.changes:
                merged = coalesce([change])
                if not merged:
                    continue
                groups, everyone = merged[0].audience()
                reached = sum(1 for (group,) in linked if everyone or group in groups)
                lines.append(EventLine(describe(change, result), reached, is_soon(merged[0], now)))
        finally:
            await session.rollback()
    return Preview(
        revision=revision,
        first=first,
        changed=result.changed,
        events=lines,
        participants_added=[after[k] for k in after if k not in before],
        participants_removed=[before[k] for k in before if k not in after],
        counts=result,
    )


async def import_previewed(
    sessions: async_sessionmaker[AsyncSession],
    doc: ProgrammeDoc,
    *,
    revision: int,
    secret: str,
    now: datetime,
) -> ImportResult:
    """Import as `python -m bot import` does, unless the store moved on since the preview."""
    async with sessions.begin() as session:
        # Locked on PostgreSQL, so two imports cannot both pass the check; SQLite writes
        # one transaction at a time anyway.
        current = await _revision(session, lock=True)
        if current != revision:
            raise StaleUpload(current)
        return await import_programme(session, doc, invite_secret=secret, now=now)


@dataclass(frozen=True)
class Pending:
    """An uploaded file waiting for staff to import or cancel it."""

    token: str
    name: str
    content: bytes
    revision: int


class PendingUploads:
    """The previews waiting for a decision: the newest per channel; older ones superseded."""

    def __init__(self) -> None:
        self._by_place: dict[str, Pending] = {}

    def put(self, place: str, name: str, content: bytes, revision: int) -> Pending:
        """Keep an upload as the one to decide on in ``place``; return it with its token."""
        pending = Pending(secrets.token_urlsafe(12), name, content, revision)
        self._by_place[place] = pending
        return pending

    def take(self, place: str, token: str) -> Pending | None:
        """The upload of this token if it is still the newest, removing it; else None."""
        pending = self._by_place.get(place)
        if pending is None or not secrets.compare_digest(pending.token, token):
            return None
        del self._by_place[place]
        return pending
