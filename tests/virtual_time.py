"""Virtual time for the sender's pace: seconds pass only when everything waits for them.

The sender's gate sleeps on this clock, and the fake Bot API measures Telegram's limits on
it. Time jumps to the earliest sleeper's moment once nothing is on the wire (no request
to the fake unanswered, except the ones it holds on purpose) and no session holds a connection, so
a minute of sending takes a moment of the test's time and nothing waits on the real clock.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.telegram.request import AiohttpRequest


class VirtualTime:
    """A Timer (seconds since the epoch, and sleep) and a Clock (now as a datetime)."""

    def __init__(self, start: datetime) -> None:
        self.t = start.timestamp()
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._added = asyncio.Event()
        # Work that must finish before time may move: requests on the wire, connections in use.
        self.busy = 0
        # Requests the fake holds on purpose (a hang): time goes on while they wait.
        self.held: Callable[[], int] = lambda: 0

    def now(self) -> float:
        """Seconds since the epoch, virtually."""
        return self.t

    def clock(self) -> VirtualClock:
        """The same time as a bot.clock.Clock."""
        return VirtualClock(self)

    async def sleep(self, seconds: float) -> None:
        """Return when virtual time has advanced by ``seconds``."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.t + seconds, next(self._order), future))
        self._added.set()
        await future

    async def run(self) -> None:
        """Advance time whenever everything waits for it (run as a task; cancel to stop)."""
        while True:
            await self._settle()
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)  # cancelled
            if not self._sleepers:
                self._added.clear()
                await self._added.wait()
                continue
            self.t = max(self.t, self._sleepers[0][0])
            while self._sleepers and self._sleepers[0][0] <= self.t:
                _, _, future = heapq.heappop(self._sleepers)
                if not future.done():
                    future.set_result(None)

    async def _settle(self) -> None:
        quiet = 0
        while quiet < 30:
            await asyncio.sleep(0)
            quiet = 0 if self.busy > self.held() else quiet + 1

    def watch(self, engine: AsyncEngine) -> None:
        """Count every connection out of the pool as work in progress.

        A connection is out of the pool only while a session talks to the store: its
        statements, and also its BEGIN, COMMIT and the reset on return, which are on the wire
        too and would otherwise let time jump while a commit is under way.
        """

        def out(*_: Any) -> None:
            self.busy += 1

        def back(*_: Any) -> None:
            self.busy -= 1

        event.listen(engine.sync_engine, "checkout", out)
        event.listen(engine.sync_engine, "checkin", back)


class VirtualClock:
    """The virtual time as a Clock."""

    def __init__(self, time: VirtualTime) -> None:
        self.time = time

    def now(self) -> datetime:
        """The virtual instant."""
        return datetime.fromtimestamp(self.time.t, UTC)


class CountingRequest(AiohttpRequest):
    """The bot's real HTTP backend, counting requests on the wire as work in progress."""

    def __init__(self, time: VirtualTime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.time = time

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send one request, time standing still until it is answered."""
        self.time.busy += 1
        try:
            return await super().do_request(*args, **kwargs)
        finally:
            self.time.busy -= 1
