"""Meaning + participant + now -> a reply, only from the participant's own programme."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.assistant.frame import PARTS, Ask, Frame, FrameReader, local_day
from bot.assistant.knowledge import SENTENCE_END, Knowledge, index_words, text_in, utc_offset
from bot.assistant.memo import kept
from bot.assistant.normalize import tokens
from bot.assistant.records import Contact, Event, Leg, Place
from bot.assistant.understand import Understanding
from bot.commands import Command, Intent
from bot.i18n import N_, Translator, offset_label
from bot.replies import Button, ContactCard, Reply, Venue
from bot.store.models import EventStatus, Participant

# Answers about events that also give the FAQ entry of a topic the message names.
# Words of a message that name no one event: the programme, a group, any meeting or meal.
_NAMING_NOTHING = frozenset({"programme", "group", "meeting", "tour", "dinner", "lunch"})
_WITH_TOPIC = frozenset(
    {
        Ask.WHEN,
        Ask.WHERE,
        Ask.TRAVEL,
        Ask.AGENDA,
        Ask.DRESS,
        Ask.CONTACT,
        Ask.ZONES,
        Ask.DETAIL,
        Ask.HOTEL,
    }
)

# A day and a part of it, as one phrase: "Thursday, May 2, in the afternoon".
_PART_PHRASES = {
    "morning": N_("{day}, in the morning"),
    "afternoon": N_("{day}, in the afternoon"),
    "evening": N_("{day}, in the evening"),
}
# Dress codes programmes commonly use; any other value is shown as the programme wrote it.
DRESS_CODES = {
    "business": N_("business attire"),
    "business attire": N_("business attire"),
    "business casual": N_("business casual"),
    "smart casual": N_("smart casual"),
    "casual": N_("casual"),
    "formal": N_("formal attire"),
    "black tie": N_("black tie"),
    "cocktail": N_("cocktail attire"),
    "traditional": N_("national or traditional dress"),
    "national dress": N_("national or traditional dress"),
    "comfortable": N_("comfortable clothes and shoes"),
}


def dress_code(value: str, t: Translator) -> str:
    """A dress code in the reader's language when it is a known one, else as written."""
    known = DRESS_CODES.get(" ".join(value.casefold().replace("-", " ").split()))
    if not known:
        return t.isolate(value)
    said = t.gettext(known)
    # Invitations and hosts use the programme's own words ("business"): they follow, as written.
    if value.casefold() in said.casefold():
        return said
    return t.gettext("{said} ({written})", said=said, written=t.isolate(value))


def quoted(title: str, t: Translator) -> str:
    """A title between the reader's language's quotation marks (already isolated)."""
    return t.pgettext("quoted title", "“{title}”", title=title)


# A lobby call that sets off on a journey gathers for a visit starting this soon after it.
_CALLED_WITHIN = timedelta(hours=2)
# A ride ends this soon before the visit it brings people to.
_RIDE_TO = timedelta(minutes=30)


@dataclass(frozen=True)
class Context:
    """Who asks, when, and in which language the reply is written."""

    participant: Participant | None
    now: datetime
    t: Translator
    today: date
    timezone: str  # the timezone of the city the participant is in today


# "Check-in from 15:00", "checkin at 3 pm" (not "check out", which also names the hotel).
_CHECK_IN = re.compile(r"\bcheck[\s-]?in\b", re.IGNORECASE)
_CHECK_OUT = re.compile(r"\bcheck[\s-]?out\b", re.IGNORECASE)
# Kinds of event that arrange a stay: a journey to the hotel, a lobby call.
_ARRANGED = frozenset({"travel", "logistics"})
# Rendered events and agenda lines kept at most: events times languages times zones.
_RENDERED = 100_000
# A description's first sentence this short ("In the Sutter Room.") goes on the agenda.
_SHORT_SENTENCE = 60


# Days ahead whose cities a question on the clocks changing may be about ("this week?").
_CLOCK_WEEK = 7


class Answerer:
    """Composes replies from the knowledge snapshot; never writes to the store."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.k = knowledge
        self.reader = FrameReader(knowledge)
        # Rendered time ranges: the snapshot never changes, agendas repeat them.
        self._spans: dict[Hashable, str] = {}
        # Whole agendas, per group, day, part, language and zone: every member asks the same.
        self._agendas: dict[tuple[str | None, date, str | None, str, str], Reply] = {}
        # Rendered events, per group, language and reader's zone: many agendas and answers
        # show the same event.
        self._blocks: dict[tuple[str, str, bool, str, str, str | None], str] = {}
        self._lines: dict[tuple[str, str, str, str, str | None], str] = {}
        self._answers = self._by_ask()
        self.default = knowledge.programme.default_language
        # Every intent a command can carry, and its answer.
        self._commands: dict[Intent, Callable[[Context], Reply]] = {
            Intent.HELP: self.help,
            Intent.TODAY: lambda c: self.schedule(c.today, None, c),
            Intent.TOMORROW: lambda c: self.schedule(c.today + timedelta(days=1), None, c),
            Intent.NEXT: self.next,
            Intent.NOW: self.now,
            Intent.WEEK: self.week,
            Intent.HOTEL: lambda c: self.hotel(c.today, c),
            Intent.CONTACTS: lambda c: self.contacts(c, None),
            Intent.EMERGENCY: self.emergency,
            Intent.LANGUAGE: self.languages,
        }

    @property
    def knowledge(self) -> Knowledge:
        """The snapshot this answerer answers from."""
        return self.k

    # ---- entry point ----

    def answer(self, u: Understanding, c: Context) -> Reply:
        """Return the reply to an understood message."""
        if u.command is not None:
            return self.command(u.command, c)
        if c.participant is None:
            return directed(self.public(c, understood=u.has("help")), c.t)
        return self.respond(self.frame(u, c), c)

    def frame(self, u: Understanding, c: Context) -> Frame:
        """Read a participant's message as a frame on this programme."""
        assert c.participant is not None
        return self.reader.read(u, c.participant, c.now, c.today)

    def respond(self, f: Frame, c: Context) -> Reply:
        """The answer to a frame."""
        reply = self._answers[f.ask](f, c)
        if f.with_contact and f.ask is Ask.WHEN:
            reply.contacts = [self._card(x, c) for x in f.contacts]
        # "When does the programme start, and the welcome dinner?": the dates, then the event
        # named by its own words.
        named = f.terms - _NAMING_NOTHING
        if f.ask is Ask.DATES and f.events and named and self.k.titled_by(f.events[0], named):
            reply.text.append(self._event_block(f.events[0], c))
        elif f.planned and f.day is not None:
            reply.text.extend(self.schedule(f.day, f.part, c).text)
        if f.lodged:
            day = min(max(c.today, self.k.programme.start), self.k.programme.end)
            reply.text.extend(self.checkin(f.but(day=f.day or day, legs=[]), c).text)
        told: list[str] = []
        if f.ask is Ask.WHEN and f.events and (f.legs or f.clocks or f.others):
            told = self._elsewhere(f.events[0], f, c)
            reply.text.extend(told)
        # A time said that is the event's own start or end was read on the other clocks above.
        if f.said is not None and not (told and f.said in (f.events[0].start, f.events[0].end)):
            reply.text.extend(self._said_elsewhere(f.said, f, c, reply.text))
        if f.clockchange and (line := self._clock_of_day(f, c)):
            reply.text.append(line)
        # "When is the per diem handed out, and how much?": the event, then the FAQ's answer.
        # "Landed: from what time is my room ready?" is the check-in, whatever "time" finds.
        checkin = f.ask is Ask.CHECKIN and (f.topic or f.faq == self.k.checkin_faq)
        if f.faq and (checkin or (f.topic and f.ask in _WITH_TOPIC)):
            answer = self._faq_text(f.faq, f, c)
            if answer not in reply.text:
                reply.text.append(answer)
        return directed(reply, c.t)

    def command(self, command: Command, c: Context) -> Reply:
        """The answer to a slash command (a stranger's: what a stranger may know)."""
        if c.participant is None:
            return directed(self.public(c, understood=command.intent is Intent.HELP), c.t)
        answer = self._commands.get(command.intent) if command.intent else None
        return directed(answer(c) if answer else self.fallback(c), c.t)

    def _by_ask(self) -> dict[Ask, Callable[[Frame, Context], Reply]]:
        return {
            Ask.AGENDA: lambda f, c: self.schedule(f.day or c.today, f.part, c),
            Ask.WEEK: lambda f, c: self.week(c, f.day, f.days if f.days > 1 else 7),
            Ask.NEXT: lambda f, c: self.next(c),
            Ask.NOW: lambda f, c: self.now(c),
            Ask.WHEN: lambda f, c: self.when(list(f.events), c, countdown=f.countdown),
            Ask.AFTER: lambda f, c: self.after(f.events[0], c),
            Ask.WHERE: self.where,
            Ask.DATES: lambda f, c: self.dates(c),
            Ask.HOTEL: self.hotel_asked,
            Ask.TRAVEL: self.travel,
            Ask.CONTACT: self.contact_asked,
            Ask.EMERGENCY: lambda f, c: self.emergency(c, f),
            Ask.DRESS: self.dress,
            Ask.DETAIL: self.detail,
            Ask.CHECKIN: self.checkin,
            Ask.FAQ: self.faq,
            Ask.LANGUAGES: lambda f, c: self.languages(c),
            Ask.GROUP: lambda f, c: self.group(c),
            Ask.PERSON: lambda f, c: self.about_someone(c),
            Ask.ZONES: self.zones,
            Ask.OUT_OF_SCOPE: lambda f, c: self.out_of_scope(c),
            Ask.HELP: lambda f, c: self.help(c),
            Ask.THANKS: lambda f, c: Reply(
                c.t.code, [c.t.gettext("You're welcome! Ask me anything about the programme.")]
            ),
            Ask.UNKNOWN: lambda f, c: self.fallback(c),
        }

    def _relevant(self, contact: Contact, c: Context) -> bool:
        group = c.participant.group_key if c.participant else None
        return not contact.groups or (group is not None and group in contact.groups)

    # ---- rendering helpers ----

    def _local_day(self, event: Event) -> date:
        return local_day(event)

    def _title(self, event: Event, c: Context) -> str:
        return c.t.isolate(text_in(event.title, c.t.code, self.default))

    def _place_line(self, place: Place | None, c: Context) -> str:
        if place is None:
            return ""
        parts = [place.name, place.address]
        return c.t.isolate(", ".join(p for p in parts if p))

    def venue(self, place: Place) -> Venue:
        return Venue(place.name, place.address or place.city or "", place.lat, place.lon)

    def _notes(self, place: Place | None, c: Context) -> str:
        if place is None or not place.notes:
            return ""
        notes = c.t.gettext(
            "Note: {notes}", notes=c.t.isolate(text_in(place.notes, c.t.code, self.default))
        )
        return notes + self._documents(place.notes, c)

    def _documents(self, texts: dict[str, str], c: Context) -> str:
        """For a note not written in the reader's language, the documents it names, in that
        language ("Passport required" to a Spanish reader: "pasaporte")."""
        if c.t.code in texts:
            return ""
        words = self.k.lexicons.documents.get(c.t.code, {})
        named = index_words(self.k.lexicons, text_in(texts, c.t.code, self.default))
        found = [word for term, word in words.items() if term in named]
        if not found:
            return ""
        return "\n" + c.t.gettext("The note mentions: {documents}.", documents=", ".join(found))

    def _span(self, event: Event, c: Context, reader_timezone: str) -> str:
        group = c.participant.group_key if c.participant else None
        start, end, zone = event.start, event.end, event.timezone
        arrival = self.k.arrival_timezone(event, group)
        if arrival is not None:
            return c.t.journey(start, end, zone, arrival)
        morning = self.k.morning_timezone(group, local_day(event))
        # Keyed by what the text shows, not by event nor day: agendas share their hours.
        key = _span_key(start, end, zone, morning, reader_timezone, c.t.code)
        text = self._spans.get(key)
        if text is None:
            text = self._spans[key] = self._render_span(
                start, end, zone, morning, reader_timezone, c
            )
        return text

    @staticmethod
    def _render_span(
        start: datetime, end: datetime, zone: str, morning: str, reader: str, c: Context
    ) -> str:
        # On a travel day the reader is in two cities: an event in either needs no label.
        if (
            start.astimezone(ZoneInfo(morning)).utcoffset()
            == start.astimezone(ZoneInfo(zone)).utcoffset()
        ):
            reader = zone
        return c.t.span(start, end, zone, reader)

    def _day(self, day: date, c: Context) -> str:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(c.timezone))
        return c.t.date(noon, c.timezone)

    def _event_block(self, event: Event, c: Context, *, with_day: bool = True) -> str:
        """Return an event as a few lines: day and time, title, place, dress, status."""
        group = c.participant.group_key if c.participant else None
        # Keyed by the zones it is read in, not by group: groups in one city share it.
        _, reader = self.k.reader_day(event, group)
        morning = self.k.morning_timezone(group, local_day(event))
        arrival = self.k.arrival_timezone(event, group)
        key = (event.key, c.t.code, with_day, reader, morning, arrival)
        return kept(
            self._blocks, key, lambda: self._render_block(event, reader, c, with_day), _RENDERED
        )

    def _render_block(self, event: Event, reader: str, c: Context, with_day: bool) -> str:
        when = self._span(event, c, reader)
        if with_day:
            when = c.t.gettext(
                "{day}, {time}", day=c.t.date(event.start, event.timezone), time=when
            )
        title = self._title(event, c)
        if event.status == EventStatus.CANCELLED:
            title = c.t.gettext("CANCELLED: {title}", title=title)
        lines = [when, title]
        place = self.k.places.get(event.place_key or "")
        if place is not None:
            lines.append(c.t.gettext("Place: {place}", place=self._place_line(place, c)))
        if event.dress:
            lines.append(c.t.gettext("Dress: {dress}", dress=dress_code(event.dress, c.t)))
        return "\n".join(lines)

    def _agenda_line(self, event: Event, c: Context, reader_timezone: str) -> str:
        group = c.participant.group_key if c.participant else None
        morning = self.k.morning_timezone(group, local_day(event))
        arrival = self.k.arrival_timezone(event, group)
        # Groups in one zone share a line, unless its description goes group by group.
        mine = group if event.description and not event.place_key else None
        key = (event.key, c.t.code, reader_timezone, morning, arrival, mine)
        return kept(
            self._lines, key, lambda: self._render_line(event, c, reader_timezone), _RENDERED
        )

    def _render_line(self, event: Event, c: Context, reader_timezone: str) -> str:
        title = self._title(event, c)
        if event.status == EventStatus.CANCELLED:
            title = c.t.gettext("CANCELLED: {title}", title=title)
        # "What's on tomorrow?" on a day of travel gives the flight numbers too.
        numbers = [n for n in self.k.journey_numbers(event) if n not in title]
        if numbers:
            title = c.t.gettext("{title} ({numbers})", title=title, numbers=c.t.join(numbers))
        line = c.t.gettext(
            "{time} {title}", time=self._span(event, c, reader_timezone), title=title
        )
        place = self.k.places.get(event.place_key or "")
        if place is not None:
            # The address too: the morning's agenda is what a participant shows a driver; and
            # a short first sentence of the description, which says the room ("In the Sutter
            # Room.").
            line += "\n    " + self._place_line(place, c)
            if event.description and event.status != EventStatus.CANCELLED:
                first = self._first_sentence(event, c)
                if len(first) <= _SHORT_SENTENCE:
                    line += "\n    " + first
        elif event.description and self.k.group_by_group(
            text_in(event.description, c.t.code, self.default)
        ):
            # An online call each group joins from its own room: the reader's line says where.
            line += "\n    " + self._description(event, c)
        elif event.description:
            # Without a place, the description's first sentence says where or with whom
            # ("your host family picks you up in the lobby").
            line += "\n    " + self._first_sentence(event, c)
        # The morning's agenda says when to be in the lobby, not only when the visit starts.
        call = self.k.call_before(event, c.t.code)
        if event.status != EventStatus.CANCELLED and call and call not in line:
            line += "\n    " + call
        return line

    def _first_sentence(self, event: Event, c: Context) -> str:
        return SENTENCE_END.split(self._description(event, c), maxsplit=1)[0]

    # ---- answers ----

    def schedule(self, day: date, part: str | None, c: Context) -> Reply:
        """The participant's events on one local day, optionally one part of it."""
        group = c.participant.group_key if c.participant else None
        key = (group, day, part, c.t.code, c.timezone)
        if key not in self._agendas:
            self._agendas[key] = self._schedule(day, part, c)
        cached = self._agendas[key]
        # A copy: callers add lines to the replies they get.
        return replace(
            cached,
            text=list(cached.text),
            venues=list(cached.venues),
            contacts=list(cached.contacts),
            buttons=list(cached.buttons),
            maps=list(cached.maps),
        )

    def _schedule(self, day: date, part: str | None, c: Context) -> Reply:
        t = c.t
        group = c.participant.group_key if c.participant else None
        reader = self.k.timezone_on(group, day)
        # "This afternoon" is the reader's afternoon, also for an online event elsewhere.
        events = self._in_part(self.k.day_events(c.participant, day), part, reader)
        label = self._day(day, c)
        if part in _PART_PHRASES:
            label = t.gettext(_PART_PHRASES[part], day=label)
        reply = Reply(t.code)
        if not events:
            reply.text.append(t.gettext("Nothing is scheduled for you on {day}.", day=label))
            start, end = self.k.programme.start, self.k.programme.end
            if not start <= day <= end:
                reply.text.append(
                    t.gettext(
                        "The programme runs from {start} to {end}.",
                        start=self._day(start, c),
                        end=self._day(end, c),
                    )
                )
            elif part is None and (later := self._first_after(day, reader, c)) is not None:
                # "Anything tomorrow?" on a free day: when the programme picks up again.
                reply.text += [t.gettext("Next:"), self._event_block(later, c)]
            elif part is not None and self.k.day_events(c.participant, day):
                # "Anything tomorrow morning?": nothing then, and what the day does hold.
                whole = self._schedule(day, None, c)
                reply.text += whole.text
                reply.maps = whole.maps
            return reply
        reply.text.append(
            t.ngettext(
                "Your programme for {day} ({n} item):",
                "Your programme for {day} ({n} items):",
                len(events),
                day=label,
            )
        )
        reply.text.append("\n".join(self._agenda_line(e, c, reader) for e in events))
        reply.maps = self._maps(events, c)
        return reply

    def _first_after(self, day: date, zone: str, c: Context) -> Event | None:
        """The participant's first event (not cancelled) after a local day."""
        midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), ZoneInfo(zone))
        midnight = midnight.astimezone(UTC)
        return next(
            (
                e
                for e in self.k.upcoming(c.participant, midnight)
                if e.status != EventStatus.CANCELLED and e.start >= midnight
            ),
            None,
        )

    def _maps(self, events: list[Event], c: Context) -> list[Button]:
        """One map button per distinct place of an agenda."""
        places = dict.fromkeys(e.place_key for e in events if e.place_key in self.k.places)
        return [
            Button(
                c.t.pgettext("button", "Map: {place}", place=self.k.places[key].name),
                callbacks.venue(key),
            )
            for key in places
            if key
        ]

    def week(self, c: Context, start: date | None = None, days: int = 7) -> Reply:
        """The participant's next seven days (from a later day when asked), or the days of a
        weekend, day by day."""
        t = c.t
        first = max(start or c.today, c.today)
        last = first + timedelta(days=days - 1)
        heading = t.gettext("Your programme for the next seven days:")
        if days != 7:
            heading = t.gettext(
                "Your programme from {start} to {end}:",
                start=self._day(first, c),
                end=self._day(last, c),
            )
        reply = Reply(t.code, [heading])
        group = c.participant.group_key if c.participant else None
        for offset in range(days):
            day = first + timedelta(days=offset)
            events = self.k.day_events(c.participant, day)
            if events:
                reader = self.k.timezone_on(group, day)
                lines = [self._day(day, c)] + [self._agenda_line(e, c, reader) for e in events]
                reply.text.append("\n".join(lines))
                reply.maps.extend(m for m in self._maps(events, c) if m not in reply.maps)
        if len(reply.text) == 1 and days == 7:
            reply.text = [t.gettext("Nothing is scheduled for you in the next seven days.")]
        elif len(reply.text) == 1:
            reply.text = [
                t.gettext(
                    "Nothing is scheduled for you from {start} to {end}.",
                    start=self._day(first, c),
                    end=self._day(last, c),
                )
            ]
        start, end = self.k.programme.start, self.k.programme.end
        if len(reply.text) == 1 and (last < start or first > end):
            # "Anything this week?" after the programme: when it was.
            reply.text.append(
                t.gettext(
                    "The programme runs from {start} to {end}.",
                    start=self._day(start, c),
                    end=self._day(end, c),
                )
            )
        return reply

    def next(self, c: Context) -> Reply:
        """The participant's next event, with its place."""
        event = next(
            (e for e in self.k.upcoming(c.participant, c.now) if e.status != EventStatus.CANCELLED),
            None,
        )
        if event is None:
            return Reply(c.t.code, [c.t.gettext("There is nothing else on your programme.")])
        reply = Reply(c.t.code, [c.t.gettext("Next:"), self._event_block(event, c)])
        self._describe(reply, event, c)
        self._add_place(reply, event, c)
        self._then(reply, event, c)
        return reply

    def _then(self, reply: Reply, event: Event, c: Context) -> None:
        """After free time, the next thing on the programme ("the afternoon is free; and
        then?")."""
        if event.kind != "free":
            return
        later = next(
            (
                e
                for e in self.k.upcoming(c.participant, event.start)
                if e.key != event.key and e.status != EventStatus.CANCELLED and e.kind != "free"
            ),
            None,
        )
        if later is not None:
            reply.text += [c.t.gettext("Then:"), self._event_block(later, c)]
            self._describe(reply, later, c)

    def _describe(self, reply: Reply, event: Event, c: Context) -> None:
        """Add what the programme says of the event coming up: where to meet, whom, the call
        to leave."""
        if event.description:
            reply.text.append(self._description(event, c))

    def now(self, c: Context) -> Reply:
        """What the participant should be at right now, then what is next."""
        ongoing = [
            e for e in self.k.ongoing(c.participant, c.now) if e.status != EventStatus.CANCELLED
        ]
        if not ongoing:
            reply = self.next(c)
            reply.text.insert(0, c.t.gettext("Nothing is on your programme right now."))
            return reply
        reply = Reply(c.t.code, [c.t.gettext("Now:")])
        reply.text.extend(self._event_block(e, c) for e in ongoing)
        # What is going on now is what one needs to know about: who speaks, where to go.
        reply.text.extend(self._particulars(ongoing[0], c))
        self._add_place(reply, ongoing[0], c)
        return reply

    def when(self, events: list[Event], c: Context, *, countdown: bool = False) -> Reply:
        """When (and where) a named event is; a repeated one lists its other dates too."""
        reply = Reply(c.t.code, [self._event_block(events[0], c)])
        # "When is the bus to San Francisco?": the lobby call before it comes first.
        call = self.k.gathering_before(events[0]) if events[0].key in self.k.journeys else None
        if call is not None and self.k.is_for(call, c.participant) and call not in events:
            reply.text.insert(0, self._event_block(call, c))
        if countdown and events[0].start > c.now:
            left = c.t.duration(events[0].start - c.now)
            reply.text.append(c.t.gettext("Starts in {duration}.", duration=left))
        reply.text.extend(self._particulars(events[0], c))
        others = events[1:]
        if events[0].end >= c.now:
            # Asked about what is coming: its other dates still to come, not those gone by.
            others = [e for e in others if e.end >= c.now]
        others = others[:3]
        if others:
            reply.text.append(c.t.gettext("Also:"))
            reply.text.extend(self._event_block(e, c) for e in others)
        return reply

    def _elsewhere(self, event: Event, f: Frame, c: Context) -> list[str]:
        """ "The Pearl Harbor visit, and what time is that in Boston?": the event's start in the
        other cities named, where their clocks differ from the event's and the reader's."""
        group = c.participant.group_key if c.participant else None
        arrival = self.k.arrival_timezone(event, group)
        if arrival is not None:
            return self._journey_elsewhere(event, arrival, f, c)
        if event.key in self.k.journeys:
            return []
        _, reader = self.k.reader_day(event, group)
        seen = {utc_offset(event.start, event.timezone), utc_offset(event.start, reader)}
        lines = []
        for clock in self._clocks(f, c):
            if utc_offset(event.start, clock.zone) in seen:
                continue
            seen.add(utc_offset(event.start, clock.zone))
            time = c.t.time(event.start, clock.zone)
            if f.ending:
                # "When does it end, and what time is that in Dhaka?": the whole of it.
                time = c.t.gettext(
                    "{start}–{end}",
                    start=c.t.isolate(time),
                    end=c.t.isolate(c.t.time(event.end, clock.zone)),
                )
            if local_day(event) != event.start.astimezone(ZoneInfo(clock.zone)).date():
                day = c.t.day(event.start, clock.zone)
                time = c.t.gettext("{day}, {time}", day=day, time=time)
            lines.append(clock.that_is(time, c))
        return lines

    def _clocks(self, f: Frame, c: Context) -> list[_Named]:
        """The cities named, each with its zone: the programme's, then the world's."""
        found = [
            _Named(c.t.isolate(leg.city), self.k.leg_timezone(leg), country=False)
            for leg in (*f.legs, *f.others)
        ]
        zones = {named.zone for named in found}
        found += [
            _Named(
                c.t.isolate(c.t.clock_name(clock.zone, clock.territory, clock.city)),
                clock.zone,
                country=clock.territory is not None,
            )
            for clock in f.clocks
            if clock.zone not in zones
        ]
        return found

    def _journey_elsewhere(self, event: Event, arrival: str, f: Frame, c: Context) -> list[str]:
        """ "We land in Vegas at what time, Omaha time?": a journey's start and end in the other
        cities named, where their clocks differ from the zones left and reached."""
        lines = []
        for clock in self._clocks(f, c):
            leaving = c.t.time(event.start, clock.zone)
            arriving = c.t.time(event.end, clock.zone)
            found = []
            if clock.country:
                found.append(
                    c.t.gettext(
                        "{place}: {start} – {end}.", place=clock.name, start=leaving, end=arriving
                    )
                )
            else:
                if utc_offset(event.start, clock.zone) != utc_offset(event.start, event.timezone):
                    found.append(
                        c.t.gettext("Leaving: {time} in {city}.", time=leaving, city=clock.name)
                    )
                if utc_offset(event.end, clock.zone) != utc_offset(event.end, arrival):
                    found.append(
                        c.t.gettext("Arriving: {time} in {city}.", time=arriving, city=clock.name)
                    )
            lines += [line for line in found if line not in lines]
        return lines

    def _said_elsewhere(self, said: datetime, f: Frame, c: Context, told: list[str]) -> list[str]:
        """ "It lands at 14:00, what time is that in Salt Lake?": a clock time said, read in each
        other city named whose clock differs, unless a line ``told`` already reads it there."""
        zone = str(said.tzinfo)
        lines: list[str] = []
        for clock in self._clocks(f, c):
            if utc_offset(said, clock.zone) == utc_offset(said, zone):
                continue
            time = c.t.time(said, clock.zone)
            if any(time in line and clock.name in line for line in told):
                continue
            line = clock.that_is(time, c)
            if line not in lines:
                lines.append(line)
        return lines

    def zones(self, f: Frame, c: Context) -> Reply:
        """How far apart the clocks of the cities asked about are now, the city one is in
        first when it is among them or only one other is named."""
        group = c.participant.group_key if c.participant else None
        # "The time difference between Anchorage and Washington": another group's city too.
        cities = {leg.city: self.k.leg_timezone(leg) for leg in (*f.legs, *f.others)}
        for clock in f.clocks:
            if clock.zone not in cities.values():
                cities[c.t.clock_name(clock.zone, clock.territory, clock.city)] = clock.zone
        here = self.k.leg_on(group, c.today)
        if here is not None and (here.city in cities or len(cities) == 1):
            cities = {here.city: self.k.leg_timezone(here), **cities}
        (city, zone), *others = cities.items()
        if not others and f.said is None:
            # "What time is it now in Boise?", asked in Boise: its clock now.
            line = c.t.gettext(
                "It is now {time} in {city}.", time=c.t.time(c.now, zone), city=c.t.isolate(city)
            )
            return Reply(c.t.code, [line])
        if not others:
            return self.fallback(c)
        lines = [self._zone_line(city, zone, other, other_zone, c) for other, other_zone in others]
        # "The clocks change tonight: how many hours to Lisbon then?": the day asked, or
        # tomorrow, when its difference is another.
        later = f.day if f.day is not None and f.day > c.today else None
        if later is None and f.clockchange:
            later = c.today + timedelta(days=1)
        if later is not None:
            noon = datetime(later.year, later.month, later.day, 12, tzinfo=ZoneInfo(zone))
            then = [
                self._zone_line(city, zone, other, other_zone, c, noon)
                for other, other_zone in others
            ]
            if then != lines:
                lines += [c.t.gettext("On {day}:", day=self._day(later, c)), *then]
        # "We landed; what time is it in San Diego now?": each other city's clock, read now,
        # unless a time was said ("when it is 9 here, what time is it there?").
        # "What time is it in Detroit? And in San Diego?" asked from Omaha: both clocks.
        away = here is None or here.city != city
        if f.said is None:
            lines += [
                c.t.gettext(
                    "It is now {time} in {city}.",
                    time=c.t.time(c.now, other_zone),
                    city=c.t.isolate(other),
                )
                for other, other_zone in ([(city, zone)] if away else []) + others
            ]
        return Reply(c.t.code, lines)

    def _clock_of_day(self, f: Frame, c: Context) -> str | None:
        """ "Clocks change tonight: tomorrow's 9:00, new time?": the clock one's city keeps on
        the day asked (EDT, not EST), once it has changed."""
        day = f.day or (local_day(f.events[0]) if f.events else None)
        group = c.participant.group_key if c.participant else None
        if day == c.today and not f.events:
            # "Do the clocks change tonight?": tomorrow's clock, when it differs from today's.
            tomorrow = c.today + timedelta(days=1)
            zone = self.k.morning_timezone(group, tomorrow)
            noon = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 12, tzinfo=ZoneInfo(zone))
            if utc_offset(noon, zone) != utc_offset(c.now, zone):
                day = tomorrow
        leg = self.k.leg_on(group, day) if day is not None else None
        # Today's clock is the one on the phone already.
        if day is None or leg is None or day <= c.today:
            return None
        zone = self.k.leg_timezone(leg)
        # "Monday's 6:15 lobby call": a day of leaving starts on the clock of the city left.
        asked = f.events[0] if f.events and local_day(f.events[0]) == day else None
        wanted = asked.timezone if asked else self.k.morning_timezone(group, day)
        left = self.k.leg_on(group, day - timedelta(days=1))
        if wanted != zone and left is not None and self.k.leg_timezone(left) == wanted:
            leg, zone = left, wanted
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(zone))
        return c.t.gettext(
            "On {day}, times in {city} are {zone} ({offset}).",
            day=self._day(day, c),
            city=c.t.isolate(leg.city),
            zone=c.t.isolate(noon.tzname() or zone),
            offset=c.t.isolate(offset_label(noon.utcoffset() or timedelta())),
        )

    def _zone_line(
        self,
        city: str,
        zone: str,
        other: str,
        other_zone: str,
        c: Context,
        at: datetime | None = None,
    ) -> str:
        """One city's clock against another's, at this moment (or ``at`` another)."""
        at = at or c.now
        own = at.astimezone(ZoneInfo(zone))
        theirs = at.astimezone(ZoneInfo(other_zone))
        apart = utc_offset(at, zone) - utc_offset(at, other_zone)
        names = {
            "city": c.t.isolate(city),
            "zone": c.t.isolate(own.tzname() or zone),
            "other": c.t.isolate(other),
            "other_zone": c.t.isolate(theirs.tzname() or other_zone),
        }
        if not apart:
            return c.t.gettext("{city} and {other} keep the same time ({zone}).", **names)
        duration = c.t.duration(abs(apart))
        if apart < timedelta():
            return c.t.gettext(
                "{city} ({zone}) is {duration} behind {other} ({other_zone}).",
                duration=duration,
                **names,
            )
        return c.t.gettext(
            "{city} ({zone}) is {duration} ahead of {other} ({other_zone}).",
            duration=duration,
            **names,
        )

    def after(self, event: Event, c: Context) -> Reply:
        """What comes after a named event on the participant's programme (once it has begun,
        what is not over yet: "back from Cataño, what now?" is not the ride back)."""
        begun = event.start <= c.now
        nxt = next(
            (
                e
                for e in self.k.upcoming(c.participant, event.start)
                if e.key != event.key
                and e.status != EventStatus.CANCELLED
                and not (begun and e.end < c.now)
            ),
            None,
        )
        if nxt is None:
            return Reply(
                c.t.code,
                [c.t.gettext("Nothing follows “{title}”.", title=self._title(event, c))],
            )
        reply = Reply(
            c.t.code,
            [
                c.t.gettext("After “{title}”:", title=self._title(event, c)),
                self._event_block(nxt, c),
            ],
        )
        self._describe(reply, nxt, c)
        self._add_place(reply, nxt, c)
        self._then(reply, nxt, c)
        return reply

    def _add_place(self, reply: Reply, event: Event, c: Context) -> None:
        place = self.k.places.get(event.place_key or "")
        if place is not None:
            reply.venues.append(self.venue(place))
            notes = self._notes(place, c)
            if notes:
                reply.text.append(notes)

    def _where_first(self, f: Frame, c: Context) -> Reply:
        """Where the first event found is; "where is the rail yard today?" names the visit and
        the lobby call that leaves for it: the visit is where one goes, then the call, unless
        the lobby is asked."""
        first = f.events[0]
        if first.kind != "logistics" or f.gathering:
            return self.where_event(first, c)
        visit = next((e for e in f.events[1:] if self.k.gathering_before(e) == first), None)
        if visit is None:
            return self.where_event(first, c)
        reply = self.where_event(visit, c)
        reply.text.append(self._event_block(first, c))
        return reply

    def where_event(self, event: Event, c: Context) -> Reply:
        """Where an event is: its place as a venue, with security notes."""
        place = self.k.places.get(event.place_key or "")
        reply = Reply(c.t.code, [self._event_block(event, c)])
        if place is None:
            if not event.description:
                reply.text.append(c.t.gettext("No place is given for this event yet."))
            reply.text.extend(self._particulars(event, c))
            return reply
        self._add_place(reply, event, c)
        if event.description:
            reply.text.append(self._description(event, c))
        return reply

    def _description(self, event: Event, c: Context) -> str:
        """An event's description in the reader's language; of one that goes group by group
        ("Group A in Milwaukee 09:00, Group B in Spokane 07:00"), what is about the reader's
        city that day."""
        text = text_in(event.description or {}, c.t.code, self.default)
        if not self.k.group_by_group(text):
            return text + self._documents(event.description or {}, c)
        group = c.participant.group_key if c.participant else None
        leg = self.k.leg_on(group, local_day(event))
        return self.k.about_legs(text, [leg]) if leg is not None else text

    def _particulars(self, event: Event, c: Context) -> list[str]:
        """What to know about one event: its place's notes and its description."""
        place = self.k.places.get(event.place_key or "")
        lines = [notes] if (notes := self._notes(place, c)) else []
        if event.description:
            lines.append(self._description(event, c))
        return lines

    def where_place(self, place: Place, c: Context) -> Reply:
        """A place as a venue, with its notes."""
        reply = Reply(c.t.code, venues=[self.venue(place)])
        notes = self._notes(place, c)
        if notes:
            reply.text.append(notes)
        return reply

    def hotel(self, day: date, c: Context) -> Reply:
        """The hotel of the city the participant is in on a day."""
        group = c.participant.group_key if c.participant else None
        leg = self.k.nearest_leg(group, day)
        place = self.k.places.get(leg.hotel_key or "") if leg else None
        if leg is None or place is None:
            return Reply(
                c.t.code, [c.t.gettext("I have no hotel for you on {day}.", day=self._day(day, c))]
            )
        title = c.t.gettext(
            "Your hotel in {city} ({day}):", city=c.t.isolate(leg.city), day=self._day(day, c)
        )
        return self._stay(title, leg, place, c)

    def _stay(self, title: str, leg: Leg, place: Place, c: Context) -> Reply:
        """A stay at a hotel: its nights, notes and address under a title."""
        reply = Reply(c.t.code, [title], venues=[self.venue(place)])
        # The nights of the stay: "until which day are we in Honolulu?"
        reply.text.append(
            c.t.gettext(
                "Arrival: {start}. Departure: {end}.",
                start=self._day(leg.date_from, c),
                end=self._day(leg.date_to + timedelta(days=1), c),
            )
        )
        notes = self._notes(place, c)
        if notes:
            reply.text.append(notes)
        return reply

    def _card(self, contact: Contact, c: Context) -> ContactCard:
        role = text_in(contact.role, c.t.code, self.default) if contact.role else ""
        return ContactCard(
            c.t.isolate(contact.name),
            c.t.isolate(contact.phone) if contact.phone else None,
            role,
            contact.email,
            contact.telegram,
        )

    def contacts(self, c: Context, matches: list[Contact] | None) -> Reply:
        """Matching contacts, or every contact relevant to the participant."""
        if matches:
            reply = Reply(c.t.code, [c.t.gettext("Here is who you can contact:")])
            reply.contacts = [self._card(x, c) for x in matches]
            return reply
        relevant = [x for x in self.k.contacts.values() if self._relevant(x, c)]
        relevant.sort(key=lambda x: (x.kind != "emergency", not x.groups, x.position))
        reply = Reply(c.t.code, [c.t.gettext("Your contacts:")])
        reply.contacts = [self._card(x, c) for x in relevant]
        if not relevant:
            reply.text = [c.t.gettext("No contacts are listed in the programme yet.")]
        return reply

    def emergency(self, c: Context, f: Frame | None = None) -> Reply:
        """Emergency and duty numbers first, then whom the message's trouble calls for."""
        urgent = [x for x in self.k.contacts.values() if x.kind == "emergency"]
        reply = Reply(c.t.code, [c.t.gettext("In an emergency, call:")])
        # "Lost my passport, whom do I call?": the officer whose role names passports, and
        # what the FAQ says to do.
        asked = f.contacts if f else ()
        named = [x for x in asked if x not in urgent and self._relevant(x, c)]
        reply.contacts = [self._card(x, c) for x in urgent + named]
        if not urgent:
            reply.text = [c.t.gettext("In an emergency in the United States, call 911.")]
        if f and f.topic and f.faq in self.k.faq:
            reply.text.insert(0, self._faq_text(f.faq, f, c))
        return reply

    def faq(self, f: Frame, c: Context) -> Reply:
        """An FAQ answer, with whom it says to contact: the reader's group's one first."""
        key = f.faq or ""
        text = self._faq_text(key, f, c)
        reply = Reply(c.t.code, [text])
        if key in self.k.faq:
            named = [
                x
                for x in self.k.faq_contacts(key)
                if self._relevant(x, c) and not (x.phone and x.phone in text)
            ]
            own = [x for x in named if x.groups]
            reply.contacts = [self._card(x, c) for x in own or named]
            # "Is laundry free at our hotel?": the rule, then what the hotel's notes say of it.
            group = c.participant.group_key if c.participant else None
            leg = f.legs[0] if f.legs else self.k.nearest_leg(group, f.day or c.today)
            lines = self.k.hotel_lines(leg, key, c.t.code, f.terms) if leg is not None else []
            lines = [line for line in lines if line not in text]
            if lines and leg is not None and leg.hotel_key in self.k.places:
                hotel = self.k.places[leg.hotel_key].name
                reply.text.append(
                    c.t.gettext(
                        "At {place}: {notes}", place=c.t.isolate(hotel), notes=" ".join(lines)
                    )
                )
        return reply

    def _faq_text(self, key: str, f: Frame, c: Context) -> str:
        """An FAQ answer; where it goes city by city, the city asked about, else the one the
        participant is in that day."""
        text = text_in(self.k.faq[key].answer, c.t.code, self.default)
        legs = list(f.legs)
        # "The time difference between here and DC?": clocks are told from where one is too.
        relative = key in self.k.faq_topics(["timezone", "daylight saving"])
        if not legs or relative:
            group = c.participant.group_key if c.participant else None
            # The night the clocks change, where one is tonight and where one is the day asked
            # ("tonight in San Diego, tomorrow's lobby call before the flight to Washington").
            days = {f.day or c.today, c.today} if relative else {f.day or c.today}
            if relative:
                # "Do the clocks change this week?": where one will be the day they do.
                days |= self._clock_change_day(f.day or c.today, group)
            for day in sorted(days):
                leg = self.k.nearest_leg(group, day)
                legs += [leg] if leg is not None and leg not in legs else []
        return self.k.about_legs(text, legs) if legs else text

    def _clock_change_day(self, first: date, group: str | None) -> set[date]:
        """Where the clocks keep still (Phoenix) while they change within a week where the
        group goes next: the day they change there (empty otherwise)."""
        here = self.k.nearest_leg(group, first)
        if here is None or self._changes(self.k.leg_timezone(here), first):
            return set()
        for n in range(_CLOCK_WEEK):
            day = first + timedelta(days=n)
            leg = self.k.nearest_leg(group, day)
            if leg is not None and self._changes(self.k.leg_timezone(leg), day, day):
                return {day}
        return set()

    @staticmethod
    def _changes(zone: str, first: date, last: date | None = None) -> bool:
        """Whether a zone's clocks change on a day from ``first`` to ``last`` (a week)."""
        tz = ZoneInfo(zone)
        last = last or first + timedelta(days=_CLOCK_WEEK - 1)
        day = first
        while day <= last:
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=tz)
            if noon.utcoffset() != (noon - timedelta(days=1)).astimezone(tz).utcoffset():
                return True
            day += timedelta(days=1)
        return False

    def dress(self, f: Frame, c: Context) -> Reply:
        """The dress code of the events asked about, else of a day, with the general rule."""
        day = f.day or c.today
        events = list(f.events[:1]) or self.k.day_events(c.participant, day)
        reply = Reply(c.t.code)
        if f.gathering:
            # "The lobby call today, and what do I wear?": the day's lobby calls and rides first.
            reply = self.travel(f, c)
            events = self.k.day_events(c.participant, day)
        # A place's notes often say what to wear there ("closed-toe shoes in the laboratory").
        lines = [self._dress_line(e, c) for e in events if e.status != EventStatus.CANCELLED]
        lines = [line for line in lines if line]
        # "For Park City tomorrow, what do I wear?": a place named may say it ("snow on the
        # ground - winter boots") when the events asked are held at no place of their own.
        place = f.place
        if (
            place is not None
            and place.kind != "hotel"
            and place.notes
            and not any(e.place_key for e in events)
        ):
            notes = text_in(place.notes, c.t.code, self.default)
            lines.append(
                c.t.gettext("At {place}: {notes}", place=c.t.isolate(place.name), notes=notes)
            )
        if lines:
            if not f.events:
                reply.text.append(c.t.gettext("On {day}:", day=self._day(day, c)))
            reply.text.extend(lines)
        for key in self.k.dress_faq:
            reply.text.append(text_in(self.k.faq[key].answer, c.t.code, self.default))
        if not reply.text:
            reply.text.append(
                c.t.gettext("No dress code is given for {day}.", day=self._day(day, c))
            )
        return reply

    def _dress_line(self, event: Event, c: Context) -> str:
        """An event's dress code and its place's notes; empty when it has neither."""
        notes = self._notes(self.k.places.get(event.place_key or ""), c)
        # "Jacket and tie in the courtroom": what the event's own description says to wear.
        said = self._description(event, c) if event.key in self.k.dressed else ""
        if not event.dress and not notes and not said:
            return ""
        title = self._title(event, c)
        if event.dress:
            title = c.t.gettext("{title}: {dress}", title=title, dress=dress_code(event.dress, c.t))
        return "\n".join(filter(None, (title, said, notes)))

    def detail(self, f: Frame, c: Context) -> Reply:
        """What to know and bring: each event's place notes and description."""
        if f.events:
            first = f.events[0]
            reply = self.where_event(first, c)
            # "When is the coach to the Public Safety visit, and what do I bring?": the ride,
            # then what the visit asks.
            visit = next(
                (
                    e
                    for e in f.events[1:]
                    if e.key not in self.k.journeys and local_day(e) == local_day(first)
                ),
                None,
            )
            if visit is None and first.key in self.k.gatherings:
                # "How long to the Hermitage?" finds its lobby call: the visit it gathers for.
                visit = next(
                    (
                        e
                        for e in self.k.day_events(c.participant, local_day(first))
                        if e.start >= first.end
                        and e.status != EventStatus.CANCELLED
                        and e.key not in self.k.journeys
                    ),
                    None,
                )
            if f.with_contact:
                # "When do we land, and who picks us up?": the journey asked, the ride on from
                # it, and whom the ride names.
                if len(f.events) > 1 and f.events[1].key in self.k.journeys:
                    reply = self.where_event(f.events[1], c)
                    more = self.where_event(first, c)
                    reply.text += [p for p in more.text if p not in reply.text]
                    reply.venues += [v for v in more.venues if v not in reply.venues]
                reply.contacts = [self._card(x, c) for x in f.contacts]
                return reply
            ride = first.key in self.k.journeys or first.key in self.k.gatherings
            if ride and visit is not None:
                more = self.where_event(visit, c)
                reply.text += [p for p in more.text if p not in reply.text]
                reply.venues += [v for v in more.venues if v not in reply.venues]
            elif not ride and (before := self._ride_before(first, c)) is not None:
                # "What do we bring for Nogales tomorrow?": the visit's notes, and the ride's
                # there ("bring water and a sun hat").
                more = self.where_event(before, c)
                reply.text += [p for p in more.text if p not in reply.text]
            reply.text += self._after_cancelled(first, c)
            return reply
        day = f.day or c.today
        group = c.participant.group_key if c.participant else None
        events = self._in_part(
            self.k.day_events(c.participant, day), f.part, self.k.timezone_on(group, day)
        )
        if not events:
            return self.schedule(day, f.part, c)
        reply = Reply(c.t.code)
        for event in events:
            lines = [self._event_block(event, c)]
            place = self.k.places.get(event.place_key or "")
            if notes := self._notes(place, c):
                lines.append(notes)
            if event.description:
                lines.append(self._description(event, c))
            reply.text.append("\n".join(lines))
        return reply

    def _after_cancelled(self, event: Event, c: Context) -> list[str]:
        """ "Are we still going to Nogales?": cancelled, and what comes next instead."""
        if event.status != EventStatus.CANCELLED:
            return []
        later = next(
            (
                e
                for e in self.k.upcoming(c.participant, event.start)
                if e.status != EventStatus.CANCELLED and e.start >= event.start and e != event
            ),
            None,
        )
        return [c.t.gettext("Next:"), self._event_block(later, c)] if later else []

    def where(self, f: Frame, c: Context) -> Reply:
        """Where an event, a place, or each event of a day (or part of one) is."""
        # "Where is today's meeting? I heard the boat patrol was cancelled": where the day's
        # events are, not where the cancelled one would have been.
        cancelled = bool(f.events) and f.events[0].status == EventStatus.CANCELLED
        off = cancelled and f.day == local_day(f.events[0])
        if f.events and not off:
            return self._where_first(f, c)
        if f.place is not None and not off:
            return self.where_place(f.place, c)
        if f.legs:
            return self.hotel_asked(f, c)
        if f.day is None:
            upcoming = self._next_event(c)
            return self.where_event(upcoming, c) if upcoming else self.next(c)
        group = c.participant.group_key if c.participant else None
        events = self._in_part(
            self.k.day_events(c.participant, f.day), f.part, self.k.timezone_on(group, f.day)
        )
        events = [e for e in events if e.status != EventStatus.CANCELLED]
        if not events:
            if cancelled:
                return self.where_event(f.events[0], c)
            return self.schedule(f.day, f.part, c)
        if len(events) == 1:
            # "Where is this morning's visit?": the one visit, with what its notes tell.
            reply = self.where_event(events[0], c)
        else:
            reply = Reply(c.t.code)
            for event in events:
                reply.text.append(self._event_block(event, c))
                place = self.k.places.get(event.place_key or "")
                if place is not None and self.venue(place) not in reply.venues:
                    reply.venues.append(self.venue(place))
        if cancelled:
            # "The address of Tuesday's jail visit?": that it is off, and why, first.
            event = f.events[0]
            line = c.t.gettext("CANCELLED: {title}", title=self._title(event, c))
            if event.description:
                line += "\n" + self._first_sentence(event, c)
            reply.text.insert(0, line)
        return reply

    def _next_event(self, c: Context) -> Event | None:
        return next(
            (e for e in self.k.upcoming(c.participant, c.now) if e.status != EventStatus.CANCELLED),
            None,
        )

    @staticmethod
    def _in_part(events: list[Event], part: str | None, zone: str | None = None) -> list[Event]:
        """The events starting in a part of the day, in the reader's zone (else each event's)."""
        if part not in PARTS:
            return events
        low, high = PARTS[part]
        return [
            e for e in events if low <= e.start.astimezone(ZoneInfo(zone or e.timezone)).hour < high
        ]

    def _outside(self, day: date, c: Context) -> Reply | None:
        """Say so when a day is before the programme starts or after it ends."""
        start, end = self.k.programme.start, self.k.programme.end
        if day > end:
            text = c.t.gettext("The programme ended on {day}.", day=self._day(end, c))
        elif day < start:
            text = c.t.gettext("The programme starts on {day}.", day=self._day(start, c))
        else:
            return None
        return Reply(c.t.code, [text])

    def others_hotel(self, f: Frame, c: Context) -> Reply:
        """The hotels of the other groups in a city named that one's own group never stays in."""
        reply = Reply(c.t.code, [])
        for leg in f.others:
            place = self.k.places.get(leg.hotel_key or "")
            if place is None:
                continue
            groups = self.k.snapshot.groups
            names = [groups[g].name for g in leg.groups if g in groups]
            title = c.t.gettext(
                "Your group does not stay in {city}. The hotel of {groups} there:",
                city=c.t.isolate(leg.city),
                groups=c.t.join([c.t.isolate(n) for n in names]),
            )
            stay = self._stay(title, leg, place, c)
            reply.text.extend(stay.text)
            reply.venues.extend(stay.venues)
        # "Do we go to Minneapolis after DC? Which hotel?": one's own hotel on those nights.
        first = min(f.others, key=lambda leg: leg.date_from)
        own = self.hotel(max(first.date_from, min(c.today, first.date_to)), c)
        reply.text.extend(own.text)
        reply.venues.extend(own.venues)
        return reply

    def hotel_asked(self, f: Frame, c: Context) -> Reply:
        """The hotel of a named city, else of the night asked about, else of tonight."""
        group = c.participant.group_key if c.participant else None
        if f.day is None and len({leg.city for leg in f.legs}) > 1 and not f.onward:
            # "Which hotels in Salt Lake City and in Tulsa?": each city's.
            return self.stays(list(f.legs), c)
        if f.onward and f.legs and f.day is None and not f.again:
            # "After DC, which hotel?": the stay that follows the city named (the first of two:
            # "after Albuquerque, in Seattle?"); "after coming back to DC" is DC's again.
            later = self.k.next_leg(group, min(leg.date_to for leg in f.legs))
            if later is not None:
                return self.hotel(later.date_from, c)
        if f.others and not f.legs and any(self.k.places.get(x.hotel_key or "") for x in f.others):
            return self.others_hotel(f, c)
        if f.legs and (
            f.day is None or not any(leg.date_from <= f.day <= leg.date_to for leg in f.legs)
        ):
            # A city stayed in twice ("the new hotel in Washington"): the stay not over yet;
            # the later one when the message says coming back, or when both are over ("I left
            # my coat at the Washington hotel"); both when neither has begun.
            day = f.day or c.today
            ahead = [x for x in f.legs if x.date_to >= day]
            latest = max(f.legs, key=lambda x: x.date_from)
            hotels = {x.hotel_key for x in ahead}
            begun = min(x.date_from for x in f.legs) <= day
            if f.day is None and not f.again and len(hotels) > 1 and not begun:
                return self.stays(sorted(ahead, key=lambda x: x.date_from), c)
            leg = latest if (f.again and f.day is None) or not ahead else ahead[0]
            return self.hotel(max(leg.date_from, min(day, leg.date_to)), c)
        day = f.day or c.today
        stays = self.k.stays(group)
        early = f.day is None and c.today < self.k.programme.start
        if (f.whole or early) and len(stays) > 1 and c.today <= self.k.programme.end:
            return self.stays(stays, c)
        reply = self._outside(day, c) or self.hotel(day, c)
        if f.moving and f.day is not None and self._moves_on(group, day):
            # "Tomorrow we change hotels: which one, and when do we leave the room?": the new
            # hotel, then the one left with its check-out and the day's journey.
            left = self._checkout(f, c)
            reply.text.extend(x for x in left.text if x not in reply.text)
            reply.venues.extend(v for v in left.venues if v not in reply.venues)
        return reply

    def _moves_on(self, group: str | None, day: date) -> bool:
        """Whether a group sleeps in another hotel that night than the night before."""
        before = self.k.leg_on(group, day - timedelta(days=1))
        after = self.k.leg_on(group, day)
        return before is not None and after is not None and before.hotel_key != after.hotel_key

    def stays(self, legs: list[Leg], c: Context) -> Reply:
        """Every hotel of the programme, asked before it starts or for the whole of it."""
        reply = Reply(c.t.code, [c.t.gettext("Your hotels during the programme:")])
        for leg in legs:
            place = self.k.places.get(leg.hotel_key or "")
            if place is None:
                continue
            reply.text.append(
                c.t.gettext(
                    "{start} – {end}, {city}: {name}, {address}",
                    start=self._day(leg.date_from, c),
                    end=self._day(leg.date_to + timedelta(days=1), c),
                    city=c.t.isolate(leg.city),
                    name=c.t.isolate(place.name),
                    address=c.t.isolate(place.address or ""),
                )
            )
            reply.venues.append(self.venue(place))
        return reply

    def checkin(self, f: Frame, c: Context) -> Reply:
        """Check-in: the hotel with its notes, and the check-in event when there is one."""
        if f.checkout and not f.legs:
            return self._checkout(f, c)
        reply = self.hotel_asked(f, c)
        arrivals = [
            e for e in f.events if e.kind == "logistics" and e.key not in self.k.journeys
        ] or self._checkin_event(f, c)
        for event in arrivals[:1]:
            reply.text.append(self._event_block(event, c))
            # "Hotel check-in from 15:00" said in the arrival's description.
            if _says(event, _CHECK_IN):
                reply.text.append(self._description(event, c))
        return reply

    def _checkout(self, f: Frame, c: Context) -> Reply:
        """Check-out: on a day of moving on, the hotel left (last night's), with its notes."""
        day = f.day or c.today
        group = c.participant.group_key if c.participant else None
        # "Until what time do we keep the rooms?" the evening before leaving: tomorrow's.
        tomorrow = day + timedelta(days=1)
        if (
            f.day is None
            and tomorrow <= self.k.programme.end
            and self._leaving(group, tomorrow)
            and not self._leaving(group, day)
            and not any(_says(e, _CHECK_OUT) for e in self.k.day_events(c.participant, day))
        ):
            day = tomorrow
        if not self._leaving(group, day):
            reply = self._outside(day, c) or self.hotel(day, c)
            # "Departures: ... Check-out by 12:00." said by the day's own events.
            for event in self.k.day_events(c.participant, day):
                if _says(event, _CHECK_OUT) and event.status != EventStatus.CANCELLED:
                    reply.text.append(self._event_block(event, c))
                    reply.text.append(self._description(event, c))
            return reply
        # Once the day's journeys are over, "this hotel" is the one reached.
        journeys = [
            e
            for e in self.k.day_events(c.participant, day)
            if e.key in self.k.journeys and e.status != EventStatus.CANCELLED
        ]
        if day == c.today and journeys and all(e.end <= c.now for e in journeys):
            return self.hotel(day, c)
        reply = self._outside(day, c) or self.hotel(day - timedelta(days=1), c)
        # Leaving the city: when the group sets off matters as much as the check-out hour; so
        # does the move between two hotels of one city ("Pike Harbor Inn to Cascade Sound").
        last_night = self.k.leg_on(group, day - timedelta(days=1))
        assert last_night is not None  # a day of leaving follows a night in a hotel
        moves = {last_night.hotel_key, (self.k.leg_on(group, day) or last_night).hotel_key}
        for event in self.k.day_events(c.participant, day):
            moved = any(self._names_hotel(event, key) for key in moves)
            moved = moved or _says(event, _CHECK_OUT)
            if (event.key in self.k.journeys or moved) and event.status != EventStatus.CANCELLED:
                reply.text.append(self._event_block(event, c))
                # What the journey says to do first ("leave the rooms by 10:45").
                if event.description:
                    reply.text.append(self._description(event, c))
        return reply

    def _leaving(self, group: str | None, day: date) -> bool:
        """Whether a day is one of leaving a hotel: the last night's is not that day's."""
        last_night = self.k.leg_on(group, day - timedelta(days=1))
        return last_night is not None and last_night is not self.k.leg_on(group, day)

    def _names_hotel(self, event: Event, hotel_key: str | None) -> bool:
        """Whether an event's title names a hotel by two words of its name or more."""
        place = self.k.places.get(hotel_key or "")
        if place is None:
            return False
        title = set(tokens(" ".join(event.title.values())))
        words = {w for w in tokens(place.name) if len(w) > 3}
        return len(words & title) >= min(2, len(words)) > 0

    def _checkin_event(self, f: Frame, c: Context) -> list[Event]:
        """The programme's hotel check-in on the participant's arrival in that hotel's city."""
        mine = self.k.audience(c.participant)
        group = c.participant.group_key if c.participant else None
        leg = self.k.nearest_leg(group, f.day or c.today)

        def stay(events: Iterable[Event]) -> list[Event]:
            if leg is None:
                return list(events)
            return [e for e in events if leg.date_from <= local_day(e) <= leg.date_to]

        found = stay(
            self.k.events[key] for key, _ in self.k.event_index.search(("check", "checkin"), mine)
        )
        if not found:
            # "Arrival and shuttle to the hotel", whose description gives the check-in hour.
            found = stay(
                e
                for e in self.k.ordered
                if e.kind in _ARRANGED and self.k.is_for(e, c.participant) and _says(e, _CHECK_IN)
            )
        return sorted(found, key=lambda e: abs((local_day(e) - (f.day or c.today)).days))[:1]

    def travel(self, f: Frame, c: Context) -> Reply:
        """The participant's travel: on the day asked about, else the next one."""
        keys = self.k.journeys | self.k.gatherings if f.gathering else self.k.journeys
        mine = [
            e
            for e in self.k.ordered
            if e.key in keys
            and self.k.is_for(e, c.participant)
            and e.status != EventStatus.CANCELLED
        ]
        f = self._travel_day(f, mine, c)
        if arrival := self._arrival(f, c):
            # "Will someone meet us at the airport?" asked from home: the arrival's
            # arrangements (the pickup, check-in), not the programme's first flight.
            f = f.but(day=local_day(arrival[0]))
            chosen = arrival
        else:
            found = self._journeys_asked(f, mine, c)
            if found is None:
                # "How long are we in Boston, when do we leave?" with no journey out of it
                # planned: the stay, with the day it ends.
                return self.hotel_asked(f, c)
            chosen = found
        if not chosen:
            if f.day is not None:
                # No journey that day: the visit named, with its place's notes on getting
                # there ("how do we get to Harvard this afternoon?"), else the day's events with
                # what they say (a departures desk).
                named = tuple(e for e in f.events if local_day(e) == f.day)[:1]
                return self.detail(f.but(events=named), c)
            return Reply(c.t.code, [c.t.gettext("No more travel is planned for you.")])
        # "Where does the bus leave from, and where is it taking us?": the visit too.
        chosen = [*chosen, *self._led_to(chosen[-1], f, c)]
        reply = Reply(c.t.code)
        for event in chosen:
            # The description says where to be and how the journey goes (terminal, arrival).
            block = self._event_block(event, c)
            if event.description:
                block += "\n" + self._description(event, c)
            # The visit a lobby call gathers people for: what its place asks (ID, no phones);
            # an airport's notes say where the greeter waits ("arrivals exit, door 6").
            place = self.k.places.get(event.place_key or "")
            ridden = event.key in self.k.journeys or event.key in self.k.gatherings
            if not ridden or (place is not None and place.kind != "hotel"):
                notes = self._notes(place, c)
                block += "\n" + notes if notes else ""
            reply.text.append(block)
        if visited := self._visit_notes(f, chosen, c):
            reply.text.append(visited)
        # "When do we land in Las Vegas, in Omaha time?": the cities besides the one reached.
        zoned = "timezone" in f.terms or len({leg.city for leg in f.legs}) > 1
        if f.clocks or zoned:
            # "When do we land in Miami, and what time is that in Manila?": the journey's
            # last step, on the clocks named.
            reply.text.extend(self._elsewhere(chosen[-1], f if zoned else f.but(legs=()), c))
        # The place of the first step (often the hotel's lobby) is pinned, without the
        # hotel's own notes.
        place = self.k.places.get(chosen[0].place_key or "")
        if place is not None:
            reply.venues.append(self.venue(place))
        return reply

    def _journeys_asked(self, f: Frame, mine: list[Event], c: Context) -> list[Event] | None:
        """The journeys of the day asked, else of the next journey's day; None for a stay with
        no journey out of it planned."""
        if f.day is not None:
            chosen = [e for e in mine if local_day(e) == f.day]
            return self._gathered(chosen, f, c) if f.gathering else chosen
        first = self._journey_asked(f, mine, c)
        if first is None and self._staying(f, c) and not f.arriving:
            return None
        # A journey is the whole day's travel: the lobby call, the flight, the transfer.
        return [e for e in mine if first and local_day(e) == local_day(first)]

    def _arrival(self, f: Frame, c: Context) -> list[Event]:
        """Before the programme, a journey asked of no city, visit or day of the programme is
        the arrival: the first day's arrangements (airport pickup, hotel check-in)."""
        first = self.k.programme.start
        # "Landing in San Francisco on the 10th" names the city one arrives in.
        onward = any(leg.date_from > first for leg in f.legs)
        if onward or f.gathering or f.listed or c.today >= first or (f.timed and not f.arriving):
            return []
        # "I fly out tonight: what is planned for the first day?" asks the day's programme.
        if f.day is not None and (f.day > first or not f.arriving):
            return []
        return [
            e
            for e in self.k.day_events(c.participant, first)
            if (e.kind == "logistics" or e.key in self.k.journeys)
            and e.status != EventStatus.CANCELLED
        ]

    def _journey_asked(self, f: Frame, mine: list[Event], c: Context) -> Event | None:
        """The journey a travel question naming no day asks about: the next of those it
        names, else of all; a past one only for a stay over."""
        # "When do we fly to Denver?", where no stay is in Denver: the journeys named.
        named = {e.key for e in f.events}
        ahead = self._journeys(f, mine) if f.legs else [e for e in mine if e.key in named]
        ahead = ahead or mine
        first = next((e for e in ahead if e.end >= c.now), None)
        if first is None and f.legs and (f.arriving or not self._staying(f, c)):
            # "Just landed": the journey just made.
            past = [e for e in ahead if e.end < c.now]
            first = past[-1] if past and f.arriving else (ahead[0] if ahead else None)
        return first

    @staticmethod
    def _staying(f: Frame, c: Context) -> bool:
        """Whether a stay named is still under way or to come."""
        return any(leg.date_to >= c.today for leg in f.legs)

    def _ride_before(self, visit: Event, c: Context) -> Event | None:
        """The ride with notes of its own that brings the participant to a visit."""
        rides = [
            e
            for e in self.k.day_events(c.participant, local_day(visit))
            if e.key in self.k.journeys
            and e.description
            and e.end <= visit.start <= e.end + _RIDE_TO
            and e.status != EventStatus.CANCELLED
        ]
        return rides[-1] if rides else None

    def _led_to(self, ride: Event, f: Frame, c: Context) -> list[Event]:
        """The visit a ride brings people to, theirs and starting as the ride ends (none for
        lobby calls asked, which come with their visits)."""
        if f.gathering or ride.key not in self.k.journeys:
            return []
        # A lobby call leaves time to get there; a ride ends at the door.
        within = _CALLED_WITHIN if ride.kind == "logistics" else _RIDE_TO
        led = (
            e
            for e in self.k.day_events(c.participant, local_day(ride))
            if ride.end <= e.start <= ride.end + within
            and e.key not in self.k.journeys
            and e.status != EventStatus.CANCELLED
        )
        return list(itertools.islice(led, 1))

    def _gathered(self, chosen: list[Event], f: Frame, c: Context) -> list[Event]:
        """A day's lobby calls, of the part of the day asked when it has one, each followed by
        the visit it gathers people for."""
        chosen = self._in_part(chosen, f.part) or chosen
        found: list[Event] = []
        for event in chosen:
            found.append(event)
            # "Lobby call – depart for the police HQ" gathers for the visit soon after; a lobby
            # call for the airport, for no visit.
            called = event.key in self.k.gatherings or event.kind != "travel"
            if event.key in self.k.journeys and not called:
                continue
            after = self.k.day_events(c.participant, local_day(event))
            visit = next(
                (
                    e
                    for e in after
                    if e.start >= event.end
                    and e not in chosen
                    and e.status != EventStatus.CANCELLED
                    and e.key not in self.k.journeys
                ),
                None,
            )
            if visit is not None and event.key in self.k.journeys:
                visit = visit if visit.start - event.end <= _CALLED_WITHIN else None
            if visit is not None and visit not in found:
                found.append(visit)
        return found

    def _travel_day(self, f: Frame, mine: list[Event], c: Context) -> Frame:
        """The day a travel question asks of, when it says none but names a visit or asks
        today's ride."""
        if f.day is not None:
            return f
        if (visit := self._visit_named(f, c)) is not None:
            # "What time does the bus leave for Nogales?": the day of the visit named.
            return f.but(day=local_day(visit), events=(visit, *(e for e in f.events if e != visit)))
        # A ride found today ("the bus back to the hotel") is the one asked.
        today = any(local_day(e) == c.today for e in f.events)
        if not (f.legs or f.titled or today) and (called := self._called_today(mine, c)):
            # "The minibus leaves when? I'm late": today's visit whose notes say when it leaves,
            # before any journey of another day.
            return f.but(day=c.today, events=(called,))
        return f

    def _called_today(self, mine: list[Event], c: Context) -> Event | None:
        """Today's next event whose notes say when to leave for it, on a day of no journey
        still to come."""
        if any(local_day(e) == c.today and e.end >= c.now for e in mine):
            return None
        return next(
            (
                e
                for e in self.k.day_events(c.participant, c.today)
                if e.end >= c.now
                and e.status != EventStatus.CANCELLED
                and self.k.call_before(e, c.t.code) is not None
            ),
            None,
        )

    def _visit_named(self, f: Frame, c: Context) -> Event | None:
        """The participant's visit a travel question names, by its title or its place: the
        next one, else the last."""
        if f.legs:
            return None  # "the flight to Austin": the journey to the city
        ride = self.k.journeys | self.k.gatherings
        visits = [e for e in f.events[:1] if e.key not in ride]
        if not f.events and f.place is not None and f.place.kind != "hotel":
            visits = [
                e
                for e in self.k.ordered
                if e.place_key == f.place.key
                and e.key not in ride
                and self.k.is_for(e, c.participant)
            ]
        held = [e for e in visits if e.status != EventStatus.CANCELLED]
        return next((e for e in held if e.end >= c.now), held[-1] if held else None)

    def _visit_notes(self, f: Frame, chosen: list[Event], c: Context) -> str:
        """ "How long to the fire academy tomorrow?", "the Potawatomi visit, and the bus?": the
        visit the journey leads to, with what it and its place say (how far, when the bus
        leaves)."""
        visit = next(
            (e for e in f.events if e.key not in self.k.journeys and e not in chosen), None
        )
        if visit is None or local_day(visit) != local_day(chosen[0]):
            return ""
        block = self._event_block(visit, c)
        if visit.description:
            block += "\n" + self._description(visit, c)
        place = self.k.places.get(visit.place_key or "")
        if place is not None and (notes := self._notes(place, c)):
            block += "\n" + notes
        return block

    def _journeys(self, f: Frame, mine: list[Event]) -> list[Event]:
        """Travel to the cities named, or leaving them ("after Phoenix", "when do we leave DC")."""
        cities = {leg.city for leg in f.legs}
        arriving = [e for e in mine if self._arrives_in(e, cities)]
        # A stay's last night is its "to": the journey out is the morning after, unless a
        # night flight leaves that evening.
        leaving = [e for e in mine if local_day(e) > f.legs[0].date_to] or [
            e for e in mine if local_day(e) >= f.legs[0].date_to
        ]
        # Only the day of leaving: later journeys leave other cities.
        leaving = [e for e in leaving if local_day(e) == local_day(leaving[0])]
        if f.onward:
            return leaving or arriving or mine
        # "When do we leave Minneapolis?" asked there: its journey in is past, the one out
        # is meant.
        now = f.now
        out = now is not None and not f.arriving and not any(e.end >= now for e in arriving)
        if out and any(e.end >= now for e in leaving):
            return leaving
        return arriving or leaving or mine

    @staticmethod
    def _arrives_in(event: Event, cities: set[str]) -> bool:
        """Whether a travel event's title names one of the cities."""
        words = {w for city in cities for w in tokens(city.split(",")[0]) if len(w) > 2}
        title = set(tokens(" ".join(event.title.values())))
        return bool(words & title)

    def contact_asked(self, f: Frame, c: Context) -> Reply:
        """The contacts asked for (all relevant ones when none is named), with the help e-mail."""
        email = self.k.programme.help_email
        if email and f.email and not f.contacts:
            # "Which e-mail do I write to?": the help address, not everyone's numbers.
            return Reply(c.t.code, [c.t.gettext("Questions: {email}", email=email)])
        reply = self.contacts(c, list(f.contacts) or None)
        if email and (f.email or not f.contacts):
            line = c.t.gettext("Questions: {email}", email=email)
            if f.email and not f.contacts:
                reply.text.insert(0, line)
            else:
                reply.text.append(line)
        return reply

    def dates(self, c: Context) -> Reply:
        """When the programme starts and ends."""
        programme = self.k.programme
        reply = Reply(
            c.t.code,
            [
                c.t.gettext(
                    "The programme runs from {start} to {end}.",
                    start=self._day(programme.start, c),
                    end=self._day(programme.end, c),
                )
            ],
        )
        if c.participant is not None and c.today is not None and c.today < programme.start:
            # "When does it start exactly? I must book my flight": its first event, at what time.
            group = c.participant.group_key
            eve = programme.start - timedelta(days=1)
            first = self._first_after(eve, self.k.timezone_on(group, programme.start), c)
            if first is not None:
                reply.text += [c.t.gettext("Next:"), self._event_block(first, c)]
        return reply

    def group(self, c: Context) -> Reply:
        """The group the participant is in, and the cities it stays in when they differ."""
        assert c.participant is not None
        found = self.k.snapshot.groups.get(c.participant.group_key or "")
        if found is None:
            return Reply(
                c.t.code,
                [c.t.gettext("You are in no group: every event for all participants is yours.")],
            )
        reply = Reply(c.t.code, [c.t.gettext("You are in {group}.", group=c.t.isolate(found.name))])
        stays = self.k.stays(found.key)
        if len({leg.city for leg in stays}) > 1:
            # "Which group am I in, and where does it go after DC?": the group's cities too.
            reply.text += self.stays(stays, c).text
        return reply

    def about_someone(self, c: Context) -> Reply:
        """Decline to say anything about another participant."""
        return Reply(
            c.t.code,
            [
                c.t.gettext(
                    "I cannot share anything about other participants: where they are, "
                    "their hotel or their schedule. Please ask them directly, or the "
                    "programme staff."
                )
            ],
        )

    def out_of_scope(self, c: Context) -> Reply:
        """Say plainly what is outside the assistant's knowledge, and how to reach staff."""
        return Reply(
            c.t.code,
            [
                c.t.gettext(
                    "That is outside what I know: I answer questions about your programme "
                    "(schedule, places, hotels, travel and contacts)."
                ),
                c.t.gettext("To ask the programme staff, send /ask followed by your question."),
            ],
        )

    def languages(self, c: Context) -> Reply:
        """The languages the assistant speaks."""
        names = c.t.join([c.t.language_name(code) for code in self.k.programme.languages])
        return Reply(
            c.t.code,
            [c.t.gettext("I can answer in: {languages}.", languages=names)],
            buttons=[
                Button(c.t.language_name(code), callbacks.language(code))
                for code in self.k.programme.languages
            ],
        )

    def help(self, c: Context) -> Reply:
        """What the assistant can answer."""
        t = c.t
        return Reply(
            t.code,
            [
                t.gettext(
                    "I am the assistant of the programme “{programme}”. Ask me in your own "
                    "words, for example:",
                    programme=t.isolate(text_in(self.k.programme.title, t.code, self.default)),
                ),
                "\n".join(
                    [
                        t.gettext("• What's on today? What do we have on Thursday?"),
                        t.gettext("• What's next? When is the welcome dinner?"),
                        t.gettext("• Where is the meeting? What should I bring?"),
                        t.gettext("• What is the hotel address?"),
                        t.gettext("• Who is my programme officer? Emergency number?"),
                        t.gettext("• Wi-Fi password, per diem, dress code"),
                    ]
                ),
            ],
        )

    def fallback(self, c: Context) -> Reply:
        """A helpful reply to a message the assistant did not understand."""
        reply = self.help(c)
        reply.text.insert(0, c.t.gettext("Sorry, I did not understand that."))
        email = self.k.programme.help_email
        if email:
            reply.text.append(c.t.gettext("For anything else, write to {email}.", email=email))
        reply.understood = False
        return reply

    def public(self, c: Context, *, understood: bool = False) -> Reply:
        """What a stranger may know: the programme's title, dates and help address."""
        t, p = c.t, self.k.programme
        lines = [
            t.gettext(
                "This is the assistant of the programme “{programme}”.",
                programme=t.isolate(text_in(p.title, t.code, self.default)),
            ),
            t.gettext(
                "The programme runs from {start} to {end}.",
                start=self._day(p.start, c),
                end=self._day(p.end, c),
            ),
            t.gettext(
                "To see your own schedule, link your account with the invite code "
                "you received from the programme staff."
            ),
        ]
        if p.help_email:
            lines.append(t.gettext("Questions: {email}", email=p.help_email))
        return Reply(t.code, lines, understood=understood)


@dataclass(frozen=True, slots=True)
class _Named:
    """A clock a message names: a city's, or a whole country's."""

    name: str
    zone: str
    country: bool

    def that_is(self, time: str, c: Context) -> str:
        """A time read on this clock, as a sentence."""
        if self.country:
            # "In Tajikistan" takes an article or a case in most languages: a label does not.
            return c.t.gettext("{place}: {time}.", place=self.name, time=time)
        return c.t.gettext("That is {time} in {city}.", time=time, city=self.name)


def directed(reply: Reply, t: Translator) -> Reply:
    """The reply with every right-to-left line set to display right to left."""
    reply.text = [t.directed(part) for part in reply.text]
    return reply


def _span_key(
    start: datetime, end: datetime, zone: str, morning: str, reader: str, language: str
) -> Hashable:
    """What a time range's text depends on: its clock times in the event's and the reader's
    zones, their offsets, and the reader's date only when it is another day there."""
    here, until = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    there, till = start.astimezone(ZoneInfo(reader)), end.astimezone(ZoneInfo(reader))
    other_day = there.date() if there.date() != here.date() else None
    return (
        here.time(),
        here.utcoffset(),
        until.time(),
        there.time(),
        there.utcoffset(),
        till.time(),
        start.astimezone(ZoneInfo(morning)).utcoffset(),
        other_day,
        zone,
        reader,
        language,
    )


def _says(event: Event, pattern: re.Pattern[str]) -> bool:
    """Whether an event's description says something ("check-in from 15:00")."""
    return any(pattern.search(text) for text in (event.description or {}).values())
