"""A message read as a frame: what is asked, and the slots it fills, resolved on the programme."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise, takewhile
from zoneinfo import ZoneInfo

from bot.assistant.clocks import Clock
from bot.assistant.knowledge import Knowledge, english_name, index_words, text_in
from bot.assistant.names import NameIndex
from bot.assistant.normalize import in_cyrillic, tokens
from bot.assistant.records import Contact, Event, Leg, Place
from bot.assistant.understand import Understanding
from bot.store.models import EventStatus, Participant

# An entity match must weigh at least this much (summed word rarity) to be trusted.
STRONG = 1.2
# Ways of getting somewhere, and the lobby one leaves from: naming one asks about a journey
# ("the ferry to Haines", "the lobby call tomorrow").
# Places one arrives at and leaves from.
_STATIONS = frozenset({"airport", "station"})
_TRANSPORT = frozenset({"flight", "train", "bus", "shuttle", "boat", "station", "lobby"})
# Matches within this share of the best one are shown together.
CLOSE = 0.75
# Intents that ask about the programme: with one of them, a stray unknown word is noise.
_PROGRAMME_INTENTS = (
    "schedule",
    "week",
    "now",
    "next",
    "when",
    "after",
    "where",
    "bring",
    "hotel",
    "contact",
    "emergency",
    "dress",
    "travel",
    "checkin",
    "email",
)

# The hours (from, to) of each part of the day.
# Late afternoon belongs to both: an event at 17:30 is "this afternoon" and "this evening".
PARTS = {"morning": (0, 12), "afternoon": (12, 18), "evening": (17, 24)}
# A match this close to the best one, still ahead, is preferred to a past one.
_AHEAD = 0.85
# Things one takes along or is told about at a visit: naming one with an event asks its notes.
_PRACTICAL = frozenset({"passport", "badge", "photos", "shoes", "coat", "umbrella"})
# Measures only an FAQ entry's answer gives ("23 kg"), though an event's title names the bag.
_MEASURES = frozenset({"weight"})
# Practical things a visit's notes may say, unlike words that name the visit itself.
_NOTED = _PRACTICAL | {"password", "wifi", "lobby", "luggage", "parking", "lunch"}
# What a hotel's notes give of its network.
_WIRELESS = frozenset({"wifi", "password"})
# What people call a hotel's front desk.
_FRONT_DESK = frozenset({"lobby", "reception"})
# Roles several contacts share: naming one names them all, the participant's own first.
# Topics of the clock itself, whose question is about an event's time.
_CLOCK_TOPICS = frozenset({"daylight saving", "timezone"})
# How far ahead a journey arriving at a time said may be ("we land at 12:20").
_LANDING = timedelta(days=3)
# How long ago an event may have begun and still be the one "after" it asks about.
_LATELY = timedelta(hours=6)
# How close to the best a contact of the city one is in must match to be the one meant.
_ELSEWHERE = 0.5
# How soon a journey leaves for its contact to be the one a stranded traveller calls.
_AT_HAND = timedelta(hours=1)
# Words that name no event: the whole programme, the clock at home.
# Words that name no event, though a title may hold them ("Free day (clocks go back)").
# Topics the FAQ rules on for the whole programme, whatever a visit's notes say.
_RULED = frozenset({"social media", "pay"})
# How many of its words name an event asked where, whatever alarm its title sounds.
_TITLED_BY = 2
# How well, of the best, words must name an event held the day of a cancelled one.
_ALSO_NAMED = 0.3
# The hour from which "the morning" said tonight is tomorrow's.
_NOON = 12
# How long before a visit the journey there may leave.
_WAY_THERE = timedelta(hours=4)
_NO_EVENT = frozenset({"programme", "homeclock", "timezone", "daylight", "saving"})
_ROLES = frozenset({"interpreter", "officer", "security", "driver"})
# What a contact who moves the group has in its role ("transport coordinator", "coach company").
_MOVERS = ("driver", "transport", "bus", "shuttle", "coach", "van")
# Words of a ride by road.
_ROAD = frozenset({*_MOVERS, "pickup", "transfer", "car", "minibus", "taxi"})
# How close to the best an FAQ entry named in the reader's own language must score to win.
_NEARLY = 0.5
# A number to call, as an answer writes it: "+1 888 555 0166".
_PHONE = re.compile(r"\+?\d[\d ().-]{8,}\d")
# A time of day as typed: "9", "14", "7h30", "5pm" (minutes after a colon are a word of their own).
_CLOCK = re.compile(r"^([01]?\d|2[0-4])(?:h(\d\d)?|(am|pm))?$")
# Words of a question about a clock alone ("forgot to change my watch: the time in Boise?").
_CLOCK_WORDS = frozenset({"timezone", "daylight saving", "lost", "homeclock"})
# Words for an event in general: "this meeting" is the one going on.
_EVENT_NOUNS = frozenset({"meeting", "tour", "dinner", "lunch"})
# "The firefighters' demonstration": a thing shown is a visit, not an alarm.
_SHOWN = frozenset({"presentation"})
# Words of any message about the programme, which name no FAQ topic.
# Words for the programme or a group ("group C lands at 15:20"), which name no event.
_GROUPING = ["programme", "group"]
_GENERIC = frozenset(_GROUPING) | _EVENT_NOUNS
# Meals a visit's notes may say are served there ("lunch at the Pueblo Harvest Cafe").
_MEALS = frozenset({"lunch", "breakfast"})
# Intents asking for something besides a rule: a time, a place, someone to call.
_ASKS_OTHER = ("when", "where", "contact", "email", "number", "emergency")
# Intents that name a programme topic, unlike question words ("who", "where") alone.
_TOPICS = (
    "schedule",
    "week",
    "dress",
    "bring",
    "travel",
    "checkin",
    "emergency",
    "email",
)


class Ask(StrEnum):
    """What a message asks."""

    AGENDA = "agenda"
    WEEK = "week"
    NEXT = "next"
    NOW = "now"
    WHEN = "when"
    AFTER = "after"
    WHERE = "where"
    HOTEL = "hotel"
    TRAVEL = "travel"
    CONTACT = "contact"
    EMERGENCY = "emergency"
    DRESS = "dress"
    DETAIL = "detail"
    CHECKIN = "checkin"
    FAQ = "faq"
    LANGUAGES = "languages"
    GROUP = "group"
    DATES = "dates"
    PERSON = "person"
    ZONES = "zones"
    OUT_OF_SCOPE = "out_of_scope"
    HELP = "help"
    THANKS = "thanks"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Frame:
    """What is asked and about which day, event, place, city, contact or FAQ entry."""

    ask: Ask
    day: date | None = None
    # Days covered from ``day``: two for a weekend.
    days: int = 1
    part: str | None = None
    events: tuple[Event, ...] = ()
    place: Place | None = None
    legs: tuple[Leg, ...] = ()
    contacts: tuple[Contact, ...] = ()
    faq: str | None = None
    # The FAQ entry is a topic the message names ("per diem"): an answer about an event
    # (when the per diem is handed out) also gives it.
    topic: bool = False
    email: bool = False
    # The reader's local date when asking: "this afternoon" is today's.
    today: date | None = None
    # The moment of asking: "the orientation is over, what next?" is after it.
    now: datetime | None = None
    # "After Phoenix": the journey leaving the city named, not the one arriving there.
    onward: bool = False
    # "Just landed", "when do we arrive": the journey into a city, past or not.
    arriving: bool = False
    # Checking out: the hotel being left, on a day of moving on.
    checkout: bool = False
    # Moving to another hotel ("tomorrow we change hotels: which one?").
    moving: bool = False
    # "When we come back to DC": of a city stayed in twice, the later stay.
    again: bool = False
    # "How long until...": the time left is said too.
    countdown: bool = False
    # "The flight lands at 14:00, what time is that in Salt Lake?": the clock time said, as an
    # instant where it was meant, to be read in the other cities named.
    said: datetime | None = None
    # "What time is that in Dakar / back home?": clocks beyond the programme's cities.
    clocks: tuple[Clock, ...] = ()
    # "Group C's hotel in Anchorage?": the other groups' stays in a city named that one's own
    # group does not visit.
    others: tuple[Leg, ...] = ()
    # "Which hotels during the programme?": the whole of it, no one day.
    whole: bool = False
    # "Clocks change tonight: dinner at 6 tomorrow, new time?": the clock of that day is said.
    clockchange: bool = False
    # The topics the message names ("laundry"): what a hotel's notes are searched for.
    terms: frozenset[str] = frozenset()
    # The programme's dates asked with what is planned on a day of it.
    planned: bool = False
    # The programme's dates asked with when one may check in at the hotel.
    lodged: bool = False
    # "When does it end?": an event's end is asked, read on other clocks too.
    ending: bool = False
    # "What time do we meet in the lobby?": the day's lobby calls, for visits too.
    gathering: bool = False
    # "Who meets us at the airport?", "who runs it?": the event shown with its contact.
    with_contact: bool = False
    # The first event is named by its own words, not only by a vehicle ("the minibus").
    titled: bool = False
    # "When is our first flight?": a time is asked.
    timed: bool = False
    # "What is planned?", "what happens on the first day?": a day's programme is asked.
    listed: bool = False

    def but(self, **changes: object) -> Frame:
        """A copy with some slots changed."""
        if not changes.keys() <= _FRAME_SLOTS:
            raise TypeError(f"no such slots: {sorted(changes.keys() - _FRAME_SLOTS)}")
        # Copied by its fields, not rebuilt through __init__ as replace() does: a frame has
        # thirty of them and is copied several times per question.
        copy = object.__new__(Frame)
        copy.__dict__.update(self.__dict__, **changes)
        return copy


_FRAME_SLOTS = frozenset(f.name for f in fields(Frame))


def _cancelled_first(u: Understanding, events: list[Event], cancels: bool) -> list[Event]:
    """ "Was the boat tour at the Falls cancelled today?": of the events named (that day, when
    one is said), the one that is."""
    if not cancels:
        return events
    return sorted(
        events,
        key=lambda e: (
            e.status != EventStatus.CANCELLED or (u.day is not None and local_day(e) != u.day)
        ),
    )


def best(results: list[tuple[str, float]], strong: float = STRONG) -> list[str]:
    """Keys of the strong matches close to the best one."""
    if not results or results[0][1] < strong:
        return []
    top = results[0][1]
    return [key for key, score in results if score >= top * CLOSE]


# How many words before a participant's name word another word of the name may stand.
_NAME_SPAN = 2
# How soon after a journey ends the ride on from it starts, at most.
_MET_WITHIN = timedelta(hours=3)
# A ride on may be set to start a little before the journey's end (a flight landing early).
_MET_EARLY = timedelta(minutes=30)
# Asks a lobby call is read as: when, where and what of the day's gatherings.
_GATHERED = frozenset({Ask.WHEN, Ask.TRAVEL, Ask.DETAIL, Ask.WHERE, Ask.NEXT})


class FrameReader:
    """Fills a frame's slots from an understanding, on one programme snapshot."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.k = knowledge

    def read(self, u: Understanding, participant: Participant, now: datetime, today: date) -> Frame:
        """Return the frame of a participant's message."""
        u = self._device(self._security(self._number(self._front_desk(self._plain(u)))))
        u = self._spelled(self._placename(u))
        # "How long until the briefing?" asks when it is, and how long is left.
        countdown = u.has("until")
        # "Is the visit still on Monday?" asks when it is now.
        if countdown or u.has("moved"):
            u = replace(u, intents=u.intents | {"when"})
        u = self._morning_after(u, participant, now, today)
        u = self._way_back(u, participant, today)
        day = u.day
        # "This afternoon" is today's afternoon; "the dinner at 7 in the evening" is whichever
        # day's the time finds.
        if day is None and u.part is not None and not clock_times(u.words):
            day = today
        legs = self._legs(u, participant, today)
        cities: set[str] = set()
        clock = u.has("now") and u.has("when")  # "what time is it in Baltimore now?"
        # "The Hague call is at 16:00 their time: what time here in Spokane?" names a clock.
        clock = clock or (u.has("when") and bool(clock_times(u.words)))
        if (
            u.has("after", "move", "travel", "hotel")
            or _arriving(u)
            or "timezone" in u.mentions
            or clock
        ):
            # "After Phoenix", "when do we leave Washington", "the time difference with
            # Washington": the city names a leg, and its words no longer pick the events
            # held there.
            cities = {w for leg in legs for w in self.k.city_words(leg)}
        # "The Brightwater visit, still on Monday?": the visit, on whatever day it now is, unless
        # that day holds it still ("the coast guard on Saturday, still on?": cancelled).
        events = self._events(u, participant, now, day, day or today, cities)
        if u.has("moved") and not self._still_that_day(events, day):
            events = self._events(u, participant, now, None, day or today, cities)
        called_off = self.k.lexicons.says(u.said, self.k.lexicons.cancels)
        events = _cancelled_first(u, events, called_off)
        # "Where do we sleep on the 7th?": the day's number is no time of day.
        number = u.day.day if u.numbered and u.day is not None else None
        said = [w for w in u.words if not (w.isdigit() and int(w) == number)]
        times = clock_times(tuple(said))
        part = u.part
        if times:
            # "The 9:30 bus tomorrow": the one leaving at 9:30 first, and the day's own
            # event at that time when what is named is only held on other days.
            events = sorted(events, key=lambda e: not self._at(e, times))
            # "The FBI one is tomorrow at 2, right?": an event moved from that day is the one
            # meant, wherever it went.
            moved = bool(events) and day is not None and self.k.moved_from(events[0], day)
            if (
                day is not None
                and not moved
                and not any(local_day(e) == day and self._at(e, times) for e in events)
            ):
                # "Tomorrow's gathering at 5:30, new time?", "the coach tomorrow at 8:30": the
                # day's event at that time, or whose call to leave is then, though nothing
                # else names it.
                at = [e for e in self.k.day_events(participant, day) if self._at(e, times)]
                events = at or events
            # "Clocks change tonight: is the lobby call at 7 the new time?": the next event at
            # that time, tomorrow's when tonight has none.
            coming = self._coming_at(u, participant, now, today, times, events)
            if coming is not None:
                events = [coming, *(e for e in events if e is not coming)]
                if day is not None and local_day(coming) != day:
                    day, part = local_day(coming), None
        # "The call with Jakarta, today or tomorrow?": a call on the programme, not someone
        # to call.
        calls = self.k.event_index.postings.get("call", ())
        called = bool(events) and events[0].key in calls and events[0].key not in self.k.journeys
        if u.has("contact") and not u.has("number", "whom") and called:
            u = replace(u, intents=u.intents - {"contact"})
        first = self._first_on(u, participant, day, today)
        if first is not None:
            events = [first, *(e for e in events if e is not first)]
        events = self._served(u, participant, day, events) + events
        clocks = self._clocks(u, participant)
        events = self._addressed_first(u, events or self._implied(u, participant, now, day, clocks))
        # "Our next meeting, where?" names no "Meeting Haus": a word for any event names no place.
        places = best(self.k.place_index.search([w for w in u.words if w not in _EVENT_NOUNS]))
        frame = Frame(
            Ask.UNKNOWN,
            day=day,
            days=u.days,
            part=part,
            events=tuple(events),
            place=self.k.places[places[0]] if places else None,
            legs=tuple(legs),
            contacts=tuple(self._contacts(u, participant, today)),
            faq=self._faq(u, legs or self._here(participant, day or today), events),
            email=u.has("email"),
            today=today,
            now=now,
            onward=u.has("after"),
            arriving=u.has("arrive", "landed"),
            timed=u.has("when"),
            listed=u.has("schedule", "edge"),
            checkout=u.has("checkout"),
            moving=u.has("move", "checkout"),
            again="return" in u.mentions,
            clocks=tuple(clocks),
            others=tuple(
                leg
                for leg in self.k.legs_in(u.words, participant.group_key, others=True)
                if leg.city not in {mine.city for mine in legs}
            ),
            whole="programme" in u.mentions and u.day is None,
            clockchange="daylight saving" in u.mentions,
            terms=u.mentions,
        )
        frame = self._callable(u, frame, participant, now)
        ask, frame = self._asked(u, frame, participant, now)
        # "When is the per diem paid?": the payment's time, then the FAQ on the per diem, though
        # an event's title says "per diem" too; "a fever, whom do I call?" the FAQ on medical
        # care beside the contacts, though a visit to the medical examiner is on the programme.
        topics = self.k.faq_topics(u.mentions, titles=ask in (Ask.WHEN, Ask.TRAVEL, Ask.CONTACT))
        topic = frame.faq is not None and frame.faq in topics
        # "Just landed, how do I get to the hotel?": the way from the airport too.
        topic = topic or (ask is Ask.HOTEL and frame.arriving and frame.faq == self.k.transfer_faq)
        # A visit's notes come with the FAQ entry only when the message names all it is about
        # ("bags on the flight" the luggage allowance; "a passport" no lost passport).
        if topic and ask is Ask.DETAIL:
            assert frame.faq is not None
            topic = self.k.faq_named_whole(frame.faq, u.language, u.mentions)
        timed = times and (legs or frame.clocks)
        said = self._said(u, frame, times, participant) if timed else None
        # "When does it start, and what is planned the first day?": the day's programme too.
        planned = ask is Ask.DATES and u.has("schedule") and u.day is not None
        # "When does it start, and from what time can I check in?", "and which hotel first?":
        # the first hotel too.
        lodged = ask is Ask.DATES and u.has("checkin", "hotel")
        ending = u.has("edge") and "programme" not in u.mentions
        return frame.but(
            ask=ask,
            topic=topic,
            countdown=countdown,
            said=said,
            planned=planned,
            ending=ending,
            lodged=lodged,
        )

    def _asked(
        self, u: Understanding, frame: Frame, participant: Participant, now: datetime
    ) -> tuple[Ask, Frame]:
        """What a frame asks, with what that changes of it."""
        if described := self._only_described(u, frame, participant, now):
            # "Where do I pick up my badge?": what only an event's description says.
            return Ask.DETAIL, frame.but(events=described)
        ask = self._ask(u, frame, participant)
        ask, frame = self._driven(u, ask, self._hotel_faq(u, ask, frame), participant)
        frame, ask = self._journeyed(u, ask, frame, participant, now)
        if ask is Ask.DETAIL and self._ruled_generally(u, frame):
            # "Can I take my laptop on the agency visits?": the FAQ's rule for every visit.
            ask = Ask.FAQ
        return ask, frame

    def _visiting(
        self, u: Understanding, f: Frame, terms: list[str], participant: Participant
    ) -> bool:
        """ "Tomorrow at the federal building, may I bring my penknife?": what that visit allows,
        not the luggage allowance; "at the voting centre this afternoon, can we take photos?"
        too, when the visit's notes speak of it."""
        if not f.events or f.day is None or local_day(f.events[0]) != f.day:
            return False
        visit = f.events[0]
        if visit.key in self.k.journeys:
            return False
        if u.has("bring") and u.day is not None and self._titled(u, f, terms, participant):
            return True
        asking = u.has("bring") or self.k.lexicons.says(u.said, self.k.lexicons.leave)
        return (
            asking
            and (u.day is not None or u.part is not None)
            and (self._titled(u, f, terms, participant) or self._alone_then(u, f, participant))
            and any(self.k.notes_name(visit, t) for t in terms)
        )

    def _alone_then(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """Whether the first event found is the only visit in the part of the day asked ("the
        visit this afternoon")."""
        if u.part is None or f.day is None or not f.events:
            return False
        held = [
            e.key
            for e in self.k.day_events(participant, f.day)
            if _in_part(e, u.part) and e.key not in self.k.journeys
        ]
        return held == [f.events[0].key]

    def _ruled_generally(self, u: Understanding, f: Frame) -> bool:
        """Whether what to bring is asked of visits in general, which an FAQ entry found rules
        on: no day, and no word naming the visit but one for any event ("the visits")."""
        if f.faq is None or u.day is not None or not f.events:
            return False
        postings = self.k.event_index.postings
        named = {w for w in u.words if f.events[0].key in postings.get(w, ())}
        return bool(named) and named <= _EVENT_NOUNS

    def _only_described(
        self, u: Understanding, f: Frame, participant: Participant, now: datetime
    ) -> tuple[Event, ...]:
        """The participant's next event (else last) whose description names a thing asked
        where to find ("where do I get my badge?"), a thing that nothing else of the programme
        names."""
        # A time or a day asked is an event's; "where" alone may be a thing's.
        if not u.has("where") or u.has("when", "email", "contact", "number") or u.day:
            return ()
        if f.events or f.faq is not None or f.contacts:
            return ()
        if f.place is not None:
            return ()
        k = self.k
        named = (
            k.event_index.postings,
            k.place_index.postings,
            k.faq_index.postings,
            k.city_index.postings,
        )
        terms = [
            words
            for term in u.mentions
            if (words := term.split())
            and not any(w in index for w in words for index in named)
            # Rides and where they stop ("at 30th Street station") are what journeys say.
            and not set(words) & (_EVENT_NOUNS | _TRANSPORT | _ROAD | _STATIONS)
        ]
        mine = k.audience(participant)
        keys = {
            key
            for words in terms
            for key in frozenset.intersection(*(k.described.get(w, frozenset()) for w in words))
            if key in mine
        }
        found = [e for e in k.ordered if e.key in keys and e.status != EventStatus.CANCELLED]
        coming = [e for e in found if e.end >= now]
        return tuple((coming or found[::-1])[:1])

    def _driven(
        self, u: Understanding, ask: Ask, f: Frame, participant: Participant
    ) -> tuple[Ask, Frame]:
        """ "Who drives us to the family dinner, and what time is pickup?": the dinner, its
        call, and the driver, not the driver alone."""
        driven = (
            ask is Ask.CONTACT
            and "driver" in u.mentions
            and u.has("when")
            and not u.has("number")
            and bool(f.contacts)
            and self._titled(u, f, ["driver"], participant)
        )
        return (Ask.WHEN, f.but(with_contact=True)) if driven else (ask, f)

    def _way_back(self, u: Understanding, participant: Participant, today: date) -> Understanding:
        """ "What time do we get back from San Francisco?" on a day out and back: the ride
        back, a journey."""
        # "The train back from Baltimore" names the ride itself, the later of the day's.
        # "Done at BART: when and where do we meet to go back?" asks what follows.
        if u.has("travel", "done") or not u.has("when") or u.mentions & _TRANSPORT:
            return u
        if not self.k.lexicons.back(u.said):
            return u
        rides = [
            e for e in self.k.day_events(participant, u.day or today) if e.key in self.k.journeys
        ]
        if len(rides) < 2:
            return u
        # "Back from" then asks when one is back, not what follows.
        return replace(u, intents=(u.intents - {"done", "after"}) | {"travel"})

    def _gathered(
        self, u: Understanding, ask: Ask, f: Frame, participant: Participant, now: datetime
    ) -> Frame | None:
        """The day of the lobby calls asked about: the day said, the named visit's, else the
        next one's; none when the lobby is not asked of, or that day gathers nobody there."""
        # "Au Hall of Justice": a hall named in a title is no lobby, unless a time is asked.
        lobby = "lobby" in u.mentions and u.has("when", "travel")
        # "Meet in the lobby for dinner at what time?" matches an FAQ entry on dinners by its
        # words; one no topic of the message names is no answer to it.
        # "My phone and my watch disagree: did I miss the lobby call?" too: the lobby call,
        # then the clocks.
        loose = ask is Ask.FAQ and not self.k.faq_topics(u.mentions - _CLOCK_TOPICS)
        if (ask not in _GATHERED and not loose) or not (u.has("gathering") or lobby):
            return None
        keys = self.k.gatherings | self.k.journeys
        if u.has("gathering"):
            # "What time do we meet in the lobby?": a meeting there a description sets too.
            keys |= self.k.called
        mine = [
            e
            for e in self.k.ordered
            if e.key in keys and e.status != EventStatus.CANCELLED and self.k.is_for(e, participant)
        ]
        day = f.day
        if day is None:
            # "The lobby call for the Pentagon": the visit's day.
            named = next((e for e in f.events if e.key not in keys), None)
            first = named or next((e for e in mine if e.end >= now), None)
            day = local_day(first) if first is not None else None
        if day is None or not any(local_day(e) == day for e in mine):
            return None
        return f.but(day=day, gathering=True)

    def _journeyed(
        self, u: Understanding, ask: Ask, f: Frame, participant: Participant, now: datetime
    ) -> tuple[Frame, Ask]:
        """Lobby calls, the ride that meets a journey, and a journey named by its own words."""
        if ask is Ask.DRESS and (u.has("gathering") or (u.has("travel") and u.has("when"))):
            # "What time's the lobby call today, and what do I wear?": both, the dress code
            # after the day's lobby calls and rides.
            day = f.day or f.today
            gathered = self._gathered(u, Ask.TRAVEL, f.but(day=day), participant, now)
            rides = self.k.journeys | self.k.gatherings
            if (
                gathered is None
                and day
                and any(e.key in rides for e in self.k.day_events(participant, day))
            ):
                gathered = f.but(day=day, gathering=True)
            called = [
                e
                for e in (self.k.day_events(participant, day) if day else [])
                if self.k.call_before(e, u.language) is not None
            ]
            if gathered is None and called:
                # "What do I wear for today's trip, and when does the bus leave?": the trip,
                # whose notes say when, with its dress code.
                return f.but(events=tuple(called[:1])), Ask.DETAIL
            return (gathered if gathered is not None else f), ask
        gathered = self._gathered(u, ask, f, participant, now)
        f, ask = (gathered, Ask.TRAVEL) if gathered is not None else (f, ask)
        met = self._event_contact(u, f, participant) or self._met(u, f, participant, now)
        f, ask = (met, Ask.DETAIL) if met is not None else (f, ask)
        if ask is Ask.TRAVEL and f.events:
            # "When is the visit to Dulles airport?" names its journey by its own words, not
            # by a vehicle alone ("the minibus").
            f = f.but(titled=self._titled(u, f, sorted(_TRANSPORT | {"travel"}), participant))
        return f, ask

    def _event_contact(self, u: Understanding, f: Frame, participant: Participant) -> Frame | None:
        """ "Monday's port meeting: who's our contact person?": the contact the event names."""
        held = f.events[0] if f.events else None
        if (
            held is not None
            and not f.contacts
            and f.faq is None
            # The event asked by its day or as a meeting, not a topic it touches ("my
            # certificate has a typo, who do I contact?").
            and (u.day is not None or bool(u.mentions & _EVENT_NOUNS))
            and u.has("contact")
            and u.has("whom")
            and held.contact_key in self.k.contacts
            and held.key not in self.k.journeys
            and self._titled(u, f, [], participant)
        ):
            return f.but(contacts=(self.k.contacts[held.contact_key],), with_contact=True)
        return None

    def _met(
        self, u: Understanding, f: Frame, participant: Participant, now: datetime
    ) -> Frame | None:
        """ "Landed at Dulles, who meets us?", "where do I find the driver at the airport?",
        "just landed, where is the bus?": the ride that takes the group on from the journey
        asked or under way, with its contact, else whom the journey's description names;
        "the briefing at 5, who runs it?": the event, with its contact."""
        driver = "driver" in u.mentions and u.has("where")
        if not (u.has("host", "arrive", "landed") or driver):
            return None
        rides = self.k.journeys | self.k.gatherings
        mine = [
            e
            for e in self.k.ordered
            if self.k.is_for(e, participant) and e.status != EventStatus.CANCELLED
        ]
        recent = [e for e in mine if e.key in rides and e.start <= now <= e.end + _MET_WITHIN]
        # "Just landed, where do we find the programme people?": the journey under way or just
        # over, not another one from that airport.
        # "We took off, who picks us up at LaGuardia?": the flight under way, too.
        under_way = u.has("host") and any(e.start <= now <= e.end for e in recent)
        asks_landed = (u.has("arrive", "landed") or under_way) and f.day is None
        landed = (recent or self._first_arrangement(mine, now, f.today)) if asks_landed else []
        landed_where = bool(landed) and u.has("where") and self._asks_who_meets(u, f, participant)
        if not (u.has("host") or driver or landed_where):
            return None
        if u.has("next") or (u.has("schedule") and not landed):
            return None
        held = f.events[0] if f.events and not landed else None
        if held is not None and held.key not in rides and held.kind != "logistics":
            # "Our group briefing at 5, who runs it?": the event, and whom it names.
            if u.has("host") and held.contact_key in self.k.contacts:
                return f.but(contacts=(self.k.contacts[held.contact_key],), with_contact=True)
            return None
        if not (f.events or u.has("arrive", "travel") or "flight" in u.mentions or recent):
            return None
        anchor = self._anchor(u, f, participant, mine, landed, recent, now)
        if anchor is None:
            return None
        # Who drives is asked of a ride with a driver; where the bus waits, of any ride.
        needs = u.has("host") or "driver" in u.mentions
        # "Airport pickup", "van from IAH": a ride by road, though it names an airport.
        titled = index_words(self.k.lexicons, *anchor.title.values())
        ground = bool(titled & _ROAD) or "flight" not in titled

        def taking_on(needs: bool) -> Event | None:
            return next(
                (
                    e
                    for e in mine
                    if (e.contact_key in self.k.contacts or not needs)
                    and (e.key in rides or e.kind == "logistics")
                    # Not the flight's own contact: whoever takes the group on when it lands,
                    # or the ride under way.
                    and (
                        (e is anchor and (e.kind == "logistics" or (ground and e.key in rides)))
                        or (
                            e is not anchor
                            and anchor.end - _MET_EARLY <= e.start <= anchor.end + _MET_WITHIN
                        )
                    )
                ),
                None,
            )

        ride = taking_on(needs)
        named = tuple(self.k.contacts_in(anchor)) if ride is None else ()
        if ride is None and not named and needs and landed:
            # "Landed, who picks us up?": the transfer that takes the group on, whose
            # description says who meets it ("a driver at baggage claim"), though no contact
            # is named.
            ride = taking_on(False)
        if ride is None:
            if not named or not needs:
                return None
            # "Kendra Larsen meets the group at baggage claim": the journey, and whom it names.
            return f.but(events=(anchor,), contacts=named, with_contact=True)
        journey = (anchor,) if anchor is not ride and landed else ()
        contacts = (
            (self.k.contacts[ride.contact_key],) if ride.contact_key in self.k.contacts else ()
        )
        return f.but(
            events=(ride, *journey, *(e for e in f.events if e is not ride and e not in journey)),
            contacts=contacts or tuple(self.k.contacts_in(anchor)),
            with_contact=True,
        )

    def _anchor(
        self,
        u: Understanding,
        f: Frame,
        participant: Participant,
        mine: list[Event],
        landed: list[Event],
        recent: list[Event],
        now: datetime,
    ) -> Event | None:
        """The journey whom a message asks who meets: the one asked, else the one under way or
        just over, else the next one."""
        rides = self.k.journeys | self.k.gatherings
        anchor = landed[-1] if landed else (f.events[0] if f.events else None)
        if not landed and (u.has("arrive", "landed") or (u.has("host") and "flight" in u.mentions)):
            # "Who picks us up when we land in Atlanta?", "who meets us at the airport in Salt
            # Lake?": the journey into that city.
            anchor = self._arrival_into(u, participant, mine) or anchor
        called = anchor is not None and anchor.kind == "logistics" and u.has("arrive", "landed")
        if anchor is not None and (anchor.key in self.k.gatherings or called):
            # "When do we land on Sunday, and who picks us up?" finds the lobby call first:
            # the journey it gathers people for.
            anchor = next(
                (
                    e
                    for e in f.events
                    if e.key in self.k.journeys
                    and e.key not in self.k.gatherings
                    and e.start >= anchor.end
                    and local_day(e) == local_day(anchor)
                ),
                anchor,
            )
        if anchor is None:
            ahead = [e for e in mine if e.key in rides and e.start > now]
            anchor = (recent or ahead or [None])[-1 if recent else 0]
        return anchor

    def _arrival_into(
        self, u: Understanding, participant: Participant, mine: list[Event]
    ) -> Event | None:
        """The journey that brings the group to the city a message names, on its first day
        there."""
        legs = self.k.legs_in(u.words, participant.group_key)
        if not legs:
            return None
        into = [
            e
            for e in mine
            if e.key in self.k.journeys
            and e.key not in self.k.gatherings
            and local_day(e) == legs[0].date_from
        ]
        return into[-1] if into else None

    def _first_arrangement(self, mine: list[Event], now: datetime, today: date) -> list[Event]:
        """Just landed, with nothing under way: the day's first arrangement still to come (staff
        meeting arriving flights, the shuttle)."""
        rides = self.k.journeys | self.k.gatherings
        found = next(
            (
                e
                for e in mine
                if (e.key in rides or e.kind == "logistics")
                and e.start > now
                and local_day(e) == today
            ),
            None,
        )
        return [found] if found is not None else []

    def _asks_who_meets(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """ "Landed, where do we find the programme people?" asks for whoever meets the journey;
        "landed, where's the hotel?", "arrived in Santa Fe, where is the health department?" for
        what they name."""
        if u.mentions & _ROAD:
            return True
        if u.has("hotel", "checkin"):
            return False
        cities = self.k.city_index.postings
        if best(self.k.place_index.search([w for w in u.words if w not in cities])):
            return False
        # An event of another day ("the programme's orientation" tomorrow) is no place to go.
        return not (
            f.events and local_day(f.events[0]) == f.today and self._titled(u, f, [], participant)
        )

    def _hotel_faq(self, u: Understanding, ask: Ask, frame: Frame) -> Frame:
        """ "What time do I check out?": the hotel, and the hours the FAQ gives; "just landed,
        how do I get to the hotel?" before the programme: the hotel, and the way from the
        airport the FAQ gives."""
        if ask is Ask.CHECKIN and self.k.checkin_faq is not None:
            return frame.but(faq=self.k.checkin_faq)
        if (
            ask is Ask.HOTEL
            and u.has("landed", "arrive")
            and frame.today <= self.k.programme.start
            and self.k.transfer_faq is not None
        ):
            return frame.but(faq=self.k.transfer_faq)
        return frame

    def _morning_after(
        self, u: Understanding, participant: Participant, now: datetime, today: date
    ) -> Understanding:
        """ "Clocks go back tonight: the 6 a.m. lobby call, old or new time?" asked in the
        afternoon or evening is about tomorrow morning."""
        if "daylight saving" not in u.mentions or u.day != today or u.part != "morning":
            return u
        zone = self.k.present_timezone(participant.group_key, now)
        if now.astimezone(ZoneInfo(zone)).hour < _NOON:
            return u
        return replace(u, day=today + timedelta(days=1))

    def _on_clock(
        self, participant: Participant, day: date | None, clocks: list[Clock]
    ) -> list[Event]:
        """ "The Glasgow call today, what time in Baltimore?": the day's events held on the
        clock of a city named, though their titles spell the city otherwise."""
        if day is None or not clocks:
            return []
        zones = {clock.zone for clock in clocks}
        return [e for e in self.k.day_events(participant, day) if e.timezone_given in zones]

    def _clocks(self, u: Understanding, participant: Participant) -> list[Clock]:
        """The world's clocks a message asks about: cities or countries named, and home."""
        # "The Glasgow call, what time in Baltimore?": a city an event's title names is that
        # event's, not a clock asked about.
        titled = self.k.event_index.postings
        clocks = self.k.clocks_named([w for w in u.said or u.words if w not in titled])
        if "homeclock" in u.mentions and (home := self.k.home_clock(participant)) is not None:
            clocks.append(home)
        return clocks

    def _said(
        self,
        u: Understanding,
        f: Frame,
        times: frozenset[tuple[int, int]],
        participant: Participant,
    ) -> datetime | None:
        """The clock time a message says, in the zone it is meant in: the event's that starts
        then, else the first city named's when another is named after it, else the reader's."""
        # The cities named, in the order the message names them.
        # "Group C lands in Anchorage at 15:20, what time is that here?": another group's.
        order = sorted(
            {leg.city: leg for leg in (*f.legs, *f.others)}.values(),
            key=lambda leg: min(
                (i for i, w in enumerate(u.words) if w in self.k.city_words(leg)), default=0
            ),
        )
        asked = u.has("when", "arrive") or "timezone" in u.mentions or len(order) > 1
        asked = asked or bool(f.clocks)  # "10:00 here, what is that in Dushanbe?"
        if not asked or f.today is None:
            return None
        # "When it is 9 in Boise, what time is it here?" says a time in a city named, whatever
        # event starts at 9, unless the event is named too.
        cities = len(order) > 1 and not self._titled(u, f, _GROUPING, participant)
        if f.events and starts_at(f.events[0], times) and not cities:
            return local_start(f.events[0])
        # "It lands in LA at 10:40": a journey's arrival, on the clock of the city reached.
        arrival = self.k.arrival_timezone(f.events[0], participant.group_key) if f.events else None
        if arrival is not None:
            landing = f.events[0].end.astimezone(ZoneInfo(arrival))
            if (landing.hour, landing.minute) in times:
                return landing
        if len(order) > 1:
            zone = self.k.leg_timezone(order[0])
        elif f.now is not None:
            zone = self.k.present_timezone(participant.group_key, f.now)
        else:
            return None
        # "Lunes 24" names a day, not an hour.
        hours = [t for t in times if t[0] < 24]
        if not hours:
            return None
        # A bare "9" may be morning or evening: the waking hour.
        hour, minute = min(hours, key=lambda t: (t[0] < 6, t))
        day = f.day or f.today
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))

    def _at(self, event: Event, times: frozenset[tuple[int, int]]) -> bool:
        """Whether an event starts, or its call to leave is, at a time of day said."""
        return starts_at(event, times) or self.k.called_at(event, times)

    def _coming_at(
        self,
        u: Understanding,
        participant: Participant,
        now: datetime,
        today: date,
        times: frozenset[tuple[int, int]],
        events: list[Event],
    ) -> Event | None:
        """The participant's next event at a time of day said, within a day, when no event
        found starts then and no other day or part of today is named."""
        if u.day not in (None, today) or u.part not in (None, "evening"):
            return None
        on_day = (e for e in events if u.day is None or local_day(e) == u.day)
        if any(starts_at(e, times) and e.end >= now for e in on_day):
            return None
        for event in self.k.upcoming(participant, now):
            if event.start > now + timedelta(days=1):
                return None
            if self._at(event, times):
                return event
        return None

    def _served(
        self, u: Understanding, participant: Participant, day: date | None, events: list[Event]
    ) -> list[Event]:
        """ "Where is lunch tomorrow?": the event of the day asked whose notes say it, when the
        events found are of other days."""
        if day is None or not u.has("where", "when") or any(local_day(e) == day for e in events):
            return []
        held = [e for e in self.k.day_events(participant, day) if e.status != EventStatus.CANCELLED]
        noted = [
            [e for e in held if self.k.notes_name(e, t)]
            for t in u.mentions - frozenset(_GROUPING)
            if t in _MEALS or self.k.faq_topics([t])
        ]
        return min((found for found in noted if found), key=len, default=[])

    def _implied(
        self,
        u: Understanding,
        participant: Participant,
        now: datetime,
        day: date | None,
        clocks: list[Clock],
    ) -> list[Event]:
        """Events no title names: held on a clock named, or where an FAQ topic asked when
        happens ("when is the per diem paid?")."""
        on_clock = self._on_clock(participant, day, clocks)
        if on_clock or not u.has("when"):
            return on_clock
        return [self.k.events[key] for key in self._described(u, participant, now, day)]

    def _described(
        self, u: Understanding, participant: Participant, now: datetime | None, day: date | None
    ) -> list[str]:
        """The event a topic of the FAQ named ("the per diem") happens at, by its notes ("the
        second per diem instalment is paid at the breakfast"): on the day asked, else the next
        one, else the last."""
        if now is None:
            return []
        terms = [t for t in u.mentions if self.k.faq_topics([t]) and t not in _GENERIC]
        held = [
            e
            for e in self.k.ordered
            if self.k.is_for(e, participant)
            and e.status != EventStatus.CANCELLED
            and (day is None or local_day(e) == day)
        ]
        # Of the topics named ("the rest of the per diem, paid when?"), the one the fewest
        # events' notes name is the one they are about.
        found = [[e for e in held if self.k.notes_name(e, t)] for t in terms]
        mine = min((events for events in found if events), key=len, default=[])
        if not mine:
            return []
        chosen = next((e for e in mine if e.end >= now), mine[-1])
        return [chosen.key]

    def _addressed_first(self, u: Understanding, events: list[Event]) -> list[Event]:
        """Events found, where asked: "the address of tomorrow afternoon's seminar" is one held
        at an address rather than the webinar ("the webinar is over, where next?" is the one
        just over)."""
        if not u.has("where") or u.has("next", "after", "done", "when") or clock_times(u.words):
            return events
        online = self.k.titled_keys(["online"])
        return sorted(events, key=lambda e: e.key in online) if online else events

    def _still_that_day(self, events: list[Event], day: date | None) -> bool:
        """Whether the event found is held on the day asked and still belongs to it: called off
        ("the coast guard on Saturday, still on?") or moved to it ("the court tomorrow, wasn't
        it moved?")."""
        if not events or local_day(events[0]) != day:
            return False
        return events[0].status == EventStatus.CANCELLED or self.k.was_moved(events[0])

    @staticmethod
    def _plain(u: Understanding) -> Understanding:
        """What a few words mean beside others: "I am lost, the hotel's address?" loses no
        thing; "a staff number for tonight?" asks for the duty phone."""
        if u.has("hotel") and u.mentions == {"lost"}:
            u = replace(u, mentions=frozenset(), words=tuple(w for w in u.words if w != "lost"))
        if "duty" in u.mentions:
            u = replace(u, intents=u.intents | {"contact"})
        return u

    def _spelled(self, u: Understanding) -> Understanding:
        """ "رحلة ريد روكس اليوم": two words not understood that spell a name of the programme
        together are its words."""
        unknown = set(u.unknown)
        said = [w if w in unknown else "" for w in u.said]
        pairs = self.k.spelled_pairs(said)
        if not pairs:
            return u
        spelled = {said[i + n] for i, _ in pairs for n in (0, 1)}
        words = (*(w for w in u.words if w not in spelled), *(w for _, pair in pairs for w in pair))
        return replace(
            u,
            words=tuple(dict.fromkeys(words)),
            unknown=tuple(w for w in u.unknown if w not in spelled),
        )

    def _placename(self, u: Understanding) -> Understanding:
        """ "Tomorrow in Socorro, what do I bring?": a word that would sound an alarm but is
        the name of a place of the programme names that place."""
        if not u.alarms or not u.has("emergency"):
            return u
        places = self.k.place_index.postings
        cities = self.k.city_index.postings
        if not all(w in places or w in cities for w in u.alarms):
            return u
        named = tuple(dict.fromkeys((*u.words, *u.alarms)))
        return replace(u, intents=u.intents - {"emergency"}, words=named, alarms=())

    def _front_desk(self, u: Understanding) -> Understanding:
        """ "The hotel's phone number" is the hotel's own (its front desk is in its notes), unless
        a contact is named by more than a city ("the coordinator in Anchorage")."""
        if not (u.has("hotel") and u.has("contact", "number")) or u.has("emergency", "email"):
            return u
        # "Can't sleep, whom do I call at this hour?", "locked out of my room, who can I
        # call?" ask for someone.
        if "late" in u.mentions or u.has("whom"):
            return u
        cities = self.k.city_index.postings
        words = [w for w in u.words if w not in cities and w not in _FRONT_DESK]
        if best(self.k.contact_index.search(words)) or self.k.contact_names.named(u.unknown):
            return u
        # "Left my jacket there, the hotel's phone?" asks for the hotel, whatever else is named;
        # "reception does not answer, whom do I call?" asks for someone else.
        # Words not understood may be someone's name or another question: the hotel is not sure.
        desk = set() if u.mentions & _FRONT_DESK or u.unknown else {"frontdesk"}
        return replace(u, intents=(u.intents - {"contact", "number"}) | desk)

    def _number(self, u: Understanding) -> Understanding:
        """A number asked for is a contact's, unless it is a journey's ("the flight number") or
        the hotel's (its front desk is in its notes)."""
        if not u.has("number"):
            return u
        # "The bus company's number", "the duty phone's number": a contact named, not only by
        # a way of travelling (the travel desk's "flights, trains").
        # A city names no one ("the flight to San Diego" is not the San Diego coach company).
        cities = self.k.city_index
        words = [w for w in u.words if w not in _TRANSPORT and not _sure(cities.resolve(w))]
        if u.mentions & {"flight", "train"}:
            # "Our flight to Oklahoma, its number?": a word of the journey's title names it,
            # not the Oklahoma police liaison.
            index = self.k.event_index
            words = [
                w
                for w in words
                if not (
                    (found := index.resolve(w))
                    and self.k.journeys.intersection(index.postings.get(found[0], ()))
                )
            ]
        named = best(self.k.contact_index.search(words)) or self.k.contact_names.named(u.unknown)
        # Flights and trains have numbers; a bus has a company to call.
        if not named and u.has("travel", "hotel"):
            return u
        if not named and u.mentions & {"flight", "train"}:
            # "The train tomorrow, its number?" asks about the journey.
            return replace(u, intents=u.intents | {"travel"})
        return replace(u, intents=u.intents | {"contact"})

    def _security(self, u: Understanding) -> Understanding:
        """Security is someone to call when a contact is asked for ("who do I call, security?"),
        a word of a title when an event's time or place is asked ("the security briefing, at
        what time?"), else the screening at a visit (what to bring)."""
        if not u.has("security"):
            return u
        if u.has("when", "where") and not u.has("contact", "emergency", "bring"):
            postings = self.k.event_index.postings
            titled = [w for w in u.words if w in postings]
            if "security" in postings and titled:
                return replace(u, words=(*u.words, "security"), intents=u.intents - {"security"})
        # "Done at public safety, what's next?" names a visit, not a screening.
        if u.has("next", "done") and not u.has("contact", "emergency"):
            return replace(u, intents=u.intents - {"security"})
        if u.has("contact", "emergency"):
            return replace(
                u,
                words=(*u.words, "security"),
                mentions=u.mentions | {"security"},
                intents=u.intents | {"contact"},
            )
        return replace(u, intents=u.intents | {"bring"})

    def _device(self, u: Understanding) -> Understanding:
        """Asking leave to take a phone or laptop along asks what a visit allows, not whom to
        call ("can I take my phone into the court?", "можно пользоваться телефоном?")."""
        if not u.has("contact"):
            return u
        lexicons = self.k.lexicons
        if not (lexicons.says(u.said, lexicons.devices) and lexicons.says(u.said, lexicons.leave)):
            return u
        if u.has("number", "email", "emergency") or u.mentions & _ROLES:
            return u
        return replace(u, intents=(u.intents - {"contact"}) | {"bring"})

    # ---- slots ----

    def _legs(self, u: Understanding, participant: Participant, today: date) -> list[Leg]:
        """The legs a message names by city, else the next one when it asks about moving on."""
        group = participant.group_key
        named = self.k.legs_in(u.words, group)
        if named or not (u.has("move") or _arriving(u)):
            return named
        # "Just landed at DCA, the hotel's address?": on the first day of a leg, the leg one
        # arrives on is today's.
        here = self.k.leg_on(group, today)
        # "We've just arrived, the hotel's address?" on a later day: back from a day out, the
        # leg one is on.
        if here is not None and (here.date_from == today or u.has("landed")):
            return [here]
        later = self.k.next_leg(group, today)
        return [later] if later is not None else []

    def _events(
        self,
        u: Understanding,
        participant: Participant,
        now: datetime,
        day: date | None,
        here: date,
        cities: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> list[Event]:
        """Matching events on the participant's schedule, the likeliest first (``here`` is
        the day whose city one is in: the day asked, else today)."""
        words = self._event_words(u, cities)
        if u.has("next") and set(words) <= _EVENT_NOUNS:
            return []  # "our next meeting" is whatever comes next
        named = {w for w in words if w in self.k.event_index.postings}
        if u.has("after", "done") and named <= _EVENT_NOUNS and _EVENT_NOUNS.intersection(words):
            # "After this meeting, where do we go?", "after lunch?": the one going on or just
            # over.
            return self._latest(participant, now, here)
        dated_bring = u.has("bring") and u.day is not None
        if u.has("emergency") and (u.has("when", "where") or dated_bring):
            # "Where is the emergency management thing tomorrow?", "tomorrow at the emergency
            # centre, which entrance?": the word may name a visit.
            words.append("emergency")
        results = self._search_events(self._ride_to(u, words, participant, here), participant, here)
        if landing := self._landing(u, participant, now):
            # "It says we land at 12:20 in Phoenix: their time or ours?": that journey.
            return landing
        early = self._unless_named(u, words, results, participant, now, day, here)
        if early is not None:
            return early
        top = results[0][1]
        # Results come best first: the loops stop at the first score below their bound.
        close = list(takewhile(lambda pair: pair[1] >= top * CLOSE, results))
        keys = [key for key, score in close if score >= top * 0.999]
        # "The academy" is the visit, not the bus there, unless a journey is asked about.
        journeys = frozenset() if u.has("travel") or u.mentions & _TRANSPORT else self.k.journeys
        found = [self.k.events[key] for key in self._visits_first(keys, journeys)]
        found = self._said_time(u, close, journeys) or found
        if day is not None:
            chosen = self._on_day(u, words, results, journeys, participant, day)
            if chosen is None:
                # "Where is today's first meeting?": a meeting of that day, not one on
                # another day that "meeting" happens to name best.
                return self._titled_on(u, words, participant, day)
            # An event the words name a day or two away may have been moved from that day
            # ("still the pilots this afternoon?"); one further off is not this morning's.
            # Words for any meeting or ride ("this morning's meeting, and the bus?") name none,
            # unless a time says which ("the lobby call at 7 tomorrow morning").
            generic = bool(named) and named <= _EVENT_NOUNS | _TRANSPORT
            generic = generic and not clock_times(u.words)
            moved = not generic and any(
                abs((local_day(e) - day).days) <= 2 and e.end >= now for e in found
            )
            only = [] if moved else self._only_in_part(u, participant, day)
            # "Is tomorrow free?": that day's programme, not another day's free time (though
            # the free day after the clocks change may be what a question on them is about).
            clocked = moved and bool(u.mentions & {"daylight saving", "timezone"})
            if u.day is not None and not clocked and all(e.kind == "free" for e in found):
                found = []
            found = chosen or only or found
        elif u.has("after", "done"):
            # "What is after the court?", "the court is over, what next?": the court nearest
            # in time, just over or ahead; one begun these last hours before one to come
            # ("where next after the parole meeting?" at noon is not the 14:00 reentry talk).
            # Of events named nearly as well, one begun lately ("после инженерных войск" is
            # this morning's Инженерные войска, not next week's visit with Инженерных войск).
            lately = [
                e
                for key, _ in close
                if key not in journeys
                and now - _LATELY <= (e := self.k.events[key]).start <= now
                and self.k.is_for(e, participant)
            ]
            return sorted(
                lately or found,
                key=lambda e: (not now - _LATELY <= e.start <= now, abs(e.start - now)),
            )
        elif all(e.end < now for e in found):
            # Nearly as good a match still ahead beats one already past.
            ahead = (self.k.events[key] for key, score in close if score >= top * _AHEAD)
            found = [e for e in ahead if e.end >= now] or found
        upcoming = sorted((e for e in found if e.end >= now), key=lambda e: e.start)
        if u.has("next"):
            # "Our next meeting" is one that has not started yet.
            upcoming = [e for e in upcoming if e.start > now] or upcoming
        past = sorted((e for e in found if e.end < now), key=lambda e: e.start, reverse=True)
        found = self._still_held(upcoming + past, results, participant)
        return self._way_there(u, participant, now, self._returning(u, found, here, participant))

    def _unless_named(
        self,
        u: Understanding,
        words: list[str],
        results: list[tuple[str, float]],
        participant: Participant,
        now: datetime,
        day: date | None,
        here: date,
    ) -> list[Event] | None:
        """The events of words that name none well (the moment's, or the day's titled so), or
        the two one "and" joins; None when the search's best are the answer."""
        if not results or results[0][1] < STRONG:
            if day is None:
                return self._current(u, participant, now)
            return self._titled_on(u, words, participant, day)
        return self._both(u, words, participant, day, here) or None

    def _event_words(self, u: Understanding, cities: set[str]) -> list[str]:
        """The words of a message that may name an event."""
        # A number beside a date named the day ("on the 12th"), not an event.
        # "The programme" is the whole of it, not an event with the word in its title.
        # "Where is the elections thing today?": a word of another topic may be in a title.
        return [
            w
            for w in (*u.words, *u.offtopic)
            if w not in cities
            and w not in _NO_EVENT
            and not (u.day and w.isdigit())
            # "What time is that in Dakar?": a city of the world names no visit.
            and not self.k.clocks_named([w])
            # "How does our group get to Boston?": the group travelling names no event.
            and not (w == "group" and u.has("travel"))
            # "What time do we meet in the lobby?": the hotel's lobby, no "Preston Bradley
            # Hall" (a word for a lobby in French).
            and not (w == "lobby" and u.has("gathering"))
        ]

    def _both(
        self,
        u: Understanding,
        words: list[str],
        participant: Participant,
        day: date | None,
        here: date,
    ) -> list[Event]:
        """ "When are the closing and the farewell dinner?": the event each side of one "and"
        names, when they are two."""
        if not u.has("when") or u.has("where", "travel", "after", "done", "next"):
            return []
        cuts = [i for i, w in enumerate(u.said) if w in self.k.lexicons.conjunctions]
        if len(cuts) != 1:
            return []
        said = (set(u.said[: cuts[0]]), set(u.said[cuts[0] + 1 :]))
        sides = [{w for w in words if w in side} for side in said]
        # "Fish and Wildlife", "closing and certificates", "Centro de Direito e Segurança":
        # one title or place with both sides in it.
        left, right = sides[0] - sides[1], sides[1] - sides[0]
        whole = self._search_events(words, participant, here)
        places = best(self.k.place_index.search(words))
        for index, top in (
            (self.k.event_index, whole[0][0] if whole else None),
            (self.k.place_index, places[0] if places else None),
        ):
            named = [top in index.postings.get(w, ()) for w in (*left, *right)]
            if top is not None and any(named[: len(left)]) and any(named[len(left) :]):
                return []
        picks: list[str] = []
        for side in sides:
            found = [
                (key, score)
                for key, score in self._search_events(
                    [w for w in words if w in side], participant, here
                )
                if day is None or local_day(self.k.events[key]) == day
            ]
            if not found or found[0][1] < STRONG:
                return []
            picks.append(found[0][0])
        return [self.k.events[key] for key in dict.fromkeys(picks)] if picks[0] != picks[1] else []

    def _ride_to(
        self, u: Understanding, words: list[str], participant: Participant, here: date
    ) -> list[str]:
        """The words of a ride's destination alone, when they name a visit ("the bus to the
        garita": the crossing visited, not every transfer a bus is named in)."""
        if not (u.has("travel") or u.mentions & _TRANSPORT):
            return words
        rest = [w for w in words if w not in _TRANSPORT]
        # "Group A to Wilmington, by train?": a group names no visit.
        if not set(rest) - _GENERIC or len(rest) == len(words):
            return words
        # "The train to Wilmington" names that train, by the city in its title.
        postings = self.k.event_index.postings
        ride = self._search_events(words, participant, here)[:1]
        if (
            ride
            and ride[0][0] in self.k.journeys
            and any(ride[0][0] in postings.get(w, ()) for w in rest)
        ):
            return words
        # "The visit is over, and then the bus?" names no visit: a destination is a word of
        # a title, not "visit" or a word only like one.
        if not any(w in postings for w in rest if w not in _GENERIC | _EVENT_NOUNS):
            return words
        found = self._search_events(rest, participant, here)
        named = bool(found) and found[0][1] >= STRONG and found[0][0] not in self.k.journeys
        return rest if named else words

    def _visits_first(self, keys: list[str], journeys: frozenset[str]) -> list[str]:
        """Of events named as well, the visits: not the bus there, nor the lobby call named
        after them ("photos at Otay Mesa tomorrow?"), unless a journey is asked about (then
        ``journeys`` is empty)."""
        keys = [key for key in keys if key not in journeys] or keys
        if journeys:
            keys = [key for key in keys if self.k.events[key].kind != "logistics"] or keys
        return keys

    def _still_held(
        self, found: list[Event], results: list[tuple[str, float]], participant: Participant
    ) -> list[Event]:
        """ "Is the Getty lab tour still on tomorrow?": cancelled, and what the words also
        name that day still is."""
        if not found or found[0].status != EventStatus.CANCELLED or not results:
            return found
        held, top = local_day(found[0]), results[0][1]
        gone = found[0]
        # What is held in its place: the day's events during its hours ("replaced by the
        # forestry commission's session at the hotel").
        instead = [
            e
            for e in self.k.day_events(participant, held)
            if e.status != EventStatus.CANCELLED
            and e not in found
            and e.start < gone.end
            and e.end > gone.start
        ]
        found = [gone, *instead, *found[1:]]
        return found + [
            e
            for key, score in results
            if score >= top * _ALSO_NAMED
            and (e := self.k.events[key]) not in found
            and e.status != EventStatus.CANCELLED
            and local_day(e) == held
            and self.k.is_for(e, participant)
        ]

    def _way_there(
        self, u: Understanding, participant: Participant, now: datetime, events: list[Event]
    ) -> list[Event]:
        """ "How are we getting to Hoover Dam tomorrow?", "where does the coach pick us up
        for the body farm?": the journey that leads to the visit named, before it."""
        lexicons = self.k.lexicons
        if not events or events[0].key in self.k.journeys:
            return events
        if lexicons.back(u.said):
            return events  # "the bus back from Fort Worth" is not the way there
        riding = bool(u.mentions & _TRANSPORT) and u.has("where", "when", "travel")
        if not (riding or lexicons.says(u.said, lexicons.ways)):
            return events
        visit = events[0]
        held = [
            e
            for e in self.k.day_events(participant, local_day(visit))
            if e.status != EventStatus.CANCELLED and e.start < visit.start
        ]
        # The last journey before the visit, with nothing else held in between.
        for e in reversed(held):
            if e.key not in self.k.journeys:
                return events
            # "We're on the train: the address in Santa Fe?" asks where it goes.
            if e.start >= visit.start - _WAY_THERE and e.start > now:
                return [e, *events]
            return events
        return events

    def _returning(
        self, u: Understanding, events: list[Event], here: date, participant: Participant
    ) -> list[Event]:
        """ "The train back from Baltimore": of one day's journeys found, the later first; or
        the day's journey whose notes give the way back; or, with no journey back, what that
        day says of it ("the bus returns to Dallas at 13:30" in the visit's notes)."""
        lexicons = self.k.lexicons
        if not lexicons.back(u.said):
            return events
        if events and not any(
            e.key in self.k.journeys and e.start > events[0].start
            for e in self.k.day_events(participant, local_day(events[0]))
        ):
            told = self._told_back(events[0], participant)
            if told is not None:
                return [told, *(e for e in events if e is not told)]
        trips = [e for e in events if e.key in self.k.journeys]
        same = [e for e in trips if local_day(e) == local_day(trips[0])] if trips else []
        if len(same) >= 2:
            chosen = max(same, key=lambda e: e.start)
        else:
            noted = (
                e
                for e in trips
                if local_day(e) == here
                and any(
                    lexicons.says(tuple(tokens(d)), lexicons.returns)
                    for d in e.description.values()
                )
            )
            chosen = next(noted, None)
            if chosen is None:
                return events
        return [chosen, *(e for e in events if e is not chosen)]

    def _told_back(self, first: Event, participant: Participant) -> Event | None:
        """The event of a day, from ``first`` on, whose notes tell the way back."""
        lexicons = self.k.lexicons
        for e in self.k.day_events(participant, local_day(first)):
            if e.start >= first.start and any(
                lexicons.says(tuple(tokens(d)), lexicons.returns) for d in e.description.values()
            ):
                return e
        return None

    def _said_time(
        self, u: Understanding, close: list[tuple[str, float]], journeys: frozenset[str]
    ) -> list[Event]:
        """ "The farewell dinner ends at 9:30pm, what time is that in Manila?": of events the
        words name nearly as well, those starting (or, asked, ending) at the time said."""
        times = clock_times(u.words)
        if not times:
            return []
        ending = u.has("edge")
        at = [
            self.k.events[key]
            for key, _ in close
            if self._at(self.k.events[key], times)
            or (ending and ends_at(self.k.events[key], times))
        ]
        return [e for e in at if e.key not in journeys] or at

    def _landing(self, u: Understanding, participant: Participant, now: datetime) -> list[Event]:
        """The participant's coming journey that arrives at a time of day said, within days,
        when arriving is asked."""
        times = clock_times(u.words)
        if not (u.has("arrive") and times):
            return []
        soon = takewhile(lambda e: e.start <= now + _LANDING, self.k.upcoming(participant, now))
        found = (*self.k.ongoing(participant, now), *soon)
        group = participant.group_key
        return [
            e
            for e in found
            if e.key in self.k.journeys
            and ends_at(e, times, self.k.arrival_timezone(e, group) or e.timezone)
        ][:1]

    def _on_day(
        self,
        u: Understanding,
        words: list[str],
        results: list[tuple[str, float]],
        journeys: frozenset[str],
        participant: Participant,
        day: date,
    ) -> list[Event] | None:
        """The matches held on the day asked, the best first; empty when none is, and None
        when only a word for any event ("meeting") matched, to be read on that day."""
        # "The prosecutor's office tomorrow": tomorrow's, even if another matches better, but
        # "the Otay Mesa visit still Thursday?" names the visit moved from Thursday.
        # Of events the words name as well, one held that day is the one meant ("the port
        # today", not the customs visit moved from today that is also at the port); free time
        # that only says what was moved is not.
        tied = [key for key, score in results if score >= results[0][1] * 0.999]
        held_tied = any(
            local_day(self.k.events[key]) == day and self.k.events[key].kind != "free"
            for key in tied
        )
        # "The DHS meeting on Friday, what time?" still asks after the one moved from Friday.
        asked_when = u.has("when", "moved")
        moved = results and self.k.moved_from(self.k.events[results[0][0]], day)
        if moved and (asked_when or not held_tied):
            return [self.k.events[results[0][0]]]
        on_day = [
            (self.k.events[key], score)
            for key, score in takewhile(lambda pair: pair[1] >= STRONG, results)
            if local_day(self.k.events[key]) == day
        ]
        if not on_day:
            # "The coast guard on Saturday": Saturday's cutter ride, though the words name
            # the coast guard's own visits better.
            held = frozenset(e.key for e in self.k.day_events(participant, day))
            # A city names where, not which ("the free afternoon in Washington").
            cities = self.k.city_index.postings
            named = [w for w in words if w not in _EVENT_NOUNS and w not in cities]
            again = self.k.event_index.search(named, held, floor=STRONG, share=CLOSE)
            on_day = [(self.k.events[key], score) for key, score in again if score >= STRONG]
        # "The court tomorrow, wasn't it moved?": the one moved to that day.
        if u.has("moved"):
            on_day = [pair for pair in on_day if self.k.was_moved(pair[0])] or on_day
        # A visit rather than the ride there, unless only the ride matches well.
        # The lobby call named after a visit is a ride there too ("Otay Mesa" asked of).
        staying = [
            pair
            for pair in on_day
            if pair[0].key not in journeys and not (journeys and pair[0].kind == "logistics")
        ]
        if staying and staying[0][1] >= on_day[0][1] * CLOSE:
            on_day = staying
        named = {w for w in words if w in self.k.event_index.postings}
        if u.part in PARTS:
            # "The police tomorrow afternoon": the afternoon's, if the match holds there;
            # "this morning's meeting" is whatever meets in the morning.
            in_part = [pair for pair in on_day if _in_part(pair[0], u.part)]
            if not in_part and named <= _EVENT_NOUNS:
                return None
            on_day = in_part or on_day
        if on_day:
            # The best of that day, and those nearly as good ("the farewell dinner" is
            # not the closing session, though both say "farewell").
            return [e for e, score in on_day if score >= on_day[0][1] * CLOSE]
        if named <= _EVENT_NOUNS:
            return None
        return []

    def _first_on(
        self, u: Understanding, participant: Participant, day: date | None, today: date
    ) -> Event | None:
        """ "Where is tomorrow's first meeting?": the first event of that day (or part of it),
        a visit before the ride there, when nothing more particular is named."""
        if not u.has("first"):
            return None
        postings = self.k.event_index.postings
        named = {w for w in u.words if w in postings}
        if not named <= _EVENT_NOUNS:
            return None
        if day is None:
            return self._first_of_kind(u, participant, named, today)
        found = [
            e
            for e in self.k.day_events(participant, day)
            if e.status != EventStatus.CANCELLED and (u.part is None or _in_part(e, u.part))
        ]
        # "Check-in on the 30th, and the first meeting?": the first meeting from then on, when
        # the day has none.
        if named and not any(all(e.key in postings[w] for w in named) for e in found):
            return self._first_of_kind(u, participant, named, day, onward=True)
        staying = [e for e in found if e.key not in self.k.journeys]
        return (staying or found or [None])[0]

    def _first_of_kind(
        self,
        u: Understanding,
        participant: Participant,
        named: set[str],
        today: date,
        *,
        onward: bool = False,
    ) -> Event | None:
        """ "What is the first meeting?" with no day said: before the programme, its first
        such event; during it, today's (of a day said, the first from that day on)."""
        if not named:
            return None
        start, end = self.k.programme.start, self.k.programme.end
        days = [today] if start <= today <= end else []
        if today < start or onward:
            first = max(today, start)
            days = [first + timedelta(days=n) for n in range((end - first).days + 1)]
        postings = self.k.event_index.postings
        for day in days:
            for e in self.k.day_events(participant, day):
                if (
                    e.status != EventStatus.CANCELLED
                    and all(e.key in postings[w] for w in named)
                    and (u.part is None or _in_part(e, u.part))
                ):
                    return e
        return None

    def _only_in_part(self, u: Understanding, participant: Participant, day: date) -> list[Event]:
        """ "This morning, is it at the military base?": the one event of that part of the day,
        when what is named matches none of that day's."""
        if u.part not in PARTS or u.day is None:
            return []
        found = [e for e in self.k.day_events(participant, day) if _in_part(e, u.part)]
        return found if len(found) == 1 else []

    def _titled_on(
        self, u: Understanding, words: list[str], participant: Participant, day: date
    ) -> list[Event]:
        """ "This morning's court": a word too common to name one event across the programme
        names the day's (and part of the day's) events whose titles hold it."""
        postings = self.k.event_index.postings
        known = [w for w in words if w in postings]
        if not known:
            return []
        found = [
            e
            for e in self.k.day_events(participant, day)
            if all(e.key in postings[w] for w in known)
        ]
        if u.part in PARTS:
            found = [e for e in found if _in_part(e, u.part)]
        return found if len(found) == 1 else []

    def _search_events(
        self, words: list[str], participant: Participant, day: date
    ) -> list[tuple[str, float]]:
        """Events by the words of a message, best first."""
        # Every bound below is at least the lower of STRONG and the close share of the best.
        mine = self.k.audience(participant)
        here = {w for leg in self._here(participant, day) for w in self.k.city_words(leg)}
        rest = [w for w in words if w not in here]
        if rest and len(rest) < len(words):
            # "The Vienna call, what time for us in Salt Lake?": the city one is in names
            # where one is, not which event, unless nothing else does.
            results = self.k.event_index.search(rest, mine, floor=STRONG, share=CLOSE)
            if results and results[0][1] >= STRONG:
                return results
        results = self.k.event_index.search(words, mine, floor=STRONG, share=CLOSE)
        # "The dinner with the family in Salt Lake": an event held where the group is in the
        # city named, before one whose title has the city's name ("Salt Lake County Youth
        # Services: family crisis support").
        cities = self.k.city_index.postings
        named = {w for w in rest if w in cities}
        others = [w for w in rest if w not in cities]
        if named and others and results:
            held = self.k.event_index.search(others, mine, floor=STRONG, share=CLOSE)
            if held and held[0][0] != results[0][0] and held[0][1] >= STRONG:
                event = self.k.events[held[0][0]]
                leg = self.k.leg_on(participant.group_key, local_day(event))
                if leg is not None and named <= self.k.city_words(leg):
                    return held
        return results

    def _latest(self, participant: Participant, now: datetime, day: date) -> list[Event]:
        """The participant's event of a day that began last before now, if any."""
        begun = [
            e
            for e in self.k.day_events(participant, day)
            if e.start <= now and e.status != EventStatus.CANCELLED
        ]
        return sorted(begun, key=lambda e: e.start)[-1:]

    def _current(self, u: Understanding, participant: Participant, now: datetime) -> list[Event]:
        """ "When does this meeting end?": the event going on, else the next one today."""
        if not (u.mentions & _EVENT_NOUNS and u.has("when", "where")):
            return []
        ongoing = self.k.ongoing(participant, now)
        if ongoing:
            return ongoing[:1]
        today = now.astimezone(ZoneInfo(self.k.present_timezone(participant.group_key, now)))
        upcoming = next(self.k.upcoming(participant, now), None)
        if upcoming is not None and local_day(upcoming) == today.date():
            return [upcoming]
        return []

    def _contacts(
        self, u: Understanding, participant: Participant, today: date | None = None
    ) -> list[Contact]:
        """Matching contacts: those named first, then the participant's group's and language's."""
        roles = sorted(u.mentions & {"interpreter", "officer"})
        if len(roles) > 1:
            # "The Portuguese interpreter's number, and our group's coordinator's?": each.
            found: list[Contact] = []
            for role in roles:
                # "Our group's" is said of a coordinator, not of an interpreter.
                other = set(roles) - {role} | ({"group"} if role == "interpreter" else set())
                alone = replace(
                    u,
                    mentions=u.mentions - other,
                    words=tuple(w for w in u.words if w not in other),
                )
                found += [c for c in self._contacts(alone, participant, today) if c not in found]
            return found
        # A city names where one is, not a contact ("the call today, our time in Chicago?"),
        # though a coordinator's role may name it ("Group A coordinator (Chicago)").
        cities = self.k.city_index.postings
        words = [w for w in u.words if w not in cities]
        results = self.k.contact_index.search(words)
        if not results and u.has("travel") and u.has("contact") and not u.has("when"):
            # "Who do I contact to change my flight home?": whoever handles flights.
            results = self.k.contact_index.search([*words, "flight"])
        keys = best(results)
        if not keys and results and u.mentions & _ROLES:
            # "The interpreter": a role many share is a weak match, yet it names them all.
            keys = [key for key, score in results if score >= results[0][1] * 0.999]
        # With no city named, the city one is in picks among the cities' providers.
        if keys and today is not None and len(words) == len(u.words):
            # "The lead programme officer": a word of a role that no everyday word reads names
            # that contact wherever one is.
            postings = self.k.contact_index.postings
            ranked = [k for k in keys if any(k in postings.get(w, ()) for w in u.unknown)]
            keys = ranked or self._local(keys, results, participant, today)
        named = self.k.contact_names.touched(u.unknown)
        keys += [key for key in sorted(self.k.contact_names.named(u.unknown)) if key not in keys]
        found = [self.k.contacts[key] for key in keys]
        group = participant.group_key
        mine = [x for x in found if not x.groups or (group is not None and group in x.groups)]
        # "Our group's coordinator" is never another group's, unless named.
        found = mine or [x for x in found if x.key in named]
        language = participant.effective_language
        # "Our local person here in Tampa": the one whose role names the city.
        places = {w for w in u.words if w in cities}

        def rank(contact: Contact) -> tuple[bool, bool, bool, bool, int]:
            speaks = language in (contact.languages or []) and language != "en"
            here = bool(places) and bool(places & set(tokens(" ".join(contact.role.values()))))
            return (
                contact.key not in named,
                not here,
                not speaks,
                not contact.groups,
                contact.position,
            )

        found = sorted(found, key=rank)
        if places and not named and u.mentions & _ROLES:
            # "Who drives us around in Omaha?": Omaha's driver, not every city's.
            local = [x for x in found if places & set(tokens(" ".join(x.role.values())))]
            if not local:
                # "Местный координатор в Гонолулу": Honolulu's coordinator, though another
                # city's role has the word "местный" too.
                local = [
                    x
                    for key, _ in results
                    if places & set(tokens(" ".join((x := self.k.contacts[key]).role.values())))
                    and (not x.groups or participant.group_key in x.groups)
                ]
            if not local and "driver" in u.mentions:
                # "Who's our driver in KC?": the city's transport coordinator, when no
                # driver's role names the city.
                local = [
                    x
                    for x in self._transport(participant)
                    if places & set(tokens(" ".join(x.role.values())))
                ]
            found = local or found
        if "interpreter" in u.mentions and not named:
            # "My interpreter" speaks my language; "the Russian interpreter" Russian.
            wanted = u.target_language or language
            speaking = [x for x in found if wanted != "en" and wanted in (x.languages or [])]
            # Of those, the one whose role is that language's ("Spanish interpreter").
            name = english_name(wanted)
            titled = [x for x in speaking if name in " ".join(x.role.values()).casefold()]
            found = titled or speaking or found
        return found

    def _titled_faq(
        self, u: Understanding, results: list[tuple[str, float]], found: list[str]
    ) -> list[str]:
        """ "La clave del wifi": an entry whose question in the reader's language names the
        topic asked goes before one found by its answer's words ("código" of an eSIM) or by
        its question in other languages, when it is nearly as good."""
        # "The programme" or "the group" names no topic.
        said = {w for term in u.mentions for w in term.split()} - _GENERIC
        if not said:
            return found
        top = results[0][1]
        first = self.k.faq_words(found[0], u.language)
        if first & said:
            # Of questions naming the same of it, the one whose translations name it too
            # ("Wi-Fi" in every language, not "phone and internet" in three).
            named = first & said
            same = [
                key
                for key, score in results
                if score >= top * _NEARLY and self.k.faq_words(key, u.language) & said == named
            ]
            same.sort(
                key=lambda key: (
                    -sum(
                        named <= self.k.faq_words(key, language)
                        for language in self.k.faq[key].question
                    )
                )
            )
            return same[:1] + [key for key in found if key not in same[:1]] if same else found
        named = [
            key
            for key, score in results
            if score >= top * _NEARLY and self.k.faq_words(key, u.language) & said
        ]
        return named[:1] + [key for key in found if key not in named[:1]] if named else found

    def _transport(self, participant: Participant) -> list[Contact]:
        """The participant's contacts whose role is moving people (coaches, vans, transfers)."""
        postings = self.k.contact_index.postings
        keys = set().union(*(postings.get(w, set()) for w in _MOVERS))
        group = participant.group_key
        return [
            x
            for key in sorted(keys, key=lambda key: self.k.contacts[key].position)
            if not (x := self.k.contacts[key]).groups or group in x.groups
        ]

    def _local(
        self, keys: list[str], results: list[tuple[str, float]], participant: Participant, day: date
    ) -> list[str]:
        """ "The coach left without me, the coach company's number?": the company of the city
        one is in, though another city's matches more words ("airport transfers"); of the
        best matches, none whose role names only other cities."""
        here = set(self._here(participant, day))
        if not here:
            return keys
        # A group's own contact is the group's wherever it is ("group A's officer").
        group = participant.group_key
        mine = [
            key
            for key in keys
            if group in self.k.contacts[key].groups
            or not (legs := self.k.role_legs[key])
            or legs & here
        ]
        if mine:
            # Of two companies found, the one whose role names only other cities is not it.
            return mine
        top = results[0][1]
        local = [
            key
            for key, score in results
            if score >= top * _ELSEWHERE and self.k.role_legs[key] & here
        ]
        drivers = self.k.contact_index.postings.get("driver", set())
        if not local and any(key in drivers for key in keys):
            # "Our driver here?": this city's transport coordinator, when no driver is here's.
            local = [x.key for x in self._transport(participant) if self.k.role_legs[x.key] & here]
        return local or keys

    def _callable(
        self, u: Understanding, frame: Frame, participant: Participant, now: datetime
    ) -> Frame:
        """Whom to call when the message names no one: the journey's contact, and at night
        whoever answers then."""
        stranded = u.has("travel") or bool(u.mentions & _TRANSPORT)
        if (
            stranded
            and u.has("contact")
            and not frame.contacts
            and not u.has("emergency", "when", "checkin", "checkout")
        ):
            # "Overslept! Has the group left for the airport? Whom do I call?": whoever the
            # journey under way names.
            frame = frame.but(contacts=tuple(self._on_the_way(participant, now)))
        if "late" in u.mentions and u.has("contact"):
            # "Lost my wallet, whom do I call at this hour?": whoever answers at night, after
            # the contacts whose roles the message names (an airline's "lost luggage").
            late = [x for x in self._late(u, frame, participant) if x not in frame.contacts]
            frame = frame.but(contacts=(*frame.contacts, *late))
        return frame

    def _on_the_way(self, participant: Participant, now: datetime) -> list[Contact]:
        """The contacts of the participant's journeys under way or about to leave."""
        soon = takewhile(lambda e: e.start <= now + _AT_HAND, self.k.upcoming(participant, now))
        journeys = [
            e
            for e in (*self.k.ongoing(participant, now), *soon)
            if e.key in self.k.journeys and e.status != EventStatus.CANCELLED
        ]
        keys = dict.fromkeys(e.contact_key for e in journeys if e.contact_key)
        return [self.k.contacts[key] for key in keys if key in self.k.contacts]

    def _late(self, u: Understanding, f: Frame, participant: Participant) -> list[Contact]:
        """ "Toothache, whom do I call at this hour?": the duty phone, unless the FAQ found
        gives a number to call."""
        topics = self.k.faq_topics(u.mentions, titles=True)
        if (
            f.faq is not None
            and f.faq in topics
            and _PHONE.search(
                text_in(self.k.faq[f.faq].answer, u.language, self.k.programme.default_language)
            )
        ):
            return []
        duty = replace(u, words=("duty",), mentions=frozenset({"duty"}), unknown=())
        return self._contacts(duty, participant)

    def _faq(self, u: Understanding, legs: list[Leg], events: list[Event]) -> str | None:
        """The FAQ entry asked about; of entries by city or hotel, the one where one is."""
        found = self._faq_found(u, legs)
        if found is None or not events or self.k.faq_topics(u.mentions):
            return found
        if found in dict(self.k.faq_index.search(u.words)):
            return found
        # "Red Rocks?" names an excursion, not the entry whose Spanish answer says "red"
        # (network): an entry found only by its answer's words, all of them words of a title
        # that says more of them, is not asked.
        faq_words = {w for w in u.words if found in dict(self.k.faq_search([w]))}
        postings = self.k.event_index.postings
        titled = {w for w in u.words if events[0].key in postings.get(w, ())}
        if faq_words and faq_words <= titled and len(titled) > len(faq_words):
            return None
        return found

    def _faq_found(self, u: Understanding, legs: list[Leg]) -> str | None:
        if u.words and set(u.words) <= _EVENT_NOUNS and u.has("where", "when"):
            return None  # "where's our afternoon session?" asks for a place, not a rule
        known = [w for term in u.mentions for w in term.split()]
        # "Can we cross to Tijuana?" asks what the FAQ says of going to Mexico.
        abroad = self.k.countries_named(u.said or u.words) - set(u.words)
        if abroad:
            u = replace(u, words=(*u.words, *sorted(abroad)))
        # "Does the programme pay for taxis?" asks about taxis, not any entry saying "programme".
        words = [w for w in u.words if w not in _GROUPING]
        if words and len(words) < len(u.words):
            u = replace(u, words=tuple(words))
            known = [w for w in known if w not in _GROUPING]
        # A city names which entry of a topic ("the weather in San Francisco"), not the topic:
        # a "Wi-Fi at the San Francisco hotel" entry must not win for its city alone.
        cities = self.k.city_index.postings
        words = [w for w in u.words if w not in cities]
        results: list[tuple[str, float]] = []
        if len(words) < len(u.words) and best(self.k.faq_index.search(words)):
            results = self.k.faq_search(words, [w for w in known if w not in cities])
        found = best(results)
        if not found:
            results = self.k.faq_search(u.words, known)
            found = best(results)
        if not found:
            return self._packed(u)
        if "lost" in u.mentions:
            # "Lost my per diem card": what the FAQ says to do about things lost, if it does.
            losses = self.k.faq_answers.postings.get("lost", set())
            found = [key for key, _ in results if key in losses][:1] or found
        found = self._titled_faq(u, results, found)
        wanted = set(legs)
        top = results[0][1]
        # "The Wi-Fi password": of one entry per hotel, the hotel of the day asked, also over
        # a general entry that matches as well; never over a better one.
        tied = [key for key, score in results if score >= top * 0.999]
        if len(tied) > 1 and found[0] == tied[0]:
            # "The bag's weight on the plane": of entries as good, the one whose question in
            # the reader's language names the topic ("الأمتعة"), not one whose other
            # translations only use a word of it ("départ de l'hôtel").
            said = {w for term in u.mentions for w in term.split()}
            own = [key for key in tied if self.k.faq_words(key, u.language) & said]
            # Of those, the one whose question and answer name most of what is asked (the
            # Wi-Fi's password, not the SIM card's mobile internet).
            answers = self.k.faq_answers.postings
            own.sort(
                key=lambda key: (
                    -len(
                        {w for w in said if key in answers.get(w, ())}
                        | (self.k.faq_words(key, u.language) & said)
                    )
                )
            )
            found = own[:1] + [key for key in found if key not in own[:1]]
        here = next((key for key in tied if self.k.faq_legs(key) & wanted), None)
        if here is not None:
            return here
        named = self.k.faq_legs(found[0])
        if named and not named & wanted:
            return next((key for key in found if self.k.faq_legs(key) & wanted), found[0])
        return found[0]

    def _packed(self, u: Understanding) -> str | None:
        """ "Should I pack a coat?": the one FAQ entry whose answer names the thing to bring,
        when no day is asked (a day's visits say what to bring to them)."""
        things = u.mentions & _PRACTICAL
        # "What should I pack for Juneau, is it cold and rainy?": what to wear for the weather.
        if not things and u.has("bring") and "weather" in u.mentions:
            things = {"weather"}
        if not things or u.day is not None or not (u.has("bring") or u.mentions <= _PRACTICAL):
            return None
        answers = self.k.faq_answers.postings
        keys = set.intersection(*(set(answers.get(t, ())) for t in things))
        if not keys and things == {"weather"}:
            keys = set(self.k.dress_faq)
        return next(iter(keys)) if len(keys) == 1 else None

    def _here(self, participant: Participant, day: date) -> list[Leg]:
        """The participant's leg on a day, if any."""
        leg = self.k.leg_on(participant.group_key, day)
        return [leg] if leg is not None else []

    # ---- what is asked ----

    def _ask(self, u: Understanding, f: Frame, participant: Participant) -> Ask:
        """The first rule that applies, most specific first."""
        for rule in (
            self._declined,
            self._zoned,
            self._clocked,
            self._followed,
            self._paid,
            self._practical,
            self._placed,
            self._timed,
            self._topical,
            self._named,
        ):
            found = rule(u, f, participant)
            if found is not None:
                return found
        return self._small_talk(u)

    def _declined(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """Another participant's whereabouts, or something outside the programme."""
        # Another participant named is declined even when the rest names an event: "what is
        # on Karim's programme today?" must not answer with the asker's own.
        others = self.k.named_people(u.words, participant.key, u.unknown)
        # "Is there a French interpreter? My colleague Mamadou needs help": a contact asked
        # for by role, which tells nothing of the colleague.
        for_them = (
            bool(u.mentions & _ROLES)
            and u.has("contact", "number")
            and not u.has("hotel", "where", "schedule", "when", "next", "travel")
        )
        if others and not for_them and not self._names_contact(u, others):
            return Ask.PERSON
        # "Weather in Chicago today?" names a city and a day, and "who won the match?" asks
        # who, yet neither asks anything the programme holds.
        if self._off_topic(u, f, participant):
            return Ask.OUT_OF_SCOPE
        # "Our officer's number, does she speak French?" asks for the officer.
        asked_of = u.mentions & {"interpreter", "officer"} or u.has("contact", "number", "email")
        if u.has("language") and not asked_of:
            return Ask.LANGUAGES
        # "Which group am I in?"; "which group am I in, and where do we go tomorrow?" asks
        # the programme as well.
        # "Which group am I in, and where does it go after DC?" asks the group's cities, which
        # the answer gives.
        grouped = u.has("mygroup") and not u.has("schedule", "when", "next", "contact")
        if grouped and (u.day is None or not u.has("where", "hotel", "travel")):
            return Ask.GROUP
        return None

    def _zoned(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """ "How many hours behind Washington are we in Phoenix?": the time difference between
        cities named (or the one named and where one is), when no event is asked about."""
        # "The Oslo call, what time is that here?": the event's time, in both zones.
        zoned = "timezone" in u.mentions and bool(f.events) and not u.has("bring", "dress")
        # "Free day (clocks go back)" is not the day asked about by "the clocks went back".
        if zoned and self._titled(u, f, ["timezone", "daylight saving"], participant):
            return Ask.WHEN
        # "What time is it in San Diego now?" asks the same, read on the clock.
        asked = "timezone" in u.mentions or (u.has("now") and u.has("when"))
        # "When it is 9 here in Honolulu, what time is it in Washington?": an event at 9 is
        # not asked about unless its own words name it.
        named = bool(f.events) and (
            not clock_times(u.words) or self._titled(u, f, _GROUPING, participant)
        )
        # "What is the time in El Paso?" names no event titled "lessons from El Paso".
        cities = self.k.city_index.postings
        named = named and any(w not in cities and w != "timezone" for w in u.words)
        if not asked or not (f.legs or f.clocks or f.others):
            return None
        now_here = self._clock_only(u, f, participant)
        if named and not now_here:
            return None
        # "What time do we land in Honolulu, local time?" asks about the journey; "we have
        # landed, what time is it at home now?" does not.
        # "Just landed in LA: how many hours from Washington?" asks the difference.
        journey = u.has("when") or u.day is not None or bool(clock_times(u.words))
        if not u.has("now") and u.has("travel", "arrive", "move") and journey:
            return None
        here = self.k.present_timezone(participant.group_key, f.now) if f.now else None
        zones = {self.k.leg_timezone(leg) for leg in f.legs} | ({here} if here else set())
        zones |= {clock.zone for clock in f.clocks}
        zones |= {self.k.leg_timezone(leg) for leg in f.others}
        # "Does Pittsburgh keep Washington's time?": two places named, though one clock.
        places = {leg.city for leg in (*f.legs, *f.others)} | {c.zone for c in f.clocks}
        return Ask.ZONES if len(zones) > 1 or len(places) > 1 or now_here else None

    def _clock_only(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """ "Forgot to change my watch: what time is it now in Boise?": the clock of a city
        named, and nothing else asked (no landing, breakfast or visit)."""
        if not (u.has("now") and u.has("when") and f.legs) or clock_times(u.words):
            return False
        cities = {w for leg in f.legs for w in self.k.city_words(leg)}
        if not u.intents <= {"when", "now"} or u.mentions - cities - _CLOCK_WORDS:
            return False
        return not self._titled(u, f, ["timezone", "daylight saving"], participant)

    def _clocked(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """ "The call with The Hague at 9, what is that for them?": a clock time said beside an
        event named by its own words, and nothing else asked, asks about the event's time."""
        if not f.events or u.intents - {"contact"}:
            return None
        # "Clocks change tonight: the bus at 9:30, new time?": tonight names the change.
        if u.day is not None and "daylight saving" not in u.mentions:
            return None
        if not clock_times(u.words):
            return None
        # "The coach to the Everglades at 8:15": the ride names no event, the outing does.
        ride = sorted(u.mentions & _TRANSPORT)
        return Ask.WHEN if self._titled(u, f, ride, participant) else None

    def _followed(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """ "Out of court now: what's next, and passports there?": what follows the visit
        named, with its notes, whatever else is asked of it."""
        if u.has("next") and (self._begun(f, u) or self._just_held(u, f, participant)):
            return Ask.AFTER
        # "Lunch is over, what's next?" asks what follows, not the FAQ on lunch.
        if u.has("done") and u.has("next") and not u.has("where", "when", "bring", "dress"):
            return self._timed(u, f, participant)
        return None

    def _just_held(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """ "Et après BPA, on va où ?": a visit named by its own words, begun today, asks what
        follows it."""
        if not f.events or f.now is None or u.day not in (None, f.today):
            return False
        event = f.events[0]
        if event.key in self.k.journeys:
            return False  # "the next flight" is the one after
        begun = event.start <= f.now and local_day(event) == f.today
        cities = self.k.city_index.postings
        generic = {w for w in u.words if w not in cities} <= _GENERIC | _TRANSPORT
        return begun and not generic and self._titled(u, f, [], participant)

    def _names_contact(self, u: Understanding, others: Iterable[str] = ()) -> bool:
        """Whether a name in the message is a contact's too ("Karim the interpreter"), unless
        other words name the participant ``others`` that no contact bears ("Ana Beatriz
        Moreira" is no interpreter Ana)."""
        shared = self.k.contact_name_words
        named = set(others)
        if any(w not in shared and self.k.people.get(w, set()) & named for w in u.words):
            return False
        # The same in Cyrillic, which spells every vowel: "Наталья Чебан" is no interpreter
        # Наталья Орлова. Arabic, which leaves vowels out, needs the whole name: "فيرناندا
        # ألفيس" is no interpreter Fernanda Costa.
        spelled = [w for w in u.unknown if w not in self.k.people and not w.isascii()]
        # "Азиз Рахимов" spells Aziz Rakhimov whole, though "Рахимов" alone sounds like an
        # officer Rahimi.
        if self.k.names.spelled_whole(spelled) & named and not self.k.contact_names.spelled_whole(
            spelled
        ):
            return False
        for w in spelled:
            keys = self.k.names.named([w]) & named
            if not keys or self.k.contact_names.touched([w]):
                continue
            if in_cyrillic(w) or any(self.k.names.named([v]) & keys for v in spelled if v != w):
                return False
        # Words close together that belong to the participant's name, one naming them and
        # not all a contact's ("ماريا خوسيه كينتيرو" is María José Quintero, though a coach
        # company's name sounds like Quintero); or two in a row both sounding like it and no
        # contact's whole name ("Дмитрий Русу" is no interpreter Дмитрий Волков). One word
        # alone is not enough ("дайте номер Натальи": the interpreter Natalia).
        people, contacts = self.k.names, self.k.contact_names
        touched = [people.touched([w]) & named for w in spelled]
        for n, w in enumerate(spelled):
            near = range(max(0, n - _NAME_SPAN), n)
            for key in people.named([w]) & named:
                close = [spelled[m] for m in near if key in touched[m]]
                if close and not all(contacts.touched([v]) for v in (*close, w)):
                    return False
        for pair in pairwise(spelled):
            keys = people.named(pair) & named
            whole = any(_sounded(people, pair, key) == 2 for key in keys)
            if whole and all(_sounded(contacts, pair, c) < 2 for c in contacts.touched(pair)):
                return False
        return any(w in self.k.people and w in shared for w in u.words) or bool(
            self.k.contact_names.named(w for w in u.unknown if w not in self.k.people)
        )

    def _off_topic(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """Whether the message is about another topic, which no event of the programme names."""
        # "Weather in Houston today, do I take an umbrella?" asks nothing a visit's notes say,
        # unless the FAQ speaks of the weather.
        weather = "weather" in u.mentions and "weather" not in self.k.faq_index.postings
        # "The weather next week?" asks of no week's programme.
        topics = tuple(t for t in _TOPICS if t not in ("bring", "week")) if weather else _TOPICS
        if u.offtopic_phrase:
            # "Worth changing money at the airport?": where to change it, not a journey; "who
            # wins the elections next week?" asks of no week's programme.
            topics = tuple(t for t in topics if t not in ("travel", "week"))
        # "How cold will it get in Minneapolis today?" asks a forecast, though no word of it
        # is another topic's alone ("cold" may be a coat's reason).
        forecast = weather and not u.intents
        if not (u.has("offtopic") or forecast) or u.has(*topics):
            return False
        if self._visit_named(u, f) or self._dining(u, participant):
            return False
        # "It will be cold: do I need a coat?" is the programme's when its FAQ says to bring one.
        things = u.mentions & _PRACTICAL
        answers = self.k.faq_answers.postings
        # Today's weather asked with it is a forecast all the same.
        packing = things and u.day is None
        if f.faq is not None and packing and all(f.faq in answers.get(t, ()) for t in things):
            return False
        # "Is it going to rain in Charlotte today?": an FAQ on another city's weather does
        # not say.
        if "weather" in u.mentions and f.faq is not None and f.legs:
            cities = self.k.faq_cities(f.faq)
            if cities and not cities & set(f.legs):
                return True
        # "Will it be cold in Boise?" is the programme's own when its FAQ covers the weather;
        # "the match, what time in Memphis time?" asks of the match, whatever the clock.
        if f.faq is not None and f.faq in self.k.faq_topics(u.mentions - {"timezone"}):
            return False
        if self._faq_owns(u, f) or self._faq_pays(u, f):
            return False
        if u.offtopic_phrase:
            # "Where is the hockey game tonight?": a game on the programme, asked about.
            asked = f.events and u.has("where", "when") and u.offtopic
            return not (asked and all(self.k.titled_by(f.events[0], [w]) for w in u.offtopic))
        # "Address of the farewell dinner restaurant?": an event named and asked about. A city
        # alone names no event ("tickets for the game in Oklahoma City, where?").
        # The other topic's own word ("le resto du dîner de bienvenue") names no event.
        offtopic = list(u.offtopic) or (["weather"] if forecast else [])
        if (
            f.events
            and u.has("where", "when")
            and self._titled(u, f, offtopic, participant, ties=True)
        ):
            return False
        # An FAQ entry counts when its question matches, not a word of its answer ("dollars"),
        # nor a city alone ("snow in Denver?" against "altitude in Denver").
        cities = self.k.city_index.postings
        qualified = cities.keys() | {"timezone"}
        if f.faq and best(self.k.faq_index.search(w for w in u.words if w not in qualified)):
            return False
        # "Baseball game" may be an event: the word counts only when it names one asked
        # about ("who will win the elections?" asks about no observation of them).
        postings = self.k.event_index.postings
        # "What's next after the elections?" asks what follows the visit to them.
        asked = u.has("where", "when", "schedule", "after") or u.day is not None
        return not (f.events and asked and all(w in postings for w in offtopic))

    def _dining(self, u: Understanding, participant: Participant) -> bool:
        """ "Where is the restaurant tonight?": the programme's meal that day, when it has one
        ("a good restaurant near the hotel?" names no day and asks a recommendation)."""
        if u.day is None or u.offtopic_phrase or not u.has("where", "when"):
            return False
        # The other topic is the one word, in whichever language, of a restaurant.
        if set(u.offtopic_terms) != {"restaurant"} or len(set(u.offtopic)) != 1:
            return False
        meals = [e for e in self.k.day_events(participant, u.day) if e.kind == "meal"]
        return any(u.part is None or _in_part(e, u.part) for e in meals)

    def _visit_named(self, u: Understanding, f: Frame) -> bool:
        """ "The stock exchange visit this afternoon, still on?": whether the other topic's words
        are the title of the visit asked about."""
        # "Who won the match last night?" asks nothing of the match-fixing briefing.
        if not (f.events and u.has("where", "when", "moved") and u.offtopic_terms):
            return False
        # In the asker's words or the programme's own: other translations may say more
        # ("بعد الظهر حر", a free afternoon, is a hot one too).
        titles = f.events[0].title
        default = self.k.programme.default_language
        title = index_words(self.k.lexicons, titles.get(u.language, ""), titles.get(default, ""))
        return any(set(t.split()) <= title for t in u.offtopic_terms)

    def _faq_owns(self, u: Understanding, f: Frame) -> bool:
        """Whether leave asked for something off the programme is an FAQ entry's ruling, its
        question naming it ("Betting and casinos": "can we bet on football at the casino?";
        "who will win the elections?" asks no leave)."""
        if f.faq is None or not u.has("offtopic"):
            return False
        if not self.k.lexicons.says(u.said, self.k.lexicons.leave):
            return False
        # "May I take my backpack to the Casa de la Moneda?": a word of a visit's title is
        # that visit's, not the other topic.
        # A free afternoon ("Free afternoon (US Election Day)") is no visit to rule on.
        postings = self.k.event_index.postings
        held = {key for w in u.offtopic for key in postings.get(w, ())}
        visits = any(self.k.events[key].kind != "free" for key in held)
        if all(w in postings for w in u.offtopic) and not u.offtopic_phrase and visits:
            return False
        # Short words ("fi" of Arabizi) name no topic by a chance likeness.
        words = [w for w in u.words if len(w) > 3]
        return f.faq in best(self.k.faq_index.search([*words, *u.offtopic]))

    def _dialled(self, u: Understanding, f: Frame) -> bool:
        """ "The shuttle's number for Wednesday's airport run": whether a contact is asked for
        by number and by its own name or alias, whatever day or journey is said."""
        if not u.has("number") or not f.contacts:
            return False
        said = set(u.words)
        # A word any journey or city goes by ("the flight's number", "Miami") names no contact
        # by itself; an alias whole ("the shuttle") or two words of it do.
        common = {w for term in u.mentions for w in term.split()}
        return any(
            names <= said or len(names & said) >= 2 or bool((names & said) - common)
            for names in self.k.contact_own_names[f.contacts[0].key]
        )

    def _faq_pays(self, u: Understanding, f: Frame) -> bool:
        """ "An Uber to the mall in free time, who pays?": whether the programme pays for
        something is the ruling of the FAQ entry that names it, wherever one goes."""
        if f.faq is None or "pay" not in u.mentions:
            return False
        postings = self.k.faq_answers.postings
        return any(f.faq in postings.get(w, ()) for w in u.words if w != "pay" and len(w) > 3)

    def _paid(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """ "Stayed on till Wednesday: the nights since Sunday, paid by the programme?": who
        pays is the ruling of the FAQ entry found, whatever day is named."""
        if "pay" not in u.mentions or f.faq is None or u.has(*_ASKS_OTHER):
            return None
        # "Tomorrow's lunch at Devon Avenue, do we pay?": the lunch's own notes say.
        return None if self._titled(u, f, ["pay"], participant) else Ask.FAQ

    def _practical(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """Numbers, contacts, clothes, documents and the FAQ."""
        # "The programme is over: which e-mail do I write to?" asks for the e-mail.
        if (u.has("dates") or self._asks_dates(u, participant)) and not u.has("email"):
            return Ask.DATES
        # "Need to wash clothes, urgent": the FAQ's topic, unless an emergency is named.
        # "The dress code tomorrow" is each event's, which the programme gives itself.
        own = u.has("dress") and (bool(f.events) or u.day is not None)
        # "How many bags on tomorrow's flight?": a word only the title of an event held on
        # another day has names the topic, not that event; words for any event or journey
        # ("meeting", "flight") never do.
        off_day = u.day is not None and not any(local_day(e) == u.day for e in f.events)
        terms = [
            t
            for t in u.mentions
            if f.faq is not None
            and f.faq
            in self.k.faq_topics([t], titles=off_day and t not in _EVENT_NOUNS | _TRANSPORT)
            # "Suit for the EPIC briefing?": the event's dress, not the entry on dress.
            and not (own and (t == "dress code" or f.faq in self.k.faq_topics(["dress code"])))
            # "When do we land, local time?", "the Oslo call, what time is that here?": the
            # journey's or event's time, in both zones.
            and not (
                t == "timezone"
                and (f.events or f.legs)
                and (u.has("when", "arrive") or self._titled(u, f, [t], participant))
            )
            # "Lost an hour of sleep: what time do we land in Seattle?": the landing.
            and not (u.has("when") and u.has("arrive") and f.legs)
        ]
        # "How many kilos in my suitcase?": the allowance the FAQ gives, though the journey's
        # title says to bring the luggage down.
        answers = self.k.faq_answers.postings
        terms += [
            t for t in u.mentions & _MEASURES if f.faq in answers.get(t, ()) and t not in terms
        ]
        # "The passcode for the Zoom session": the event's own notes say it, not the FAQ.
        # "Can we take photos this afternoon?": what the day's visits say, with no FAQ entry.
        day_terms = terms or sorted(u.mentions & _PRACTICAL)
        noted = self._noted(u, f, participant) or self._day_noted(u, f, participant, day_terms)
        # "When is the Zoom call? These time zones confuse me": the event named is asked.
        # "How do I get around in my free time, is there a bus card?": free time is when, not
        # what, is asked.
        asked = (
            bool(terms and f.events)
            and u.has("when", "where")
            and self._titled(u, f, [*terms, *u.mentions & {"free time"}], participant)
        )
        # "When do we get the second part of the per diem?": the event whose notes say it
        # is handed out then.
        asked = asked or (
            bool(terms and f.events)
            and u.has("when")
            and f.events[0].key in self._described(u, participant, f.now, u.day)
        )
        # "Clocks change tonight: what time is the lobby call tomorrow?" asks a time on a day;
        # the topic's answer follows it.
        # So does "the excursion at 9:30 tomorrow, is that the new time?".
        said = bool(terms and f.events) and starts_at(f.events[0], clock_times(u.words))
        # "Clocks go forward tonight: the lobby call tomorrow, new time?": that day's event.
        said = said or (
            bool(f.events and _CLOCK_TOPICS.intersection(terms))
            and local_day(f.events[0]) == u.day
            and not u.has("schedule")
            # "Phoenix too changes its clocks on Sunday?" asks of the clocks, no event.
            and (
                u.has("when")
                or bool(clock_times(u.words))
                or bool(u.mentions & (_EVENT_NOUNS | _TRANSPORT))
                or self._titled(u, f, list(terms), participant)
            )
        )
        timed = bool(terms) and ((u.day is not None and u.has("when", "schedule")) or said)
        timed = timed and not u.has("bring")
        visiting = self._visiting(u, f, terms, participant)
        topic = bool(terms) and not noted and not asked and not timed and not visiting
        settled = self._settled(u, f)
        if settled is not None:
            return settled
        # "The interpreter's number, urgent": the interpreter, reached at once.
        role = bool(f.contacts) and bool(u.mentions & _ROLES)
        # "Which e-mail do I write to if I have a problem?": a trouble one writes about.
        written_to = u.has("email") and "emergency" not in u.mentions
        if (
            u.has("emergency")
            and not written_to
            # "My bag was stolen, the emergency number?": a number asked in an alarm.
            and not (topic and "emergency" not in u.mentions and not u.has("number"))
            and not role
            and not self._visit(u, f, participant)
        ):
            return Ask.EMERGENCY
        # "Passport and what to wear?": the details, which give the dress code too; so does
        # "what is on tomorrow? (to know if I wear a suit)".
        # "Left my jacket at the hotel, what's the help e-mail?" asks for the address.
        written = u.has("email") and not (
            f.events and self._titled(u, f, list(u.mentions), participant)
        )
        # "What clothes should I bring for Anchorage?" asks what to wear there, no visit's notes.
        packing = (
            u.has("dress")
            and u.has("bring")
            and u.day is None
            and u.part is None
            and not u.has("when", "where")
            and not (f.events and self._titled(u, f, [], participant))
        )
        # "Left my jacket on the airport bus, the bus company's number?": a thing lost, not
        # what to wear.
        lost = "lost" in u.mentions and bool(f.contacts)
        if u.has("dress") and (packing or not u.has("bring")) and not (topic or written or lost):
            # "The boat tomorrow, what do I wear? And what time?", "the farewell dinner, where
            # and what to wear?": the visit whole.
            # "Next Monday, which is the first meeting, and the dress?" asks the meeting too.
            timed_visit = u.has("when", "where", "first") and bool(f.events) and not packing
            return Ask.DETAIL if self._planned(u, f) or timed_visit else Ask.DRESS
        # "Checked in, what is next?" tells where one is, and asks what comes next.
        # "Tomorrow's flight: its number and the check-out time?" asks the journey, whose
        # notes say when to leave the room ("hora de salida" is a flight's departure too).
        flown = (
            u.day is not None
            and u.has("travel")
            and bool(u.mentions & {"flight", "train", "bus"})
            and any(e.key in self.k.journeys for e in f.events)
        )
        # "Checked out already, where do I leave the big suitcase?": the FAQ entry on another
        # topic named.
        other_topic = topic and f.faq is not None and f.faq != self.k.checkin_faq
        # "How many kg can I check in on the flights?": bags checked in, not a room.
        bagged = "luggage" in u.mentions and "flight" in u.mentions
        if (
            u.has("checkin", "checkout")
            and not u.has("next")
            and not (flown or other_topic or bagged)
        ):
            return Ask.CHECKIN
        # "The bus company's number": a contact named and asked for, whatever else is said
        # ("I need the Russian interpreter's number" too).
        # So does "which e-mail do I write to about my per diem receipt?" (the FAQ's answer on
        # the topic follows).
        # "I need the interpreter, how do I reach her?": a role named is the one asked for.
        named = bool(f.contacts) and (
            u.has("number") or not u.has("bring", "host") or bool(u.mentions & _ROLES)
        )
        # "Home now: the pharmacy receipts, where do I send them?" asks for the address too.
        if (u.has("contact") and (named or u.has("email"))) or written or self._dialled(u, f):
            return Ask.CONTACT
        if self._hotel_noted(u, f, participant, terms):
            return Ask.HOTEL
        # "The per diem in Seattle", "laundry at the hotel": a topic only the FAQ covers
        # wins over the city, hotel or event also named.
        # "May I post the boxing centre photos on Instagram?", "does the programme pay for taxis
        # in free time?": the programme's rule, not a visit's notes nor the free time's dates,
        # unless a visit named by its own words is asked when or where, or on a day ("today's
        # shelter visit, may I post a photo?", "lunch at Devon Avenue tomorrow, do we pay?").
        # "Can we photograph the seized goods?": the rule of an FAQ entry on photos.
        # A visit named or a day said asks that visit's own rule ("tomorrow at the court, may
        # I take photos?").
        photos = (
            "photos" in u.mentions
            and u.day is None
            and f.faq in self.k.faq_topics(["photos"], titles=True)
            and not (f.events and self._titled(u, f, ["photos"], participant))
        )
        posted = self._posted(u, f)
        ruled = (
            f.faq is not None
            and (bool(u.mentions & _RULED) or photos)
            and not asked
            and (posted or not visiting)
            and (
                posted
                or not (
                    f.events
                    and f.events[0].kind != "free"
                    and (u.has("when", "where") or u.day is not None)
                    and self._titled(u, f, ["free time"], participant)
                )
            )
        )
        if topic or ruled or self._faq_covers(u, f):
            return Ask.FAQ
        if noted:
            return Ask.DETAIL
        # "Is the lobby call at 7 the new time?": the event at that time, then the topic.
        if said and not u.has("schedule", "where", "travel"):
            return Ask.WHEN
        if self._asks_contact(u, f):
            return Ask.CONTACT
        return self._rest(u, f, terms, timed=timed, own=own)

    def _faq_covers(self, u: Understanding, f: Frame) -> bool:
        """ "Does the per diem pay for the welcome dinner tonight?": the ruling of the FAQ entry
        whose question names what pays, whatever event is named."""
        # "When do they pay the second part of the per diem?" asks when, of the day it is paid.
        if f.faq is None or "pay" not in u.mentions or u.has("when", "where"):
            return False
        asked = self.k.faq_words(f.faq, u.language)
        payers = u.mentions - _GENERIC - _MEALS - {"pay"}
        return any(set(term.split()) <= asked for term in payers)

    def _posted(self, u: Understanding, f: Frame) -> bool:
        """ "May I post today's photos of the dam on Instagram?": posting is the programme's
        rule, unless the visit's own notes speak of social media."""
        return (
            "social media" in u.mentions
            and bool(f.events)
            and not u.has("where", "when")
            and self.k.lexicons.says(u.said, self.k.lexicons.leave)
            and not self.k.notes_name(f.events[0], "social media")
        )

    def _security_asked(self, u: Understanding, f: Frame) -> bool:
        """ "Is it true the security level is orange?": the FAQ's question ("Security alert
        level") named by more than "security", no visit's screening."""
        if not u.has("security") or f.faq is None or u.day is not None:
            return False
        postings = self.k.faq_index.postings
        named = {w for w in (*u.words, "security") if f.faq in postings.get(w, ())}
        return len(named) > 1

    def _dined(self, u: Understanding, f: Frame) -> bool:
        """ "Just arrived in Seattle: when and where is dinner tonight?": a meal on the
        programme (that day, when one is said), asked when."""
        # "What time is breakfast at our hotel?" asks the hotel's hours, on any day.
        asked = u.has("when") and (_arriving(u) or u.day is not None)
        meal = u.mentions & (_MEALS | {"dinner"}) if asked else set()
        return any(
            (u.day is None or local_day(e) == u.day) and self.k.titled_by(e, meal)
            for e in f.events[:1]
        )

    def _settled(self, u: Understanding, f: Frame) -> Ask | None:
        """Topics settled whatever else is named: the weather, the hotel's phone, a thing lost ("I
        lost my badge": what the FAQ says to do, whatever event handed the badges out; "lost
        my wallet, whom do I call?" asks for someone). A lost passport is an emergency, unless
        the FAQ says what to do and no one is asked for."""
        # "Can we bet on the match at the hotel's casino?": the FAQ's rule, not the hotel.
        if self._faq_owns(u, f) and not (f.events and u.has("when", "where")):
            return Ask.FAQ
        # "Weather in Miami this season, what do I bring?": the FAQ on the weather, though a
        # visit's title names the weather service.
        weather = "weather" in u.mentions and u.day is None and not u.has("when", "where")
        if weather and f.faq in self.k.faq_index.postings.get("weather", ()):
            return Ask.FAQ
        # "A day in the heat today: any advice?": the FAQ on the heat, when no visit is named.
        advised = (
            "weather" in u.mentions
            and u.has("bring")
            and not u.has("when", "where", "schedule")
            and not u.mentions & _EVENT_NOUNS
        )
        if advised and f.faq in self.k.faq_index.postings.get("weather", ()):
            return Ask.FAQ
        # "What should I pack for Juneau, is it cold?": the entry whose answer says what to
        # bring for the weather.
        if weather and u.has("bring") and f.faq in self.k.faq_answers.postings.get("weather", ()):
            return Ask.FAQ
        # "Forgot my coat at the Chicago hotel: its name and address?": the hotel of the city
        # named, whatever the FAQ says of coats or of things lost.
        # "Just landed, the hotel's address?": the hotel here, whatever an FAQ says of landing.
        # "Forgot my charger at the Chicago hotel: its address, to write to them?" too.
        reached = u.has("contact") and not (f.legs and not u.mentions & _ROLES)
        # "Where is tomorrow's meeting? Far from the hotel?": the day's meeting.
        met = u.day is not None and bool(u.mentions & _EVENT_NOUNS)
        if (
            u.has("hotel")
            and u.has("where")
            and (f.legs or not (f.events or met or u.has("next", "schedule", "when")))
            and not reached
            and not u.has("emergency", "checkin", "checkout")
            and not self._dined(u, f)
        ):
            return Ask.HOTEL
        # "Which hotels during the whole programme?": the stays, whatever an FAQ says of it.
        if u.has("frontdesk") or (
            f.whole
            and u.has("hotel")
            and not u.has("contact", "emergency")
            and u.mentions <= {"programme", "group"}
        ):
            return Ask.HOTEL
        if "lost" not in u.mentions:
            return None
        if not u.has("contact") and f.faq in self.k.faq_answers.postings.get("lost", ()):
            return Ask.FAQ
        if "passport" in u.mentions:
            return Ask.EMERGENCY
        # "Lost my per diem card, whom do I call now?": someone to call, not the card's rule.
        return Ask.CONTACT if u.has("contact") and not u.has("email") else None

    def _rest(
        self, u: Understanding, f: Frame, terms: list[str], *, timed: bool, own: bool
    ) -> Ask | None:
        """The FAQ or the details, when the message asks for neither a day nor a place."""
        if self._security_asked(u, f):
            return Ask.FAQ
        # "What is on Friday the 12th?", "programme for today, all together again?" ask for
        # the day, whatever an FAQ answer mentions.
        dated = u.day is not None and (u.has("schedule") or bool(f.events))
        # "We fly at 9:55, right? The flight number?" asks about the journey.
        journey = u.has("travel") and any(e.key in self.k.journeys for e in f.events)
        # "Where do I get a SIM card?" is the FAQ's, not what to bring; "where is the first
        # meeting tomorrow?" asks for the day, and "the hotel's reception number" the hotel,
        # whatever an FAQ answer says of a "first" or a front desk.
        placed = (
            ((u.day is not None and u.has("where", "when")) or u.has("hotel"))
            and not terms
            and not best(self.k.faq_index.search(u.words))
        )
        # "Lunch is over, what's next?" asks what comes next, whatever the FAQ says of lunch.
        ahead = u.has("next", "done") and not terms
        # "Tomorrow's dress code, and the passport?": the day's own details, not the FAQ's.
        # "Can I take my phone into the court tomorrow?": that day's visits say.
        dated_bring = u.has("bring") and u.day is not None
        if self._packing_for(u, f):
            return Ask.FAQ
        elsewhere = f.events or f.legs or placed or ahead or own or dated_bring
        if f.faq and not elsewhere and not (dated and u.has("schedule")):
            return None if timed else Ask.FAQ
        # "Special shoes for the lab? Photos allowed?", "who is the speaker at the court?":
        # what the visit's notes and description say.
        if u.has("bring") or (f.events and (u.mentions & _PRACTICAL or u.has("host"))):
            return Ask.DETAIL
        asks_day = dated or journey or placed or u.has("next", "done", "after")
        if f.faq and not (f.events and u.has("where", "when")) and not f.legs and not asks_day:
            return Ask.FAQ
        return None

    def _packing_for(self, u: Understanding, f: Frame) -> bool:
        """ "What should I bring to Anchorage?", "warm clothes for Washington?": the FAQ entry
        that names the city, when the message names nothing else but things to pack (not the
        city's visits)."""
        if not u.has("bring") or u.has("when", "where", "travel") or u.day is not None or u.part:
            return False
        if f.faq is None or not f.legs:
            return False
        cities = self.k.city_index.postings
        packed = u.mentions & (_PRACTICAL | {"weather"})
        if any(w not in cities and w not in packed for w in u.words):
            return False
        # The entry asks what to bring or wear, or its answer names the things asked about.
        answers = self.k.faq_answers.postings
        told = bool(packed) and all(f.faq in answers.get(t, ()) for t in packed)
        packing = told or bool(self.k.faq_intents(f.faq) & {"bring", "dress"})
        return packing and bool(self.k.faq_cities(f.faq) & set(f.legs))

    def _hotel_noted(
        self, u: Understanding, f: Frame, participant: Participant, terms: list[str]
    ) -> bool:
        """ "The hotel's Wi-Fi password": whether the hotel's own notes say what is asked ("when
        is breakfast, and is there a laundry?": the hotel, then the FAQ's topic)."""
        # "What's after breakfast?" asks what comes next.
        if u.has("next", "after", "done"):
            return False
        if self._dined(u, f):
            return False
        beside = u.mentions & _MEALS - set(terms)
        if terms and beside and u.has("hotel"):
            legs = f.legs or self._here(participant, f.day or f.today)
            return bool(legs) and all(self.k.hotel_notes_name(legs[0], t) for t in beside)
        # Laundry or breakfast prices are the FAQ's; a password or a parking is the hotel's,
        # whatever FAQ the words find ("the Wi-Fi here" is not the SIM cards' data plan).
        # "Breakfast where?" is the hotel's, unless the FAQ covers breakfast.
        meal = set() if terms else u.mentions & _MEALS
        asked = set(terms) or u.mentions & _NOTED or meal
        if not asked:
            return False
        # "Is there a laundry in this hotel?": the hotel, when its notes say (the FAQ's
        # prices follow).
        if not asked <= _NOTED | meal and not (u.has("hotel") and not f.events):
            return False
        if not (u.has("hotel") or asked <= _WIRELESS | meal):
            return False
        if f.events and self._titled(u, f, [*asked, *u.mentions & _NOTED], participant):
            return False
        legs = f.legs or self._here(participant, f.day or f.today)
        return bool(legs) and all(self.k.hotel_notes_name(legs[0], t) for t in asked)

    def _visit(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """ "What time is the hospital visit tomorrow?", "the fire brigade demo today, where?",
        "done at the hospital, what next?": whether words that could sound an alarm name an
        event asked about on a day or as a meeting, or one begun today that is over."""
        if not f.events:
            return False
        # "The emergency management meeting, Thursday at 2pm, right?" asks about it too.
        asked = u.has("when", "where", "bring", "dress") or bool(clock_times(u.words))
        # "Tomorrow at the hospital, a mask? lunch?": an alarm is now, never another day.
        asked = asked or (u.day is not None and f.today is not None and u.day > f.today)
        # "Où se trouve l'agence de gestion des urgences du Nebraska ?": named by more words.
        titled = sum(1 for w in u.words if self.k.titled_by(f.events[0], [w])) >= _TITLED_BY
        if asked and (
            u.day is not None
            or u.part is not None
            or u.mentions & (_EVENT_NOUNS | _SHOWN)
            or titled
        ):
            asked = list(f.events[:1])
        elif u.has("next", "done", "after") and f.now is not None:
            # Only a visit already begun today: "what do I do now?" after a fright is no visit.
            now = f.now
            asked = [e for e in f.events if e.start <= now and local_day(e) == f.today]
        else:
            return False
        # A thing carried ("my passport got stolen") names no visit, though a lobby call's title
        # says to bring it.
        things = u.mentions - _PRACTICAL
        said = {"emergency", *u.alarms, *(w for t in things for w in t.split())}
        return any(self.k.titled_by(e, said) for e in asked)

    @staticmethod
    def _planned(u: Understanding, f: Frame) -> bool:
        """Whether a day's programme is asked for, no event named."""
        return u.has("schedule") and f.day is not None and not f.events

    def _day_noted(
        self, u: Understanding, f: Frame, participant: Participant, terms: list[str]
    ) -> bool:
        """ "Do I need my passport tomorrow?", "my phone at the court tomorrow?": whether the
        day's own events' titles or notes say what is asked, whatever an FAQ answer says of
        it (a lost passport, courtroom rules)."""
        # "Photos allowed at the range today?" asks what to bring as well.
        # "Do we keep our luggage with us this morning?": what the morning's visit says of it;
        # "how many bags on today's flight?" is the allowance.
        travel = u.has("travel") or bool(u.mentions & _TRANSPORT)
        carried = _PRACTICAL if travel else _PRACTICAL | {"luggage"}
        practical = bool(terms) and carried.issuperset(terms)
        if not (terms and (u.has("bring") or practical) and f.day is not None and not f.events):
            return False
        assert f.day is not None
        postings = self.k.event_index.postings
        return any(
            all(
                self.k.notes_name(event, t)
                or all(event.key in postings.get(w, ()) for w in t.split())
                for t in terms
            )
            for event in self.k.day_events(participant, f.day)
        )

    def _noted(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """Whether the event named has notes naming a term of the message that its title does
        not ("the Zoom passcode", "the badge")."""
        if not f.events:
            return False
        event = f.events[0]
        rides = (self.k.gatherings, self.k.journeys)
        if any(event.key in r for r in rides):
            # "The CBP visit tomorrow, photos allowed?" finds its lobby call first.
            event = next(
                (
                    e
                    for e in f.events[1:]
                    if not any(e.key in r for r in rides) and local_day(e) == local_day(event)
                ),
                event,
            )
        postings = self.k.event_index.postings
        extra = [
            t
            for t in u.mentions & _NOTED
            if not all(event.key in postings.get(w, ()) for w in t.split())
            and self.k.notes_name(event, t)
        ]
        # "The Zoom ID for this afternoon's session?": the day's event named, if not by its
        # own words alone.
        dated = u.day is not None and local_day(event) == u.day
        return bool(extra) and (dated or self._titled(u, f, extra, participant))

    def _titled(
        self,
        u: Understanding,
        f: Frame,
        terms: list[str],
        participant: Participant,
        *,
        ties: bool = False,
    ) -> bool:
        """Whether the first event found is named by its own words, not by a city or a topic."""
        if not f.events:
            return False
        cities = self.k.city_index.postings
        skip = {w for t in terms for w in t.split()}
        words = [w for w in u.words if w not in cities and w not in skip]
        found = self.k.event_index.search(
            words, self.k.audience(participant), floor=STRONG, share=1.0
        )
        if not found or found[0][1] < STRONG:
            return False
        # Of events the words name as well ("district attorney" of two cities), the one found
        # on the day asked.
        event = f.events[0]
        dated = u.day is not None and local_day(event) == u.day
        # With ``ties``, of titles the words name equally ("welcome dinner" in two cities),
        # the one chosen.
        best_named = {key for key, score in found if score >= found[0][1]} if ties else set()
        return (
            found[0][0] == event.key
            or event.key in best_named
            or (dated and event.key in dict(found))
        )

    def _asks_dates(self, u: Understanding, participant: Participant) -> bool:
        """ "When does the programme start?", "is the 18th the last day?": its dates, not an
        event that has "programme" in its title."""
        if "programme" not in u.mentions or not u.has("edge"):
            return False
        # "Is it over? When is the airport transfer tomorrow?" asks about tomorrow's journey.
        if u.day is not None and (u.has("travel") or "flight" in u.mentions):
            return False
        # "What is on the programme's first day?" asks for that day's programme.
        if u.day is not None and u.has("schedule") and not u.has("when") and not u.numbered:
            return False
        # "The programme is over, but I left my charger at the hotel: its address?"
        if u.has("hotel") and u.has("where") and not u.has("when"):
            return False
        others = [w for w in u.words if w != "programme"]
        found = self.k.event_index.search(
            others, self.k.audience(participant), floor=STRONG, share=1.0
        )
        # Only an event with "programme" in its title ("programme orientation") is meant.
        titled = self.k.event_index.postings.get("programme", set())
        return not (found and found[0][1] >= STRONG and found[0][0] in titled)

    def _asks_contact(self, u: Understanding, f: Frame) -> bool:
        """Whether a message asks whom to reach."""
        # "Who is the judge receiving us at the court?" asks about the visit.
        if u.has("host") and f.events:
            return False
        # "The meeting with the coordinator on the 28th, where and when?": the meeting, which
        # its title says is with that role.
        postings = self.k.event_index.postings
        if (
            f.events
            and u.has("when", "where")
            and not u.has("contact", "number", "email")
            and any(f.events[0].key in postings.get(role, ()) for role in u.mentions & _ROLES)
        ):
            return False
        # "Qué tenemos hoy po?": a day's programme asked, whatever word reads as a role.
        if u.has("schedule") and u.day is not None and not u.has("contact"):
            return False
        # "The address of group C's hotel in Reno? To mail something": the hotel's address.
        if u.has("hotel") and u.has("where") and (f.legs or f.others):
            return False
        if u.has("email") or (f.contacts and u.mentions & _ROLES):
            return True
        # "Can I bring my phone?" asks about the phone, not whom to call.
        if u.has("bring"):
            return False
        if not u.has("contact") or f.contacts:
            return u.has("contact")
        # "When is the video call with the prosecutors?" and "the call is over, what next?"
        # ask about events, and "who pays for the laundry?" the FAQ: "call" and "who" alone
        # name nobody.
        return not (
            (f.events and u.has("when", "where")) or u.has("next", "done") or f.faq is not None
        )

    def _placed(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """Hotels, travel and places."""
        # "Done at San Quentin, where do we go now?": what follows the visit.
        if self._begun(f, u) and not u.has("hotel"):
            return Ask.AFTER
        # "Flight on Thursday: when do we leave the hotel?" asks about the journey.
        journey = u.has("travel") or "flight" in u.mentions
        if u.has("hotel") and journey and u.has("when"):
            return Ask.TRAVEL
        # "Just got to the hotel: what do we have tomorrow?", "checked in, what next?": the
        # hotel tells where one is; the question is the day or what comes next.
        # "Just got to the hotel in Atlanta, what next?": the city one is in is where one is.
        aside = (
            (u.has("next") and (not f.legs or self._is_here(f, participant)))
            or (u.has("schedule") and u.day is not None)
            # "Just got to the hotel: what time is dinner?"
            or (
                _arriving(u)
                and u.has("when")
                and bool(f.events)
                and bool(u.mentions & _EVENT_NOUNS)
            )
        ) and not u.has("move", "where")
        named = f.legs or f.others
        # "Just got to South Station: the hotel's address?": where one sleeps, not a visit.
        # "Just landed at Logan: the hotel's address?" too.
        arrived = _arriving(u) or u.has("landed")
        landed = arrived and u.has("where") and u.day is None and not u.has("when")
        # "I'm at JFK: the hotel's address?" says where one is, as arriving does.
        at_station = f.place is not None and f.place.kind in _STATIONS
        landed = landed or (at_station and u.has("where") and u.day is None and not u.has("when"))
        # "Where is tomorrow's meeting? Far from the hotel?": the meeting.
        met = u.has("where") and u.day is not None and bool(u.mentions & _EVENT_NOUNS)
        # "Is today's roundtable at the hotel?": that day's event named by its own words.
        # "We go back to Washington tomorrow: the same hotel?" names the journey, and asks
        # where it ends.
        # "The farewell dinner, is it at the same hotel?" asks it of the event, on whatever
        # day it is.
        dated = (
            (
                local_day(f.events[0]) == u.day
                if u.day is not None
                else bool(u.mentions & _EVENT_NOUNS) and not u.has("where", "checkin", "move")
            )
            if f.events
            else False
        )
        # "At the Edison now, where do we sleep on the 10th?": a hotel named says where one
        # is, and names no event held there.
        lodging = [" ".join(tokens(f.place.name))] if f.place and f.place.kind == "hotel" else []
        held_here = (
            dated
            and f.events[0].key not in self.k.journeys
            # "The bus leaves at 6 tomorrow: is the hotel breakfast open?" asks the hotel.
            and not u.has("amenity")
            and self._titled(u, f, lodging, participant, ties=True)
        )
        if (
            u.has("hotel")
            and not (aside or (met and not named) or self._dined(u, f) or held_here)
            # "My hotel here? Need the address for a taxi": a ride to it names no event.
            and (
                named
                or landed
                or not (
                    f.events
                    and u.has("where", "when")
                    and self._titled(u, f, [*sorted(_TRANSPORT | {"taxi"}), *lodging], participant)
                )
            )
        ):
            return Ask.HOTEL
        # Breakfast hours, the gym: the hotel's notes, unless the FAQ answers it ("breakfast is
        # over, what now?" asks what is next).
        if u.has("amenity") and not f.faq and not f.events and not u.has("done", "next"):
            return Ask.HOTEL
        # "When do we leave for the park?" is about the outing, not a journey; so is "the
        # seminar, and when does the coach leave?" when the seminar says when its coach leaves.
        # "The van today?": a van named on other days says nothing of today's.
        held = [e for e in f.events if f.day is None or local_day(e) == f.day]
        travel = not held or any(e.key in self.k.journeys for e in held)
        first = held[0] if held else None
        if first is not None and first.key not in self.k.journeys:
            travel = travel and self.k.call_before(first, u.language) is None
        moving = bool(f.legs) and (
            u.has("move") or _arriving(u) or (u.has("after") and not f.events)
        )
        flight = "flight" in u.mentions
        # "What is after the flight?", "and after that, when do we leave?": what comes next.
        onward = u.has("next", "after") and not (f.legs or u.has("move") or u.has("hotel"))
        # "What is on tomorrow, when do we leave?": the day, whose first item is the leaving.
        day_plan = u.has("schedule") and u.day is not None and not flight
        # "The minibus tomorrow, what time at our hotel?": a ride named only on other days.
        ridden = bool(u.mentions & _TRANSPORT) and u.day is not None and not held
        if (
            (u.has("travel") or flight or moving or ridden)
            and travel
            and not onward
            and not day_plan
        ):
            return Ask.TRAVEL
        # "How do we get to Harvard this afternoon?" with no ride on the programme: the visit's
        # place and what its notes say of getting there.
        if f.events and not travel and self.k.lexicons.says(u.said, self.k.lexicons.ways):
            return Ask.DETAIL
        # "Where do we go after the court?", "orientation done, where next?": what follows it.
        if f.events and (_after(u, f) or (u.has("next") and self._begun(f, u))):
            return Ask.AFTER
        # "Saturday's programme, anything on or free?": that day's, though a word of it names
        # another day's event.
        if (
            u.has("schedule")
            and u.day is not None
            and not any(local_day(e) == u.day for e in f.events)
        ):
            return None
        if u.has("where"):
            return Ask.WHERE
        return None

    def _is_here(self, f: Frame, participant: Participant) -> bool:
        """Whether the legs a message names are only the one the participant is on today."""
        return f.today is not None and list(f.legs) == self._here(participant, f.today)

    @staticmethod
    def _begun(f: Frame, u: Understanding) -> bool:
        """Whether the event a message names is said to be over and has begun: "what next"
        is then what follows it."""
        started = bool(f.events) and f.now is not None and f.events[0].start <= f.now
        return started and u.has("done")

    def _timed(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """Days, times and what comes next."""
        if _after(u, f) and f.events:
            return Ask.AFTER
        # "Orientation done, what next?": after the event named, once it has begun.
        if u.has("next") and (self._begun(f, u) or self._just_held(u, f, participant)):
            return Ask.AFTER
        # "Sunday: what do we have, and when is the bus?": the day's programme, when what is
        # named is only held on other days.
        elsewhere = u.day is not None and all(local_day(e) != u.day for e in f.events)
        if u.has("when") and f.events and not (elsewhere and u.has("schedule")):
            return Ask.WHEN
        undated = f.day is None or (f.day == f.today and u.day is None)
        # "What's next today?" asks what comes next, as "what's next?" does.
        undated = undated or (
            f.day == f.today and u.has("next") and u.part is None and not u.has("schedule")
        )
        if undated and (u.has("next") or (u.has("after") and not f.events)):
            return Ask.NEXT
        if undated and u.has("now"):
            return Ask.NOW
        if u.has("range") or (u.has("week") and f.day is None) or f.days > 1:
            return Ask.WEEK
        # "Is the World Bank meeting still tomorrow afternoon?": the event named, which is
        # held another day (it moved), not the day said.
        if (
            f.events
            and u.day is not None
            and not u.has("schedule")
            and local_day(f.events[0]) != u.day
            and self._titled(u, f, [], participant)
        ):
            return Ask.WHEN
        if self._asked_of(u, f, participant):
            return Ask.DETAIL
        if u.has("schedule") or (f.day is not None and not self._mostly_unknown(u)):
            return Ask.AGENDA
        return None

    def _asked_of(self, u: Understanding, f: Frame, participant: Participant) -> bool:
        """ "Tomorrow at the court, may we record the hearings?": something unknown asked of an
        event held the day said, that its own words name, is for its notes to answer."""
        # An alarm word that names the visit ("the hospital tomorrow") asks nothing itself.
        asks = u.intents - {"emergency"}
        if not f.events or u.day is None or local_day(f.events[0]) != u.day:
            return False
        # "Demain chez Piedmont, on doit signer quelque chose ?": words of neither the visit's
        # title nor the day's programme ask of the visit, whatever reads as "anything on".
        asked = [
            w
            for w in u.unknown
            if not self.k.titled_by(f.events[0], [w]) and not self.k.city_index.search([w])
        ]
        if asks - {"schedule"} or (asks and not asked):
            return False
        # "The meeting today at 9:30, what time is that in Washington?" asks the time.
        if f.clocks or clock_times(u.words):
            return False
        if u.alarms and self._visit(u, f, participant):
            return True
        if not (u.unknown or self.k.lexicons.says(u.said, self.k.lexicons.leave)):
            return False
        return self._titled(u, f, [], participant)

    def _topical(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """ "Landed, the phone shows an hour less than in Atlanta, is that right?": the FAQ
        entry on the topic named, when nothing else is asked."""
        if f.faq is None or u.has("where", "when", "contact", *_TOPICS):
            return None
        return Ask.FAQ if f.faq in self.k.faq_topics(u.mentions) else None

    def _named(self, u: Understanding, f: Frame, participant: Participant) -> Ask | None:
        """An event or place named without a question word."""
        if f.events:
            return Ask.WHEN
        if f.contacts:
            return Ask.CONTACT
        if f.place is not None and not self._mostly_unknown(u):
            return Ask.WHERE
        if f.legs and not self._mostly_unknown(u):
            return Ask.HOTEL
        return None

    def _small_talk(self, u: Understanding) -> Ask:
        if u.has("offtopic"):
            return Ask.OUT_OF_SCOPE
        if u.has("thanks"):
            return Ask.THANKS
        if u.has("help") or (u.greeted and not u.words):
            return Ask.HELP
        return Ask.UNKNOWN

    @staticmethod
    def _mostly_unknown(u: Understanding) -> bool:
        """Whether the message is mostly words about something the programme does not hold."""
        if u.has(*_PROGRAMME_INTENTS):
            return False
        # Words the glossary knows ("meeting", "FBI") speak for the programme.
        return len(u.unknown) >= 2 and len(u.unknown) > len(u.mentions)


def _sounded(names: NameIndex, words: Iterable[str], key: str) -> int:
    """How many of the words sound like a word of the key's name."""
    return sum(any(key in names.index.get(s, ()) for s in names.sounds(w)) for w in words)


def _after(u: Understanding, f: Frame) -> bool:
    """Whether what follows an event is asked: "my family calls after the dinner, what time
    is it in Lagos when it ends?" asks the dinner's time on another clock."""
    return u.has("after") and not (f.clocks and u.has("when"))


def _arriving(u: Understanding) -> bool:
    """Whether a message asks when the group gets somewhere ("we arrived, what next?" does not)."""
    return u.has("arrive") and not u.has("next", "schedule")


def clock_times(words: tuple[str, ...]) -> frozenset[tuple[int, int]]:
    """The times of day a message says ("9:30", "10h", "7.30", "5pm") as hours and minutes; an
    hour said without am or pm may be either."""
    times: set[tuple[int, int]] = set()
    minutes = False
    for word, after in zip(words, (*words[1:], ""), strict=False):
        if minutes:
            minutes = False
            continue
        found = _CLOCK.match(word)
        if found is None:
            continue
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        meridiem = found.group(3)
        if found.group(2) is None and meridiem is None and len(after) in (2, 4):
            # "9:30" and "9:30pm" reach here as two words.
            if len(after) == 4 and after[2:] in ("am", "pm"):
                after, meridiem = after[:2], after[2:]
            minutes = len(after) == 2 and after.isdigit() and int(after) < 60
            minute = int(after) if minutes else 0
            meridiem = meridiem if minutes else None
        if meridiem == "pm" and hour < 12:
            hour += 12
        times.add((hour, minute))
        if meridiem is None and hour < 12:
            times.add((hour + 12, minute))
    return frozenset(times)


def starts_at(event: Event, times: frozenset[tuple[int, int]]) -> bool:
    """Whether an event starts at one of the times of day said."""
    start = local_start(event)
    return (start.hour, start.minute) in times


def ends_at(event: Event, times: frozenset[tuple[int, int]], zone: str | None = None) -> bool:
    """Whether an event ends at one of the times of day said (on its own clock, or on that of
    ``zone``, where a journey arrives)."""
    end = event.end.astimezone(ZoneInfo(zone or event.timezone))
    return (end.hour, end.minute) in times


def local_day(event: Event) -> date:
    """The local date an event starts on."""
    return _local_date(event.start, event.timezone)


def _in_part(event: Event, part: str) -> bool:
    """Whether an event starts in a part of its day ("morning")."""
    low, high = PARTS[part]
    return low <= local_start(event).hour < high


def local_start(event: Event) -> datetime:
    """An event's start in its own zone."""
    return event.start.astimezone(ZoneInfo(event.timezone))


@lru_cache(maxsize=65_536)
def _local_date(start: datetime, timezone: str) -> date:
    return start.astimezone(ZoneInfo(timezone)).date()


def _sure(resolved: tuple[str, float] | None) -> bool:
    """Whether an index read a word as one of its own, or another form of it ("لاوكلاهوما")."""
    return resolved is not None and resolved[1] >= _SURE


# How sure an index must be of a word's reading for the word to be its.
_SURE = 0.9
