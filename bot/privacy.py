"""Erasure on request (/forget) and retention (purge): what goes, what stays for the report."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendars.links import participant_owner
from bot.i18n import N_
from bot.store.models import (
    Base,
    CalendarFeed,
    Campaign,
    LinkGuard,
    Outgoing,
    Participant,
    Programme,
    StaffThread,
    ThreadMessage,
)

ERASE_QUESTION = N_(
    "This unlinks your Telegram account from the programme and erases your messages, your "
    "questions to the staff and the messages waiting for you. The staff keep the programme's "
    "list of participants. Erase your data now?"
)
ERASED = N_(
    "Done: your account is unlinked and your messages are erased. To use this bot again, "
    "ask the programme staff for a new invite link."
)
NOT_ERASED = N_("Nothing was erased.")
NOTHING_TO_ERASE = N_(
    "This Telegram account is not linked to a participant, so there is nothing to erase."
)
# The guessing counter of one chat account names the account (accounts.py).
_ACCOUNT_GUARD = "account:"
_PERIOD = re.compile(r"(\d+)\s*([dhw])")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True)
class Erased:
    """What /forget removed for one participant."""

    messages: int  # their questions and the staff's answers
    threads: int
    outbox: int
    calendar_links: int


async def forget(session: AsyncSession, key: str, now: datetime) -> Erased:
    """Unlink a participant's account and erase their messages, questions and outbox rows.

    The participant's entry (name, group, language from the programme file) stays: it is
    the staff's. Their answers to broadcasts and check-ins stay too, as counts in reports.
    """
    person = await session.get(Participant, key, with_for_update=True)
    if person is None:
        raise LookupError(key)
    threads = select(StaffThread.id).where(StaffThread.participant_key == key)
    messages = await session.execute(
        delete(ThreadMessage).where(ThreadMessage.thread_id.in_(threads))
    )
    thread_rows = await session.execute(
        delete(StaffThread).where(StaffThread.participant_key == key)
    )
    outbox = await session.execute(delete(Outgoing).where(Outgoing.participant_key == key))
    feeds = await session.execute(
        delete(CalendarFeed).where(CalendarFeed.owner == participant_owner(key))
    )
    if person.telegram_user_id is not None:
        await session.execute(
            delete(LinkGuard).where(LinkGuard.scope == f"{_ACCOUNT_GUARD}{person.telegram_user_id}")
        )
    person.telegram_user_id = None
    person.linked_at = None
    person.last_seen_at = None
    person.chosen_language = None
    person.unreachable = False
    person.forgotten_at = now
    return Erased(
        messages=messages.rowcount,
        threads=thread_rows.rowcount,
        outbox=outbox.rowcount,
        calendar_links=feeds.rowcount,
    )


def parse_period(text: str) -> timedelta:
    """A period such as ``30d``, ``12h`` or ``2w``; ``ValueError`` saying what is expected."""
    found = _PERIOD.fullmatch(text.strip().lower())
    if found is None or int(found.group(1)) == 0:
        raise ValueError(f"not a period: {text!r} (expected e.g. 30d, 12h or 2w)")
    return int(found.group(1)) * _UNITS[found.group(2)]


@dataclass(frozen=True)
class Purge:
    """What a purge removes (or would remove), counted by kind."""

    # The programme's last day, and whether it ended longer ago than the period.
    programme_end: date | None
    due: bool
    thread_messages: int = 0
    outbox_bodies: int = 0
    account_links: int = 0
    campaign_texts: int = 0
    calendar_links: int = 0
    guard_rows: int = 0

    def total(self) -> int:
        """How many rows change in all."""
        return sum(
            getattr(self, f.name) for f in fields(self) if f.name not in ("programme_end", "due")
        )


def _wheres() -> dict[str, tuple[type[Base], ColumnElement[bool]]]:
    """Per kind of personal data: the table and the rows of it not yet purged."""
    return {
        "thread_messages": (ThreadMessage, ThreadMessage.id.is_not(None)),
        # Buttons go with the text (JSON columns are not compared: PostgreSQL cannot).
        "outbox_bodies": (Outgoing, Outgoing.text != ""),
        "account_links": (Participant, Participant.telegram_user_id.is_not(None)),
        "campaign_texts": (Campaign, Campaign.text != ""),
        "calendar_links": (CalendarFeed, CalendarFeed.owner.like("participant:%")),
        "guard_rows": (LinkGuard, LinkGuard.scope.like(f"{_ACCOUNT_GUARD}%")),
    }


async def purge(
    session: AsyncSession, now: datetime, older_than: timedelta, *, dry_run: bool
) -> Purge:
    """Remove personal data of a programme that ended more than ``older_than`` ago.

    Kept: every row that counts (outbox rows with their status, campaigns and who
    acknowledged or answered, staff threads and their closing), so reports stay true.
    """
    end = await session.scalar(select(Programme.end))
    if end is None or end >= (now - older_than).date():
        return Purge(end, False)
    counts = {}
    for name, (model, where) in _wheres().items():
        counts[name] = int(
            await session.scalar(select(func.count()).select_from(model).where(where)) or 0
        )
    if not dry_run:
        await _remove(session)
    return Purge(end, True, **counts)


async def _remove(session: AsyncSession) -> None:
    wheres = _wheres()
    await session.execute(delete(ThreadMessage))
    await session.execute(
        update(Outgoing).where(wheres["outbox_bodies"][1]).values(text="", buttons=None)
    )
    await session.execute(
        update(Participant)
        .where(wheres["account_links"][1])
        .values(telegram_user_id=None, last_seen_at=None)
    )
    await session.execute(
        update(Campaign).where(wheres["campaign_texts"][1]).values(text="", translations={})
    )
    await session.execute(delete(CalendarFeed).where(wheres["calendar_links"][1]))
    await session.execute(delete(LinkGuard).where(wheres["guard_rows"][1]))
