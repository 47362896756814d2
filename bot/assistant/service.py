"""The assistant use case: a participant's message in, a reply out."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import choose_language
from bot.assistant.answer import Answerer, Context
from bot.assistant.context import Conversations, complete, names_something
from bot.assistant.frame import Ask, Frame
from bot.assistant.knowledge import Knowledge, load_snapshot
from bot.assistant.lexicon import Lexicons
from bot.assistant.normalize import tokens
from bot.assistant.understand import Understander, Understanding
from bot.i18n import N_, I18n
from bot.replies import Reply, Venue
from bot.store.models import Participant, Programme

# What every channel says when asked about a programme before one is imported.
NO_PROGRAMME = N_("No programme has been loaded yet.")
# Where one question of a message ends and the next begins.
# A sentence's full stop counts after a word ("svp. Et ce matin ?"), not after an initial
# or an abbreviation ("U.S.", "St. Petersburg").
_QUESTION_END = re.compile(r"([?？؟]+|(?<=[^\W\d_]{3})[.!]+(?=\s|$))")
# More questions than this in one message are read as one (a list pasted, not a chat).
_MOST_QUESTIONS = 4
# Before this hour one is still in the night before: "tomorrow" is the day about to begin.
_WAKING = 4
# Parts that ask nothing of the programme ("hello?", "thanks?", a word not understood, the
# weather in general); a question about another participant declines the whole message.
_ASIDE = frozenset({Ask.UNKNOWN, Ask.HELP, Ask.THANKS, Ask.LANGUAGES, Ask.OUT_OF_SCOPE})
# Questions about one's own programme that a message otherwise off its topic may ask too.
_OWN = frozenset({Ask.HOTEL, Ask.TRAVEL, Ask.WHEN, Ask.WHERE, Ask.AGENDA, Ask.NEXT})
# What to bring or wear to a visit, asked beside the weather ("what to take to the training
# tomorrow? is it hot there?"), in a part that is itself on the programme's topic.
_NOTED = frozenset({Ask.DETAIL, Ask.DRESS})
# What a clause after "and" asks for it to be a question of its own ("and where is it?").
_QUESTIONS = frozenset(
    {
        "where",
        "when",
        "dress",
        "bring",
        "hotel",
        "contact",
        "schedule",
        "checkin",
        "emergency",
        "number",
        "email",
    }
)
# Words each side of that "and" has at least: "when and where is it?" is one question.
_CLAUSE_WORDS = 3


@dataclass
class _Cached:
    revision: int
    answerer: Answerer


class Assistant:
    """Answers questions from an indexed snapshot that is rebuilt when the programme changes."""

    def __init__(self, i18n: I18n, lexicons: Lexicons, *, freshness: float = 1.0) -> None:
        self.i18n = i18n
        self.lexicons = lexicons
        self.understander = Understander(lexicons)
        self._conjunctions: dict[str, re.Pattern[str]] = {}
        # Each participant's last question, so that "and tomorrow?" can follow it.
        self.conversations = Conversations()
        # Seconds an answer may lag behind an import; the revision is checked at most this often.
        self.freshness = freshness
        self._cached: _Cached | None = None
        self._checked = -math.inf

    def invalidate(self) -> None:
        """Make the next question re-check the programme's revision."""
        self._checked = -math.inf

    async def _current(self, session: AsyncSession) -> _Cached | None:
        cached = self._cached
        if cached is not None and time.monotonic() - self._checked < self.freshness:
            return cached
        revision = await session.scalar(select(Programme.revision))
        self._checked = time.monotonic()
        if revision is None:
            self._cached = None
            return None
        if cached is None or cached.revision != revision:
            snapshot = await load_snapshot(session)
            if snapshot is None:
                return None
            knowledge = Knowledge(snapshot, self.lexicons)
            cached = _Cached(snapshot.programme.revision, Answerer(knowledge))
            self._cached = cached
        return cached

    async def answerer(self, session: AsyncSession) -> Answerer | None:
        """Answers from the current snapshot (``.knowledge``); None before any import."""
        cached = await self._current(session)
        return cached.answerer if cached else None

    async def knowledge(self, session: AsyncSession) -> Knowledge | None:
        """The current programme snapshot; None before any import."""
        answerer = await self.answerer(session)
        return answerer.knowledge if answerer else None

    async def ask(
        self,
        session: AsyncSession,
        participant: Participant | None,
        text: str,
        now: datetime,
        *,
        language_hint: str | None = None,
    ) -> Reply:
        """Answer one message from a participant (or from a stranger when ``None``)."""
        # Instants in the snapshot are UTC: comparing datetimes that share one tzinfo is
        # thirty times faster than across zones, and answers compare thousands.
        now = now.astimezone(UTC)
        answerer = await self.answerer(session)
        preferred = participant.effective_language if participant else language_hint
        if answerer is None:
            t = self.i18n.translator(preferred)
            return Reply(t.code, [t.gettext(NO_PROGRAMME)])
        knowledge, programme = answerer.knowledge, answerer.knowledge.programme
        group = participant.group_key if participant else None
        today, timezone = knowledge.local_today(group, now)
        fallback = preferred or programme.default_language
        u = self.understander.understand(
            text,
            today=today,
            fallback_language=self.i18n.negotiate(fallback),
            span=(programme.start, programme.end),
            names=knowledge.latin_names,
            acronyms=knowledge.acronyms,
            vocabulary=knowledge.vocabulary,
            small_hours=_small_hours(now, timezone),
        )
        switch = participant is not None and _asks_to_switch(u)
        if switch and u.target_language:
            await self._choose_language(session, participant, u.target_language)
        # A stranger is answered in the language they wrote in; a participant in their own.
        reader = participant.effective_language if participant else u.language
        t = self.i18n.translator(reader, programme.default_language)
        context = Context(participant, now, t, today, timezone)
        if switch:
            return Reply(
                t.code,
                [
                    t.gettext(
                        "From now on I will answer in {language}.", language=t.language_name(t.code)
                    )
                ],
            )
        if participant is None or u.command is not None:
            return answerer.answer(u, context)
        frame = self.conversations.follow(participant.key, answerer.frame(u, context), u, now)
        frames = self._questions(text, u, answerer, context, frame)
        if frames is None:
            return answerer.respond(frame, context)
        self.conversations.remember(participant.key, frames[-1], now)
        return _merged([answerer.respond(f, context) for f in frames])

    def _questions(
        self, text: str, u: Understanding, answerer: Answerer, c: Context, whole: Frame
    ) -> list[Frame] | None:
        """ "When is the closing? And the farewell dinner?": the message read whole, then each
        of its questions that this reading leaves out (a later question may lean on the one
        before); None when it asks one thing, or when any of it asks about another participant
        (a message that is all off the programme's topic keeps only the parts that are on it)."""
        if whole.ask is Ask.PERSON:
            return None
        small_hours = _small_hours(c.now, c.timezone)
        read_part = self._reader(u, answerer, c, small_hours)
        parts = self._parts(text, read_part, u.language)
        if len(parts) < 2 or len(parts) > _MOST_QUESTIONS:
            return None
        frames: list[Frame] = []
        for part in parts:
            pu = read_part(part)
            own_day = pu.day
            asks = bool(pu.intents - {"offtopic"})
            # "What's next? Anything tomorrow?": what comes next is not tomorrow's.
            onward = pu.has("next") and not pu.has("after", "schedule")
            dated = pu
            if pu.day is None and u.day is not None and (asks or pu.mentions) and not onward:
                # "Tomorrow, what time is the visit? And the bus?": one day for both.
                dated = replace(pu, day=u.day, days=u.days)
            read = answerer.frame(dated, c)
            if dated is not pu and read.ask is Ask.DETAIL and not read.events:
                # "The bus tomorrow at what time, and how many bags may we take?": the FAQ's
                # rule when nothing of that day says ("and what shoes?" the day's visit does).
                undated = answerer.frame(pu, c)
                noted = self._noted(answerer, c, u.day, pu.mentions)
                read, pu = (undated, pu) if undated.ask is Ask.FAQ and not noted else (read, dated)
            else:
                pu = dated
            if read.ask is Ask.PERSON:
                return None
            frame = complete(frames[-1], read, pu) if frames else read
            # "Which hotel tonight? The address please": a question naming nothing that the
            # one before does not complete is the whole reading's.
            # "The flight tomorrow, what time? And the hotel there?" asks a hotel all the same;
            # "Fadi's number? And where is he staying?" asks of him.
            # "How do I get there from the airport? And the hotel's exact address?" too.
            journey = bool(frames) and frames[-1].ask in (Ask.WHEN, Ask.TRAVEL, Ask.FAQ)
            lodging = read.ask is Ask.HOTEL and whole.ask is not Ask.HOTEL and journey
            # "Is there anything that evening?" names a part of the day of its own.
            vague = (
                own_day is None
                and pu.part is None
                and not names_something(read)
                and not lodging
                # "…and the emergency number here?", "and the e-mail for support?" need no name
                # to be questions of their own.
                and read.ask is not Ask.EMERGENCY
                and not read.email
            )
            if frame is read and frames and vague:
                continue
            if frame.ask in _ASIDE:
                continue
            noted = frame.ask in _NOTED and not pu.has("offtopic")
            # "The rate of the dollar? Where is it best to change?": a bare "where" is the
            # other topic's.
            bare = frame.ask in (Ask.WHERE, Ask.WHEN) and not names_something(frame)
            own = frame.ask in _OWN and not bare
            # "The weather in San Diego this week? Do I need a coat?": a coat for the weather.
            weathered = "weather" in u.mentions and own_day is None and not names_something(read)
            if whole.ask is Ask.OUT_OF_SCOPE and (weathered or not (asks and (own or noted))):
                # "Our hotel's name? I want to book a restaurant near it": only a part that
                # asks for a place or a time of one's own is answered.
                continue
            frames.append(frame)
        if whole.ask is Ask.OUT_OF_SCOPE:
            return frames or None
        # Each question once: one the whole reading answers, or an earlier one, is not repeated.
        asked = {(_gist(whole), whole.part): whole}
        for frame in frames:
            asked.setdefault((_gist(frame), frame.part), frame)
        # "What's on today? Anything in the morning?": the morning, and the whole day.
        return list(asked.values()) if len(asked) > 1 else None

    @staticmethod
    def _noted(answerer: Answerer, c: Context, day: date | None, terms: Iterable[str]) -> bool:
        """Whether the notes of a day's events name any of the terms."""
        if day is None:
            return False
        events = answerer.knowledge.day_events(c.participant, day)
        return any(answerer.knowledge.notes_name(e, t) for e in events for t in terms)

    def _reader(
        self, u: Understanding, answerer: Answerer, c: Context, small_hours: bool
    ) -> Callable[[str], Understanding]:
        """Pieces of a message understood once each, however often they are looked at."""
        knowledge = answerer.knowledge
        readings: dict[str, Understanding] = {}

        def read(part: str) -> Understanding:
            if part not in readings:
                readings[part] = self.understander.understand(
                    part,
                    today=c.today,
                    fallback_language=u.language,
                    span=(knowledge.programme.start, knowledge.programme.end),
                    names=knowledge.latin_names,
                    acronyms=knowledge.acronyms,
                    vocabulary=knowledge.vocabulary,
                    small_hours=small_hours,
                )
            return readings[part]

        return read

    def _parts(self, text: str, read: Callable[[str], Understanding], language: str) -> list[str]:
        """A message's questions, each with the statements said before it ("Just landed. Do
        I move my watch back?"); a sentence that asks ("The programme for today, please.")
        is a question of its own."""
        pieces = _QUESTION_END.split(text)
        parts: list[str] = []
        said = ""
        for piece, end in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            if not tokens(piece):
                continue
            piece = f"{said} {piece}" if said else piece
            said = ""
            stated = bool(end) and not any(mark in end for mark in "?？؟")
            if stated and not _asks(read(piece)):
                said = piece
            else:
                parts.append(piece)
        parts = [*parts, said] if said else parts
        if len(parts) > _MOST_QUESTIONS:
            return parts
        return [clause for part in parts for clause in self._clauses(part, read, language)]

    def _conjunction(self, language: str) -> re.Pattern[str]:
        """An "and" between two clauses, in any language or as the language's speakers type it
        in Latin letters."""
        if language not in self._conjunctions:
            lexicons = self.lexicons
            words = sorted(
                lexicons.conjunctions | lexicons.typed_conjunctions.get(language, set()),
                key=len,
                reverse=True,
            )
            joined = "|".join(map(re.escape, sorted(lexicons.joined_conjunctions)))
            # "…وشو عنوانو، وكم شنطة…": after a comma, an "and" joined to the word it ends at.
            after_comma = rf"|\s*[,،]\s*(?:{joined})(?=\w)" if joined else ""
            self._conjunctions[language] = re.compile(
                rf"((?:\s*[,،]\s*|\s+)(?:{'|'.join(map(re.escape, words))})\s+{after_comma})",
                re.IGNORECASE,
            )
        return self._conjunctions[language]

    def _clauses(self, part: str, read: Callable[[str], Understanding], language: str) -> list[str]:
        """ "What time is the dinner on Wednesday, and where is the meeting that morning?": each
        side of an "and" that asks something is a question of its own ("the interpreter's name
        and number, and the duty phone too" asks two)."""
        pieces = self._conjunction(language).split(part)
        # The split keeps each "and" (odd places), to join back the pieces that ask nothing.
        clauses = [pieces[0]]
        for joint, piece in zip(pieces[1::2], pieces[2::2], strict=True):
            before = read(clauses[-1])
            # "What's the wifi here, and where is tomorrow's session?": a topic named alone
            # asks for it too.
            topical = not before.intents and before.day is None and bool(before.mentions)
            split = (
                min(len(tokens(clauses[-1])), len(tokens(piece))) >= _CLAUSE_WORDS
                and (_asks(before) or topical)
                and _asks(read(piece))
            )
            if split:
                clauses.append(piece)
            else:
                clauses[-1] += joint + piece
        return clauses

    async def _choose_language(
        self, session: AsyncSession, participant: Participant, code: str
    ) -> None:
        """Store the participant's choice of language, if a catalog exists for it."""
        if self.i18n.negotiate(code) == code:
            await choose_language(session, participant, code)

    async def venue(self, session: AsyncSession, place_key: str) -> Venue | None:
        """Return a place as a venue to pin on a map."""
        answerer = await self.answerer(session)
        if answerer is None or place_key not in answerer.knowledge.places:
            return None
        return answerer.venue(answerer.knowledge.places[place_key])

    async def public_contact(self, session: AsyncSession) -> str | None:
        """Return the programme's public help address."""
        k = await self.knowledge(session)
        return k.programme.help_email if k else None

    async def participant(self, session: AsyncSession, key: str) -> Participant | None:
        """Return the participant with a roster key."""
        return await session.get(Participant, key)


def _small_hours(now: datetime, timezone: str) -> bool:
    """Whether it is the middle of the night where the reader is."""
    return now.astimezone(ZoneInfo(timezone)).hour < _WAKING


def _asks_to_switch(u: Understanding) -> bool:
    """ "Answer in French" switches; "an interpreter who speaks French" or "the group's
    officer: his number? does he speak French?" asks for a person."""
    return (
        u.has("language")
        and u.target_language is not None
        and not u.mentions & {"interpreter", "officer"}
        and not u.has("contact", "number", "email")
    )


def _gist(f: Frame) -> tuple[object, ...]:
    """What a question of a message asks: two with one gist are answered once."""
    return (f.ask, f.day, f.events[:1], f.legs, f.faq, f.place, f.contacts[:1])


def _asks(read: Understanding) -> bool:
    """Whether a piece of a message asks for something of the programme itself."""
    return bool(read.intents & _QUESTIONS)


def _merged(replies: list[Reply]) -> Reply:
    """One reply made of several, each paragraph, venue and contact once (a paragraph whose
    every line an earlier one already gave is not repeated)."""
    first = replies[0]
    out = Reply(first.language, understood=all(r.understood for r in replies))
    given: set[str] = set()
    for reply in replies:
        for paragraph in reply.text:
            lines = {line.strip() for line in paragraph.splitlines() if line.strip()}
            if paragraph in out.text or (lines and lines <= given):
                continue
            out.text.append(paragraph)
            given |= lines
        out.venues += [v for v in reply.venues if v not in out.venues]
        out.contacts += [c for c in reply.contacts if c not in out.contacts]
        out.buttons += [b for b in reply.buttons if b not in out.buttons]
        out.maps += [m for m in reply.maps if m not in out.maps]
    return out
