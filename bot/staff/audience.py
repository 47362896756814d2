"""Who a broadcast or check-in is for: everyone, groups, a city on a date, or named people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assistant.knowledge import Knowledge
from bot.store.models import Participant


class AudienceKind(StrEnum):
    """How an audience is described (each kind but everyone names its own form input)."""

    EVERYONE = "everyone"
    GROUPS = "groups"
    CITY = "city"
    PARTICIPANTS = "participants"


@dataclass(frozen=True)
class Audience:
    """A description of recipients that can be stored and resolved again later."""

    kind: str = AudienceKind.EVERYONE
    groups: tuple[str, ...] = ()
    city: str | None = None
    day: date | None = None
    participants: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the audience as a JSON-safe dict."""
        return {
            "kind": self.kind,
            "groups": list(self.groups),
            "city": self.city,
            "day": self.day.isoformat() if self.day else None,
            "participants": list(self.participants),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        """Read an audience stored by ``to_json``."""
        day = data.get("day")
        return cls(
            data.get("kind", AudienceKind.EVERYONE),
            tuple(data.get("groups") or ()),
            data.get("city"),
            date.fromisoformat(day) if day else None,
            tuple(data.get("participants") or ()),
        )

    def missing(self) -> str | None:
        """The field this kind of audience still needs (kind, groups, city, participants)."""
        if self.kind not in tuple(AudienceKind):
            return "kind"
        if self.kind == AudienceKind.GROUPS and not self.groups:
            return AudienceKind.GROUPS
        if self.kind == AudienceKind.CITY and (not self.city or self.day is None):
            return AudienceKind.CITY
        if self.kind == AudienceKind.PARTICIPANTS and not self.participants:
            return AudienceKind.PARTICIPANTS
        return None


@dataclass(frozen=True)
class Resolved:
    """The participants of an audience, split by whether the bot can reach them."""

    people: list[Participant] = field(default_factory=list)

    @property
    def reachable(self) -> list[Participant]:
        """Linked and not blocked."""
        return [p for p in self.people if p.telegram_user_id is not None and not p.unreachable]

    @property
    def not_linked(self) -> list[Participant]:
        """Never linked a Telegram account."""
        return [p for p in self.people if p.telegram_user_id is None]

    @property
    def blocked(self) -> list[Participant]:
        """Linked, but Telegram refuses delivery."""
        return [p for p in self.people if p.telegram_user_id is not None and p.unreachable]


def city_of(k: Knowledge, group: str | None, day: date) -> str | None:
    """The city a group is in on a date (where they sleep that night)."""
    leg = k.leg_on(group, day)
    return leg.city if leg else None


def whereabouts(k: Knowledge, person: Participant, now: datetime) -> tuple[str | None, str | None]:
    """A participant's group name and the city they are in at an instant, for staff."""
    day, _ = k.local_today(person.group_key, now)
    group = k.snapshot.groups.get(person.group_key or "")
    return (group.name if group else person.group_key), city_of(k, person.group_key, day)


async def resolve(session: AsyncSession, k: Knowledge, audience: Audience) -> Resolved:
    """Return the participants an audience means, in roster order."""
    people = list(await session.scalars(select(Participant).order_by(Participant.position)))
    if audience.kind == AudienceKind.GROUPS:
        chosen = set(audience.groups)
        people = [p for p in people if p.group_key in chosen]
    elif audience.kind == AudienceKind.CITY and audience.day is not None:
        city = (audience.city or "").casefold()
        people = [
            p for p in people if (city_of(k, p.group_key, audience.day) or "").casefold() == city
        ]
    elif audience.kind == AudienceKind.PARTICIPANTS:
        chosen = set(audience.participants)
        people = [p for p in people if p.key in chosen]
    return Resolved(people)


async def unknown_keys(session: AsyncSession, k: Knowledge, audience: Audience) -> list[str]:
    """The group or participant keys an audience names that the programme does not have."""
    if audience.kind == AudienceKind.GROUPS:
        return [g for g in audience.groups if g not in k.snapshot.groups]
    if audience.kind == AudienceKind.PARTICIPANTS:
        known = set(
            await session.scalars(
                select(Participant.key).where(Participant.key.in_(audience.participants))
            )
        )
        return [key for key in audience.participants if key not in known]
    return []


def cities(k: Knowledge) -> list[str]:
    """Every city of the programme's legs, in order of first stay."""
    seen: list[str] = []
    for leg in sorted(k.snapshot.legs, key=lambda leg: leg.date_from):
        if leg.city not in seen:
            seen.append(leg.city)
    return seen
