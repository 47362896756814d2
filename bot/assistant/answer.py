"""Meaning + participant + now -> a reply, only from the participant's own programme."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.assistant.knowledge import Knowledge, text_in
from bot.assistant.understand import Understanding
from bot.commands import Command, Intent
from bot.i18n import Translator
from bot.replies import Button, ContactCard, Reply, Venue
from bot.store.models import Contact, Event, EventStatus, Participant, Place

# An entity match must weigh at least this much (summed word rarity) to be trusted.
_STRONG = 1.2
# Matches within this share of the best one are shown together.
_CLOSE = 0.75
_PARTS = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


@dataclass(frozen=True)
class Context:
    """Who asks, when, and in which language the reply is written."""

    participant: Participant | None
    now: datetime
    t: Translator
    today: date
    timezone: str  # the timezone of the city the participant is in today


class Answerer:
    """Composes replies from the knowledge snapshot; never writes to the store."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.k = knowledge
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
            return self.public(c, understood=u.has("help"))
        return self._topic(u, c) or self._programme(u, c) or self._small_talk(u, c)

    def command(self, command: Command, c: Context) -> Reply:
        """The answer to a slash command (a stranger's: what a stranger may know)."""
        if c.participant is None:
            return self.public(c, understood=command.intent is Intent.HELP)
        answer = self._commands.get(command.intent) if command.intent else None
        return answer(c) if answer else self.fallback(c)

    def _topic(self, u: Understanding, c: Context) -> Reply | None:
        """Answers about something other than the schedule: languages, help numbers, FAQ."""
        if u.has("language"):
            return self.languages(c)
        if u.has("emergency"):
            return self.emergency(c)
        if u.has("dress"):
            return self.dress(u, c)
        contacts = self._contacts(u, c)
        if u.has("contact") or ({"officer", "interpreter"} & u.mentions and contacts):
            return self.contacts(c, contacts if u.words else None)
        faq = self._best(self.k.faq_index.search(u.words))
        return self.faq(faq[0], c) if faq else None

    def _programme(self, u: Understanding, c: Context) -> Reply | None:
        """Answers from the schedule: an event, a place, a hotel or a day."""
        events = self._events(u, c)
        places = self._best(self.k.place_index.search(u.words))
        if u.has("hotel") and not (events and u.has("where", "when", "bring")):
            return self.hotel(u.day or c.today, c)
        if u.has("where", "bring"):
            where = self._where(u, c, events, places)
            if where is not None:
                return where
        if u.has("after") and events:
            return self.after(events[0], c)
        if u.has("when") and events:
            return self.when(events, c)
        return self._day_asked(u, c) or self._named(events, places, c)

    def _where(
        self, u: Understanding, c: Context, events: list[Event], places: list[str]
    ) -> Reply | None:
        if events:
            return self.where_event(events[0], c)
        if places:
            return self.where_place(self.k.places[places[0]], c)
        return self.schedule(u.day, u.part, c) if u.day is not None else None

    def _day_asked(self, u: Understanding, c: Context) -> Reply | None:
        """What is next, now, this week, or on a day (or part of one)."""
        if u.day is None and u.has("next"):
            return self.next(c)
        if u.day is None and u.has("now"):
            return self.now(c)
        if u.has("week") and u.day is None:
            return self.week(c)
        if u.day is not None or u.has("schedule"):
            return self.schedule(u.day or c.today, u.part, c)
        return self.schedule(c.today, u.part, c) if u.part is not None else None

    def _named(self, events: list[Event], places: list[str], c: Context) -> Reply | None:
        """An event or place named without a question word."""
        if events:
            return self.when(events, c)
        return self.where_place(self.k.places[places[0]], c) if places else None

    def _small_talk(self, u: Understanding, c: Context) -> Reply:
        if u.has("help"):
            return self.help(c)
        if u.has("thanks"):
            return Reply(
                c.t.code, [c.t.gettext("You're welcome! Ask me anything about the programme.")]
            )
        return self.fallback(c)

    # ---- matching ----

    @staticmethod
    def _best(results: list[tuple[str, float]]) -> list[str]:
        if not results or results[0][1] < _STRONG:
            return []
        top = results[0][1]
        return [key for key, score in results if score >= top * _CLOSE]

    def _events(self, u: Understanding, c: Context) -> list[Event]:
        """Return matching events on the participant's schedule, the likeliest first."""
        results = self.k.event_index.search(u.words, self.k.audience(c.participant))
        if not results or results[0][1] < _STRONG:
            return []
        top = results[0][1]
        best = [self.k.events[key] for key, score in results if score >= top * 0.999]
        if u.day is not None:
            same_day = [e for e in best if self._local_day(e) == u.day]
            best = same_day or best
        upcoming = sorted((e for e in best if e.end >= c.now), key=lambda e: e.start)
        past = sorted((e for e in best if e.end < c.now), key=lambda e: e.start, reverse=True)
        return upcoming + past

    def _contacts(self, u: Understanding, c: Context) -> list[Contact]:
        """Return matching contacts, the participant's own group's first."""
        keys = self._best(self.k.contact_index.search(u.words))
        found = [self.k.contacts[key] for key in keys]
        mine = [x for x in found if self._relevant(x, c)]
        found = mine or found
        return sorted(found, key=lambda x: (not x.groups, x.position))

    def _relevant(self, contact: Contact, c: Context) -> bool:
        group = c.participant.group_key if c.participant else None
        return not contact.groups or (group is not None and group in contact.groups)

    # ---- rendering helpers ----

    def _local_day(self, event: Event) -> date:
        return event.start.astimezone(ZoneInfo(event.timezone)).date()

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
        return c.t.gettext("Note: {notes}", notes=text_in(place.notes, c.t.code, self.default))

    def _span(self, event: Event, c: Context, reader_timezone: str) -> str:
        start = c.t.isolate(c.t.time(event.start, event.timezone, reader_timezone))
        end = c.t.isolate(c.t.time(event.end, event.timezone))
        return c.t.gettext("{start}–{end}", start=start, end=end)

    def _day(self, day: date, c: Context) -> str:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(c.timezone))
        return c.t.day(noon, c.timezone)

    def _event_block(self, event: Event, c: Context, *, with_day: bool = True) -> str:
        """Return an event as a few lines: day and time, title, place, dress, status."""
        reader = self.k.timezone_on(
            c.participant.group_key if c.participant else None, self._local_day(event)
        )
        when = self._span(event, c, reader)
        if with_day:
            when = c.t.gettext("{day}, {time}", day=c.t.day(event.start, event.timezone), time=when)
        title = self._title(event, c)
        if event.status == EventStatus.CANCELLED:
            title = c.t.gettext("CANCELLED: {title}", title=title)
        lines = [when, title]
        place = self.k.places.get(event.place_key or "")
        if place is not None:
            lines.append(c.t.gettext("Place: {place}", place=self._place_line(place, c)))
        if event.dress:
            lines.append(c.t.gettext("Dress: {dress}", dress=event.dress))
        return "\n".join(lines)

    def _agenda_line(self, event: Event, c: Context, reader_timezone: str) -> str:
        title = self._title(event, c)
        if event.status == EventStatus.CANCELLED:
            title = c.t.gettext("CANCELLED: {title}", title=title)
        line = c.t.gettext(
            "{time} {title}", time=self._span(event, c, reader_timezone), title=title
        )
        place = self.k.places.get(event.place_key or "")
        if place is not None:
            line += "\n    " + c.t.isolate(place.name)
        return line

    # ---- answers ----

    def schedule(self, day: date, part: str | None, c: Context) -> Reply:
        """The participant's events on one local day, optionally one part of it."""
        t = c.t
        group = c.participant.group_key if c.participant else None
        reader = self.k.timezone_on(group, day)
        events = self.k.day_events(c.participant, day)
        if part in _PARTS:
            low, high = _PARTS[part]
            events = [
                e for e in events if low <= e.start.astimezone(ZoneInfo(e.timezone)).hour < high
            ]
        label = self._day(day, c)
        if part:
            label = t.gettext(
                "{day} ({part_of_day})",
                day=label,
                part_of_day=self._part_label(part, c),
            )
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

    @staticmethod
    def _part_label(part: str, c: Context) -> str:
        labels = {
            "morning": c.t.pgettext("part of day", "morning"),
            "afternoon": c.t.pgettext("part of day", "afternoon"),
            "evening": c.t.pgettext("part of day", "evening"),
        }
        return labels.get(part, part)

    def week(self, c: Context) -> Reply:
        """The participant's next seven days, day by day."""
        t = c.t
        reply = Reply(t.code, [t.gettext("Your programme for the next seven days:")])
        group = c.participant.group_key if c.participant else None
        for offset in range(7):
            day = c.today + timedelta(days=offset)
            events = self.k.day_events(c.participant, day)
            if events:
                reader = self.k.timezone_on(group, day)
                lines = [self._day(day, c)] + [self._agenda_line(e, c, reader) for e in events]
                reply.text.append("\n".join(lines))
                reply.maps.extend(m for m in self._maps(events, c) if m not in reply.maps)
        if len(reply.text) == 1:
            reply.text = [t.gettext("Nothing is scheduled for you in the next seven days.")]
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
        self._add_place(reply, event, c)
        return reply

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
        self._add_place(reply, ongoing[0], c)
        return reply

    def when(self, events: list[Event], c: Context) -> Reply:
        """When (and where) a named event is; a repeated one lists its other dates too."""
        reply = Reply(c.t.code, [self._event_block(events[0], c)])
        others = events[1:4]
        if others:
            reply.text.append(c.t.gettext("Also:"))
            reply.text.extend(self._event_block(e, c) for e in others)
        return reply

    def after(self, event: Event, c: Context) -> Reply:
        """What comes after a named event on the participant's programme."""
        nxt = next(
            (e for e in self.k.upcoming(c.participant, event.start) if e.key != event.key), None
        )
        if nxt is None:
            return Reply(
                c.t.code,
                [c.t.gettext("Nothing follows {title}.", title=self._title(event, c))],
            )
        reply = Reply(
            c.t.code,
            [c.t.gettext("After {title}:", title=self._title(event, c)), self._event_block(nxt, c)],
        )
        self._add_place(reply, nxt, c)
        return reply

    def _add_place(self, reply: Reply, event: Event, c: Context) -> None:
        place = self.k.places.get(event.place_key or "")
        if place is not None:
            reply.venues.append(self.venue(place))
            notes = self._notes(place, c)
            if notes:
                reply.text.append(notes)

    def where_event(self, event: Event, c: Context) -> Reply:
        """Where an event is: its place as a venue, with security notes."""
        place = self.k.places.get(event.place_key or "")
        reply = Reply(c.t.code, [self._event_block(event, c)])
        if place is None:
            reply.text.append(c.t.gettext("No place is given for this event yet."))
            return reply
        self._add_place(reply, event, c)
        return reply

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
        reply = Reply(
            c.t.code,
            [
                c.t.gettext(
                    "Your hotel in {city} on {day}:",
                    city=c.t.isolate(leg.city),
                    day=self._day(day, c),
                ),
            ],
            venues=[self.venue(place)],
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

    def emergency(self, c: Context) -> Reply:
        """Emergency and duty numbers first."""
        urgent = [x for x in self.k.contacts.values() if x.kind == "emergency"]
        reply = Reply(c.t.code, [c.t.gettext("In an emergency, call:")])
        reply.contacts = [self._card(x, c) for x in urgent]
        if not urgent:
            reply.text = [c.t.gettext("In an emergency in the United States, call 911.")]
        return reply

    def faq(self, key: str, c: Context) -> Reply:
        """A practical answer from the programme's FAQ."""
        entry = self.k.faq[key]
        return Reply(c.t.code, [text_in(entry.answer, c.t.code, self.default)])

    def dress(self, u: Understanding, c: Context) -> Reply:
        """The dress code: the general rule and that day's meetings that set one."""
        day = u.day or c.today
        reply = Reply(c.t.code)
        for entry in self.k.faq.values():
            if "dress code" in " ".join(entry.question.values()).casefold():
                reply.text.append(text_in(entry.answer, c.t.code, self.default))
        dressed = [e for e in self.k.day_events(c.participant, day) if e.dress]
        if dressed:
            reply.text.append(c.t.gettext("On {day}:", day=self._day(day, c)))
            reply.text.extend(
                c.t.gettext("{title}: {dress}", title=self._title(e, c), dress=e.dress)
                for e in dressed
            )
        if not reply.text:
            reply.text.append(
                c.t.gettext("No dress code is given for {day}.", day=self._day(day, c))
            )
        return reply

    def languages(self, c: Context) -> Reply:
        """The languages the assistant speaks."""
        names = ", ".join(c.t.language_name(code) for code in self.k.programme.languages)
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
                    "I am the assistant of {programme}. Ask me in your own words, for example:",
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
                "This is the assistant of {programme}, {start} to {end}.",
                programme=t.isolate(text_in(p.title, t.code, self.default)),
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
