"""The staff overview: where each group is, what waits for staff, the last campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assistant.knowledge import Knowledge
from bot.assistant.records import Event
from bot.staff import campaigns as cmp
from bot.staff.audience import city_of
from bot.staff.relay import Waiting, waiting
from bot.staff.roster import Reach, reach
from bot.staff.schedule import day_agenda
from bot.store.models import EventStatus


@dataclass(frozen=True)
class GroupToday:
    """Where a group is today, in its own local day and zone, and what it does now and next."""

    key: str | None
    name: str
    day: date
    zone: str
    city: str | None
    now: Event | None
    next: Event | None


@dataclass(frozen=True)
class Overview:
    """Everything the staff Home tab shows."""

    groups: list[GroupToday]
    questions: int
    waiting: list[Waiting]
    alerts: list[cmp.HelpAlert]
    campaigns: list[cmp.Summary]
    reach: Reach


def group_today(k: Knowledge, key: str | None, name: str, now: datetime) -> GroupToday:
    """A group's day at an instant: city, zone, the event under way and the next one."""
    day, zone = k.local_today(key, now)
    events = [e for e in day_agenda(k, day, key) if e.status != EventStatus.CANCELLED]
    current = next((e for e in events if e.start <= now < e.end), None)
    coming = next((e for e in events if e.start > now), None)
    return GroupToday(key, name, day, zone, city_of(k, key, day), current, coming)


async def overview(session: AsyncSession, k: Knowledge, now: datetime) -> Overview:
    """Read the overview from the store and the programme."""
    groups = [group_today(k, key, g.name, now) for key, g in k.snapshot.groups.items()]
    if not groups:
        groups = [group_today(k, None, "", now)]
    count, oldest = await waiting(session)
    return Overview(
        groups,
        count,
        oldest,
        await cmp.open_alerts(session, k, now),
        await cmp.recent(session, now),
        await reach(session),
    )
