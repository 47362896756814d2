"""A participant's own schedule as an iCalendar file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot.assistant.knowledge import text_in
from bot.i18n import FSI, PDI, clean
from bot.store.models import Event, Place, Programme


def event_uid(programme: Programme, event: Event) -> str:
    """Return the stable UID of an event: the same across exports and versions."""
    return f"{event.key}@{programme.key}"


def build_calendar(
    programme: Programme,
    events: Iterable[Event],
    places: dict[str, Place],
    language: str,
    now: datetime,
) -> bytes:
    """Return an .ics file of the events, in their own timezones, titles in the language."""
    default = programme.default_language

    def shown(text: str) -> str:
        # Calendar apps show these texts as they are: no controls, not even paired isolates.
        return clean(text).replace(FSI, "").replace(PDI, "")

    calendar = Calendar()
    calendar.add("prodid", "-//Programme assistant//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", shown(text_in(programme.title, language, default)))
    for event in events:
        zone = ZoneInfo(event.timezone)
        item = CalendarEvent()
        item.add("uid", event_uid(programme, event))
        item.add("sequence", event.version)
        item.add("dtstamp", now)
        item.add("dtstart", event.start.astimezone(zone))
        item.add("dtend", event.end.astimezone(zone))
        item.add("summary", shown(text_in(event.title, language, default)))
        item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        place = places.get(event.place_key or "")
        if place is not None:
            item.add("location", shown(", ".join(p for p in (place.name, place.address) if p)))
            if place.lat is not None and place.lon is not None:
                item.add("geo", (place.lat, place.lon))
        details = [text_in(event.description, language, default)] if event.description else []
        if place is not None and place.notes:
            details.append(text_in(place.notes, language, default))
        if details:
            item.add("description", shown("\n\n".join(details)))
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
