"""The items the calendar feeds publish, versioned in the store as the programme changes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assistant.knowledge import Knowledge
from bot.assistant.records import Event, Leg, Place
from bot.store.models import CalendarEntry, CalendarSync

# The one row of calendar_sync.
_SYNC_ROW = 1
# The audience token of participants who belong to no group.
NO_GROUP = ""


@dataclass(frozen=True)
class Draft:
    """An item as the programme has it now, before it is compared with what was published."""

    uid: str
    facts: dict[str, Any]
    audience: list[str]

    @property
    def digest(self) -> str:
        """A fingerprint of everything a calendar shows of the item, and of who sees it."""
        text = json.dumps([self.facts, self.audience], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def audience_token(group: str | None) -> str:
    """The audience token of a participant's group."""
    return group or NO_GROUP


def _place(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
        "notes": place.notes,
    }


def _event(k: Knowledge, event: Event, tokens: list[str]) -> Draft:
    names = [k.snapshot.groups[g].name for g in event.groups if g in k.snapshot.groups]
    facts = {
        "kind": "event",
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "timezone": event.timezone,
        "status": event.status,
        "event_kind": event.kind,
        "description": event.description,
        "place": _place(k.places.get(event.place_key or "")),
        "groups": names,
    }
    audience = sorted(event.groups) if event.groups else tokens
    return Draft(f"{event.key}@{k.programme.key}", facts, audience)


def _nights(k: Knowledge, tokens: list[str]) -> list[Draft]:
    """One all-day item per night and hotel, seen by the groups who sleep there that night."""
    days: set[date] = set()
    for leg in k.snapshot.legs:
        days.update(
            leg.date_from + timedelta(days=n) for n in range((leg.date_to - leg.date_from).days + 1)
        )
    drafts = []
    for day in sorted(days):
        sleepers: dict[int, tuple[Leg, list[str]]] = {}
        for token in tokens:
            leg = k.leg_on(token or None, day)
            if leg is None or leg.hotel_key not in k.places:
                continue
            sleepers.setdefault(id(leg), (leg, []))[1].append(token)
        for leg, audience in sleepers.values():
            scope = leg.groups_key.replace(",", "+") or "all"
            names = [k.snapshot.groups[g].name for g in leg.groups if g in k.snapshot.groups]
            facts = {
                "kind": "night",
                "date": day.isoformat(),
                "city": leg.city,
                "place": _place(k.places[leg.hotel_key or ""]),
                "groups": names,
            }
            drafts.append(
                Draft(f"night-{day.isoformat()}-{scope}@{k.programme.key}", facts, audience)
            )
    return drafts


def drafts(k: Knowledge) -> dict[str, Draft]:
    """Every item of the programme as it is now: its events and its hotel nights."""
    tokens = [*sorted(k.snapshot.groups), NO_GROUP]
    found = [_event(k, e, tokens) for e in k.ordered]
    found.extend(_nights(k, tokens))
    return {d.uid: d for d in found}


def dialect_insert(session: AsyncSession) -> Any:
    """The INSERT of the session's dialect (both have ON CONFLICT)."""
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def synced_revision(session: AsyncSession) -> int:
    """The programme revision the published entries show (0 before the first sync)."""
    return (
        await session.scalar(select(CalendarSync.revision).where(CalendarSync.id == _SYNC_ROW)) or 0
    )


async def sync(session: AsyncSession, k: Knowledge, now: datetime) -> bool:
    """Bring the published entries up to the programme's revision; False if already there.

    Claiming the revision is one conditional UPDATE, so of processes syncing at once only
    one compares and bumps: the others find the row taken (PostgreSQL makes them wait for
    the winner's commit, SQLite serialises the writes) and publish nothing twice.
    """
    target = k.programme.revision
    await session.execute(
        dialect_insert(session)(CalendarSync)
        .values(id=_SYNC_ROW, revision=0)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    claimed = await session.execute(
        update(CalendarSync)
        .where(CalendarSync.id == _SYNC_ROW, CalendarSync.revision < target)
        .values(revision=target)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    published = {e.uid: e for e in await session.scalars(select(CalendarEntry))}
    for uid, draft in drafts(k).items():
        entry = published.pop(uid, None)
        if entry is None:
            session.add(
                CalendarEntry(
                    uid=uid,
                    facts=draft.facts,
                    audience=draft.audience,
                    former=draft.audience,
                    digest=draft.digest,
                    sequence=0,
                    modified_at=now,
                    gone=False,
                )
            )
        elif entry.digest != draft.digest or entry.gone:
            entry.facts, entry.audience, entry.digest = draft.facts, draft.audience, draft.digest
            entry.former = sorted(set(entry.former) | set(draft.audience))
            entry.sequence += 1
            entry.modified_at = now
            entry.gone = False
    for entry in published.values():
        if not entry.gone:
            entry.gone = True
            entry.sequence += 1
            entry.modified_at = now
    return True
