"""Unprompted messages: the daily agenda, change notices and reminders, per recipient."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.assistant.answer import Answerer, Context, quoted
from bot.assistant.knowledge import Knowledge, text_in
from bot.assistant.records import Event
from bot.delivery.outbox import (
    QUIET_START,
    Message,
    agenda_key,
    early_start_key,
    notice_key,
    reminder_key,
)
from bot.i18n import I18n, Translator
from bot.store.models import (
    Change,
    ChangeKind,
    EventStatus,
    MessageKind,
    Participant,
)

NOTICE_WINDOW = timedelta(hours=48)
URGENT_WINDOW = timedelta(hours=12)
# On a day whose first event starts less than this after the agenda time, the agenda comes
# this long before that event (through quiet hours), and an early-start notice the evening before.
AGENDA_LEAD = timedelta(hours=1)
# The local time from which the evening-before notice of an early start goes out.
EVENING = time(19, 0)


@dataclass(frozen=True)
class Recipient:
    """A linked, reachable participant, as the sweeps need them."""

    key: str
    chat_id: int
    group: str | None
    language: str
    agenda_enabled: bool
    agenda_time: str | None
    reminder_minutes: int

    @classmethod
    def of(cls, p: Participant) -> Recipient:
        """Take what the sweeps need from a participant row."""
        assert p.telegram_user_id is not None
        return cls(
            p.key,
            p.telegram_user_id,
            p.group_key,
            p.effective_language,
            p.agenda_enabled,
            p.agenda_time,
            p.reminder_minutes,
        )


def _context(k: Knowledge, t: Translator, r: Recipient, now: datetime) -> Context:
    today, timezone = k.local_today(r.group, now)
    stand_in = Participant(key=r.key, group_key=r.group, language=r.language)
    return Context(stand_in, now, t, today, timezone)


def agenda_messages(
    k: Knowledge,
    answerer: Answerer,
    i18n: I18n,
    recipients: Iterable[Recipient],
    now: datetime,
    already: set[tuple[str, date]],
    changed: set[str],
) -> list[Message]:
    """Agendas for everyone whose local agenda time has passed today and who has none yet."""
    default_time = k.programme.daily_agenda_time
    rendered: dict[tuple[str | None, str, date], Agenda | None] = {}
    messages = []
    for r in recipients:
        if not r.agenda_enabled:
            continue
        # The agenda comes at the agenda time of the city the participant wakes up in
        # (on a travel day, the one they leave).
        day, _ = k.local_today(r.group, now)
        timezone = k.morning_timezone(r.group, day)
        day = now.astimezone(ZoneInfo(timezone)).date()
        timezone = k.morning_timezone(r.group, day)
        if (r.key, day) in already:
            continue
        agenda_at = datetime.combine(
            day, time.fromisoformat(r.agenda_time or default_time), ZoneInfo(timezone)
        )
        first = first_start(k, r, day)
        # An early departure: the agenda comes before it, quiet hours or not.
        early = first is not None and first - AGENDA_LEAD < agenda_at
        if now < (max(first - AGENDA_LEAD, _midnight(day, timezone)) if early else agenda_at):
            continue
        # Everyone of a group and language gets the same agenda: render it once.
        key = (r.group, r.language, day)
        if key not in rendered:
            rendered[key] = _agenda_text(
                k, answerer, i18n.translator(r.language), r, now, day, changed
            )
        agenda = rendered[key]
        if agenda is None:
            continue
        messages.append(
            Message(
                agenda_key(r.key, day),
                MessageKind.AGENDA,
                r.key,
                r.chat_id,
                r.language,
                agenda.text,
                timezone,
                urgent=early,
                day=day,
                buttons=agenda.buttons,
            )
        )
    return messages


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0, 0), ZoneInfo(timezone))


def first_start(k: Knowledge, r: Recipient, day: date) -> datetime | None:
    """When the first event of a participant's day (not cancelled) starts."""
    stand_in = Participant(key=r.key, group_key=r.group, language=r.language)
    starts = [e.start for e in k.day_events(stand_in, day) if e.status != EventStatus.CANCELLED]
    return min(starts, default=None)


def early_start_messages(
    k: Knowledge, i18n: I18n, recipients: Iterable[Recipient], now: datetime
) -> list[Message]:
    """The evening before a day that starts before the agenda comes, say when and where."""
    default_time = k.programme.daily_agenda_time
    messages = []
    for r in recipients:
        if not r.agenda_enabled and r.reminder_minutes <= 0:
            continue
        timezone = k.present_timezone(r.group, now)
        local = now.astimezone(ZoneInfo(timezone))
        if not EVENING <= local.time() < QUIET_START:
            continue
        day = local.date() + timedelta(days=1)
        first = first_start(k, r, day)
        morning = k.morning_timezone(r.group, day)
        agenda_at = datetime.combine(
            day, time.fromisoformat(r.agenda_time or default_time), ZoneInfo(morning)
        )
        if first is None or first - AGENDA_LEAD >= agenda_at:
            continue
        stand_in = Participant(key=r.key, group_key=r.group, language=r.language)
        event = next(
            e
            for e in k.day_events(stand_in, day)
            if e.start == first and e.status != EventStatus.CANCELLED
        )
        t = i18n.translator(r.language)
        title = t.isolate(text_in(event.title, t.code, k.programme.default_language))
        lines = [
            t.gettext(
                "Early start tomorrow: {title} at {time}.",
                title=title,
                time=t.time(event.start, event.timezone),
            ),
            _place(k, t, event.place_key),
        ]
        if r.agenda_enabled:
            lines.append(t.gettext("Your agenda for the day will come an hour before."))
        messages.append(
            Message(
                early_start_key(r.key, day),
                MessageKind.EARLY_START,
                r.key,
                r.chat_id,
                r.language,
                "\n".join(lines),
                timezone,
                # An evening message: not held overnight to arrive the morning it is about.
                expires_at=datetime.combine(local.date(), QUIET_START, ZoneInfo(timezone)),
            )
        )
    return messages


def _agenda_text(
    k: Knowledge,
    answerer: Answerer,
    t: Translator,
    r: Recipient,
    now: datetime,
    day: date,
    changed: set[str],
) -> Agenda | None:
    context = _context(k, t, r, now)
    events = k.day_events(context.participant, day)
    if not events:
        return None
    default = k.programme.default_language
    if all(e.status == EventStatus.CANCELLED for e in events):
        # Nothing left to do that day: say so, and what was called off.
        lines = [t.gettext("Good morning! Nothing is planned for you today.")]
        lines.extend(
            t.gettext(
                "Cancelled: {title} ({time})",
                title=t.isolate(text_in(e.title, t.code, default)),
                time=t.time(e.start, e.timezone),
            )
            for e in events
        )
        return Agenda(t.directed("\n\n".join(lines)), ())
    reply = answerer.schedule(day, None, context)
    lines = [t.gettext("Good morning! Here is your programme for today.")]
    lines.extend(reply.text)
    moved = [e for e in events if e.key in changed]
    if moved:
        default = k.programme.default_language
        titles = t.join([quoted(t.isolate(text_in(e.title, t.code, default)), t) for e in moved])
        lines.append(t.gettext("Changed since you last heard: {titles}", titles=titles))
    # The Map buttons of the agenda, as /today has them.
    buttons = tuple((b.label, b.action) for b in reply.maps)
    return Agenda(t.directed("\n\n".join(lines)), buttons)


@dataclass(frozen=True)
class Agenda:
    """A rendered agenda: its text and its buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class EventChange:
    """The net change of one event over one or more change-log entries."""

    event_key: str
    version: int
    kind: ChangeKind
    fields: tuple[str, ...]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def audience(self) -> tuple[set[str], bool]:
        """Group keys told of it, and whether it concerns everyone."""
        groups: set[str] = set()
        everyone = False
        for side in (self.before, self.after):
            if side is not None:
                if not side["groups"]:
                    everyone = True
                groups.update(side["groups"])
        return groups, everyone

    def starts(self) -> list[datetime]:
        """The start instants before and after the change."""
        return [datetime.fromisoformat(s["start"]) for s in (self.before, self.after) if s]


def coalesce(entries: list[Change]) -> list[EventChange]:
    """Merge successive entries per event: first 'before', last 'after', all fields."""
    by_event: dict[str, list[Change]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.event_key, e.version, e.id)):
        by_event[entry.event_key].append(entry)
    merged = []
    for key, items in by_event.items():
        first, last = items[0], items[-1]
        before, after = first.details.get("before"), last.details.get("after")
        if before is None and after is None:
            continue  # added, then removed again: nobody needs to hear of it
        kind = (
            ChangeKind.ADDED
            if before is None
            else ChangeKind.REMOVED
            if after is None
            else ChangeKind.CHANGED
        )
        fields: list[str] = []
        for item in items:
            fields.extend(f for f in item.fields if f not in fields)
        merged.append(EventChange(key, last.version, kind, tuple(fields), before, after))
    return merged


def starts_soon(start: datetime, now: datetime, window: timedelta = NOTICE_WINDOW) -> bool:
    """Whether an event starting then is worth a notice now (not long past, within the window)."""
    return now - timedelta(hours=1) <= start <= now + window


def is_soon(change: EventChange, now: datetime, window: timedelta = NOTICE_WINDOW) -> bool:
    """Whether the event (before or after the change) starts within the window."""
    return any(starts_soon(s, now, window) for s in change.starts())


def is_urgent(change: EventChange, now: datetime) -> bool:
    """A cancellation, removal or move of something within 12 hours goes through quiet hours."""
    serious = change.kind == ChangeKind.REMOVED or {"status", "time", "place"} & set(change.fields)
    return bool(serious) and is_soon(change, now, URGENT_WINDOW)


def notice_messages(
    k: Knowledge,
    i18n: I18n,
    change: EventChange,
    recipients: Iterable[Recipient],
    now: datetime,
) -> list[Message]:
    """One notice per affected participant (old and new audience), in their language."""
    groups, everyone = change.audience()
    texts: dict[tuple[str, str | None], str] = {}
    urgent = is_urgent(change, now)
    messages = []
    for r in recipients:
        if not everyone and r.group not in groups:
            continue
        # Times are labelled by group: a group elsewhere that day reads its own time too.
        if (r.language, r.group) not in texts:
            texts[r.language, r.group] = _notice_text(
                k, i18n.translator(r.language), change, r.group
            )
        timezone = k.present_timezone(r.group, now)
        messages.append(
            Message(
                notice_key(change.event_key, change.version, r.key),
                MessageKind.NOTICE,
                r.key,
                r.chat_id,
                r.language,
                texts[r.language, r.group],
                timezone,
                urgent=urgent,
            )
        )
    return messages


def _when(k: Knowledge, t: Translator, side: dict[str, Any], group: str | None) -> str:
    """The day and time range of one side of a change, as the group's readers see it."""
    start = datetime.fromisoformat(side["start"])
    end = datetime.fromisoformat(side["end"])
    zone = side["timezone"]
    reader = k.timezone_on(group, start.astimezone(ZoneInfo(zone)).date())
    return t.gettext(
        "{day}, {time}", day=t.date(start, zone), time=t.span(start, end, zone, reader)
    )


def _place(k: Knowledge, t: Translator, key: str | None) -> str:
    place = k.places.get(key or "")
    return t.isolate(", ".join(p for p in (place.name, place.address) if p)) if place else "—"


def _notice_text(k: Knowledge, t: Translator, change: EventChange, group: str | None) -> str:
    return t.directed(_notice_lines(k, t, change, lambda side: _when(k, t, side, group)))


def _notice_lines(
    k: Knowledge, t: Translator, change: EventChange, when: Callable[[dict[str, Any]], str]
) -> str:
    default = k.programme.default_language
    side = change.after or change.before
    assert side is not None
    title = t.isolate(text_in(side["title"], t.code, default))
    if change.kind == ChangeKind.REMOVED:
        return t.gettext(
            "Activity removed from your programme: “{title}”, {when}.",
            title=title,
            when=when(side),
        )
    if change.kind == ChangeKind.ADDED:
        return "\n".join(
            [
                t.gettext("New activity in your programme: “{title}”", title=title),
                when(side),
                _place(k, t, side["place"]),
            ]
        )
    before, after = change.before, change.after
    assert before is not None and after is not None
    lines = [t.gettext("Change to your programme: “{title}”", title=title)]
    cancelled = EventStatus.CANCELLED
    if after["status"] == cancelled and before["status"] != cancelled:
        lines.append(t.gettext("CANCELLED: {when}", when=when(before)))
    elif before["status"] == cancelled and after["status"] != cancelled:
        lines.append(t.gettext("Back on the programme: {when}", when=when(after)))
    if "time" in change.fields:
        lines.append(
            t.gettext(
                "Time: {old} → {new}",
                old=t.isolate(when(before)),
                new=t.isolate(when(after)),
            )
        )
    if "place" in change.fields:
        lines.append(
            t.gettext(
                "Place: {old} → {new}",
                old=_place(k, t, before["place"]),
                new=_place(k, t, after["place"]),
            )
        )
    if "title" in change.fields:
        was = t.isolate(text_in(before["title"], t.code, default))
        lines.append(t.gettext("Previous title: “{title}”", title=was))
    if len(lines) == 1:
        lines.append(when(after))
    return "\n".join(lines)


def reminder_messages(
    k: Knowledge,
    i18n: I18n,
    recipients: Iterable[Recipient],
    now: datetime,
) -> list[Message]:
    """Reminders before travel and meeting-point events, as each participant set them."""
    horizon = now + timedelta(hours=3)
    soon = [
        e
        for e in k.ordered
        if now <= e.start <= horizon and e.status != EventStatus.CANCELLED and _needs_reminder(k, e)
    ]
    messages = []
    for r in recipients:
        if r.reminder_minutes <= 0:
            continue
        stand_in = Participant(key=r.key, group_key=r.group, language=r.language)
        for event in soon:
            if event.start - now > timedelta(minutes=r.reminder_minutes):
                continue
            if not k.is_for(event, stand_in):
                continue
            t = i18n.translator(r.language)
            timezone = k.present_timezone(r.group, now)
            title = t.isolate(text_in(event.title, t.code, k.programme.default_language))
            text = t.directed(
                "\n".join(
                    [
                        t.gettext(
                            "Reminder: “{title}” at {time}",
                            title=title,
                            time=t.isolate(t.time(event.start, event.timezone)),
                        ),
                        _place(k, t, event.place_key),
                    ]
                )
            )
            messages.append(
                Message(
                    reminder_key(event.key, event.version, r.key),
                    MessageKind.REMINDER,
                    r.key,
                    r.chat_id,
                    r.language,
                    text,
                    timezone,
                    # It is needed at its time, quiet hours or not, and never after it.
                    urgent=True,
                    expires_at=event.start,
                )
            )
    return messages


def _needs_reminder(k: Knowledge, event: Event) -> bool:
    """Travel, and gatherings at the hotel (the meeting point), deserve a reminder."""
    if event.kind == "travel":
        return True
    place = k.places.get(event.place_key or "")
    return bool(
        place and place.kind == "hotel" and event.kind in ("logistics", "site-visit", "cultural")
    )
