"""Linking chat accounts to participants with one-time invite codes, and their preferences."""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from bot.programme.invites import hash_invite
from bot.store.models import LinkAttempt, Participant, Programme, StoredSecret

log = logging.getLogger(__name__)

MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = timedelta(hours=1)
INVITE_SECRET = "invite"


class LinkOutcome(StrEnum):
    """How a linking attempt ended."""

    LINKED = "linked"
    ALREADY_LINKED = "already_linked"
    WRONG_CODE = "wrong_code"
    CODE_USED = "code_used"
    COOLING_DOWN = "cooling_down"


@dataclass(frozen=True)
class LinkResult:
    """The outcome, the participant when known, and how many tries are left."""

    outcome: LinkOutcome
    participant: Participant | None = None
    tries_left: int = MAX_WRONG_CODES


def _insert(session: AsyncSession) -> Callable[..., PgInsert | SqliteInsert]:
    """The INSERT of the session's dialect (both have ON CONFLICT)."""
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def participant_for_account(session: AsyncSession, account_id: int) -> Participant | None:
    """Return the participant a chat account is linked to, if any."""
    query = select(Participant).where(Participant.telegram_user_id == account_id)
    return await session.scalar(query)


async def link_account(
    session: AsyncSession, account_id: int, code: str, now: datetime, secret: str
) -> LinkResult:
    """Link an account to the participant whose invite code this is, once; limit guessing."""
    linked = await participant_for_account(session, account_id)
    if linked is not None:
        return LinkResult(LinkOutcome.ALREADY_LINKED, linked)
    since = now - WRONG_CODE_WINDOW
    wrong = await session.scalar(
        select(func.count())
        .select_from(LinkAttempt)
        .where(LinkAttempt.account_id == account_id, LinkAttempt.at > since)
    )
    if (wrong or 0) >= MAX_WRONG_CODES:
        return LinkResult(LinkOutcome.COOLING_DOWN, tries_left=0)
    digest = hash_invite(code, secret)
    candidate = await session.scalar(
        select(Participant).where(
            or_(Participant.invite_hash == digest, Participant.link_hash == digest)
        )
    )
    if candidate is None or not any(
        hmac.compare_digest(stored or "", digest)
        for stored in (candidate.invite_hash, candidate.link_hash)
    ):
        session.add(LinkAttempt(account_id=account_id, at=now))
        # Old attempts no longer count; keep the table small.
        await session.execute(
            delete(LinkAttempt).where(LinkAttempt.account_id == account_id, LinkAttempt.at <= since)
        )
        await session.flush()
        return LinkResult(LinkOutcome.WRONG_CODE, tries_left=MAX_WRONG_CODES - (wrong or 0) - 1)
    # Only the first of concurrent attempts with this code finds the participant unlinked.
    claimed = await session.execute(
        update(Participant)
        .where(Participant.key == candidate.key, Participant.telegram_user_id.is_(None))
        .values(telegram_user_id=account_id, linked_at=now, last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return LinkResult(LinkOutcome.CODE_USED)
    await session.execute(delete(LinkAttempt).where(LinkAttempt.account_id == account_id))
    await session.refresh(candidate)
    return LinkResult(LinkOutcome.LINKED, candidate)


async def invite_secret(session: AsyncSession, configured: str | None, now: datetime) -> str:
    """Return the key of invite hashes: INVITE_SECRET when set, else the deployment's own.

    Without INVITE_SECRET a random secret is made on first start and kept in the store, not
    in a file under DATA_DIR: every process of a deployment (web, sender, clock, perhaps on
    other machines) reads the same store, so all of them hash codes alike. Two processes
    starting together agree: the insert does nothing when a secret is already there (or is
    being inserted by the other), and both then read the one row. A store dump then holds
    the key with the hashes; set INVITE_SECRET to keep them apart.
    """
    if configured:
        return configured
    created = await session.execute(
        _insert(session)(StoredSecret)
        .values(name=INVITE_SECRET, value=secrets.token_urlsafe(32), created_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    if created.rowcount == 1:  # type: ignore[attr-defined]
        hashed = await session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.invite_hash.is_not(None))
        )
        if hashed:
            # Codes imported under an earlier secret (the old public default) no longer match.
            log.warning(
                "generated a new invite secret: import the programme file again so that "
                "the %s invite codes already stored can link",
                hashed,
            )
    value = await session.scalar(
        select(StoredSecret.value).where(StoredSecret.name == INVITE_SECRET)
    )
    assert value is not None
    return value


async def choose_language(session: AsyncSession, participant: Participant, code: str) -> None:
    """Store the language a participant chose for every later message."""
    participant.chosen_language = code
    await session.flush()


async def seen(session: AsyncSession, participant: Participant, now: datetime) -> bool:
    """Record when a participant last wrote, at most once a minute; return whether it wrote."""
    last = participant.last_seen_at
    if last is None or now - last > timedelta(minutes=1):
        participant.last_seen_at = now
        await session.flush()
        return True
    return False


@dataclass(frozen=True)
class Invitation:
    """A participant's invite code as staff hand it out, and whether it is still usable."""

    key: str
    name: str
    code: str | None
    linked: bool
    valid: bool  # the code matches the stored hash


async def invitations(
    session: AsyncSession, codes: dict[str, str], secret: str
) -> list[Invitation]:
    """Match the codes of a programme file against the roster (the store keeps only hashes)."""
    people = await session.scalars(select(Participant).order_by(Participant.position))
    result = []
    for person in people:
        code = codes.get(person.key)
        valid = bool(code and person.invite_hash) and hmac.compare_digest(
            hash_invite(code or "", secret), person.invite_hash or ""
        )
        result.append(
            Invitation(person.key, person.name, code, person.telegram_user_id is not None, valid)
        )
    return result


class AccountDirectory:
    """Participants by chat account, remembered for a few seconds.

    Finding the participant behind a message is the one query every message makes; a busy
    bot answers most messages from this memory instead. Changes made in this process
    (linking, a language choice, last seen) update it at once; changes made elsewhere
    (an import) show after ``freshness`` seconds.
    """

    def __init__(self, freshness: float = 10.0, capacity: int = 100_000) -> None:
        self.freshness = freshness
        self.capacity = capacity
        self._entries: dict[int, tuple[float, Participant | None]] = {}

    async def participant(self, session: AsyncSession, account_id: int) -> Participant | None:
        """Return the account's participant, attached to ``session``."""
        entry = self._entries.get(account_id)
        if entry is not None and time.monotonic() - entry[0] < self.freshness:
            snapshot = entry[1]
            return None if snapshot is None else await session.merge(snapshot, load=False)
        found = await participant_for_account(session, account_id)
        self.remember(account_id, found)
        return found

    def remember(self, account_id: int, participant: Participant | None) -> None:
        """Keep a detached copy of the participant's current state."""
        if len(self._entries) >= self.capacity:
            self._entries.clear()
        snapshot = None
        if participant is not None:
            columns = Participant.__table__.columns.keys()
            snapshot = Participant(**{name: getattr(participant, name) for name in columns})
            make_transient_to_detached(snapshot)
        self._entries[account_id] = (time.monotonic(), snapshot)

    def forget(self, account_id: int) -> None:
        """Drop what is known about an account (it was linked or changed)."""
        self._entries.pop(account_id, None)


AGENDA_TIMES = ("06:30", "07:00", "07:30", "08:00")


async def agenda_time(session: AsyncSession, participant: Participant) -> str:
    """Return when the participant's agenda comes: their own time, else the programme's."""
    if participant.agenda_time:
        return participant.agenda_time
    default = await session.scalar(select(Programme.daily_agenda_time))
    return default or "07:00"


async def update_preferences(
    session: AsyncSession,
    participant: Participant,
    *,
    agenda_enabled: bool | None = None,
    agenda_time: str | None = None,
    reminder_minutes: int | None = None,
) -> None:
    """Change when and whether a participant gets the agenda and reminders."""
    if agenda_enabled is not None:
        participant.agenda_enabled = agenda_enabled
    if agenda_time is not None:
        if agenda_time not in AGENDA_TIMES:
            raise ValueError(f"agenda time must be one of {', '.join(AGENDA_TIMES)}")
        participant.agenda_time = agenda_time
    if reminder_minutes is not None:
        participant.reminder_minutes = max(0, min(reminder_minutes, 180))
    await session.flush()
