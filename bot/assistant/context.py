"""Short conversation context: a follow-up borrows what the question before it named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.assistant.frame import Ask, Frame
from bot.assistant.understand import Understanding

# A follow-up comes within minutes of its question; later, a message stands alone.
FOLLOW_UP_WINDOW = timedelta(minutes=5)
# Questions whose day can be swapped by "and tomorrow?".
_DAY_ASKS = (
    Ask.AGENDA,
    Ask.WHERE,
    Ask.HOTEL,
    Ask.DRESS,
    Ask.DETAIL,
    Ask.TRAVEL,
    Ask.CHECKIN,
)
# Questions about a thing that "it" or "there" can stand for.
_REFERRING = (Ask.WHERE, Ask.WHEN, Ask.DRESS, Ask.DETAIL, Ask.AFTER, Ask.UNKNOWN, Ask.AGENDA)
# What is worth remembering: a question about the programme.
_REMEMBERED = frozenset(Ask) - {
    Ask.UNKNOWN,
    Ask.HELP,
    Ask.THANKS,
    Ask.OUT_OF_SCOPE,
    Ask.PERSON,
    Ask.LANGUAGES,
}


@dataclass(frozen=True)
class _Turn:
    at: datetime
    frame: Frame


class Conversations:
    """The last question of each participant, for a few minutes; per process, in memory."""

    def __init__(self, window: timedelta = FOLLOW_UP_WINDOW) -> None:
        self.window = window
        self._last: dict[str, _Turn] = {}

    def follow(self, key: str, frame: Frame, u: Understanding, now: datetime) -> Frame:
        """Complete a follow-up from the participant's last question; remember this one."""
        last = self._last.get(key)
        if last is not None and timedelta(0) <= now - last.at <= self.window:
            frame = complete(last.frame, frame, u)
        if frame.ask in _REMEMBERED:
            self._last[key] = _Turn(now, frame)
        elif u.intents or u.unknown:
            # A new topic that is not a programme question ends the conversation.
            self._last.pop(key, None)
        return frame

    def remember(self, key: str, frame: Frame, now: datetime) -> None:
        """Keep a question already completed as the participant's last."""
        if frame.ask in _REMEMBERED:
            self._last[key] = _Turn(now, frame)

    def forget(self, key: str) -> None:
        """Drop a participant's last question (their data was erased)."""
        self._last.pop(key, None)


def names_something(frame: Frame) -> bool:
    """Whether a question names an event, a place, a city, a contact or an FAQ topic."""
    return bool(frame.events or frame.place or frame.legs or frame.contacts or frame.faq)


def complete(previous: Frame, new: Frame, u: Understanding) -> Frame:
    """What a follow-up means given the question before it."""
    # "The call on Thursday, what time for us? And for those in Chicago?": the same event's
    # time in the city named.
    if (
        previous.ask is Ask.WHEN
        and previous.events
        and (new.legs or new.others or new.clocks)
        and not new.events
        and not u.intents - {"when", "schedule"}
    ):
        return new.but(ask=Ask.WHEN, events=previous.events[:1], day=previous.day)
    dated = u.day is not None or u.part is not None
    bare = not names_something(new) and not u.intents
    # "And tomorrow?": the same question, another day.
    if dated and bare and previous.ask in _DAY_ASKS:
        # "And in the afternoon?" keeps the day talked about.
        day = new.day if u.day is not None or previous.day is None else previous.day
        return new.but(
            ask=previous.ask,
            day=day,
            part=new.part or (previous.part if u.part is None else None),
            legs=() if previous.ask is Ask.HOTEL else previous.legs,
            events=(),
            place=None,
        )
    # "Our hotel in Honolulu? Is there a laundry?": a topic asked with no city of its own is
    # asked of the city before.
    if new.ask is Ask.FAQ and not new.legs and not dated and previous.legs:
        return new.but(legs=previous.legs)
    # "Where is it?", "What should I wear there?": the same thing, another question.
    if dated or names_something(new):
        return new
    if new.ask in _REFERRING and previous.events:
        ask = new.ask
        if ask in (Ask.UNKNOWN, Ask.AGENDA):
            if not u.has("when", "where"):
                return new
            ask = Ask.WHERE if u.has("where") else Ask.WHEN
        if u.has("when") and ask is not Ask.WHERE:
            ask = Ask.WHEN
        return new.but(ask=ask, events=previous.events, place=previous.place, day=new.day)
    if new.ask is Ask.WHERE and previous.place is not None:
        return new.but(place=previous.place)
    return new
