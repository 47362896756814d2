"""Question relay: what the bot cannot answer goes to a staff thread, answers come back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assistant.knowledge import Knowledge
from bot.delivery.outbox import Message, enqueue, relay_key
from bot.i18n import I18n
from bot.staff.audience import whereabouts
from bot.store.models import (
    Direction,
    MessageKind,
    Participant,
    StaffThread,
    ThreadClosing,
    ThreadMessage,
)

# A participant's messages join their last thread while it had activity this recently.
THREAD_OPEN = timedelta(hours=24)


async def open_thread(
    session: AsyncSession, participant_key: str, now: datetime
) -> StaffThread | None:
    """The participant's conversation with staff, if it is still open."""
    return await session.scalar(
        select(StaffThread)
        .where(
            StaffThread.participant_key == participant_key,
            StaffThread.last_activity_at >= now - THREAD_OPEN,
        )
        .order_by(StaffThread.last_activity_at.desc())
        .limit(1)
    )


async def in_conversation(session: AsyncSession, participant_key: str, now: datetime) -> bool:
    """Whether the participant has a conversation with staff still open."""
    return await open_thread(session, participant_key, now) is not None


async def ask_staff(
    session: AsyncSession, participant: Participant, text: str, now: datetime
) -> ThreadMessage:
    """Record a participant's question for staff, in their open thread or a new one."""
    thread = await open_thread(session, participant.key, now)
    if thread is None:
        thread = StaffThread(participant_key=participant.key, created_at=now, last_activity_at=now)
        session.add(thread)
        await session.flush()
    thread.last_activity_at = now
    # A new question reopens a thread staff had closed.
    thread.closed_as = thread.closed_by = thread.closed_at = None
    message = ThreadMessage(
        thread_id=thread.id,
        direction=Direction.IN,
        text=text.strip(),
        language=participant.effective_language,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    return message


@dataclass(frozen=True)
class Question:
    """A participant's message owed to the staff channel, with who they are."""

    message_id: int
    thread_id: int
    thread_ts: str | None  # None: the first message, which opens the Slack thread
    text: str
    name: str
    group: str | None
    language: str
    city: str | None


async def owed_questions(session: AsyncSession, k: Knowledge, now: datetime) -> list[Question]:
    """Participants' messages not yet posted to staff, oldest first."""
    rows = await session.execute(
        select(ThreadMessage, StaffThread, Participant)
        .join(StaffThread, StaffThread.id == ThreadMessage.thread_id)
        .join(Participant, Participant.key == StaffThread.participant_key)
        .where(ThreadMessage.direction == Direction.IN, ThreadMessage.posted_at.is_(None))
        .order_by(ThreadMessage.id)
    )
    questions = []
    for message, thread, person in rows:
        group, city = whereabouts(k, person, now)
        questions.append(
            Question(
                message.id,
                thread.id,
                thread.ts,
                message.text,
                person.name,
                group,
                message.language,
                city,
            )
        )
    return questions


async def mark_posted(
    session: AsyncSession, question: Question, channel: str, ts: str, now: datetime
) -> None:
    """Record where a question was posted; the first one becomes the thread's parent."""
    message = await session.get(ThreadMessage, question.message_id)
    thread = await session.get(StaffThread, question.thread_id)
    if message is None or thread is None:
        return
    message.posted_at, message.slack_ts = now, ts
    if thread.ts is None:
        thread.channel, thread.ts = channel, ts
    await session.flush()


class Relayed(StrEnum):
    """What became of a staff reply in a question's thread."""

    QUEUED = "queued"  # on its way to the participant
    UNREACHABLE = "unreachable"  # recorded, but the participant cannot be reached
    REPEATED = "repeated"  # the same Slack message again (a retry): nothing to do


async def answer_participant(
    session: AsyncSession,
    k: Knowledge,
    i18n: I18n,
    thread_ts: str,
    text: str,
    author: str,
    slack_ts: str,
    now: datetime,
) -> Relayed | None:
    """Queue a staff reply in a thread for its participant; None if the thread is no relay."""
    thread = await session.scalar(select(StaffThread).where(StaffThread.ts == thread_ts))
    if thread is None:
        return None
    person = await session.get(Participant, thread.participant_key)
    if person is None:
        return None
    if await session.scalar(select(ThreadMessage.id).where(ThreadMessage.slack_ts == slack_ts)):
        return Relayed.REPEATED  # the same Slack event delivered again
    message = ThreadMessage(
        thread_id=thread.id,
        direction=Direction.OUT,
        text=text.strip(),
        language=person.effective_language,
        author=author,
        created_at=now,
        posted_at=now,
        slack_ts=slack_ts,
    )
    try:
        # A retry racing the first delivery: the unique Slack ts lets only one through.
        async with session.begin_nested():
            session.add(message)
            await session.flush()
    except IntegrityError:
        return Relayed.REPEATED
    thread.last_activity_at = now
    await session.flush()
    if person.telegram_user_id is None or person.unreachable:
        return Relayed.UNREACHABLE
    t = i18n.translator(person.effective_language)
    body = "\n\n".join([t.gettext("Answer from the programme staff:"), text.strip()])
    queued = await enqueue(
        session,
        [
            Message(
                relay_key(message.id),
                MessageKind.RELAY,
                person.key,
                person.telegram_user_id,
                t.code,
                body,
                k.present_timezone(person.group_key, now),
                # The participant asked and is waiting for it: quiet hours do not hold it.
                urgent=True,
            )
        ],
        now,
    )
    return Relayed.QUEUED if queued else Relayed.REPEATED


async def close_thread(
    session: AsyncSession, thread_id: int, closing: ThreadClosing, by: str, now: datetime
) -> bool:
    """Mark a question answered or needing no reply; whether this call closed it."""
    # Conditional and in one statement: a double click or a retry closes it once.
    result = await session.execute(
        update(StaffThread)
        .where(StaffThread.id == thread_id, StaffThread.closed_at.is_(None))
        .values(closed_as=closing, closed_by=by, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def thread(session: AsyncSession, thread_id: int) -> StaffThread | None:
    """A staff thread as stored now."""
    return await session.get(StaffThread, thread_id, populate_existing=True)


@dataclass(frozen=True)
class Waiting:
    """A participant's question still waiting for staff."""

    thread_id: int
    name: str
    text: str
    asked_at: datetime
    channel: str | None
    ts: str | None


async def waiting(session: AsyncSession, limit: int = 10) -> tuple[int, list[Waiting]]:
    """How many threads end in a participant's message staff have not closed; the oldest."""
    last = (
        select(ThreadMessage.thread_id, func.max(ThreadMessage.id).label("last_id"))
        .group_by(ThreadMessage.thread_id)
        .subquery()
    )
    query = (
        select(StaffThread, ThreadMessage, Participant.name)
        .join(last, last.c.thread_id == StaffThread.id)
        .join(ThreadMessage, ThreadMessage.id == last.c.last_id)
        .join(Participant, Participant.key == StaffThread.participant_key)
        .where(StaffThread.closed_at.is_(None), ThreadMessage.direction == Direction.IN)
    )
    count = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(query.order_by(ThreadMessage.created_at).limit(limit))
    return int(count), [
        Waiting(t.id, name, m.text, m.created_at, t.channel, t.ts) for t, m, name in rows
    ]
