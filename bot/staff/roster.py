"""The roster as staff see it: link status, language, group, last seen, deep links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.programme.invites import hash_invite, roster_code
from bot.store.models import Group, Participant


@dataclass(frozen=True)
class RosterRow:
    """One participant, as staff need to see them."""

    key: str
    name: str
    group: str | None
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
                person.effective_language,
                person.telegram_user_id is not None,
                person.last_seen_at,
                person.unreachable,
                code,
            )
        )
    await session.flush()
    return rows


async def participants(session: AsyncSession) -> list[Participant]:
    """Every participant in roster order (to choose from in staff forms)."""
    return list(await session.scalars(select(Participant).order_by(Participant.position)))
