"""The programme as plain read-only records: what answers and views read, many times over."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

# Records compare by identity (eq=False), as the rows they copy do: legs are keys of
# dictionaries.


@dataclass(frozen=True, slots=True, eq=False)
class Programme:
    """The programme's own settings."""

    key: str
    title: dict[str, str]
    organizer: str | None
    default_language: str
    languages: list[str]
    timezone: str
    start: date
    end: date
    daily_agenda_time: str
    help_email: str | None
    revision: int


@dataclass(frozen=True, slots=True, eq=False)
class Group:
    """A group of participants."""

    key: str
    name: str
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class Place:
    """A venue or hotel."""

    key: str
    name: str
    address: str | None
    city: str | None
    lat: float | None
    lon: float | None
    timezone: str | None
    kind: str | None
    notes: dict[str, str]
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class Leg:
    """Where some groups sleep from one date to another."""

    id: int
    groups_key: str
    groups: list[str]
    city: str
    date_from: date
    date_to: date
    hotel_key: str | None
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class Contact:
    """Someone to reach."""

    key: str
    name: str
    role: dict[str, str]
    phone: str | None
    email: str | None
    telegram: str | None
    languages: list[str]
    groups: list[str]
    kind: str | None
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class Event:
    """One item of the schedule, as UTC instants plus the timezone shown."""

    key: str
    title: dict[str, str]
    start: datetime
    end: datetime
    timezone: str
    timezone_given: str | None
    place_key: str | None
    groups: list[str]
    kind: str | None
    contact_key: str | None
    dress: str | None
    description: dict[str, str]
    status: str
    version: int
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class Faq:
    """A short practical answer."""

    key: str
    question: dict[str, str]
    answer: dict[str, str]
    position: int


R = TypeVar("R")


def record(kind: type[R], row: Any) -> R:
    """A record of a stored row: its columns, read once."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})  # type: ignore[arg-type]
