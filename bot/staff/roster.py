"""The roster as staff see it: link status, language, group, last seen, deep links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.programme.invites import hash_invite, roster_code
from bot.store.models import Group, Participant


@dataclass(frozen=True)
class RosterRow:
    """One participant, as staff need to see them."""

    key: str
    name: str
    group: str | None
    group_key: str | None
    language: str
    linked: bool
    last_seen: datetime | None
    unreachable: bool
    # The code of a deep link that links this participant (only while not linked).
    code: str | None


async def roster(session: AsyncSession, secret: str) -> list[RosterRow]:
    """Every participant in roster order; unlinked ones get a usable deep-link code."""
    groups = {g.key: g.name for g in await session.scalars(select(Group))}
    rows = []
    for person in await session.scalars(select(Participant).order_by(Participant.position)):
        code = None
        if person.telegram_user_id is None:
            code = roster_code(person.key, secret)
            # Only the hash is stored, as for the codes in the programme file.
            person.link_hash = hash_invite(code, secret)
        rows.append(
            RosterRow(
                person.key,
                person.name,
                groups.get(person.group_key or "", person.group_key),
                person.group_key,
                person.effective_language,
                person.telegram_user_id is not None,
                person.last_seen_at,
                person.unreachable,
                code,
            )
        )
    await session.flush()
    return rows


def only(
    rows: list[RosterRow], *, unlinked: bool, unreachable: bool, group: str | None
) -> list[RosterRow]:
    """The rows a filter keeps: not linked, unreachable, or of one group (all that apply)."""
    return [
        r
        for r in rows
        if (not unlinked or not r.linked)
        and (not unreachable or r.unreachable)
        and (group is None or r.group_key == group)
    ]


async def participants(session: AsyncSession) -> list[Participant]:
    """Every participant in roster order (to choose from in staff forms)."""
    return list(await session.scalars(select(Participant).order_by(Participant.position)))


async def find_participants(session: AsyncSession, text: str, limit: int) -> list[Participant]:
    """Participants whose name or key contains the text, in roster order, at most ``limit``."""
    wanted = text.strip()
    query = select(Participant).order_by(Participant.position).limit(limit)
    if wanted:
        like = f"%{wanted.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(func.lower(Participant.name).like(like.lower()), Participant.key.ilike(like))
        )
    return list(await session.scalars(query))


async def named(session: AsyncSession, keys: list[str]) -> list[Participant]:
    """The participants of the given keys, in roster order."""
    if not keys:
        return []
    query = select(Participant).where(Participant.key.in_(keys)).order_by(Participant.position)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class Reach:
    """How many participants there are, and how many cannot be reached on Telegram."""

    total: int
    not_linked: int
    unreachable: int


async def reach(session: AsyncSession) -> Reach:
    """Counted in one query."""
    linked = Participant.telegram_user_id.is_not(None)
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Participant.telegram_user_id.is_(None)),
                func.count().filter(linked, Participant.unreachable.is_(True)),
            ).select_from(Participant)
        )
    ).one()
    return Reach(int(row[0]), int(row[1]), int(row[2]))
