"""Callback data of the buttons under messages: a prefix per kind, builders and parsers.

Buttons already sent (and outbox rows not yet sent) carry these forms, so they never change.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.store.models import Response


class Prefix(StrEnum):
    """What a button does, by the start of its callback data."""

    LANGUAGE = "lang:"
    SETTING = "set:"
    VENUE = "venue:"
    ACK = "ack:"
    CHECKIN = "chk:"

    @property
    def pattern(self) -> str:
        """A regular expression matching callback data of this kind."""
        return "^" + re.escape(self.value)

    def rest(self, data: str) -> str:
        """The callback data after this prefix."""
        return data.removeprefix(self.value)


class Setting(StrEnum):
    """A delivery preference a settings button changes."""

    AGENDA = "agenda"  # on | off
    TIME = "time"  # HH:MM
    REMIND = "remind"  # minutes; 0 turns reminders off


CHECKIN_ANSWERS = (Response.SAFE, Response.HELP, Response.AWAY)


def language(code: str) -> str:
    """A button that chooses a language."""
    return f"{Prefix.LANGUAGE}{code}"


def venue(place_key: str) -> str:
    """A button that sends a place as a map pin."""
    return f"{Prefix.VENUE}{place_key}"


def setting(name: Setting, value: str) -> str:
    """A button that changes one delivery preference."""
    return f"{Prefix.SETTING}{name}:{value}"


def ack(campaign_id: int) -> str:
    """The "Got it" button under a broadcast."""
    return f"{Prefix.ACK}{campaign_id}"


def checkin(campaign_id: int, response: Response) -> str:
    """One answer button under a safety check-in."""
    return f"{Prefix.CHECKIN}{campaign_id}:{response}"


def parse_setting(data: str) -> tuple[Setting, str] | None:
    """The preference and value of a settings button, or None if it is not one."""
    name, _, value = Prefix.SETTING.rest(data).partition(":")
    try:
        return Setting(name), value
    except ValueError:
        return None


def parse_answer(data: str) -> tuple[int, Response] | None:
    """(campaign id, response) of an acknowledgement or check-in button, or None."""
    if data.startswith(Prefix.ACK):
        number = Prefix.ACK.rest(data)
        return (int(number), Response.ACK) if number.isdecimal() else None
    if data.startswith(Prefix.CHECKIN):
        number, _, response = Prefix.CHECKIN.rest(data).partition(":")
        if number.isdecimal() and response in CHECKIN_ANSWERS:
            return int(number), Response(response)
    return None
