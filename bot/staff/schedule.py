"""The schedule as staff see it, and staff edits that notify the people affected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import dateparser
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assistant.knowledge import Knowledge, text_in
from bot.assistant.records import Event as EventRecord
from bot.delivery.compose import starts_soon
from bot.programme.importer import diff_snapshots, event_snapshot
from bot.store.models import (
    Change,
    ChangeKind,
    Event,
    EventStatus,
    Participant,
    Place,
    Programme,
)

SEARCH_LIMIT = 25


def title_of(k: Knowledge, event: Event | EventRecord) -> str:
    """An event's title in the programme's default language."""
    return text_in(event.title, k.programme.default_language, k.programme.default_language)


def day_agenda(k: Knowledge, day: date, group: str | None = None) -> list[EventRecord]:
    """Every event of a day (all groups, or one group's own), cancelled ones included."""
    events = k.by_day.get(day, [])
    if group is None:
        return list(events)
    return [e for e in events if not e.groups or group in e.groups]


def find_group(k: Knowledge, text: str) -> str | None:
    """A group by key or name, forgiving case and small typos."""
    wanted = text.strip().casefold()
    for key, group in k.snapshot.groups.items():
        if wanted in (key.casefold(), group.name.casefold()):
            return key
    names = {key: group.name for key, group in k.snapshot.groups.items()}
    best = process.extractOne(wanted, names, scorer=fuzz.WRatio, processor=str.casefold)
    return best[2] if best and best[1] >= 80 else None


def find_events(k: Knowledge, text: str, now: datetime) -> list[EventRecord]:
    """Events matching a search (title in any language, key, place), best first.

    With no search, the events of the next three days.
    """
    text = text.strip()
    if not text:
        soon = [
            e for e in k.ordered if now - timedelta(hours=2) <= e.start <= now + timedelta(days=3)
        ]
        return soon[:SEARCH_LIMIT]
    choices = {
        e.key: " ".join(
            [
                e.key,
                *e.title.values(),
                (k.places[e.place_key].name if e.place_key in k.places else ""),
            ]
        )
        for e in k.ordered
    }
    found = process.extract(
        text, choices, scorer=fuzz.WRatio, processor=str.casefold, limit=SEARCH_LIMIT
    )
    return [k.events[key] for _, score, key in found if score >= 60]


@dataclass(frozen=True)
class Affected:
    """Who hears of a change to an event: reachable now, and those who cannot be told."""

    reachable: list[str]
    not_linked: list[str]
    soon: bool  # within 48 hours: a notice at once; otherwise a mark in that day's agenda


async def affected(
    session: AsyncSession, k: Knowledge, event: Event | EventRecord, now: datetime
) -> Affected:
    """The participants an edit of this event would notify."""
    people = await session.scalars(select(Participant).order_by(Participant.position))
    reachable, not_linked = [], []
    for person in people:
        if event.groups and person.group_key not in event.groups:
            continue
        if person.telegram_user_id is None:
            not_linked.append(person.name)
        elif not person.unreachable:
            reachable.append(person.name)
    return Affected(reachable, not_linked, starts_soon(event.start, now))


@dataclass(frozen=True)
class Edit:
    """What staff asked to change; None leaves a field as it is."""

    day: date | None = None
    start: time | None = None
    end: time | None = None
    place: str | None = None
    status: str | None = None  # an EventStatus


class Refusal(StrEnum):
    """Why an edit cannot be saved."""

    GONE = "gone"  # the event is no longer on the programme
    STALE = "stale"  # someone saved another edit since the form was opened
    UNKNOWN_PLACE = "unknown"
    BEFORE_START = "before_start"


class EditRefused(Exception):
    """The edit cannot be saved; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: Refusal) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Edited:
    """The saved change."""

    event: Event
    fields: list[str]
    version: int


async def edit_event(
    session: AsyncSession,
    key: str,
    expected_version: int,
    edit: Edit,
    now: datetime,
) -> Edited:
    """Change an event's time, place or status and log it for the change sweep."""
    event = await session.get(Event, key, with_for_update=True)
    if event is None:
        raise EditRefused("event", Refusal.GONE)
    if event.version != expected_version:
        raise EditRefused("event", Refusal.STALE)
    before = event_snapshot(event)
    timezone = event.timezone
    if edit.place is not None and edit.place != event.place_key:
        place = await session.get(Place, edit.place)
        if place is None:
            raise EditRefused("place", Refusal.UNKNOWN_PLACE)
        event.place_key = place.key
        if place.timezone and not event.timezone_given:
            timezone = place.timezone
    zone = ZoneInfo(timezone)
    old_start = event.start.astimezone(ZoneInfo(event.timezone))
    old_end = event.end.astimezone(ZoneInfo(event.timezone))
    day = edit.day or old_start.date()
    start_time = edit.start or old_start.time()
    end_time = edit.end or old_end.time()
    # An event that ran past midnight keeps doing so.
    end_day = day + (old_end.date() - old_start.date())
    start = datetime.combine(day, start_time, tzinfo=zone)
    end = datetime.combine(end_day, end_time, tzinfo=zone)
    if end <= start:
        end = datetime.combine(day + timedelta(days=1), end_time, tzinfo=zone)
        if end - start > timedelta(hours=24) or (edit.end is not None and edit.start is None):
            raise EditRefused("end", Refusal.BEFORE_START)
    # Stored and compared as UTC instants, as imports leave them.
    event.start, event.end, event.timezone = start.astimezone(UTC), end.astimezone(UTC), timezone
    if edit.status in tuple(EventStatus):
        event.status = edit.status
    after = event_snapshot(event)
    fields = diff_snapshots(before, after)
    if not fields:
        return Edited(event, [], event.version)
    event.version += 1
    programme = await session.scalar(select(Programme).with_for_update())
    assert programme is not None
    programme.revision += 1
    session.add(
        Change(
            event_key=event.key,
            version=event.version,
            kind=ChangeKind.CHANGED,
            fields=fields,
            details={"before": before, "after": after},
            revision=programme.revision,
            created_at=now,
        )
    )
    await session.flush()
    return Edited(event, fields, event.version)


def parse_day(text: str, today: date, language: str) -> date | None:
    """A date as staff type it: ISO, today, tomorrow, a weekday or "2 May"; None if not one."""
    text = text.strip()
    if not text:
        return today
    if len(text) < 3:
        return None  # "A" or "b2" read as dates would surprise anyone
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parsed = dateparser.parse(
        text,
        languages=[language],
        settings={
            "RELATIVE_BASE": datetime.combine(today, time(12)),
            "PREFER_DATES_FROM": "future",
        },
    )
    return parsed.date() if parsed else None


def agenda_query(k: Knowledge, text: str, today: date, language: str) -> tuple[date, str | None]:
    """Split "/agenda [date] [group]" into a date and a group key; raise ValueError if unclear."""
    words = text.split()
    # A group named at the end (the fewest words that name one) wins over reading every
    # word as a date.
    for cut in range(len(words) - 1, -1, -1):
        group = find_group(k, " ".join(words[cut:]))
        day = parse_day(" ".join(words[:cut]), today, language) if group else None
        if group and day:
            return day, group
    day = parse_day(text, today, language)
    if day is None:
        raise ValueError(text)
    return day, None
