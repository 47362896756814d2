"""Pacing of sends: one global rate, a gap per chat, and a pause after the platform's RetryAfter.

A slot is taken just before each call to the platform, never ahead of time, so a pause
stops every call not yet on the wire. On PostgreSQL the rate, the per-chat gaps and the
pause live in the database, shared by every sender process of the bot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import DeliveryChat, DeliveryGate


class Timer(Protocol):
    """Seconds on a clock every sender agrees on, and a way to wait on it."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return after ``seconds`` have passed on this clock."""
        ...


class SystemTimer:
    """The machine's wall clock (shared by processes through NTP)."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Sleep in real time."""
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class Limits:
    """How fast the bot may send: in all, to one private chat, to one group chat."""

    rate: float = 29.0  # Telegram allows 30 a second in all
    per_chat: float = 1.05  # seconds between messages to one chat (Telegram: one a second)
    per_group: float = 3.15  # seconds between messages to one group (Telegram: 20 a minute)

    @property
    def interval(self) -> float:
        """Seconds between two sends in all."""
        return 1.0 / self.rate if self.rate > 0 else 0.0

    def gap(self, chat_id: int) -> float:
        """Seconds between two sends to this chat (group chats have negative ids)."""
        return self.per_group if chat_id < 0 else self.per_chat


class Gate:
    """Hands out send slots in this process: the rate, each chat's gap, and the pause."""

    def __init__(self, limits: Limits, timer: Timer | None = None) -> None:
        self.limits = limits
        self.timer = timer or SystemTimer()
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, float] = {}
        # Waiters queue here in order, so each slot wakes one sender, not all of them.
        self._turn = asyncio.Lock()

    def paused_until(self) -> float:
        """When the current pause ends (in the past when there is none)."""
        return self._paused_until

    def chat_free_at(self, chat_id: int) -> float:
        """When this chat may get its next message."""
        return self._chats.get(chat_id, 0.0)

    async def acquire(self, chat_id: int) -> None:
        """Return at the moment a message to ``chat_id`` may go; the slot is taken then."""
        while True:
            await self._wait_for(lambda: self.chat_free_at(chat_id))
            async with self._turn:
                await self._wait_for(lambda: max(self._next, self._paused_until))
                now = self.timer.now()
                if await self._take(chat_id, now):
                    # Spaced from the moment it is taken: a late sender never bursts to catch up.
                    self._next = now + self.limits.interval
                    self._chats[chat_id] = now + self.limits.gap(chat_id)
                    return

    async def _take(self, chat_id: int, now: float) -> bool:
        """Take the slot where others must see it too (nothing to do in one process)."""
        return True

    async def _wait_for(self, moment: Callable[[], float]) -> None:
        while (delay := moment() - self.timer.now()) > 0:
            await self.timer.sleep(delay)

    async def pause(self, seconds: float) -> float:
        """Send nothing at all for ``seconds`` from now; return when the pause ends."""
        self._paused_until = max(self._paused_until, self.timer.now() + seconds)
        return self._paused_until


class SharedGate(Gate):
    """A gate whose slots, chat gaps and pauses are rows in PostgreSQL, for several senders."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        limits: Limits,
        timer: Timer | None = None,
        bot_id: int = 0,
    ) -> None:
        super().__init__(limits, timer)
        self.sessions = sessions
        self.bot_id = bot_id
        self._ready = False

    async def _take(self, chat_id: int, now: float) -> bool:
        async with self.sessions() as session:
            if not self._ready:
                await session.execute(
                    pg_insert(DeliveryGate)
                    .values(bot_id=self.bot_id, next_at=0.0, paused_until=0.0)
                    .on_conflict_do_nothing(index_elements=["bot_id"])
                )
                self._ready = True
            taken = await session.scalar(
                update(DeliveryGate)
                .where(
                    DeliveryGate.bot_id == self.bot_id,
                    DeliveryGate.next_at <= now,
                    DeliveryGate.paused_until <= now,
                )
                .values(next_at=now + self.limits.interval)
                .returning(DeliveryGate.bot_id)
            )
            if taken is None:
                # Another sender went first, or a pause began: wait for what the row says.
                await session.rollback()
                row = (
                    await session.execute(
                        select(DeliveryGate.next_at, DeliveryGate.paused_until).where(
                            DeliveryGate.bot_id == self.bot_id
                        )
                    )
                ).one()
                await session.rollback()
                self._next = max(self._next, row.next_at)
                self._paused_until = max(self._paused_until, row.paused_until)
                return False
            chat = pg_insert(DeliveryChat).values(
                bot_id=self.bot_id, chat_id=chat_id, next_at=now + self.limits.gap(chat_id)
            )
            free = await session.scalar(
                chat.on_conflict_do_update(
                    index_elements=["bot_id", "chat_id"],
                    set_={"next_at": chat.excluded.next_at},
                    where=DeliveryChat.next_at <= now,
                ).returning(DeliveryChat.chat_id)
            )
            if free is None:
                # Another sender wrote to this chat a moment ago: give the slot back.
                await session.rollback()
                busy = await session.scalar(
                    select(DeliveryChat.next_at).where(
                        DeliveryChat.bot_id == self.bot_id, DeliveryChat.chat_id == chat_id
                    )
                )
                await session.rollback()
                self._chats[chat_id] = max(self.chat_free_at(chat_id), float(busy or 0.0))
                return False
            await session.commit()
        return True

    async def pause(self, seconds: float) -> float:
        """Pause every sender of the bot, in this process at once and in the others by the row."""
        until = await super().pause(seconds)
        insert = pg_insert(DeliveryGate).values(bot_id=self.bot_id, next_at=0.0, paused_until=until)
        async with self.sessions.begin() as session:
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=["bot_id"],
                    set_={
                        "paused_until": func.greatest(
                            DeliveryGate.paused_until, insert.excluded.paused_until
                        )
                    },
                )
            )
        return until


def gate_for(
    sessions: async_sessionmaker[AsyncSession],
    dialect: str,
    limits: Limits,
    timer: Timer | None = None,
    bot_id: int = 0,
) -> Gate:
    """A shared gate on PostgreSQL (several senders), an in-process one elsewhere."""
    if dialect == "postgresql":
        return SharedGate(sessions, limits, timer, bot_id)
    return Gate(limits, timer)


Pace = Callable[[], Awaitable[None]]
