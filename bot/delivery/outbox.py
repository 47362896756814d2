"""The outbox: enqueue once per dedupe key, claim due rows, record what happened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.store.models import DeliveryStatus, MessageKind, Outgoing, Participant

QUIET_START = time(22, 0)
QUIET_END = time(7, 0)
_CHUNK = 500
# The advisory lock that makes claims across sender processes take turns (PostgreSQL).
_CLAIM_LOCK = 0x6F7574626F78  # "outbox"


def agenda_key(participant_key: str, day: date) -> str:
    """One agenda per participant and local day."""
    return f"{MessageKind.AGENDA}:{participant_key}:{day.isoformat()}"


def notice_key(event_key: str, version: int, participant_key: str) -> str:
    """One change notice per event version and participant."""
    return f"{MessageKind.NOTICE}:{event_key}:{version}:{participant_key}"


def reminder_key(event_key: str, version: int, participant_key: str) -> str:
    """One reminder per event version and participant."""
    return f"{MessageKind.REMINDER}:{event_key}:{version}:{participant_key}"


def campaign_key(kind: MessageKind, campaign_id: int, participant_key: str) -> str:
    """One broadcast or check-in message per campaign and participant."""
    return f"{kind}:{campaign_id}:{participant_key}"


def ack_reminder_key(campaign_id: int, participant_key: str) -> str:
    """One acknowledgement reminder per broadcast and participant."""
    return f"{MessageKind.ACK_REMINDER}:{campaign_id}:{participant_key}"


def relay_key(message_id: int) -> str:
    """One message per staff answer relayed."""
    return f"{MessageKind.RELAY}:{message_id}"


@dataclass(frozen=True)
class Message:
    """A rendered message for one participant, ready to be enqueued."""

    dedupe_key: str  # built by one of the *_key functions above
    kind: MessageKind
    participant_key: str
    chat_id: int
    language: str
    text: str
    timezone: str
    urgent: bool = False
    day: date | None = None
    # [label, callback data] per row of inline buttons.
    buttons: tuple[tuple[str, str], ...] = ()
    campaign_id: int | None = None
    # Not delivered after then: a reminder is useless once its event has begun.
    expires_at: datetime | None = None


def early_start_key(participant_key: str, day: date) -> str:
    """One early-start notice per participant and early day."""
    return f"{MessageKind.EARLY_START}:{participant_key}:{day.isoformat()}"


def quiet_until(now: datetime, timezone: str) -> datetime | None:
    """Return the end of the quiet hours (22:00-07:00 local) if ``now`` falls inside them."""
    local = now.astimezone(ZoneInfo(timezone))
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=ZoneInfo(timezone))


async def enqueue(session: AsyncSession, messages: Iterable[Message], now: datetime) -> int:
    """Add messages to the outbox; a dedupe key already there is left alone. Returns new rows."""
    rows = []
    for m in messages:
        held = None if m.urgent else quiet_until(now, m.timezone)
        rows.append(
            {
                "dedupe_key": m.dedupe_key,
                "kind": m.kind,
                "participant_key": m.participant_key,
                "chat_id": m.chat_id,
                "language": m.language,
                "text": m.text,
                "timezone": m.timezone,
                "urgent": m.urgent,
                "day": m.day,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "not_before": held or now,
                "created_at": now,
                "buttons": [list(b) for b in m.buttons] or None,
                "campaign_id": m.campaign_id,
                "expires_at": m.expires_at,
            }
        )
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(rows), _CHUNK):
        statement = (
            insert(Outgoing)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Outgoing.id)
        )
        result = await session.execute(statement, rows[start : start + _CHUNK])
        added += len(result.all())
    return added


def _chat_is_free(now: datetime, gaps: tuple[float, float]) -> ColumnElement[bool]:
    """No other row to the same chat is claimed, or was sent less than its gap ago."""
    other = aliased(Outgoing)
    per_chat, per_group = gaps
    return ~exists().where(
        other.chat_id == Outgoing.chat_id,
        other.id != Outgoing.id,
        or_(
            and_(other.status == DeliveryStatus.PENDING, other.claimed_until >= now),
            and_(other.chat_id >= 0, other.sent_at > now - timedelta(seconds=per_chat)),
            and_(other.chat_id < 0, other.sent_at > now - timedelta(seconds=per_group)),
        ),
    )


async def claim(
    session: AsyncSession,
    now: datetime,
    limit: int,
    lease: timedelta,
    gaps: tuple[float, float] | None = None,
) -> list[Outgoing]:
    """Take up to ``limit`` due rows for ``lease``: the urgent ones first, then the others,
    oldest first, one statement each in the caller's transaction.

    On PostgreSQL concurrent senders skip each other's rows (FOR UPDATE SKIP LOCKED); on
    SQLite each UPDATE is atomic by itself. With ``gaps`` (seconds between two messages to
    a private chat, to a group chat), a row is not taken while its chat has another one
    claimed or sent within its gap: so senders in several processes keep each chat's pace
    between them.
    """
    conditions = [
        Outgoing.status == DeliveryStatus.PENDING,
        Outgoing.not_before <= now,
        or_(Outgoing.claimed_until.is_(None), Outgoing.claimed_until < now),
    ]
    if gaps is not None:
        # One claim at a time, so each sees what the one before took (PostgreSQL's
        # statements see only what is committed when they start).
        await session.execute(select(func.pg_advisory_xact_lock(_CLAIM_LOCK)))
        conditions.append(_chat_is_free(now, gaps))
    rows: list[Outgoing] = []
    for urgent in (True, False):
        if len(rows) >= limit:
            break
        # Equality on status and urgency, then the id: the claim index gives the rows in
        # order and the scan stops at the batch, however many wait behind it.
        due = (
            select(Outgoing.id)
            .where(*conditions, Outgoing.urgent == urgent)
            .order_by(Outgoing.id)
            .limit(limit - len(rows))
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(Outgoing)
            .where(Outgoing.id.in_(due.scalar_subquery()))
            .values(claimed_until=now + lease)
            .returning(Outgoing)
            .execution_options(synchronize_session=False)
        )
        rows += sorted(await session.scalars(statement), key=lambda row: row.id)
    return rows


@dataclass
class Outcome:
    """What happened to one claimed row."""

    row_id: int
    status: DeliveryStatus
    now: datetime
    attempts: int  # the row's attempts, counting this one if a send was tried
    message_id: int | None = None
    error: str | None = None
    not_before: datetime | None = None
    participant_key: str | None = None


async def record(session: AsyncSession, outcomes: list[Outcome]) -> None:
    """Write a batch's outcomes in one statement per shape; the blocked become unreachable."""
    changes = []
    for o in outcomes:
        values: dict[str, object] = {
            "id": o.row_id,
            "status": o.status,
            "claimed_until": None,
            "attempts": o.attempts,
        }
        if o.status == DeliveryStatus.SENT:
            values.update(sent_at=o.now, message_id=o.message_id, last_error=None)
        if o.error is not None:
            values["last_error"] = o.error[:500]
        if o.not_before is not None:
            values["not_before"] = o.not_before
        changes.append(values)
    if changes:
        # An UPDATE by primary key per row, sent as one executemany per set of columns.
        await session.execute(update(Outgoing), changes)
    blocked = {
        o.participant_key
        for o in outcomes
        if o.status == DeliveryStatus.BLOCKED and o.participant_key
    }
    if blocked:
        await session.execute(
            update(Participant).where(Participant.key.in_(blocked)).values(unreachable=True)
        )
