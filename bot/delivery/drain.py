"""The outbox sender: claims due rows and sends them at the platform's pace."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery.outbox import Outcome, claim, quiet_until, record
from bot.delivery.port import Rejected, RetryLater, Sender, Transient, Unreachable
from bot.observers import DeliveryObserver, NoObserver
from bot.store.models import DeliveryStatus, Outgoing

log = logging.getLogger(__name__)


@dataclass
class DeliveryPolicy:
    """Pace and retry rules (Telegram: about 30 messages a second, one a second per chat)."""

    rate: float = 30.0
    per_chat_interval: float = 1.0
    max_attempts: int = 6
    backoff: float = 2.0  # seconds before the second try; doubles after each failure
    # A batch is what may be sent twice after a crash (sent, outcome not yet recorded).
    batch: int = 32
    in_flight: int = 32
    # Loops claiming and sending side by side, so one records while another sends.
    workers: int = 2
    lease: timedelta = timedelta(minutes=2)


class Pacer:
    """Spaces sends to a global rate and pauses everything after a RetryAfter."""

    def __init__(
        self,
        rate: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0

    async def wait(self) -> None:
        """Return when the next message may go."""
        now = self._monotonic()
        slot = max(now, self._next, self._paused_until)
        self._next = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """Send nothing at all for a while (the platform said so)."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)


class Drainer:
    """Sends what is due; everything it learns goes back to the outbox."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sender: Sender,
        clock: Clock,
        policy: DeliveryPolicy | None = None,
        pacer: Pacer | None = None,
        observer: DeliveryObserver | None = None,
    ) -> None:
        self.sessions = sessions
        self.sender = sender
        self.clock = clock
        self.policy = policy or DeliveryPolicy()
        self.pacer = pacer or Pacer(self.policy.rate)
        self._last_per_chat: dict[int, float] = {}
        self.observer = observer or NoObserver()

    async def drain_once(self) -> int:
        """Claim one batch and send it; return how many rows were handled."""
        now = self.clock.now()
        async with self.sessions.begin() as session:
            rows = await claim(session, now, self.policy.batch, self.policy.lease)
            session.expunge_all()
        if not rows:
            return 0
        gate = asyncio.Semaphore(self.policy.in_flight)

        async def one(row: Outgoing) -> Outcome:
            async with gate:
                return await self._send(row)

        outcomes = await asyncio.gather(*(one(row) for row in rows))
        async with self.sessions.begin() as session:
            await record(session, list(outcomes))
        self.observer.handled(rows, outcomes)
        return len(rows)

    async def _send(self, row: Outgoing) -> Outcome:
        now = self.clock.now()
        held = None if row.urgent else quiet_until(now, row.timezone)
        if held is not None:
            return Outcome(row.id, DeliveryStatus.PENDING, now, row.attempts, not_before=held)
        last = self._last_per_chat.get(row.chat_id)
        gap = self.policy.per_chat_interval
        if last is not None and time.monotonic() - last < gap:
            # This chat just got a message: let the others go first.
            later = now + timedelta(seconds=gap)
            return Outcome(row.id, DeliveryStatus.PENDING, now, row.attempts, not_before=later)
        await self.pacer.wait()
        self._last_per_chat[row.chat_id] = time.monotonic()
        try:
            message_id = await self.sender.send(row.chat_id, row.text, row.buttons)
        except RetryLater as exc:
            self.pacer.pause(exc.seconds)
            later = self.clock.now() + timedelta(seconds=exc.seconds)
            # Asked to wait is not a failed attempt.
            return Outcome(
                row.id, DeliveryStatus.PENDING, now, row.attempts, error=str(exc), not_before=later
            )
        except Unreachable as exc:
            return Outcome(
                row.id,
                DeliveryStatus.BLOCKED,
                now,
                row.attempts + 1,
                error=str(exc),
                participant_key=row.participant_key,
            )
        except Rejected as exc:
            return Outcome(row.id, DeliveryStatus.FAILED, now, row.attempts + 1, error=str(exc))
        except Transient as exc:
            attempts = row.attempts + 1
            if attempts >= self.policy.max_attempts:
                return Outcome(row.id, DeliveryStatus.FAILED, now, attempts, error=str(exc))
            delay = self.policy.backoff * 2 ** (attempts - 1)
            later = self.clock.now() + timedelta(seconds=delay)
            return Outcome(
                row.id, DeliveryStatus.PENDING, now, attempts, error=str(exc), not_before=later
            )
        return Outcome(
            row.id, DeliveryStatus.SENT, self.clock.now(), row.attempts + 1, message_id=message_id
        )

    async def run(self, stop: asyncio.Event, idle: float = 1.0) -> None:
        """Drain until ``stop`` is set, looking for new rows every ``idle`` seconds."""
        await asyncio.gather(*(self._loop(stop, idle) for _ in range(self.policy.workers)))

    async def _loop(self, stop: asyncio.Event, idle: float) -> None:
        while not stop.is_set():
            try:
                handled = await self.drain_once()
            except Exception:
                # A database hiccup must not end delivery; rows stay claimed until their
                # lease ends and are sent then.
                log.exception("outbox drain failed; retrying")
                handled = 0
            if handled == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle)
