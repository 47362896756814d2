"""What the store says about the deployment's health: sweep runs, outbox backlog, accounts.

Read from the store, so that every process of a deployment reports the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import DeliveryStatus, MessageKind, Outgoing, Participant, SweepRun


@dataclass(frozen=True)
class Backlog:
    """Pending outbox rows of one kind: how many, and how long the oldest due one has waited."""

    kind: str
    pending: int
    # Seconds since the oldest due row became due; 0 when none is due yet.
    oldest_due_age: float


@dataclass(frozen=True)
class Sweep:
    """One sweep's record: runs to the end, and the last one's time."""

    name: str
    runs: int
    last_success_at: datetime


@dataclass(frozen=True)
class Accounts:
    """Participants with a linked Telegram account, and those who cannot be reached."""

    linked: int
    unreachable: int


async def record_sweep(session: AsyncSession, name: str, now: datetime) -> None:
    """Count one finished run of a sweep, in one statement (several clocks may overlap)."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(SweepRun).values(name=name, runs=1, last_success_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["name"],
        set_={"runs": SweepRun.runs + 1, "last_success_at": statement.excluded.last_success_at},
    )
    await session.execute(statement)


async def sweeps(session: AsyncSession) -> list[Sweep]:
    """Every sweep that has ever finished, by name."""
    rows = await session.scalars(select(SweepRun).order_by(SweepRun.name))
    return [Sweep(r.name, r.runs, r.last_success_at) for r in rows]


async def backlog(session: AsyncSession, now: datetime) -> list[Backlog]:
    """Pending outbox rows by kind, with the age of the oldest one already due."""
    pending = Outgoing.status == DeliveryStatus.PENDING
    counts = {
        kind: count
        for kind, count in await session.execute(
            select(Outgoing.kind, func.count()).where(pending).group_by(Outgoing.kind)
        )
    }
    oldest = {
        kind: due
        for kind, due in await session.execute(
            select(Outgoing.kind, func.min(Outgoing.not_before))
            .where(pending, Outgoing.not_before <= now)
            .group_by(Outgoing.kind)
        )
    }
    result = []
    # Every kind, empty ones at zero: a series that vanishes when the outbox drains would
    # leave graphs and alerts at their last value.
    for kind in sorted(set(counts) | {k.value for k in MessageKind}):
        due = oldest.get(kind)
        age = 0.0 if due is None else max(0.0, (now - _aware(due)).total_seconds())
        result.append(Backlog(kind, counts.get(kind, 0), age))
    return result


async def oldest_due_age(session: AsyncSession, now: datetime) -> float:
    """Seconds the oldest due pending message has waited (0 when none): one indexed query."""
    due = await session.scalar(
        select(func.min(Outgoing.not_before)).where(
            Outgoing.status == DeliveryStatus.PENDING, Outgoing.not_before <= now
        )
    )
    return 0.0 if due is None else max(0.0, (now - _aware(due)).total_seconds())


async def outbox_totals(session: AsyncSession) -> dict[tuple[str, str], int]:
    """Outbox rows by (kind, status): the store's record of what was sent and what failed."""
    rows = await session.execute(
        select(Outgoing.kind, Outgoing.status, func.count()).group_by(
            Outgoing.kind, Outgoing.status
        )
    )
    return {(kind, status): count for kind, status, count in rows}


async def accounts(session: AsyncSession) -> Accounts:
    """How many participants are linked, and how many of them blocked the bot."""
    linked = Participant.telegram_user_id.is_not(None)
    row = (
        await session.execute(
            select(
                func.count().filter(linked),
                func.count().filter(linked, Participant.unreachable.is_(True)),
            )
        )
    ).one()
    return Accounts(int(row[0] or 0), int(row[1] or 0))


def _aware(value: datetime) -> datetime:
    # Aggregates bypass the column type: SQLite hands back a naive UTC time or a string.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
