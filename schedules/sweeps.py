"""Idempotent sweeps over the store, run by the scheduler by import path.

Each sweep takes only the name of a runtime (a primitive), so the scheduler's jobs can be
rebuilt at any start: nothing is lost by a restart or a missed run, because every sweep
looks at the whole store and the outbox refuses duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.assistant.answer import Answerer
from bot.assistant.knowledge import Knowledge
from bot.assistant.service import Assistant
from bot.clock import Clock
from bot.delivery.compose import (
    Recipient,
    agenda_messages,
    coalesce,
    early_start_messages,
    is_soon,
    notice_messages,
    reminder_messages,
)
from bot.delivery.outbox import enqueue
from bot.i18n import I18n
from bot.operations import record_sweep
from bot.privacy import purge
from bot.staff.campaigns import queue_due, remind_unacknowledged
from bot.store.models import Change, MessageKind, Outgoing, Participant


@dataclass
class Runtime:
    """What the sweeps of one process work with."""

    sessions: async_sessionmaker[AsyncSession]
    assistant: Assistant
    i18n: I18n
    clock: Clock
    # How long after a broadcast those who have not acknowledged it get one reminder.
    ack_reminder: timedelta = timedelta(hours=1)
    # Edits to one event within this time of its first unsent edit make one notice; with the
    # change sweep every 10 seconds, a notice is queued under two minutes after an import.
    coalesce: timedelta = timedelta(seconds=90)
    # Personal data of a programme that ended longer ago is purged (None: kept).
    retention: timedelta | None = None


log = logging.getLogger(__name__)

# Filled by the composition root while its scheduler runs; empty at import.
_RUNTIMES: dict[str, Runtime] = {}


def install(name: str, runtime: Runtime) -> None:
    """Make a runtime available to the sweeps under a name."""
    _RUNTIMES[name] = runtime


def uninstall(name: str) -> None:
    """Forget a runtime (its process is stopping)."""
    _RUNTIMES.pop(name, None)


async def _recipients(session: AsyncSession) -> list[Recipient]:
    people = await session.scalars(
        select(Participant).where(
            Participant.telegram_user_id.is_not(None), Participant.unreachable.is_(False)
        )
    )
    return [Recipient.of(p) for p in people]


@dataclass
class _Sweep:
    rt: Runtime
    now: datetime
    session: AsyncSession
    knowledge: Knowledge
    answerer: Answerer


@asynccontextmanager
async def _sweep(runtime: str, name: str) -> AsyncIterator[_Sweep | None]:
    """One transaction over the current programme (None before any import), then its record."""
    rt = _RUNTIMES[runtime]
    now = rt.clock.now()
    async with rt.sessions.begin() as session:
        answerer = await rt.assistant.answerer(session)
        yield None if answerer is None else _Sweep(rt, now, session, answerer.knowledge, answerer)
    # Only a sweep whose work was committed counts: readiness and metrics read this record.
    async with rt.sessions.begin() as session:
        await record_sweep(session, name, rt.clock.now())


async def agenda_sweep(runtime: str) -> int:
    """Queue today's agenda for everyone whose local agenda time has come."""
    async with _sweep(runtime, "agenda_sweep") as sweep:
        if sweep is None:
            return 0
        rt, now, session = sweep.rt, sweep.now, sweep.session
        since = (now - timedelta(days=2)).date()
        already = {
            (key, day)
            for key, day in await session.execute(
                select(Outgoing.participant_key, Outgoing.day).where(
                    Outgoing.kind == MessageKind.AGENDA, Outgoing.day >= since
                )
            )
        }
        changed = set(
            await session.scalars(select(Change.event_key).where(Change.deferred.is_(True)))
        )
        recipients = await _recipients(session)
        messages = agenda_messages(
            sweep.knowledge, sweep.answerer, rt.i18n, recipients, now, already, changed
        )
        messages += early_start_messages(sweep.knowledge, rt.i18n, recipients, now)
        return await enqueue(session, messages, now)


async def change_sweep(runtime: str) -> int:
    """Turn settled change-log entries into notices (soon) or agenda marks (later)."""
    async with _sweep(runtime, "change_sweep") as sweep:
        if sweep is None:
            return 0
        rt, now, session, knowledge = sweep.rt, sweep.now, sweep.session, sweep.knowledge
        entries = list(await session.scalars(select(Change).where(Change.processed_at.is_(None))))
        # The first import creates the programme; there is nothing to tell about it.
        for entry in entries:
            if entry.revision <= 1:
                entry.processed_at = now
        entries = [e for e in entries if e.revision > 1]
        first: dict[str, datetime] = {}
        for entry in entries:
            first[entry.event_key] = min(
                first.get(entry.event_key, entry.created_at), entry.created_at
            )
        settled = [e for e in entries if now - first[e.event_key] >= rt.coalesce]
        recipients = await _recipients(session)
        queued = 0
        for change in coalesce(settled):
            if is_soon(change, now):
                queued += await enqueue(
                    session, notice_messages(knowledge, rt.i18n, change, recipients, now), now
                )
                deferred = False
            else:
                deferred = True
            for entry in settled:
                if entry.event_key == change.event_key:
                    entry.processed_at = now
                    entry.deferred = deferred
        for entry in settled:
            entry.processed_at = entry.processed_at or now
        return queued


async def reminder_sweep(runtime: str) -> int:
    """Queue reminders before travel and meeting-point events."""
    async with _sweep(runtime, "reminder_sweep") as sweep:
        if sweep is None:
            return 0
        recipients = await _recipients(sweep.session)
        messages = reminder_messages(sweep.knowledge, sweep.rt.i18n, recipients, sweep.now)
        return await enqueue(sweep.session, messages, sweep.now)


async def campaign_sweep(runtime: str) -> int:
    """Queue scheduled broadcasts whose time has come; remind who has not acknowledged."""
    async with _sweep(runtime, "campaign_sweep") as sweep:
        if sweep is None:
            return 0
        rt, now, session = sweep.rt, sweep.now, sweep.session
        queued = await queue_due(session, sweep.knowledge, rt.i18n, now)
        reminded = await remind_unacknowledged(
            session, sweep.knowledge, rt.i18n, now, rt.ack_reminder
        )
        return len(queued) + reminded


async def retention_sweep(runtime: str) -> int:
    """Purge personal data of a programme that ended more than the retention period ago."""
    rt = _RUNTIMES[runtime]
    if rt.retention is None:
        return 0
    now = rt.clock.now()
    async with rt.sessions.begin() as session:
        done = await purge(session, now, rt.retention, dry_run=False)
        await record_sweep(session, "retention_sweep", now)
    if done.total():
        log.info("retention: purged %d rows of personal data", done.total())
    return done.total()
