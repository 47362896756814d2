"""Published calendar entries as an iCalendar file for one reader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, vDuration
from icalendar import Event as CalendarEvent

from bot.assistant.knowledge import text_in
from bot.i18n import FSI, N_, PDI, Translator, clean
from bot.store.models import CalendarEntry, EventStatus

# How often calendars should fetch a subscription again.
REFRESH = timedelta(hours=1)
HOTEL_NIGHT = N_("Hotel: {hotel}")
MEETING_POINT = N_("Meeting point: {place}")


@dataclass(frozen=True)
class Reader:
    """Whose feed: an audience token (None: staff, who see everything) and their language."""

    audience: str | None
    translator: Translator
    # Minutes before travel for the alarm; 0 for none.
    alarm_minutes: int = 30


def _shown(text: str) -> str:
    # Calendar apps show these texts as they are: no controls, not even paired isolates.
    return clean(text).replace(FSI, "").replace(PDI, "")


def _sort_key(entry: CalendarEntry) -> tuple[str, str]:
    facts = entry.facts
    return (facts.get("start") or facts.get("date") or "", entry.uid)


def _location(item: CalendarEvent, place: dict[str, Any] | None) -> None:
    if place is None:
        return
    item.add("location", _shown(", ".join(p for p in (place["name"], place["address"]) if p)))
    if place["lat"] is not None and place["lon"] is not None:
        item.add("geo", (place["lat"], place["lon"]))


def _summary(text: str, facts: dict[str, Any], reader: Reader) -> str:
    if reader.audience is None and facts.get("groups"):
        # Staff see every group's items in one calendar: say whose each is.
        return f"{text} ({', '.join(facts['groups'])})"
    return text


def _event(item: CalendarEvent, facts: dict[str, Any], reader: Reader, default: str) -> None:
    t = reader.translator
    zone = ZoneInfo(facts["timezone"])
    item.add("dtstart", datetime.fromisoformat(facts["start"]).astimezone(zone))
    item.add("dtend", datetime.fromisoformat(facts["end"]).astimezone(zone))
    title = text_in(facts["title"], t.code, default)
    item.add("summary", _shown(_summary(title, facts, reader)))
    place = facts["place"]
    _location(item, place)
    details = []
    travel = facts.get("event_kind") == "travel"
    if travel and place is not None:
        details.append(t.gettext(MEETING_POINT, place=place["name"]))
    if facts["description"]:
        details.append(text_in(facts["description"], t.code, default))
    if place is not None and place["notes"]:
        details.append(text_in(place["notes"], t.code, default))
    if details:
        item.add("description", _shown("\n\n".join(details)))
    if travel and reader.alarm_minutes > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _shown(title))
        alarm.add("trigger", timedelta(minutes=-reader.alarm_minutes))
        item.add_component(alarm)


def _night(item: CalendarEvent, facts: dict[str, Any], reader: Reader) -> None:
    day = date.fromisoformat(facts["date"])
    item.add("dtstart", day)
    item.add("dtend", day + timedelta(days=1))
    place = facts["place"]
    hotel = reader.translator.gettext(HOTEL_NIGHT, hotel=place["name"])
    item.add("summary", _shown(_summary(hotel, facts, reader)))
    # A night at the hotel does not make the day busy.
    item.add("transp", "TRANSPARENT")
    _location(item, place)


def visible(entry: CalendarEntry, audience: str | None) -> bool:
    """Whether a reader's feed carries the entry, live or as a cancellation."""
    return audience is None or audience in entry.audience or audience in entry.former


def render(
    title: dict[str, str],
    default: str,
    entries: Iterable[CalendarEntry],
    reader: Reader,
) -> bytes:
    """The reader's calendar: their entries, and those withdrawn from them as cancelled."""
    t = reader.translator
    calendar = Calendar()
    calendar.add("prodid", "-//Programme assistant//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _shown(text_in(title, t.code, default))
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for entry in sorted(entries, key=_sort_key):
        if not visible(entry, reader.audience):
            continue
        facts = entry.facts
        item = CalendarEvent()
        item.add("uid", entry.uid)
        item.add("sequence", entry.sequence)
        # The stamp is the revision time, not the time of the request, so that an unchanged
        # feed is the same bytes (and the same ETag) on every fetch.
        item.add("dtstamp", entry.modified_at)
        item.add("last-modified", entry.modified_at)
        if facts["kind"] == "night":
            _night(item, facts, reader)
        else:
            _event(item, facts, reader, default)
        withdrawn = entry.gone or (
            reader.audience is not None and reader.audience not in entry.audience
        )
        cancelled = withdrawn or facts.get("status") == EventStatus.CANCELLED
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
