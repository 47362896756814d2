"""Pacing of sends: one rate in all, a gap per chat, and a pause after the platform's RetryAfter.

The rate and the gaps are kept in the sender's process, with no database round trip per
send: the messages ready to go take their turn in order, and each takes its slot only at
the moment it goes, after checking for a pause, so a pause stops every call not yet on the
wire. Several sender processes split the rate between them (``DELIVERY_SENDERS``). On
PostgreSQL a RetryAfter is also written to a row that every sender of the bot reads at
most every ``refresh`` seconds, so a pause reaches the other processes within that time.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import DeliveryPause

log = logging.getLogger(__name__)


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
    """How fast one sender may send: in all, to one private chat, to one group chat."""

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
        # The due moment of the next send in all.
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, float] = {}
        # When the last sends went out: never more than ``rate`` of them within one second,
        # however late some were woken (a slack of one under Telegram's 30 for arrival jitter).
        self._window: deque[float] = deque(maxlen=max(1, math.floor(limits.rate)))
        # Waiters queue here in order, so each slot wakes one sender, not all of them.
        self._turn = asyncio.Lock()
        # How far ahead of its slot a send may go: half an interval, and at a high rate a few
        # milliseconds, so the pace survives a busy event loop without bursts to catch up.
        self._slack = max(limits.interval / 2, min(limits.interval * 8, 0.015))

    def paused_until(self) -> float:
        """When the current pause ends (in the past when there is none)."""
        return self._paused_until

    def chat_free_at(self, chat_id: int) -> float:
        """When this chat may get its next message."""
        return self._chats.get(chat_id, 0.0)

    async def acquire(self, chat_id: int, deadline: float | None = None) -> bool:
        """Return True at the moment a message to ``chat_id`` may go, the slot taken then; or
        False, taking no slot, once ``deadline`` has passed without one."""
        while True:
            await self._wait_for(lambda: max(self.chat_free_at(chat_id), self._paused_until))
            # Senders take their turn in order, each waiting for its own moment to come.
            async with self._turn:
                await self._wait_for(self._free)
                await self._refresh()
                now = self.timer.now()
                if deadline is not None and now > deadline:
                    return False
                if self._paused_until > now or self.chat_free_at(chat_id) > now:
                    continue  # a pause began meanwhile (or the chat was written to)
                # The next slot is one interval after this one or after its due moment,
                # whichever is later: a sender woken a little late keeps the pace, one
                # stalled for long does not send a burst to catch up.
                self._next = max(self._next, now) + self.limits.interval
                self._chats[chat_id] = now + self.limits.gap(chat_id)
                if self.limits.rate > 0:
                    self._window.append(now)
                return True

    def _free(self) -> float:
        """When the next send may go in all: its slot (less a little slack), the window, a pause."""
        return max(self._next - self._slack, self._window_free(), self._paused_until)

    def _window_free(self) -> float:
        """When a send keeps at most ``rate`` sends within any one second."""
        if self.limits.rate <= 0 or len(self._window) < (self._window.maxlen or 1):
            return 0.0
        return self._window[0] + 1.0

    async def _refresh(self) -> None:
        """Learn of pauses set by other processes (nothing to do in one process)."""

    async def _wait_for(self, moment: Callable[[], float]) -> None:
        while (delay := moment() - self.timer.now()) > 0:
            await self.timer.sleep(delay)

    async def pause(self, seconds: float) -> float:
        """Send nothing at all for ``seconds`` from now; return when the pause ends."""
        self._pause_until(self.timer.now() + seconds)
        return self._paused_until

    def _pause_until(self, until: float) -> None:
        if until > self._paused_until:
            self._paused_until = until
            # Sending resumes at its end, at the pace, with no burst to catch up.
            self._next = max(self._next, until)


class SharedGate(Gate):
    """A gate whose pauses reach every sender of the bot through a PostgreSQL row."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        limits: Limits,
        timer: Timer | None = None,
        bot_id: int = 0,
        refresh: float = 0.25,
    ) -> None:
        super().__init__(limits, timer)
        self.sessions = sessions
        self.bot_id = bot_id
        self.refresh = refresh
        self._read_at = float("-inf")
        self._reading: asyncio.Task[None] | None = None

    async def _refresh(self) -> None:
        """Make sure the shared pause known here was read less than ``refresh`` seconds ago.

        A new reading starts in the background once the last is half that old, so a slot
        rarely waits for the database; it waits only when no reading is recent enough.
        """
        age = self.timer.now() - self._read_at
        if age < self.refresh / 2:
            return
        if self._reading is None or self._reading.done():
            self._reading = asyncio.ensure_future(self._read())
        if age >= self.refresh:
            # One reading at a time, awaited by every slot that comes meanwhile.
            await asyncio.shield(self._reading)

    async def _read(self) -> None:
        started = self.timer.now()
        try:
            async with self.sessions() as session:
                until = await session.scalar(
                    select(DeliveryPause.paused_until).where(DeliveryPause.bot_id == self.bot_id)
                )
        except Exception:
            # The store is out of reach: this process's own pauses still hold meanwhile.
            log.warning("the shared delivery pause could not be read", exc_info=True)
            until = None
        # What was read is as recent as the moment the reading began.
        self._read_at = max(self._read_at, started)
        if until is not None:
            self._pause_until(until)

    async def pause(self, seconds: float) -> float:
        """Pause every sender of the bot, in this process at once and in the others by the row."""
        until = await super().pause(seconds)
        insert = pg_insert(DeliveryPause).values(bot_id=self.bot_id, paused_until=until)
        async with self.sessions.begin() as session:
            # One statement; a longer pause already written by another sender stays.
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=["bot_id"],
                    set_={"paused_until": insert.excluded.paused_until},
                    where=DeliveryPause.paused_until < insert.excluded.paused_until,
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
    """A gate sharing its pauses on PostgreSQL (several senders), an in-process one elsewhere."""
    if dialect == "postgresql":
        return SharedGate(sessions, limits, timer, bot_id)
    return Gate(limits, timer)


Pace = Callable[[], Awaitable[None]]
