"""Write the store back as a programme file in format v1."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Alias, Contact, Event, Faq, Group, Leg, Participant, Place, Programme


def _text(value: dict[str, str], default_language: str) -> str | dict[str, str]:
    """Return plain text when only the default language is given, else the mapping."""
    if set(value) == {default_language}:
        return value[default_language]
    return dict(value)


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, [], {})}


async def export_programme(session: AsyncSession) -> dict[str, Any]:
    """Return the stored programme as a format-v1 document (invite codes are not recoverable)."""
    programme = await session.scalar(select(Programme))
    if programme is None:
        raise LookupError("the store holds no programme")
    lang = programme.default_language
    aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for alias in await session.scalars(select(Alias).order_by(Alias.position)):
        aliases[(alias.target_type, alias.target_key)].append(alias.text)

    def rows(model: Any) -> Any:
        return session.scalars(select(model).order_by(model.position))

    doc: dict[str, Any] = {
        "version": 1,
        "programme": _compact(
            {
                "key": programme.key,
                "title": _text(programme.title, lang),
                "organizer": programme.organizer,
                "default_language": lang,
                "languages": list(programme.languages),
                "timezone": programme.timezone,
                "start": programme.start,
                "end": programme.end,
                "daily_agenda_time": programme.daily_agenda_time,
                "help_email": programme.help_email,
            }
        ),
        "groups": [{"key": g.key, "name": g.name} for g in await rows(Group)],
        "places": [
            _compact(
                {
                    "key": p.key,
                    "name": p.name,
                    "address": p.address,
                    "city": p.city,
                    "lat": p.lat,
                    "lon": p.lon,
                    "timezone": p.timezone,
                    "kind": p.kind,
                    "notes": _text(p.notes, lang) if p.notes else None,
                    "aliases": aliases[("place", p.key)],
                }
            )
            for p in await rows(Place)
        ],
        "legs": [
            _compact(
                {
                    "groups": list(leg.groups),
                    "city": leg.city,
                    "from": leg.date_from,
                    "to": leg.date_to,
                    "hotel": leg.hotel_key,
                }
            )
            for leg in await rows(Leg)
        ],
        "contacts": [
            _compact(
                {
                    "key": c.key,
                    "name": c.name,
                    "role": _text(c.role, lang) if c.role else None,
                    "phone": c.phone,
                    "email": c.email,
                    "telegram": c.telegram,
                    "languages": list(c.languages),
                    "groups": list(c.groups),
                    "kind": c.kind,
                    "aliases": aliases[("contact", c.key)],
                }
            )
            for c in await rows(Contact)
        ],
        "participants": [
            _compact(
                {
                    "key": p.key,
                    "name": p.name,
                    "country": p.country,
                    "language": p.language,
                    "group": p.group_key,
                    "phone": p.phone,
                    "email": p.email,
                }
            )
            for p in await rows(Participant)
        ],
        "events": [_event(e, lang, aliases[("event", e.key)]) for e in await rows(Event)],
        "faq": [
            {
                "key": f.key,
                "question": _text(f.question, lang),
                "answer": _text(f.answer, lang),
            }
            for f in await rows(Faq)
        ],
    }
    return {k: v for k, v in doc.items() if v != []}


def _event(e: Event, lang: str, aliases: list[str]) -> dict[str, Any]:
    zone = ZoneInfo(e.timezone)
    return _compact(
        {
            "key": e.key,
            "title": _text(e.title, lang),
            "start": e.start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "end": e.end.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "place": e.place_key,
            "timezone": e.timezone_given,
            "groups": list(e.groups),
            "kind": e.kind,
            "contact": e.contact_key,
            "dress": e.dress,
            "description": _text(e.description, lang) if e.description else None,
            "status": None if e.status == "scheduled" else e.status,
            "aliases": aliases,
        }
    )


def dump_yaml(doc: dict[str, Any]) -> str:
    """Render a programme document as YAML text."""
    header = (
        "# Programme file format v1, exported from the store.\n"
        "# Invite codes are stored only as hashes and are not included.\n"
    )
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
