"""The calendar feeds use case: a token in, the reader's current calendar out."""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.assistant.service import Assistant
from bot.calendars import entries, links
from bot.calendars.render import Reader, render
from bot.i18n import I18n
from bot.store.models import CalendarEntry, Participant, Programme

# Fetches of one feed a bucket holds, and how many seconds refill one: calendars poll
# every few minutes to hours, several devices per person; a loop is cut short.
BURST = 20
REFILL_SECONDS = 30.0
STAFF_ALARM_MINUTES = 30


@dataclass(frozen=True)
class Feed:
    """A rendered calendar with what HTTP caches validate it by."""

    body: bytes
    etag: str
    last_modified: datetime | None


class RateLimited(Exception):
    """Too many fetches of one feed; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after:.0f} s")
        self.retry_after = retry_after


class Buckets:
    """A token bucket per feed, on the injected clock; the least recently used are dropped."""

    def __init__(self, burst: int = BURST, refill: float = REFILL_SECONDS, size: int = 10_000):
        self.burst, self.refill, self.size = burst, refill, size
        self._levels: OrderedDict[str, tuple[float, datetime]] = OrderedDict()

    def take(self, key: str, now: datetime) -> float | None:
        """Take one fetch; return None if allowed, else the seconds until one is."""
        level, since = self._levels.pop(key, (float(self.burst), now))
        elapsed = max((now - since).total_seconds(), 0.0)
        level = min(float(self.burst), level + elapsed / self.refill)
        if level < 1:
            self._levels[key] = (level, now)
            return math.ceil((1 - level) * self.refill)
        self._levels[key] = (level - 1, now)
        while len(self._levels) > self.size:
            self._levels.popitem(last=False)
        return None


class CalendarFeeds:
    """Renders feeds from the published entries, cached per revision and reader."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        assistant: Assistant,
        i18n: I18n,
        secret: str,
        staff_language: str,
        *,
        cache_size: int = 1024,
    ) -> None:
        self.sessions = sessions
        self.assistant = assistant
        self.i18n = i18n
        self.secret = secret
        self.staff_language = staff_language
        self.buckets = Buckets()
        self._entries: tuple[int, list[CalendarEntry], Programme] | None = None
        self._feeds: OrderedDict[tuple[object, ...], Feed] = OrderedDict()
        self._cache_size = cache_size

    async def sync(self, now: datetime) -> None:
        """Publish what changed since the last sync (nothing when the revision is unchanged)."""
        async with self.sessions() as session:
            current = await session.scalar(select(Programme.revision))
            if current is None or await entries.synced_revision(session) >= current:
                return
        self.assistant.invalidate()
        async with self.sessions.begin() as session:
            k = await self.assistant.knowledge(session)
            if k is not None:
                await entries.sync(session, k, now)

    async def _published(
        self, session: AsyncSession
    ) -> tuple[int, list[CalendarEntry], Programme] | None:
        """The published entries, read again only when a sync has moved the revision."""
        # The revision is read before the entries: they are at least that recent.
        revision = await entries.synced_revision(session)
        cached = self._entries
        if cached is not None and cached[0] == revision:
            return cached
        programme = await session.scalar(select(Programme))
        if programme is None:
            return None
        rows = list(await session.scalars(select(CalendarEntry)))
        self._entries = (revision, rows, programme)
        self._feeds.clear()
        return self._entries

    async def _render(self, session: AsyncSession, reader_key: tuple[str | None, str, int]) -> Feed:
        published = await self._published(session)
        revision = published[0] if published else -1
        key = (revision, *reader_key)
        feed = self._feeds.get(key)
        if feed is not None:
            self._feeds.move_to_end(key)
            return feed
        audience, language, alarm = reader_key
        reader = Reader(audience, self.i18n.translator(language), alarm)
        if published is None:
            body, modified = render({}, language, [], reader), None
        else:
            _, rows, programme = published
            body = render(programme.title, programme.default_language, rows, reader)
            shown = [e.modified_at for e in rows if audience is None or audience in e.audience]
            shown += [e.modified_at for e in rows if audience in e.former]
            modified = max(shown, default=None)
        feed = Feed(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', modified)
        self._feeds[key] = feed
        while len(self._feeds) > self._cache_size:
            self._feeds.popitem(last=False)
        return feed

    @staticmethod
    def _participant_reader(participant: Participant) -> tuple[str | None, str, int]:
        return (
            entries.audience_token(participant.group_key),
            participant.effective_language,
            max(participant.reminder_minutes, 0),
        )

    async def participant_file(self, participant: Participant, now: datetime) -> bytes | None:
        """A participant's calendar as a file (None before any import)."""
        await self.sync(now)
        async with self.sessions() as session:
            if await session.scalar(select(Programme.key)) is None:
                return None
            return (await self._render(session, self._participant_reader(participant))).body

    async def token(self, owner: str, now: datetime, *, reset: bool = False) -> str:
        """The token of an owner's feed (made on first use); ``reset`` revokes the old one."""
        async with self.sessions.begin() as session:
            return await links.token_for(session, self.secret, owner, now, reset=reset)

    async def opens(self, token: str) -> bool:
        """Whether a token opens a feed."""
        async with self.sessions() as session:
            return await links.owner_of(session, token) is not None

    async def feed(self, token: str, now: datetime) -> Feed | None:
        """The feed a token opens; None for a wrong or revoked token (RateLimited if abused)."""
        async with self.sessions() as session:
            owner = await links.owner_of(session, token)
            if owner is None:
                return None
            key = links.participant_key(owner)
            participant = await session.get(Participant, key) if key is not None else None
        if key is not None and participant is None:
            return None  # left the roster
        wait = self.buckets.take(owner, now)
        if wait is not None:
            raise RateLimited(wait)
        await self.sync(now)
        reader = (
            self._participant_reader(participant)
            if participant is not None
            else (None, self.i18n.negotiate(self.staff_language), STAFF_ALARM_MINUTES)
        )
        async with self.sessions() as session:
            return await self._render(session, reader)
