"""The outbox sender: claims due rows and sends each at the platform's pace, on its own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery.outbox import Outcome, claim, quiet_until, record
from bot.delivery.pace import Gate, Limits, SharedGate, SystemTimer, Timer
from bot.delivery.port import (
    Rejected,
    RetryLater,
    Sender,
    SendError,
    Transient,
    Unknown,
    Unreachable,
)
from bot.observers import DeliveryObserver, NoObserver
from bot.store.models import DeliveryStatus, Outgoing

log = logging.getLogger(__name__)


class LeaseEnded(Exception):
    """A claimed row's lease ended before its call went out: it is not sent."""


@dataclass
class DeliveryPolicy:
    """Pace and retry rules (Telegram: 30 messages a second, one a second per chat)."""

    rate: float = Limits.rate
    per_chat_interval: float = Limits.per_chat
    per_group_interval: float = Limits.per_group
    max_attempts: int = 6
    backoff: float = 2.0  # seconds before the second try; doubles after each failure
    # Rows claimed at a time (at least); a sender keeps at most about twice as many claimed.
    batch: int = 32
    # Seconds of sending each claim takes at least: at a high rate a claim is larger, so the
    # next one (a few round trips, slower on a busy machine) is done before the rows run out.
    claim_ahead: float = 0.25
    # Messages being sent at once: each goes on its own, so a slow one holds only itself.
    in_flight: int = 32
    lease: timedelta = timedelta(minutes=2)
    # Seconds added to a RetryAfter pause: the platform counts from its own clock.
    pause_margin: float = 0.25
    # Seconds one call may stay unanswered on the wire before its message is given up on
    # for now (and retried like a network error); waiting for a slot does not count.
    send_timeout: float = 15.0
    # Seconds an outcome may wait to be recorded with the next ones (a sender killed meanwhile
    # sends those rows again after their lease).
    record_every: float = 0.05
    # Seconds at least before a message whose outcome is unknown (it went out, no answer came)
    # is sent again: it may have arrived, and a platform slow to answer needs no more load.
    unknown_delay: float = 30.0

    @property
    def claim_size(self) -> int:
        """Rows claimed at a time: a batch, or ``claim_ahead`` seconds at the rate if more."""
        return max(self.batch, math.ceil(self.rate * self.claim_ahead))

    @property
    def limits(self) -> Limits:
        """The pace as the gate needs it."""
        return Limits(self.rate, self.per_chat_interval, self.per_group_interval)


class Drainer:
    """Sends what is due; everything it learns goes back to the outbox."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sender: Sender,
        clock: Clock,
        policy: DeliveryPolicy | None = None,
        gate: Gate | None = None,
        timer: Timer | None = None,
        observer: DeliveryObserver | None = None,
    ) -> None:
        self.sessions = sessions
        self.sender = sender
        self.clock = clock
        self.policy = policy or DeliveryPolicy()
        self.timer = timer or (gate.timer if gate is not None else SystemTimer())
        self.gate = gate or Gate(self.policy.limits, self.timer)
        # Chats with a message being sent by this process: a second one waits its turn.
        self._busy_chats: set[int] = set()
        # Rows this process holds (queued, on the wire, or sent with the outcome not yet
        # written): a claim that takes one again after its lease only extends the lease, so a
        # message sent but not yet recorded is never sent a second time by this process.
        self._held: dict[int, Outgoing] = {}
        self.observer = observer or NoObserver()

    async def drain_once(self) -> int:
        """Claim one batch and send it; return how many rows were handled."""
        rows = await self._claim(self.policy.claim_size)
        if not rows:
            return 0
        outcomes = await asyncio.gather(*(self._deliver(row) for row in rows))
        async with self.sessions.begin() as session:
            done = [o for o in outcomes if o is not None]
            await record(session, done)
        self.observer.handled(rows, done)
        return len(rows)

    async def _claim(self, limit: int) -> list[Outgoing]:
        # Senders in several processes keep each chat's gap through what they claim.
        gaps = (
            (self.policy.per_chat_interval, self.policy.per_group_interval)
            if isinstance(self.gate, SharedGate)
            else None
        )
        async with self.sessions.begin() as session:
            rows = await claim(session, self.clock.now(), limit, self.policy.lease, gaps)
            session.expunge_all()
        return rows

    async def _deliver(self, row: Outgoing) -> Outcome | None:
        """Send one row if it is still worth sending now; return what happened (None: the row
        is no longer this sender's to record)."""
        now = self.clock.now()
        if row.expires_at is not None and now >= row.expires_at:
            log.info(
                "outbox #%d (%s to %s) dropped: its moment passed at %s",
                row.id,
                row.kind,
                row.participant_key,
                row.expires_at.isoformat(timespec="minutes"),
            )
            return Outcome(row.id, DeliveryStatus.EXPIRED, now, row.attempts)
        held = None if row.urgent else quiet_until(now, row.timezone)
        if held is not None:
            return Outcome(row.id, DeliveryStatus.PENDING, now, row.attempts, not_before=held)
        if self._lease_ended(row):
            return None
        wait = self.gate.chat_free_at(row.chat_id) - self.timer.now()
        if row.chat_id in self._busy_chats or wait > 0:
            # This chat just got a message: let the others go first.
            later = now + timedelta(seconds=max(wait, self.policy.per_chat_interval))
            return Outcome(row.id, DeliveryStatus.PENDING, now, row.attempts, not_before=later)
        self._busy_chats.add(row.chat_id)
        try:
            outcome = await self._send(row, now)
        except LeaseEnded:
            log.info("outbox #%d (%s): its lease ended before it went out", row.id, row.kind)
            return None
        finally:
            self._busy_chats.discard(row.chat_id)
        self._log(row, outcome)
        return outcome

    async def _bounded(self, row: Outgoing) -> int:
        """Send a row, giving up on a call that stays unanswered for ``send_timeout``."""
        on_wire = asyncio.Event()
        deadline = [0.0]

        async def pace() -> None:
            # No slot after the lease (less a margin): another sender may take the row then.
            if not await self.gate.acquire(row.chat_id, self._lease_deadline(row)):
                raise LeaseEnded(row.id)
            deadline[0] = self.timer.now() + self.policy.send_timeout
            on_wire.set()

        sending = asyncio.ensure_future(self.sender.send(row.chat_id, row.text, row.buttons, pace))
        while not sending.done():
            if not on_wire.is_set():
                await asyncio.wait(
                    {sending, asyncio.ensure_future(on_wire.wait())},
                    return_when=asyncio.FIRST_COMPLETED,
                )
                continue
            on_wire.clear()
            timer = asyncio.ensure_future(self.timer.sleep(deadline[0] - self.timer.now()))
            await asyncio.wait({sending, timer}, return_when=asyncio.FIRST_COMPLETED)
            timer.cancel()
            if not sending.done() and not on_wire.is_set():
                sending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sending
                raise Unknown(f"no answer within {self.policy.send_timeout:g} s")
        return sending.result()

    def _lease_deadline(self, row: Outgoing) -> float | None:
        """The last moment (timer seconds) a call may go out for the row: its lease must
        outlast the call's answer and its recording, or another sender may take it meanwhile."""
        if row.claimed_until is None:
            return None
        margin = min(self.policy.send_timeout, self.policy.lease.total_seconds() / 4)
        left = (row.claimed_until - self.clock.now()).total_seconds() - margin
        return self.timer.now() + left

    def _lease_ended(self, row: Outgoing) -> bool:
        """Whether the row was held so long (a long pause, a long queue) that it is not ours."""
        deadline = self._lease_deadline(row)
        return deadline is not None and deadline <= self.timer.now()

    async def _send(self, row: Outgoing, now: datetime) -> Outcome:
        try:
            message_id = await self._bounded(row)
        except RetryLater as exc:
            # Nothing more goes out, from any sender of the bot, until the platform's wait ends.
            until = await self.gate.pause(exc.seconds + self.policy.pause_margin)
            later = self.clock.now() + timedelta(seconds=until - self.timer.now())
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
            return self._retry(row, now, exc)
        return Outcome(
            row.id, DeliveryStatus.SENT, self.clock.now(), row.attempts + 1, message_id=message_id
        )

    def _retry(self, row: Outgoing, now: datetime, exc: SendError) -> Outcome:
        attempts = row.attempts + 1
        error = str(exc)
        if isinstance(exc, Unknown):
            error = f"outcome unknown, it may arrive twice ({exc})"
        if attempts >= self.policy.max_attempts:
            return Outcome(row.id, DeliveryStatus.FAILED, now, attempts, error=error)
        delay = self.policy.backoff * 2 ** (attempts - 1)
        if isinstance(exc, Unknown):
            delay = max(delay, self.policy.unknown_delay)
        later = self.clock.now() + timedelta(seconds=delay)
        return Outcome(row.id, DeliveryStatus.PENDING, now, attempts, error=error, not_before=later)

    @staticmethod
    def _log(row: Outgoing, o: Outcome) -> None:
        """One line per outcome, never the text."""
        who = f"outbox #{row.id} ({row.kind} to {row.participant_key}, attempt {o.attempts})"
        if o.status == DeliveryStatus.SENT:
            log.info("%s: sent", who)
        elif o.status == DeliveryStatus.PENDING and o.not_before is not None:
            log.info(
                "%s: %s; again at %s", who, o.error, o.not_before.isoformat(timespec="seconds")
            )
        else:
            log.info("%s: %s (%s)", who, o.status, o.error)

    async def run(self, stop: asyncio.Event, idle: float = 1.0) -> None:
        """Send until ``stop`` is set, looking for new rows every ``idle`` seconds.

        Rows are claimed ahead into a queue; ``in_flight`` workers take one row each, and
        every outcome is recorded as soon as it is known, a few at a time. On stop, what is
        on the wire finishes and is recorded; rows not yet started are released at once.
        """
        queue: asyncio.Queue[Outgoing] = asyncio.Queue()
        outcomes: list[Outcome] = []
        ready, low, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()
        workers = [
            asyncio.create_task(self._worker(queue, outcomes, ready, low))
            for _ in range(self.policy.in_flight)
        ]
        recorder = asyncio.create_task(self._recorder(outcomes, ready, finished))
        try:
            await self._claimer(queue, stop, low, idle)
        finally:
            now = self.clock.now()
            while not queue.empty():
                row = queue.get_nowait()
                outcomes.append(Outcome(row.id, DeliveryStatus.PENDING, now, row.attempts))
                queue.task_done()
            await queue.join()
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            finished.set()
            ready.set()
            await recorder

    async def _claimer(
        self,
        queue: asyncio.Queue[Outgoing],
        stop: asyncio.Event,
        low: asyncio.Event,
        idle: float,
    ) -> None:
        while not stop.is_set():
            rows: list[Outgoing] = []
            try:
                rows = await self._claim(self.policy.claim_size)
            except Exception:
                # A database hiccup must not end delivery; claimed rows stay claimed
                # until their lease ends and are sent then.
                log.exception("outbox claim failed; retrying")
            fresh = []
            for row in rows:
                held = self._held.get(row.id)
                if held is not None:
                    held.claimed_until = row.claimed_until
                else:
                    self._held[row.id] = row
                    fresh.append(row)
            for row in fresh:
                queue.put_nowait(row)
            # Only rows new to the queue wake a worker, which tells when to claim again.
            if fresh:
                # Claim again once the queue is down to less than a batch.
                low.clear()
                await self._until(stop, low.wait())
            else:
                await self._until(stop, self.timer.sleep(idle))

    @staticmethod
    async def _until(stop: asyncio.Event, waiting: Coroutine[Any, Any, Any]) -> None:
        """Wait for ``waiting`` unless ``stop`` is set first."""
        tasks = {asyncio.ensure_future(waiting), asyncio.ensure_future(stop.wait())}
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()

    async def _worker(
        self,
        queue: asyncio.Queue[Outgoing],
        outcomes: list[Outcome],
        ready: asyncio.Event,
        low: asyncio.Event,
    ) -> None:
        while True:
            row = await queue.get()
            if queue.qsize() < self.policy.claim_size:
                low.set()
            try:
                outcome = await self._deliver(row)
                if outcome is not None:
                    outcomes.append(outcome)
                    ready.set()
                    self.observer.handled([row], [outcome])
                else:
                    self._held.pop(row.id, None)  # not sent: the next claim may take it
            except Exception:
                # The row stays claimed and is tried again when its lease ends.
                self._held.pop(row.id, None)
                log.exception("outbox #%d could not be sent", row.id)
            finally:
                queue.task_done()

    async def _recorder(
        self, outcomes: list[Outcome], ready: asyncio.Event, finished: asyncio.Event
    ) -> None:
        while not (finished.is_set() and not outcomes):
            await ready.wait()
            ready.clear()
            if not outcomes:
                continue
            if not finished.is_set():
                # A moment for more outcomes to come: one transaction records them all.
                await self._until(finished, self.timer.sleep(self.policy.record_every))
            batch = outcomes[:]
            del outcomes[: len(batch)]
            try:
                async with self.sessions.begin() as session:
                    await record(session, batch)
                for outcome in batch:
                    self._held.pop(outcome.row_id, None)
            except Exception:
                log.exception("outbox outcomes could not be recorded; retrying")
                outcomes[:0] = batch
                await asyncio.sleep(1.0)
                ready.set()
