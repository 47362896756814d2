"""Callback data of the buttons under messages: a prefix per kind, builders and parsers.

Buttons already sent (and outbox rows not yet sent) carry these forms, so they never change.
A client can send any data with a tap, so the parsers accept these forms only.
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
    FORGET = "forget:"

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
# Telegram carries at most 64 bytes of callback data.
DATA_LIMIT = 64
# Campaign ids are database integers: positive, 32-bit.
MAX_ID = 2**31 - 1
# Reminders come at most a day ahead.
MAX_REMINDER = 24 * 60
_ID = "([1-9][0-9]{0,9})"
_CODE = re.compile("[a-z]{2,3}(?:_[A-Z]{2})?")
_PLACE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_VALUES = {
    Setting.AGENDA: re.compile("on|off"),
    Setting.TIME: re.compile("(?:[01][0-9]|2[0-3]):[0-5][0-9]"),
    Setting.REMIND: re.compile("0|[1-9][0-9]{0,3}"),
}
_ANSWER = re.compile(
    f"{re.escape(Prefix.ACK)}{_ID}|{re.escape(Prefix.CHECKIN)}{_ID}:({'|'.join(CHECKIN_ANSWERS)})"
)


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


def forget(confirmed: bool) -> str:
    """A button under the /forget question: erase, or keep everything."""
    return f"{Prefix.FORGET}{'yes' if confirmed else 'no'}"


def parse_forget(data: str) -> bool | None:
    """Whether a /forget button confirms the erasure; None if it is not one."""
    return {forget(True): True, forget(False): False}.get(data)


def _rest(prefix: Prefix, data: str) -> str | None:
    """The data after the prefix, if the data has it and fits in a button."""
    if not data.startswith(prefix) or len(data.encode()) > DATA_LIMIT:
        return None
    return prefix.rest(data)


def parse_language(data: str) -> str | None:
    """The language code of a language button, or None if it is not one."""
    code = _rest(Prefix.LANGUAGE, data)
    return code if code is not None and _CODE.fullmatch(code) else None


def parse_venue(data: str) -> str | None:
    """The place key of a map button, or None if it is not one."""
    key = _rest(Prefix.VENUE, data)
    return key if key is not None and _PLACE_KEY.fullmatch(key) else None


def parse_setting(data: str) -> tuple[Setting, str] | None:
    """The preference and value of a settings button, or None if it is not one."""
    rest = _rest(Prefix.SETTING, data)
    if rest is None:
        return None
    name, _, value = rest.partition(":")
    try:
        setting = Setting(name)
    except ValueError:
        return None
    if not _VALUES[setting].fullmatch(value):
        return None
    if setting is Setting.REMIND and int(value) > MAX_REMINDER:
        return None
    return setting, value


def parse_answer(data: str) -> tuple[int, Response] | None:
    """(campaign id, response) of an acknowledgement or check-in button, or None."""
    found = _ANSWER.fullmatch(data) if len(data.encode()) <= DATA_LIMIT else None
    if found is None:
        return None
    ack, checkin, response = found.groups()
    number = int(ack or checkin)
    if number > MAX_ID:
        return None
    return (number, Response(response)) if checkin else (number, Response.ACK)
