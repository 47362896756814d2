"""Linking chat accounts to participants with one-time invite codes, and their preferences."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import case, delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from bot.callbacks import Setting
from bot.programme.invites import hash_invite, normalise_code
from bot.store.models import LinkGuard, Participant, Programme, StoredSecret, UTCDateTime

log = logging.getLogger(__name__)

MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = timedelta(hours=1)
# Wrong codes from all accounts together within the window before checking pauses for all.
WRONG_CODES_EVERYONE = 50
EVERYONE = "everyone"
INVITE_SECRET = "invite"
# The programme file's minimum, and Telegram's limit on a deep link's payload.
_CODE_MIN, _CODE_MAX = 6, 64
# Letters and digits in at most three groups joined by a dash or a space, as codes are
# printed and typed (VKQ7-2MXD, "vkq7 2mxd", DEMO-ES01).
_CODE_SHAPE = re.compile(r"[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+){0,2}")


class LinkOutcome(StrEnum):
    """How a linking attempt ended."""

    LINKED = "linked"
    ALREADY_LINKED = "already_linked"
    WRONG_CODE = "wrong_code"
    CODE_USED = "code_used"
    COOLING_DOWN = "cooling_down"
    # Too many wrong codes from everyone together: no code is checked for a while.
    PAUSED = "paused"


@dataclass(frozen=True)
class LinkLimits:
    """How much guessing is tolerated: from one account, and from all accounts together."""

    per_account: int = MAX_WRONG_CODES
    everyone: int = WRONG_CODES_EVERYONE
    window: timedelta = WRONG_CODE_WINDOW


@dataclass(frozen=True)
class LinkResult:
    """The outcome, the participant when known, and how many tries are left."""

    outcome: LinkOutcome
    participant: Participant | None = None
    tries_left: int = MAX_WRONG_CODES
    # This attempt paused code checking for everyone: staff should hear of it (once).
    paused_everyone: bool = False


def plausible_code(text: str) -> bool:
    """Whether typed text has the shape of an invite code (a digit or a dash, 6-64 long).

    Only such text counts as an attempt to link; "thank you" or "hello" from a stranger is
    just a message. The programme file allows any 6 letters or digits, but real codes are
    written with digits or in dashed groups (and roster codes always have the dash).
    """
    text = text.strip()
    if not _CODE_SHAPE.fullmatch(text):
        return False
    has_mark = "-" in text or any(c.isdigit() for c in text)
    return has_mark and _CODE_MIN <= len(normalise_code(text)) <= _CODE_MAX


def _insert(session: AsyncSession) -> Callable[..., PgInsert | SqliteInsert]:
    """The INSERT of the session's dialect (both have ON CONFLICT)."""
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def _count_check(session: AsyncSession, scope: str, now: datetime, window: timedelta) -> int:
    """Count one more check in the scope's window and return the count, in one statement.

    The upsert locks the counter's row until the transaction ends (on SQLite the whole
    store), so concurrent checks of the same scope get 1, 2, 3... and none can overtake.
    """
    guard = LinkGuard.__table__.c
    expired = guard.started <= now - window
    statement = (
        _insert(session)(LinkGuard)
        .values(scope=scope, started=now, checks=1)
        .on_conflict_do_update(
            index_elements=[guard.scope],
            set_={
                "checks": case((expired, 1), else_=guard.checks + 1),
                # Typed, so the instant is stored in UTC like every other.
                "started": case((expired, literal(now, UTCDateTime())), else_=guard.started),
            },
        )
        .returning(guard.checks)
    )
    return int((await session.execute(statement)).scalar_one())


async def _uncount(session: AsyncSession, scope: str) -> None:
    """Take back a check that was no guess (a right code, or one not made)."""
    await session.execute(
        update(LinkGuard).where(LinkGuard.scope == scope).values(checks=LinkGuard.checks - 1)
    )


async def _restart_window(session: AsyncSession, scope: str, now: datetime) -> None:
    """Start the scope's window again, full: the pause lasts a whole window from now."""
    await session.execute(update(LinkGuard).where(LinkGuard.scope == scope).values(started=now))


async def participant_for_account(session: AsyncSession, account_id: int) -> Participant | None:
    """Return the participant a chat account is linked to, if any."""
    query = select(Participant).where(Participant.telegram_user_id == account_id)
    return await session.scalar(query)


async def link_account(
    session: AsyncSession,
    account_id: int,
    code: str,
    now: datetime,
    secret: str,
    limits: LinkLimits = LinkLimits(),
) -> LinkResult:
    """Link an account to the participant whose invite code this is, once; limit guessing.

    Every check is counted before it is made, per account and then for everyone, under the
    counters' row locks; so however many updates run at once, at most ``limits.per_account``
    wrong codes of one account and ``limits.everyone`` of all accounts are ever checked in
    a window. The locks are held until the caller's transaction ends: keep it short.
    """
    linked = await participant_for_account(session, account_id)
    if linked is not None:
        return LinkResult(LinkOutcome.ALREADY_LINKED, linked)
    mine = f"account:{account_id}"
    checks = await _count_check(session, mine, now, limits.window)
    if checks > limits.per_account:
        return LinkResult(LinkOutcome.COOLING_DOWN, tries_left=0)
    # Another check of this account may have linked it while this one waited for the lock.
    linked = await participant_for_account(session, account_id)
    if linked is not None:
        await session.execute(delete(LinkGuard).where(LinkGuard.scope == mine))
        return LinkResult(LinkOutcome.ALREADY_LINKED, linked)
    everyone = await _count_check(session, EVERYONE, now, limits.window)
    if everyone > limits.everyone:
        # Not checked, so not held against the account.
        await _uncount(session, mine)
        return LinkResult(LinkOutcome.PAUSED)
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
        return await _wrong_code(session, (mine, checks), everyone, now, limits)
    # A right code is no guess.
    await _uncount(session, EVERYONE)
    # Only the first of concurrent attempts with this code finds the participant unlinked.
    claimed = await session.execute(
        update(Participant)
        .where(Participant.key == candidate.key, Participant.telegram_user_id.is_(None))
        .values(telegram_user_id=account_id, linked_at=now, last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await _uncount(session, mine)
        return LinkResult(LinkOutcome.CODE_USED)
    await session.execute(delete(LinkGuard).where(LinkGuard.scope == mine))
    await session.refresh(candidate)
    return LinkResult(LinkOutcome.LINKED, candidate)


async def _wrong_code(
    session: AsyncSession,
    account: tuple[str, int],
    everyone: int,
    now: datetime,
    limits: LinkLimits,
) -> LinkResult:
    """Keep the wrong code counted; the last one allowed starts a full cool-down or pause."""
    mine, checks = account
    if checks == limits.per_account:
        await _restart_window(session, mine, now)
    # Counted under the lock, so exactly one wrong code is the one that reaches the limit.
    paused = everyone == limits.everyone
    if paused:
        await _restart_window(session, EVERYONE, now)
        log.warning(
            "%s wrong invite codes within %s: code checking paused", everyone, limits.window
        )
    return LinkResult(
        LinkOutcome.WRONG_CODE, tries_left=limits.per_account - checks, paused_everyone=paused
    )


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


async def heard_from(
    session: AsyncSession, directory: AccountDirectory, account_id: int, *, blocked: bool = False
) -> bool:
    """Record that a chat account was heard from: a participant who writes (or unblocks the
    bot) can be reached again; one who blocks it cannot. Return whether that changed."""
    participant = await directory.participant(session, account_id)
    if participant is None or participant.unreachable == blocked:
        return False
    await session.execute(
        update(Participant)
        .where(Participant.key == participant.key, Participant.unreachable.is_(not blocked))
        .values(unreachable=blocked)
    )
    directory.forget(account_id)
    log.info(
        "participant %s %s", participant.key, "blocked the bot" if blocked else "reachable again"
    )
    return True


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


async def apply_setting(
    session: AsyncSession, participant: Participant, setting: Setting, value: str
) -> None:
    """Change one preference as a settings button asks; values it cannot take are ignored."""
    if setting is Setting.AGENDA:
        await update_preferences(session, participant, agenda_enabled=value == "on")
    elif setting is Setting.TIME and value in AGENDA_TIMES:
        await update_preferences(session, participant, agenda_time=value, agenda_enabled=True)
    elif setting is Setting.REMIND and value.isdecimal():
        await update_preferences(session, participant, reminder_minutes=int(value))
